"""A township's cases newest first: ``LEFT(region, 9), opened_at, id``. The region part of a township
user's page, read alone (core.branchpage with ``…region__code__township``), is one range of it read
backwards (decision 0024)."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0013_manage_accounts_permission'),
        ('workflow', '0007_case_org_and_handler_by_opened'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(django.db.models.functions.text.Left('region', 9), models.F('opened_at'), models.F('id'), include=('kind',), name='case_township_opened'),
        ),
    ]
