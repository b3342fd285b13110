"""The default 民转刑 risk factors (see anmin/disputes/defaults.py); a city edits them as data afterwards."""

from django.db import migrations

from anmin.disputes.defaults import DEFAULT_RISK_FLAGS


def add_flags(apps, schema_editor):
    RiskFlag = apps.get_model("disputes", "RiskFlag")
    for code, name, colour, order in DEFAULT_RISK_FLAGS:
        RiskFlag.objects.get_or_create(code=code, defaults={"name": name, "raises_to": colour, "order": order})


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(add_flags, migrations.RunPython.noop)]
