"""Documents of a dispute (调解协议书、调解笔录、证据材料 …), kept by the core attachment service."""

from __future__ import annotations

from anmin.core.attachments import actions as attachments
from anmin.core.guards import action
from anmin.workflow.definitions import CENTRE_ROLES, HANDLER
from anmin.workflow.rules import may_take

from ..models import Dispute
from .disputes import require_handler


def may_attach_document(user, dispute: Dispute) -> bool:
    """Who may add a document to a dispute: its handler (调解员, the handling unit) or a 综治中心 role
    in whose jurisdiction it lies — the people who may record its mediation."""
    return may_take(user, dispute.case, (HANDLER, *CENTRE_ROLES))


@action(target="dispute", model=Dispute, what="上传纠纷附件")
def attach_document(*, actor, dispute: Dispute, upload, category: str, note: str = "", request=None):
    """Add a document to a dispute. The file is checked and cleaned by the core attachment service
    (size and type limits; EXIF/GPS and author metadata removed) and the upload is audited there."""
    require_handler(actor, dispute.case)
    return attachments.attach(actor=actor, owner=dispute, upload=upload, category=category, note=note,
                              request=request)
