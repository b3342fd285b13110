"""The default 民转刑 risk factors (domain_notes.md); a city edits them as data afterwards."""

from django.db import migrations

DEFAULT_FLAGS = (
    ("threat_revenge", "扬言报复", "red", 1),
    ("mental_disorder", "当事人有精神障碍", "red", 2),
    ("marriage_debt", "婚恋、债务纠纷", "orange", 3),
    ("repeat_police", "因同一事由多次报警", "orange", 4),
)


def add_flags(apps, schema_editor):
    RiskFlag = apps.get_model("disputes", "RiskFlag")
    for code, name, colour, order in DEFAULT_FLAGS:
        RiskFlag.objects.get_or_create(code=code, defaults={"name": name, "raises_to": colour, "order": order})


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(add_flags, migrations.RunPython.noop)]
