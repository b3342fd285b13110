"""A case's handling unit and handler indexed with ``opened_at`` (in place of their foreign keys' own indexes,
which these begin with): the unit's and the person's parts of the visibility condition read newest first
until a page is full (core.branchpage), instead of every case of the unit read and sorted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0013_manage_accounts_permission'),
        ('workflow', '0006_case_no_single_kind_open_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='handler',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handled_cases', to=settings.AUTH_USER_MODEL, verbose_name='承办人'),
        ),
        migrations.AlterField(
            model_name='case',
            name='handling_org',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handling_cases', to='core.orgunit', verbose_name='承办单位'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['handling_org', 'opened_at'], name='case_org_opened'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['handler', 'opened_at'], name='case_handler_opened'),
        ),
    ]
