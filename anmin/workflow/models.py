"""The case engine's tables: one ``Case`` for every kind, its append-only ``CaseEvent`` timeline,
``Supervision`` (督办) notices, per-kind-and-year number counters and the holiday calendar.

Writes go through ``actions.py``; reads through the QuerySets here, always starting at ``visible_to``.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from anmin.core import clock
from anmin.core.i18n import translated
from anmin.core.links import pk_url
from anmin.core.models.accounts import ScopeKind
from anmin.core.models.regions import TOWNSHIP_DIGITS
from anmin.core.scoping import ScopedQuerySet, ScopePolicy, township_copy_q

from . import registry
from .definitions import HANDLER, REPORTER
from .holidays import HOLIDAY, WORKDAY


def has_business_role(user) -> bool:
    """三员分立: accounts whose roles carry no business scope (系统管理员, 审计员) see no cases, even
    ones addressed to their org unit."""
    if getattr(user, "is_system", False):
        return True
    return any(role.scope != ScopeKind.NONE for role in getattr(user, "role_list", ()))


def kinds_visible_q(user, field: str = "kind") -> Q | None:
    """The case kinds whose view permission the user holds (None: all of them)."""
    kinds = list(registry.case_kinds)
    allowed = [k.code for k in kinds if user.has_perm(k.view_perm)]
    if len(allowed) == len(kinds):
        return None
    return Q(**{f"{field}__in": allowed})


class Priority(models.TextChoices):
    URGENT = "urgent", _("紧急")
    NORMAL = "normal", _("一般")
    HARD = "hard", _("疑难复杂")


# (``Priority.values`` builds its list again on every call: a ledger row asks once per row)
PRIORITIES = frozenset(Priority.values)
CO_IDS_INLINE = 200  # co-handled cases listed inline in a visibility condition; beyond, a subquery


class CaseQuerySet(ScopedQuerySet):
    def visibility_q(self, user, action: str = "view", prefix: str = "") -> Q | None:
        if user is None or not getattr(user, "is_authenticated", False) or not has_business_role(user):
            return None
        q = super().visibility_q(user, action, prefix)
        if q is not None and user.is_active and user.org_unit_id and not getattr(user, "is_system", False):
            # A co-handling unit (协办单位) sees the case too. Its cases as a short list of ids keep the
            # whole condition index-friendly (PostgreSQL can OR the index scans); a long one stays a
            # subquery. Either way no duplicate rows.
            co = Case.co_orgs.through.objects.filter(orgunit_id=user.org_unit_id).values_list("case_id", flat=True)
            ids = list(co[:CO_IDS_INLINE + 1])
            if ids:
                q |= Q(**{f"{prefix}id__in": ids if len(ids) <= CO_IDS_INLINE else co})
        return q

    def functional_q(self, user, action: str, prefix: str = "") -> Q | None:
        return kinds_visible_q(user, f"{prefix}kind")

    # -- filters ------------------------------------------------------------------------------
    def of_kind(self, *codes: str) -> CaseQuerySet:
        return self.filter(kind__in=codes)

    def inside(self, prefix: str) -> CaseQuerySet:
        return self.filter(region__code__startswith=prefix)

    def open(self) -> CaseQuerySet:
        return self.filter(is_open=True)

    # The conditions, also for conditional counts (``Count("pk", filter=...)``: several figures of one
    # set of cases in one statement).
    RUNNING_Q = Q(is_open=True, due_at__isnull=False, paused_since__isnull=True)

    @classmethod
    def overdue_q(cls, now) -> Q:
        return cls.RUNNING_Q & Q(due_at__lte=now)

    @classmethod
    def warning_q(cls, now) -> Q:
        return cls.RUNNING_Q & Q(warn_at__lte=now, due_at__gt=now)

    def running(self) -> CaseQuerySet:
        """Open, with a time limit, clock not paused."""
        return self.filter(self.RUNNING_Q)

    def overdue(self, now=None) -> CaseQuerySet:
        return self.filter(self.overdue_q(now or clock.now()))

    def warning(self, now=None) -> CaseQuerySet:
        """Past the warning point but not yet overdue."""
        return self.filter(self.warning_q(now or clock.now()))

    def due_before(self, moment) -> CaseQuerySet:
        return self.running().filter(due_at__lte=moment)

    def by_due(self) -> CaseQuerySet:
        """Overdue first (the earliest deadline is the most overdue), then by the time that is left;
        cases with no running clock last."""
        return self.order_by(F("due_at").asc(nulls_last=True), "opened_at", "pk")

    # -- inboxes (我的待办): chain after visible_to(user) -------------------------------------------
    def inbox_for_user(self, user) -> CaseQuerySet:
        """Cases waiting for this user to act: assigned to them (or to their unit, unclaimed), on
        their centre's desk in a state their roles can move, awaiting their approval, or returned
        to them as reporter. Sorted by due time."""
        org_id = user.org_unit_id
        roles = set(user.role_codes)
        clauses = []
        for kind in registry.case_kinds:
            wf = kind.workflow
            handler_states = sorted(wf.states_actionable_by({HANDLER}) & wf.owned_by("handler"))
            role_states = sorted(wf.states_actionable_by(roles) & wf.owned_by("center"))
            mine = Q(handler=user.pk)
            if org_id:
                mine |= Q(handler__isnull=True, handling_org=org_id)
                co = Case.co_orgs.through.objects.filter(orgunit_id=org_id).values("case_id")
                mine |= Q(pk__in=co)
            q = Q(status__in=handler_states) & mine
            q |= Q(reporter=user.pk, status__in=sorted(wf.states_actionable_by({REPORTER}) & wf.owned_by("reporter")))
            if org_id and role_states:
                q |= Q(center_org=org_id, status__in=role_states)
            approvals = wf.approvals_for(roles)
            if org_id and approvals:
                q |= Q(center_org=org_id, pending_transition__in=approvals)
            clauses.append(Q(kind=kind.code) & q)
        if not clauses:
            return self.none()
        # Open cases only: a closed case's optional steps (回访, 归档) are not "waiting for me".
        return self.filter(reduce(operator.or_, clauses), is_open=True).by_due()

    def done_by(self, user) -> CaseQuerySet:
        """已办: cases the user took a step on, most recently touched first."""
        acted = CaseEvent.objects.filter(actor=user.pk).exclude(action="open").values("case_id")
        return self.filter(pk__in=acted).order_by("-updated_at", "-pk")

    def reported_by(self, user) -> CaseQuerySet:
        """我上报的: what the user reported, newest first."""
        return self.filter(reporter=user.pk).order_by("-opened_at", "-pk")

    def inbox_for_org(self, org) -> CaseQuerySet:
        """Everything waiting for an org unit: its handling work, its centre desk, its approvals."""
        org_id = getattr(org, "pk", org)
        if not org_id:
            return self.none()
        co = Case.co_orgs.through.objects.filter(orgunit_id=org_id).values("case_id")
        clauses = []
        for kind in registry.case_kinds:
            wf = kind.workflow
            handler_states = sorted(wf.states_actionable_by({HANDLER}) & wf.owned_by("handler"))
            q = Q(status__in=handler_states) & (Q(handling_org=org_id) | Q(pk__in=co))
            q |= Q(center_org=org_id, status__in=sorted(wf.role_states() & wf.owned_by("center")))
            q |= Q(center_org=org_id) & ~Q(pending_transition="")
            clauses.append(Q(kind=kind.code) & q)
        if not clauses:
            return self.none()
        return self.filter(reduce(operator.or_, clauses), is_open=True).by_due()


def co_orgs_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """``m2m_changed`` of ``Case.co_orgs``: a co-handling unit added or taken away sees the case or no
    longer does, so its cached figures move (``scopecache.unit_key``), wherever the case lies."""
    from anmin.core import scopecache

    if action == "pre_clear":  # the units are gone by post_clear: read them while they are there
        units = ({instance.pk} if reverse else set(instance.co_orgs.values_list("pk", flat=True)))
    elif action in ("post_add", "post_remove"):
        units = {instance.pk} if reverse else set(pk_set or ())
    else:
        return
    if units:  # only the units' view changes: the case's place, and so everyone else's, stays
        scopecache.bump_keys({scopecache.unit_key(pk) for pk in units})


# A time limit's state as a ledger row shows it (translated when shown: ``Case.sla_label``).
_SLA_LABELS = {"overdue": gettext_noop("已逾期"), "warning": gettext_noop("临期预警"),
               "paused": gettext_noop("已暂停计时")}


class Case(models.Model):
    # Indexed by ``case_kind_status_region`` below (it begins with the kind), not by indexes of its own.
    kind = models.CharField(_("事项类型"), max_length=8)
    number = models.CharField(_("编号"), max_length=32, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("情况描述"), blank=True)
    # Indexed by ``case_region_opened`` below (it begins with the region), not by an index of its own.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="cases",
        help_text=_("已知的最细一级：网格、村(社区)、乡镇(街道)或市"), db_index=False,
    )
    status = models.CharField(_("状态"), max_length=32, db_index=True)
    # Indexed by ``case_open_due`` and ``case_open_warn`` below (they begin with it).
    is_open = models.BooleanField(_("未办结"), default=True)
    priority = models.CharField(_("紧急程度"), max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    source = models.CharField(_("来源"), max_length=32, blank=True)
    center_org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("主办中心"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="centre_cases", help_text=_("受理、分拨、核查的综治中心"),
    )
    # Both indexed with ``opened_at`` below (``case_org_opened``, ``case_handler_opened``), not alone.
    handling_org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="handling_cases", db_index=False,
    )
    handler = models.ForeignKey(
        "core.User", verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_cases", db_index=False,
    )
    co_orgs = models.ManyToManyField(
        "core.OrgUnit", verbose_name=_("协办单位"), blank=True, related_name="cohandled_cases"
    )
    reporter = models.ForeignKey(
        "core.User", verbose_name=_("上报人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("上报人(无账号)"), max_length=64, blank=True)
    opened_at = models.DateTimeField(_("上报时间"), db_index=True)
    stage = models.CharField(_("当前时限阶段"), max_length=32, blank=True)
    stage_no = models.PositiveIntegerField(_("时限轮次"), default=0, help_text=_("每次重新起算时限加一"))
    stage_started_at = models.DateTimeField(_("阶段开始时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("预警时间点"), null=True, blank=True, db_index=True)
    paused_seconds = models.PositiveBigIntegerField(_("累计暂停秒数"), default=0)
    paused_since = models.DateTimeField(_("暂停开始时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复于"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    pending_transition = models.CharField(_("待审批申请"), max_length=32, blank=True)
    pending_data = models.JSONField(_("申请内容"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_seq = models.PositiveIntegerField(_("最后事件序号"), default=0, editable=False)
    data = models.JSONField(_("业务数据"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = CaseQuerySet.as_manager()
    # The 主办中心 (center_org) is no assignment: a centre sees its cases through its jurisdiction,
    # and other members of its unit (a grid worker of the village centre) should not see them all.
    scope = ScopePolicy(
        region_field="region",
        assignee_fields=("handler",),
        org_fields=("handling_org",),
        perm="workflow.view_case",
        paged_by_branch=True,  # a township's page in a province's table (core.branchpage)
    )

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["is_open", "due_at"], name="case_open_due"),
            models.Index(fields=["is_open", "warn_at"], name="case_open_warn"),
            # A kind and state (the city's counts), and within a scope (a ledger filtered by kind and state:
            # a township's in-progress grid events were the intersection of 28,000 city-wide and 40,000
            # of the township — 20 ms — and are now a range of this index, 1,100 rows).
            models.Index(fields=["kind", "status", "region"], name="case_kind_status_region",
                         opclasses=["text_ops", "text_ops", "varchar_pattern_ops"]),
            # A scope's cases by region prefix (LIKE '411081106%' is a range under the pattern
            # opclass), within a period of ``opened_at``; on PostgreSQL it carries what the
            # visibility condition and the dashboards' counts read, so a county's figures are read
            # from the index alone, however large the table (docs/scaling-out.md).
            models.Index(fields=["region", "opened_at"], name="case_region_opened",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                         include=["kind", "handler", "handling_org", "id"]),
            # A unit's and a person's cases newest first: the parts of the visibility condition beside
            # the region's, read part by part for a page (core.branchpage) — a grid worker's unit's 1,455
            # cases were read and sorted for 51 (10 ms); now a range read backwards until the page is full.
            models.Index(fields=["handling_org", "opened_at"], name="case_org_opened"),
            # A township's cases newest first: the region part of a township user's page read alone
            # (core.branchpage, ``…region__code__township``) is one range read backwards. The prefix's range
            # of case_region_opened holds them village by village and grid by grid (a township's 37,000 to
            # read and sort), and walking the whole table newest first tested 13,700 cases for 51.
            # It carries the kind, which the part tests: read from the index alone.
            models.Index(Left("region", TOWNSHIP_DIGITS), F("opened_at"), F("id"), name="case_township_opened",
                         include=["kind"]),
            models.Index(fields=["handler", "opened_at"], name="case_handler_opened"),
            # Open cases (a few per cent) of a scope by deadline: "overdue in this county now" is read
            # from the index alone.
            models.Index(fields=["region", "due_at"], name="case_open_region", condition=Q(is_open=True),
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                         include=["kind", "handler", "handling_org", "paused_since"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return pk_url("workflow:case_detail", self.pk)

    @cached_property
    def kind_def(self) -> registry.CaseKind:
        return registry.get_kind(self.kind)

    @property
    def workflow(self):
        return self.kind_def.workflow

    # The labels below are for display, in the active language; the Chinese the engine stores and
    # compares is ``kind_def.label`` / ``workflow.state_label(status)``.
    @property
    def kind_label(self) -> str:
        try:
            return self.kind_def.display_label
        except LookupError:
            return self.kind

    @property
    def status_label(self) -> str:
        try:
            return self.workflow.state(self.status).display_label
        except LookupError:
            return self.status

    @property
    def priority_label(self) -> str:
        if self.priority in PRIORITIES:
            return self.get_priority_display()
        try:  # a kind with priorities of its own (a fraud lead's 特高/高/中/低)
            return gettext(self.workflow.priority_label(self.priority))
        except LookupError:
            return self.priority

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def sla_state(self, now=None) -> str:
        """"overdue", "warning", "paused" or "" — the colour of the row."""
        if not self.is_open or self.due_at is None:
            return ""
        if self.paused_since is not None:
            return "paused"
        now = now or clock.now()
        if self.due_at <= now:
            return "overdue"
        if self.warn_at is not None and self.warn_at <= now:
            return "warning"
        return ""

    @property
    def sla(self) -> str:
        return self.sla_state()

    @property
    def sla_label(self) -> str:
        return translated(_SLA_LABELS.get(self.sla, ""))

    @property
    def domain_url(self) -> str | None:
        try:
            return self.kind_def.url_for(self)
        except LookupError:
            return None


class CaseTodo(Case):
    """The same cases seen as 我的待办 (the inbox): its own model only so that the authorization
    matrix can hold the inbox to its own, narrower expectations."""

    class Meta:
        proxy = True
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        default_permissions = ()


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} is append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} is append-only")


class CaseEventQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user, action: str = "view"):
        # The case's own condition behind the join (not ``case__in=<subquery>``: at a million cases
        # PostgreSQL runs the join an order of magnitude faster).
        q = Case.objects.visibility_q(user, action, prefix="case__")
        return self.none() if q is None else self.filter(q)

    def functional_q(self, user, action: str) -> Q | None:
        return kinds_visible_q(user, "case__kind")


class CaseEvent(models.Model):
    """One step of a case's timeline. Rows are written once and never changed or deleted."""

    # No index of its own: the unique (case, seq, at) below begins with it.
    case = models.ForeignKey(Case, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="events",
                             db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        "core.User", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=48)
    label = models.CharField(_("动作名称"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("意见/理由"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()
    scope = ScopePolicy(region_field="case__region", assignee_fields=("case__handler",),
                        perm="workflow.view_case")

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case", "seq"]
        # On PostgreSQL the table is partitioned by year of ``at`` (migration 0003, ``anmin
        # partitions``), and a partitioned table's unique constraints must include the partition key.
        # ``seq`` stays unique per case all the same: it is taken from ``Case.last_seq`` under the
        # case's row lock. This index is also the (case, seq) look-up of a case's timeline.
        constraints = [models.UniqueConstraint(fields=["case", "seq", "at"], name="caseevent_unique_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("CaseEvent is append-only")
        super().save(*args, **kwargs)

    def before_insert(self) -> None:  # a new row: nothing to refuse (``core.bulkcopy.insert``)
        pass

    def delete(self, *args, **kwargs):
        raise TypeError("CaseEvent is append-only")

    @property
    def actor_label(self) -> str:
        if self.actor_id is None:
            return str(_("系统"))
        return str(self.actor)

    @property
    def state_labels(self) -> tuple[str, str]:
        """The states before and after, in the active language."""
        try:
            wf = registry.get_kind(self.case.kind).workflow
        except LookupError:
            return self.from_state, self.to_state
        return wf.state(self.from_state).display_label, wf.state(self.to_state).display_label

    @property
    def display_label(self) -> str:
        """``label`` (stored in Chinese as the step was taken) in the active language: a step of the
        workflow, a request for one, its approval or denial, or one of the engine's own entries."""
        label = self.label
        try:
            t = registry.get_kind(self.case.kind).workflow.transition(self.action.rpartition(":")[2])
        except LookupError:
            t = None
        if t is not None and label:
            shown = t.display_label
            if label == t.label:
                return shown
            if label == f"申请{t.label}":
                return shown if t.label.startswith("申请") else gettext("申请%(label)s") % {"label": shown}
            if label == f"驳回{t.label}申请":
                return gettext("驳回%(label)s申请") % {"label": shown}
            if label == f"{t.label}（批准申请）":
                return gettext("%(label)s（批准申请）") % {"label": shown}
        return gettext(label) if label else label


class SupervisionQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        if user is None or not getattr(user, "is_authenticated", False) or not has_business_role(user):
            return self.none()
        return super().visible_to(user, action)

    def functional_q(self, user, action: str) -> Q | None:
        return kinds_visible_q(user, "case__kind")

    def unreplied(self):
        return self.filter(replied_at__isnull=True)

    def addressed_to(self, org):
        return self.filter(to_org=getattr(org, "pk", org))


class Supervision(models.Model):
    """督办: a supervision notice to the unit handling a case, copied to the centre above it."""

    case = models.ForeignKey(Case, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="supervisions")
    automatic = models.BooleanField(_("逾期自动督办"), default=False)
    auto_key = models.CharField(_("自动督办标识"), max_length=64, blank=True, editable=False)
    issued_at = models.DateTimeField(_("督办时间"), db_index=True)
    issued_by = models.ForeignKey(
        "core.User", verbose_name=_("督办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("被督办单位"), on_delete=models.PROTECT, related_name="supervisions"
    )
    centre_org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("督办中心"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervisions_issued", help_text=_("自动督办时为承办单位的上一级综治中心"),
    )
    reason = models.TextField(_("督办事由"))
    reply_due_at = models.DateTimeField(_("回复期限"), null=True, blank=True)
    served_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    served_by = models.ForeignKey(
        "core.User", verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply = models.TextField(_("回复内容"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        "core.User", verbose_name=_("回复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SupervisionQuerySet.as_manager()
    scope = ScopePolicy(
        region_field="case__region",
        assignee_fields=("case__handler",),
        org_fields=("to_org", "centre_org"),
    )

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "auto_key"], condition=~Q(auto_key=""), name="supervision_unique_auto"
            )
        ]

    def __str__(self) -> str:
        return f"{_('督办')} {self.case.number}"

    def get_absolute_url(self) -> str:
        return pk_url("workflow:supervision_detail", self.pk)

    @property
    def state_label(self) -> str:
        if self.replied_at:
            return str(_("已回复"))
        if self.served_at:
            return str(_("已签收"))
        return str(_("待签收"))


class CaseCounter(models.Model):
    """SQLite: the last number given out per kind and year (its row is locked while a number is taken).
    PostgreSQL: the floor a kind-year's number sequence starts above; a bulk load that writes numbers
    directly raises it and then calls ``actions.sync_number_sequences()`` (decision 0008)."""

    kind = models.CharField(_("事项类型"), max_length=8)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用编号"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="casecounter_unique_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.last}"


class HolidayKind(models.TextChoices):
    HOLIDAY = HOLIDAY, _("放假")
    WORKDAY = WORKDAY, _("调休上班")


class Holiday(models.Model):
    """A public holiday or an adjusted working day (调休上班); ordinary weekends need no row."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=HolidayKind.choices)
    name = models.CharField(_("名称"), max_length=64)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}({self.get_kind_display()})"


# -- For domains: a detail model one-to-one with its Case ------------------------------------------
class CaseDetailQuerySet(ScopedQuerySet):
    """A domain's detail rows are visible exactly when their case is."""

    def inside(self, prefix: str):
        """Rows whose case lies in the region with this code prefix (its subtree). A detail keeping its
        case's township (``township_copy_field``) is placed by the copy — from its own index, without its
        case read (``core.scoping.township_copy_q``) — and within a village by the case's prefix too."""
        field, lookup = self.model.scope.township_field, "case__region__code__startswith"
        return self.filter(township_copy_q(field, lookup, prefix) if field else Q(**{lookup: prefix}))

    def reported_in(self, year: int):
        return self.filter(case__opened_at__year=year)

    def visible_to(self, user, action: str = "view", *, by_branch: bool = False):
        """The case's own condition behind the join (not ``case__in=<subquery>``: at a million cases
        PostgreSQL runs the join an order of magnitude faster). ``by_branch``: a page of it may be read
        part by part of the condition (``core.branchpage``; the kit's API lists)."""
        q = Case.objects.visibility_q(user, action, prefix="case__")
        return self.none() if q is None else self._visible(q, by_branch=by_branch)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.fill_township()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True


def township_copy_field():
    """The kit's column for a detail listed in an order of its own (disputes by the day found): its case's
    township code (the region code's first nine digits), filled as the row is first written — by
    ``save`` and ``bulk_create`` — and never changed (a case does not move). Declare it with the policy's
    ``township_field`` and an index ``(township, <the order's column>, id)``: a township's page of the
    ledger is then one range of that index (``core.branchpage``; decision 0026)."""
    return models.CharField(_("所属乡镇代码"), max_length=TOWNSHIP_DIGITS, default="", editable=False)


class CaseDetail(models.Model):
    """Abstract base for a domain's detail model: ``class Dispute(CaseDetail): ...``.

    Gives the one-to-one ``case`` link (reverse name ``<app_label>_<model>``), scoping through the
    case and the shortcuts a detail page needs.
    """

    case = models.OneToOneField(
        Case, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="%(app_label)s_%(class)s"
    )
    # The domain's page of one record ("grid:event_detail", taking the pk); without one, the case's page.
    detail_url_name: ClassVar[str] = ""

    objects = CaseDetailQuerySet.as_manager()
    scope = ScopePolicy(
        region_field="case__region",
        assignee_fields=("case__handler",),
        org_fields=("case__handling_org",),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.case)

    def save(self, *args, **kwargs):
        self.fill_township()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return pk_url(self.detail_url_name, self.pk) if self.detail_url_name else self.case.get_absolute_url()

    def before_insert(self) -> None:  # what ``save`` adds, for ``core.bulkcopy.insert``
        self.fill_township()

    def fill_township(self) -> None:
        """The case's township into the detail's own copy, where the policy keeps one (``township_field``)."""
        field = self.scope.township_field
        if field and not getattr(self, field) and self.case_id:
            setattr(self, field, self.case.region_id[:TOWNSHIP_DIGITS])
