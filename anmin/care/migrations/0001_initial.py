"""Care's models, moved from people with their tables (``people_*``) and data: state only, plus
the content types (see people 0002)."""

import anmin.core.protected.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# The models that left people; their content types (and with them their permissions, the roles
# holding those and the object permissions) move to care, so every grant survives the move.
MOVED = (
    "careconfig", "carelogcheck", "careteammember", "followupwarning", "guardiansubsidy", "incident",
    "mentalpatient", "riskassessment", "subsidyaward", "subsidypayment", "visit",
)
CUSTOM = ("approve_risk_level", "approve_subsidy")


def _renamed(perm: str, old: str, new: str) -> str:
    app, _dot, codename = perm.partition(".")
    if app != old:
        return perm
    model = codename.split("_", 1)[-1]
    return f"{new}.{codename}" if model in MOVED or codename in CUSTOM else perm


def _move(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    # Roles remember which default grants they have had (``applied_defaults``, "app.codename"): rename
    # them too, so sync_roles does not take a moved grant for a new one.
    Role = apps.get_model("core", "Role")
    for role in Role.objects.exclude(applied_defaults=[]):
        renamed = [_renamed(p, old, new) for p in role.applied_defaults or []]
        if renamed != role.applied_defaults:
            role.applied_defaults = renamed
            role.save(update_fields=["applied_defaults"])


def move_content_types(apps, schema_editor):
    _move(apps, "people", "care")


def move_content_types_back(apps, schema_editor):
    _move(apps, "care", "people")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('people', '0002_care_moves_out'),
        ('core', '0010_notices'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CareConfig',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(default='default', max_length=32, unique=True, verbose_name='标识')),
                        ('rules', models.JSONField(blank=True, default=dict, verbose_name='规则')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ],
                    options={
                        'verbose_name': '严重精神障碍患者管理规则',
                        'verbose_name_plural': '严重精神障碍患者管理规则',
                        'db_table': 'people_careconfig',
                    },
                ),
                migrations.CreateModel(
                    name='MentalPatient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('registered_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='列管日期')),
                        ('status', models.CharField(choices=[('active', '在册'), ('closed', '已解除')], db_index=True, default='active', max_length=16, verbose_name='状态')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='解除日期')),
                        ('closed_reason', models.CharField(blank=True, max_length=200, verbose_name='解除原因')),
                        ('helper_name', models.CharField(blank=True, max_length=64, verbose_name='帮扶人')),
                        ('help_status', models.CharField(blank=True, max_length=200, verbose_name='帮扶情况')),
                        ('notes', models.TextField(blank=True, verbose_name='备注')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('diagnosis', anmin.core.protected.fields.ProtectedField(blank=True, kind='text', verbose_name='诊断')),
                        ('risk_level', models.PositiveSmallIntegerField(choices=[(0, '0级'), (1, '1级'), (2, '2级'), (3, '3级'), (4, '4级'), (5, '5级')], db_index=True, default=0, verbose_name='危险性评估等级')),
                        ('risk_level_since', models.DateField(blank=True, null=True, verbose_name='等级评定日期')),
                        ('condition', models.CharField(blank=True, choices=[('stable', '稳定'), ('basic', '基本稳定'), ('unstable', '不稳定')], max_length=16, verbose_name='病情')),
                        ('guardian_name', models.CharField(blank=True, max_length=64, verbose_name='监护人姓名')),
                        ('guardian_relation', models.CharField(blank=True, max_length=16, verbose_name='与患者关系')),
                        ('guardian_phone', anmin.core.protected.fields.ProtectedField(blank=True, kind='phone', verbose_name='监护人联系电话')),
                        ('has_incident_history', models.BooleanField(default=False, help_text='建档前的肇事肇祸经历；建档后的以肇事肇祸登记为准', verbose_name='有肇事肇祸史')),
                        ('treatment', models.CharField(blank=True, choices=[('none', '未治疗'), ('intermittent', '间断门诊治疗'), ('continuous', '连续门诊治疗'), ('inpatient', '住院治疗')], max_length=16, verbose_name='治疗情况')),
                        ('hospital', models.CharField(blank=True, max_length=128, verbose_name='治疗医院')),
                        ('rehab_org', models.CharField(blank=True, max_length=128, verbose_name='康复机构')),
                        ('economic_status', models.CharField(blank=True, max_length=16, verbose_name='经济状况')),
                        ('last_followup_on', models.DateField(blank=True, null=True, verbose_name='上次随访日期')),
                        ('last_condition', models.CharField(blank=True, choices=[('stable', '稳定'), ('basic', '基本稳定'), ('unstable', '不稳定')], max_length=16, verbose_name='上次随访病情')),
                        ('next_followup_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='下次随访日期')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)s_records', related_query_name='%(class)s', to='people.person', verbose_name='人员')),
                    ],
                    options={
                        'verbose_name': '严重精神障碍患者',
                        'verbose_name_plural': '严重精神障碍患者',
                        'db_table': 'people_mentalpatient',
                        'ordering': ['-registered_on', 'pk'],
                        'permissions': [('approve_risk_level', '审批危险性评估等级变更')],
                        'abstract': False,
                    },
                    bases=(anmin.core.protected.fields.ProtectedModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='Incident',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('occurred_at', models.DateTimeField(db_index=True, verbose_name='发生时间')),
                        ('severity', models.CharField(choices=[('trouble', '肇事'), ('disaster', '肇祸')], max_length=16, verbose_name='性质')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='发生地点')),
                        ('description', models.TextField(blank=True, verbose_name='经过')),
                        ('casualties', models.PositiveIntegerField(default=0, verbose_name='伤亡人数')),
                        ('handling', models.CharField(blank=True, max_length=200, verbose_name='处置情况')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='登记时间')),
                        ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='care.mentalpatient', verbose_name='患者')),
                    ],
                    options={
                        'verbose_name': '肇事肇祸',
                        'verbose_name_plural': '肇事肇祸',
                        'db_table': 'people_incident',
                        'ordering': ['-occurred_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='GuardianSubsidy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('guardian_name', models.CharField(max_length=64, verbose_name='监护人姓名')),
                        ('guardian_relation', models.CharField(blank=True, max_length=16, verbose_name='与患者关系')),
                        ('guardian_phone', anmin.core.protected.fields.ProtectedField(blank=True, kind='phone', verbose_name='监护人联系电话')),
                        ('enrolled_on', models.DateField(verbose_name='纳入日期')),
                        ('period_start', models.DateField(verbose_name='本期起算日期')),
                        ('status', models.CharField(choices=[('active', '享受中'), ('reset', '因肇事肇祸重新计算'), ('ended', '已停止')], db_index=True, default='active', max_length=16, verbose_name='状态')),
                        ('annual_amount', models.DecimalField(decimal_places=2, max_digits=9, verbose_name='年度补助标准(元)')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('patient', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='subsidy', to='care.mentalpatient', verbose_name='患者')),
                    ],
                    options={
                        'verbose_name': '监护人以奖代补',
                        'verbose_name_plural': '监护人以奖代补',
                        'db_table': 'people_guardiansubsidy',
                        'ordering': ['-enrolled_on', 'pk'],
                        'permissions': [('approve_subsidy', '审批以奖代补年度发放')],
                    },
                    bases=(anmin.core.protected.fields.ProtectedModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='FollowUpWarning',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('due_on', models.DateField(verbose_name='应随访日期')),
                        ('kind', models.CharField(choices=[('due_soon', '即将到期'), ('overdue', '已逾期')], max_length=16, verbose_name='类型')),
                        ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='预警时间')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='解除时间')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='warnings', to='care.mentalpatient', verbose_name='患者')),
                    ],
                    options={
                        'verbose_name': '随访预警',
                        'verbose_name_plural': '随访预警',
                        'db_table': 'people_followupwarning',
                        'ordering': ['-raised_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CareTeamMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('cadre', '乡镇/村(社区)干部'), ('grid_worker', '网格员'), ('police', '民警'), ('psychiatrist', '精神卫生医生'), ('village_doctor', '村医'), ('guardian', '监护人')], max_length=16, verbose_name='成员类型')),
                        ('name', models.CharField(max_length=64, verbose_name='姓名')),
                        ('phone', anmin.core.protected.fields.ProtectedField(blank=True, kind='phone', verbose_name='联系电话')),
                        ('org_name', models.CharField(blank=True, max_length=128, verbose_name='单位')),
                        ('since', models.DateField(default=django.utils.timezone.localdate, verbose_name='加入日期')),
                        ('until', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='平台账号')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team', to='care.mentalpatient', verbose_name='患者')),
                    ],
                    options={
                        'verbose_name': '管理小组成员',
                        'verbose_name_plural': '管理小组成员',
                        'db_table': 'people_careteammember',
                        'ordering': ['patient_id', 'role', 'pk'],
                    },
                    bases=(anmin.core.protected.fields.ProtectedModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='SubsidyAward',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=9, verbose_name='核定金额(元)')),
                        ('status', models.CharField(choices=[('approved', '已批准'), ('rejected', '不予发放'), ('void', '因肇事肇祸作废')], max_length=16, verbose_name='结果')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='审批意见')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='审批时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                        ('subsidy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='awards', to='care.guardiansubsidy', verbose_name='以奖代补')),
                    ],
                    options={
                        'verbose_name': '以奖代补年度审批',
                        'verbose_name_plural': '以奖代补年度审批',
                        'db_table': 'people_subsidyaward',
                        'ordering': ['-year', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SubsidyPayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=9, verbose_name='发放金额(元)')),
                        ('paid_on', models.DateField(verbose_name='发放日期')),
                        ('voucher_no', models.CharField(blank=True, max_length=64, verbose_name='凭证号')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='登记时间')),
                        ('award', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='care.subsidyaward', verbose_name='年度审批')),
                        ('paid_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                    ],
                    options={
                        'verbose_name': '以奖代补发放',
                        'verbose_name_plural': '以奖代补发放',
                        'db_table': 'people_subsidypayment',
                        'ordering': ['-paid_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('visit', '走访'), ('follow_up', '随访')], default='visit', max_length=16, verbose_name='类型')),
                        ('visited_at', models.DateTimeField(db_index=True, verbose_name='走访时间')),
                        ('method', models.CharField(choices=[('in_person', '面访'), ('phone', '电话'), ('video', '视频')], default='in_person', max_length=16, verbose_name='方式')),
                        ('outcome', models.CharField(choices=[('seen', '见到本人'), ('family', '未见本人，见到家属'), ('not_found', '未找到（失访）'), ('refused', '拒绝随访')], default='seen', max_length=16, verbose_name='走访结果')),
                        ('risk_level', models.PositiveSmallIntegerField(blank=True, choices=[(0, '0级'), (1, '1级'), (2, '2级'), (3, '3级'), (4, '4级'), (5, '5级')], null=True, verbose_name='观察到的危险性等级')),
                        ('condition', models.CharField(blank=True, choices=[('stable', '稳定'), ('basic', '基本稳定'), ('unstable', '不稳定')], max_length=16, verbose_name='病情')),
                        ('improved', models.BooleanField(default=False, verbose_name='较上次好转')),
                        ('medication', models.CharField(blank=True, choices=[('regular', '规律服药'), ('irregular', '间断服药'), ('none', '不服药'), ('not_needed', '医嘱无需服药')], max_length=16, verbose_name='服药情况')),
                        ('observations', anmin.core.protected.fields.ProtectedField(blank=True, kind='text', verbose_name='风险与情况观察')),
                        ('next_on', models.DateField(blank=True, null=True, verbose_name='下次走访/随访日期')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='录入时间')),
                        ('patient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='care.mentalpatient', verbose_name='患者')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='people.person', verbose_name='人员')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'verbose_name': '走访随访记录',
                        'verbose_name_plural': '走访随访记录',
                        'db_table': 'people_visit',
                        'ordering': ['-visited_at', '-pk'],
                    },
                    bases=(anmin.core.protected.fields.ProtectedModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='RiskAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(choices=[(0, '0级'), (1, '1级'), (2, '2级'), (3, '3级'), (4, '4级'), (5, '5级')], verbose_name='评估等级')),
                        ('previous_level', models.PositiveSmallIntegerField(blank=True, choices=[(0, '0级'), (1, '1级'), (2, '2级'), (3, '3级'), (4, '4级'), (5, '5级')], null=True, verbose_name='原等级')),
                        ('assessed_on', models.DateField(verbose_name='评估日期')),
                        ('source', models.CharField(choices=[('registration', '建档'), ('follow_up', '随访'), ('review', '专项评估'), ('import', '台账导入')], max_length=16, verbose_name='来源')),
                        ('note', models.TextField(blank=True, verbose_name='评估说明')),
                        ('status', models.CharField(choices=[('recorded', '已记录（等级未变）'), ('pending', '待乡镇审批'), ('approved', '已批准'), ('rejected', '已驳回'), ('superseded', '已被新评估取代')], db_index=True, max_length=16, verbose_name='状态')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                        ('decision_note', models.CharField(blank=True, max_length=200, verbose_name='审批意见')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('assessor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评估人')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='care.mentalpatient', verbose_name='患者')),
                        ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.visit', verbose_name='随访记录')),
                    ],
                    options={
                        'verbose_name': '危险性评估',
                        'verbose_name_plural': '危险性评估',
                        'db_table': 'people_riskassessment',
                        'ordering': ['-assessed_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CareLogCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('quarter', models.PositiveSmallIntegerField(choices=[(1, '第1季度'), (2, '第2季度'), (3, '第3季度'), (4, '第4季度')], verbose_name='季度')),
                        ('checked_on', models.DateField(verbose_name='检查日期')),
                        ('passed', models.BooleanField(default=True, verbose_name='合格')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='检查情况')),
                        ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='检查人')),
                        ('subsidy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='care.guardiansubsidy', verbose_name='以奖代补')),
                    ],
                    options={
                        'verbose_name': '看护记录检查',
                        'verbose_name_plural': '看护记录检查',
                        'db_table': 'people_carelogcheck',
                        'ordering': ['-year', '-quarter'],
                        'constraints': [models.UniqueConstraint(fields=('subsidy', 'year', 'quarter'), name='people_check_once')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='mentalpatient',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('person',), name='people_mentalpatient_one_active'),
                ),
                migrations.AddConstraint(
                    model_name='followupwarning',
                    constraint=models.UniqueConstraint(fields=('patient', 'due_on', 'kind'), name='people_warning_once_per_due_date'),
                ),
                migrations.AddIndex(
                    model_name='careteammember',
                    index=models.Index(fields=['patient', 'role'], name='people_team_patient_role'),
                ),
                migrations.AddConstraint(
                    model_name='subsidyaward',
                    constraint=models.UniqueConstraint(fields=('subsidy', 'year'), name='people_award_once_a_year'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
