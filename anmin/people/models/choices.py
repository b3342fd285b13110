"""Fixed choices of the people registers (GB/T 31000 items). Longer or locally extended lists live in
code tables (``youth_type``, ``youth_concern``, ``mental_risk_level``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# GB 3304 民族 (the 56 ethnic groups), plus the two residual values used in registers.
_ETHNICITY_TABLE = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 "
    "毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 "
    "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 其他 外国血统中国籍人士"
)
ETHNICITIES = _ETHNICITY_TABLE.split()
ETHNICITY_CHOICES = [(e, e) for e in ETHNICITIES]


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    MOVED_OUT = "moved_out", _("迁出")
    DECEASED = "deceased", _("死亡")


class MigrantReason(models.TextChoices):
    WORK = "work", _("务工")
    BUSINESS = "business", _("经商")
    STUDY = "study", _("就学")
    FAMILY = "family", _("随迁/投亲")
    OTHER = "other", _("其他")


class LeftBehindType(models.TextChoices):
    CHILD = "child", _("留守儿童")
    WOMAN = "woman", _("留守妇女")
    ELDER = "elder", _("留守老人")


class HouseUse(models.TextChoices):
    HOME = "home", _("居住")
    SHOP = "shop", _("商铺")
    OFFICE = "office", _("办公")
    FACTORY = "factory", _("厂房")
    STORAGE = "storage", _("仓储")
    OTHER = "other", _("其他")


class ResidenceRelation(models.TextChoices):
    HEAD = "head", _("户主")
    MEMBER = "member", _("家庭成员")
    TENANT = "tenant", _("承租人")
    LODGER = "lodger", _("借住")
    OTHER = "other", _("其他")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    CLOSED = "closed", _("已解除")


class CorrectionType(models.TextChoices):
    CONTROL = "control", _("管制")
    PROBATION = "probation", _("缓刑")
    PAROLE = "parole", _("假释")
    OUTSIDE = "outside", _("暂予监外执行")


class HandoverStatus(models.TextChoices):
    ESCORTED = "escorted", _("必接必送")
    FETCHED = "fetched", _("他人接回")
    SELF = "self", _("本人自行回归")
    NONE = "none", _("未衔接")


class DrugControl(models.TextChoices):
    COMMUNITY_DETOX = "community_detox", _("社区戒毒")
    COMMUNITY_REHAB = "community_rehab", _("社区康复")
    COMPULSORY = "compulsory", _("强制隔离戒毒")
    VOLUNTARY = "voluntary", _("自愿戒毒")
    ABSTINENT = "abstinent", _("戒断三年未复吸")
    OTHER = "other", _("其他")


class RiskDegree(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class TreatmentStatus(models.TextChoices):
    NONE = "none", _("未治疗")
    INTERMITTENT = "intermittent", _("间断门诊治疗")
    CONTINUOUS = "continuous", _("连续门诊治疗")
    INPATIENT = "inpatient", _("住院治疗")


class Condition(models.TextChoices):
    """病情 at a follow-up, which with the risk level decides the next interval."""

    STABLE = "stable", _("稳定")
    BASIC = "basic", _("基本稳定")
    UNSTABLE = "unstable", _("不稳定")


CONDITION_SEVERITY = {Condition.STABLE: 0, Condition.BASIC: 1, Condition.UNSTABLE: 2}


class VisitKind(models.TextChoices):
    VISIT = "visit", _("走访")
    FOLLOW_UP = "follow_up", _("随访")


class VisitMethod(models.TextChoices):
    IN_PERSON = "in_person", _("面访")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")


class VisitOutcome(models.TextChoices):
    SEEN = "seen", _("见到本人")
    FAMILY = "family", _("未见本人，见到家属")
    NOT_FOUND = "not_found", _("未找到（失访）")
    REFUSED = "refused", _("拒绝随访")


class Medication(models.TextChoices):
    REGULAR = "regular", _("规律服药")
    IRREGULAR = "irregular", _("间断服药")
    NONE = "none", _("不服药")
    NOT_NEEDED = "not_needed", _("医嘱无需服药")


class AssessmentStatus(models.TextChoices):
    RECORDED = "recorded", _("已记录（等级未变）")
    PENDING = "pending", _("待乡镇审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    SUPERSEDED = "superseded", _("已被新评估取代")


class AssessmentSource(models.TextChoices):
    REGISTRATION = "registration", _("建档")
    FOLLOW_UP = "follow_up", _("随访")
    REVIEW = "review", _("专项评估")
    IMPORT = "import", _("台账导入")


class TeamRole(models.TextChoices):
    """Members of the "五位一体" care team; which roles a complete team needs is configurable."""

    CADRE = "cadre", _("乡镇/村(社区)干部")
    GRID_WORKER = "grid_worker", _("网格员")
    POLICE = "police", _("民警")
    PSYCHIATRIST = "psychiatrist", _("精神卫生医生")
    VILLAGE_DOCTOR = "village_doctor", _("村医")
    GUARDIAN = "guardian", _("监护人")


class IncidentSeverity(models.TextChoices):
    TROUBLE = "trouble", _("肇事")
    DISASTER = "disaster", _("肇祸")


class SubsidyStatus(models.TextChoices):
    ACTIVE = "active", _("享受中")
    RESET = "reset", _("因肇事肇祸重新计算")
    ENDED = "ended", _("已停止")


class AwardStatus(models.TextChoices):
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予发放")
    VOID = "void", _("因肇事肇祸作废")


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
