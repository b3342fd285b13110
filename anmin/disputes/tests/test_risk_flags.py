"""The default risk flags are created once; a city's edits to them are never overwritten."""

from __future__ import annotations

from django.core.management import call_command

from anmin.disputes.actions import ensure_default_risk_flags
from anmin.disputes.models import RiskFlag


def test_an_admins_edit_of_a_risk_flag_survives_migrate_and_the_demo_defaults(db):
    flag = RiskFlag.objects.get(code="threat_revenge")  # a default, created by the migration (or conftest)
    flag.name, flag.raises_to, flag.is_active, flag.order = "扬言报复他人", "orange", False, 9
    flag.save()
    RiskFlag.objects.filter(code="repeat_police").delete()
    count = RiskFlag.objects.count()

    call_command("migrate", verbosity=0)  # runs every post_migrate handler too: the reference data
    assert RiskFlag.objects.filter(code="repeat_police").exists()  # only the missing default came back

    flag.refresh_from_db()
    assert (flag.name, flag.raises_to, flag.is_active, flag.order) == ("扬言报复他人", "orange", False, 9)
    assert RiskFlag.objects.count() == count + 1
    assert ensure_default_risk_flags() == 0
