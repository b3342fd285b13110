"""The audit trail: an append-only, hash-chained log of every write and every sensitive read.

Entries are written only through ``anmin.core.audit.record`` (which serialises appends and links
the chain); this module refuses updates and deletes at the ORM level, and on PostgreSQL a trigger
refuses them in the database as well (migration 0002).
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..scoping import ScopedQuerySet, ScopePolicy

AUDIT_PERMISSION = "core.view_auditentry"
GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    """Well-known verbs. Apps may record others; these are the ones the ledger filter offers."""

    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("流转")
    REVEAL = "reveal", _("查看敏感信息")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载附件")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    ROLE_CHANGE = "role_change", _("角色变更")
    OTP_SETUP = "otp_setup", _("绑定动态口令")
    OTP_FAILED = "otp_failed", _("动态口令错误")
    IMPORT = "import", _("批量导入")
    DEMO_BUILD = "demo_build", _("构建演示数据")
    PEOPLE_SWEEP = "people_sweep", _("随访逾期巡检")
    TOKEN_ISSUE = "token_issue", _("签发 API 令牌")
    TOKEN_REVOKE = "token_revoke", _("注销 API 令牌")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(ScopedQuerySet):
    """The auditor's scope is the whole log, whatever the region; nobody else sees any of it."""

    def visible_to(self, user, action: str = "view") -> AuditEntryQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if action == "view" and user.has_perm(AUDIT_PERMISSION):
            return self.all()
        return self.none()

    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能通过 anmin.core.audit.record 逐条追加")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), primary_key=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        "core.User",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives accounts; it must never block or cascade
        related_name="+",
    )
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True, db_index=True)
    actor_org = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("操作人机构"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_org_name = models.CharField(_("操作人机构名称"), max_length=128, blank=True)
    action = models.CharField(_("操作"), max_length=32, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    region_code = models.CharField(_("对象所在区划"), max_length=16, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    remote_addr = models.CharField(_("来源地址"), max_length=64, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()
    scope = ScopePolicy(region_field="region_code", reference_data=False, perm=AUDIT_PERMISSION)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-seq"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username or '-'} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:audit_detail", args=[self.seq])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    @property
    def action_label(self) -> str:
        """The action in words; a case's step names the step ("流转：交办")."""
        try:
            label = str(AuditAction(self.action).label)
        except ValueError:
            label = self.action
        step = (self.after or {}).get("step") if isinstance(self.after, dict) else None
        return f"{label}：{step_label(self.object_type, step)}" if step else label

    @property
    def object_label(self) -> str:
        """The record as people name it: a case's number where the entry has it (or ``label_objects``
        found it), else its id."""
        after = self.after if isinstance(self.after, dict) else {}
        numbers = after.get("numbers")
        if not self.object_id and isinstance(numbers, list) and numbers:
            # One entry for many records (``after["numbers"]``, e.g. a sweep's batch of cases): the
            # first numbers and how many.
            shown = "、".join(str(n) for n in numbers[:3])
            return shown if len(numbers) <= 3 else str(_("%(shown)s 等 %(count)s 件") % {
                "shown": shown, "count": len(numbers)})
        return str(after.get("number") or self.__dict__.get("_object_number") or self.object_id)

    @property
    def region_label(self) -> str:
        return region_name(self.region_code) if self.region_code else ""

    @property
    def actor_label(self) -> str:
        """The account, or "系统" for what the platform did by itself (sweeps, imports by command)."""
        if (self.actor_id is None and self.actor_username in ("", "system")
                and self.action not in (AuditAction.LOGIN_FAILED, AuditAction.LOCKOUT)):  # "system" typed at login
            return str(_("系统"))
        return self.actor_username

    @property
    def object_type_label(self) -> str:
        """The kind of record in words ("矛盾纠纷"), the code ("disputes.dispute") when unknown."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


def label_objects(entries) -> None:
    """Find the number people know each entry's record by (a case's 编号, or the number of the case a
    record belongs to) for entries that do not carry it: one query per kind of record."""
    wanted: dict[str, set[str]] = {}
    for e in entries:
        after = e.after if isinstance(e.after, dict) else {}
        if e.object_id and not after.get("number"):
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        names = {f.name: f for f in model._meta.get_fields()}
        if "number" in names and not names["number"].is_relation:
            path = "number"
        elif "case" in names and names["case"].is_relation and any(
                f.name == "number" for f in names["case"].related_model._meta.get_fields()):
            path = "case__number"
        else:
            continue
        pk_field = model._meta.pk
        try:
            keys = [pk_field.to_python(i) for i in ids]
        except ValidationError:  # an id that is not this model's key names nothing
            keys = []
        for pk, number in model._default_manager.filter(pk__in=keys).values_list("pk", path):
            if number:
                found[(object_type, str(pk))] = str(number)
    for e in entries:
        number = found.get((e.object_type, e.object_id))
        if number:
            e._object_number = number


def step_label(object_type: str, step: str) -> str:
    """A step's name in words, from the apps that registered a resolver (the case engine)."""
    from ..registry import audit_step_labels

    for resolve in audit_step_labels:
        label = resolve(object_type, step)
        if label:
            return str(label)
    return step


@functools.lru_cache(maxsize=4096)
def region_name(code: str) -> str:
    from .regions import Region

    region = Region.objects.filter(pk=code).select_related("parent__parent").first()
    return region.full_name if region else code
