"""No index of the kind alone (and its pattern twin) nor of ``is_open`` alone: the indexes that begin with
them serve the same conditions (``case_kind_status_region``; ``case_open_due``, ``case_open_warn``), and
every case written updated three indexes fewer; the planner weighs fewer paths for each statement."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0005_case_kind_status_region'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='is_open',
            field=models.BooleanField(default=True, verbose_name='未办结'),
        ),
        migrations.AlterField(
            model_name='case',
            name='kind',
            field=models.CharField(max_length=8, verbose_name='事项类型'),
        ),
    ]
