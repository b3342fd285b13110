"""``{% attachment_panel object upload_url %}``: the attachments of a record the user may see, with
download links, and the upload form when the user may add one (posting to ``upload_url``, a view
of the owner's app that calls its action)."""

from __future__ import annotations

from django import template

from ..attachments.actions import may_attach, registration
from ..attachments.forms import AttachmentForm
from ..idempotency import new_key
from ..models import Attachment

register = template.Library()


@register.inclusion_tag("core/attachments/_panel.html", takes_context=True)
def attachment_panel(context, obj, upload_url: str = ""):
    user = context["request"].user
    reg = registration(obj)
    items = (Attachment.objects.visible_to(user).of(obj).select_related("uploaded_by", "owner_type")
             .order_by("uploaded_at", "pk"))
    form = AttachmentForm(registration=reg) if upload_url and may_attach(user, obj) else None
    return {
        "items": items,
        "form": form,
        "upload_url": upload_url,
        "csrf_token": context.get("csrf_token"),
        "idempotency_key": new_key(),
    }
