"""The writes of the attachment service: adding an attachment to a record, and the audit entry of
a download. Apps call ``attach`` from their own actions after their own checks."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from .. import audit
from ..actors import as_user
from ..guards import action
from ..models import Attachment
from ..models.audit import AuditAction
from ..protected.masking import mask_identifiers_in_text
from ..registry import AttachmentOwner, attachment_owners
from .sanitize import clean_upload
from .storage import discard, save_bytes


def registration(owner: models.Model | type[models.Model]) -> AttachmentOwner:
    label = owner._meta.label_lower
    if label not in attachment_owners:
        raise ImproperlyConfigured(f"{label} is not registered in registry.attachment_owners")
    return attachment_owners.get(label)


def may_attach(user, owner: models.Model) -> bool:
    """Whether ``user`` may add an attachment to ``owner`` (which they must be able to see)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    reg = registration(owner)
    if not type(owner).objects.visible_to(user).filter(pk=owner.pk).exists():
        return False
    return bool(reg.may_attach(user, owner))


def _owner_ref(owner: models.Model) -> str:
    return f"{owner._meta.label_lower}#{owner.pk}"


@action(open_to="the owner's registration decides: may_attach(actor, owner), which also needs the owner "
                "to be visible to the actor, is checked first inside")
def attach(*, actor, owner: models.Model, upload, category: str = "", note: str = "", field: str = "file",
           label: str = "附件", request=None, now=None) -> Attachment:
    """Clean ``upload`` (see ``sanitize.py``), keep it under a random name and record it against
    ``owner``. Raises ``PermissionDenied`` when the actor may not attach to this record, and
    ``ValidationError`` naming the field and the rule otherwise."""
    reg = registration(owner)
    if not may_attach(actor, owner):
        raise PermissionDenied(f"您无权为此{reg.label}添加附件")
    category = (category or "").strip()
    if reg.categories:
        if not category:
            raise ValidationError({"category": "「材料类型」为必填项"})
        if category not in dict(reg.categories):
            raise ValidationError({"category": f"「材料类型」{category} 无效"})
    note = mask_identifiers_in_text((note or "").strip())  # stored and audited in the clear
    if len(note) > 200:
        raise ValidationError({"note": "「说明」不能超过 200 字"})
    existing = Attachment.objects.of(owner).count()
    if existing >= reg.max_count:
        raise ValidationError({field: f"「{label}」每条{reg.label}最多 {reg.max_count} 个"})
    clean = clean_upload(upload, field=field, label=label, kinds=reg.kinds)
    # The file is written before the transaction (file I/O stays out of the locked part of the
    # write) and removed again if the transaction fails.
    name = save_bytes(clean.data, ext=clean.ext)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                owner_type_id=_content_type_id(owner), owner_id=owner.pk, category=category, note=note,
                filename=clean.filename, kind=clean.kind, file=name, size=clean.size, sha256=clean.sha256,
                uploaded_by=as_user(actor), uploaded_at=now or timezone.now(),
            )
            audit.record(
                actor=actor, action=AuditAction.CREATE, obj=attachment, region_code=audit.region_of(owner),
                after={"owner": _owner_ref(owner), "filename": clean.filename, "kind": clean.kind,
                       "size": clean.size, "sha256": clean.sha256, "category": category},
                request=request,
            )
    except BaseException:
        discard([name])
        raise
    return attachment


def _content_type_id(owner: models.Model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(type(owner)).pk


@action(target="attachment", model=Attachment, what="下载附件")
def record_download(*, actor, attachment: Attachment, request=None) -> None:
    """The audit entry of a download (who took which file of which record). The caller has fetched
    ``attachment`` through ``visible_to``."""
    owner = attachment.owner
    with transaction.atomic():
        audit.record(
            actor=actor, action=AuditAction.DOWNLOAD, obj=attachment,
            region_code=audit.region_of(owner) if owner is not None else "",
            after={"owner": f"{attachment.owner_type.app_label}.{attachment.owner_type.model}#{attachment.owner_id}",
                   "filename": attachment.filename, "sha256": attachment.sha256},
            request=request,
        )
