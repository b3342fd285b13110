"""The dispute keeps its case's township code (the kit's ``township_copy_field``, decision 0026): filled for
the disputes already stored from their cases (one statement; a case never moves), then indexed ahead of
the ledger's order, so a township's page is one range of ``dispute_township_found``."""

from django.db import migrations, models

FILL = ("UPDATE disputes_dispute SET township = "
        "(SELECT SUBSTR(c.region_id, 1, 9) FROM workflow_case c WHERE c.id = disputes_dispute.case_id)")


class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0003_party_person_and_risk_signals'),
        ('workflow', '0008_case_township_opened'),
    ]

    operations = [
        migrations.AddField(
            model_name='dispute',
            name='township',
            field=models.CharField(default='', editable=False, max_length=9, verbose_name='所属乡镇代码'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name='dispute',
            index=models.Index(fields=['township', 'found_on', 'id'], name='dispute_township_found'),
        ),
        migrations.AddConstraint(
            model_name='dispute',
            constraint=models.CheckConstraint(condition=models.Q(('township', ''), _negated=True),
                                              name='dispute_township_filled'),
        ),
    ]
