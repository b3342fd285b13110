"""Care leaves people: the models leave people's migration state; their tables stay (see care 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
    ]

    # Severe-mental-disorder care moved to its own app (``anmin.care``). Only the migration state
    # changes: the tables stay where they are (the care models keep their ``people_*`` table names),
    # with their data. ``care.0001_initial`` adds the models to care's state and moves their content
    # types (and so their permissions and the roles holding them) to care.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='CareConfig',
                ),
                migrations.RemoveField(
                    model_name='careteammember',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='careteammember',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='followupwarning',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='guardiansubsidy',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='subsidyaward',
                    name='subsidy',
                ),
                migrations.RemoveField(
                    model_name='incident',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='incident',
                    name='reported_by',
                ),
                migrations.RemoveField(
                    model_name='mentalpatient',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='mentalpatient',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='riskassessment',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='riskassessment',
                    name='assessor',
                ),
                migrations.RemoveField(
                    model_name='riskassessment',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='riskassessment',
                    name='visit',
                ),
                migrations.RemoveField(
                    model_name='subsidyaward',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='subsidypayment',
                    name='award',
                ),
                migrations.RemoveField(
                    model_name='subsidypayment',
                    name='paid_by',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='visit',
                    name='recorded_by',
                ),
                migrations.DeleteModel(
                    name='CareLogCheck',
                ),
                migrations.DeleteModel(
                    name='CareTeamMember',
                ),
                migrations.DeleteModel(
                    name='FollowUpWarning',
                ),
                migrations.DeleteModel(
                    name='GuardianSubsidy',
                ),
                migrations.DeleteModel(
                    name='Incident',
                ),
                migrations.DeleteModel(
                    name='MentalPatient',
                ),
                migrations.DeleteModel(
                    name='RiskAssessment',
                ),
                migrations.DeleteModel(
                    name='SubsidyAward',
                ),
                migrations.DeleteModel(
                    name='SubsidyPayment',
                ),
                migrations.DeleteModel(
                    name='Visit',
                ),
            ],
        ),
    ]
