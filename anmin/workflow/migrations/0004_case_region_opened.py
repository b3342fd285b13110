"""Cases by region prefix and time: one index (region pattern opclass, opened_at) carrying kind, handler,
handling org and id, in place of the foreign key's two plain region indexes, and a partial one of the
open cases by region and deadline (docs/scaling-out.md: at province scale a county's dashboard counts
are read from these indexes alone)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0013_manage_accounts_permission'),
        ('workflow', '0003_caseevent_partitioned_by_year'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['region', 'opened_at'], include=('kind', 'handler', 'handling_org', 'id'), name='case_region_opened', opclasses=['varchar_pattern_ops', 'timestamptz_ops']),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('is_open', True)), fields=['region', 'due_at'], include=('kind', 'handler', 'handling_org', 'paused_since'), name='case_open_region', opclasses=['varchar_pattern_ops', 'timestamptz_ops']),
        ),
        migrations.AlterField(
            model_name='case',
            name='region',
            field=models.ForeignKey(db_index=False, help_text='已知的最细一级：网格、村(社区)、乡镇(街道)或市', on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='core.region', verbose_name='所在区划'),
        ),
    ]
