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
        MenuItem("crackdown_rectifications", "cases", _("督导反馈问题整改"), "crackdown:rectification_list",
                 "crackdown.view_rectification", 63, "✓"),
        MenuItem("crackdown_suspects", "cases", _("涉黑涉恶犯罪嫌疑人"), "crackdown:suspect_list",
                 "crackdown.view_suspect", 65, "●"),
        MenuItem("crackdown_assets", "cases", _("涉案资产"), "crackdown:asset_list", "crackdown.view_asset", 66, "¥"),
        MenuItem("crackdown_officials", "cases", _("处理公职人员"), "crackdown:official_list",
                 "crackdown.view_official", 67, "◇"),
        MenuItem("crackdown_candidates", "cases", _("换届候选人联审"), "crackdown:candidate_list",
                 "crackdown.view_candidate", 68, "☑"),
    ):
        menu.register(item.key, item)
