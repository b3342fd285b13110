"""Menu entries of the crackdown domain (in the case and work sections)."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("crackdown_clue_new", "work", _("登记线索"), "crackdown:clue_report", "crackdown.add_clue", 60, "＋"),
        MenuItem("crackdown_clues", "cases", _("涉黑涉恶线索"), "crackdown:clue_list", "crackdown.view_clue", 60,
                 "◆"),
        MenuItem("crackdown_notices", "cases", _("三书一函"), "crackdown:notice_list", "crackdown.view_notice", 62,
                 "✉"),
        MenuItem("crackdown_orgs", "cases", _("涉黑涉恶组织"), "crackdown:org_list", "crackdown.view_crimeorg", 64,
                 "▲"),
    ):
        menu.register(item.key, item)
