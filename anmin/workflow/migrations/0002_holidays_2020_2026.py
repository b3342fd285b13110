"""China's public holidays and adjusted working days for 2020 and 2026 (see workflow/holidays.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from anmin.workflow.holidays import load_holidays

    load_holidays(apps.get_model("workflow", "Holiday"), years={2020, 2026})


def unload(apps, schema_editor):
    from anmin.workflow.holidays import HOLIDAYS

    Holiday = apps.get_model("workflow", "Holiday")
    Holiday.objects.filter(date__in=[d for y in (2020, 2026) for d, _k, _n in HOLIDAYS[y]]).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
