"""The download of an attachment: the only way a stored attachment leaves the server.

The attachment is fetched through ``Attachment.objects.visible_to(user)`` — visible exactly when its
owner record is in ``Owner.objects.visible_to(user)`` — so an out-of-scope or unknown id is 404.
Every download is written to the audit log.
"""

from __future__ import annotations

from django.views.generic import DetailView

from ..attachments.actions import record_download
from ..attachments.responses import file_response
from ..models import Attachment
from .base import ScopedMixin


class AttachmentDownloadView(ScopedMixin, DetailView):
    model = Attachment

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        response = file_response(attachment.file, content_type=attachment.mime, filename=attachment.filename)
        try:
            record_download(actor=request.user, attachment=attachment, request=request)
        except BaseException:
            response.close()
            raise
        return response


class PhotoView(ScopedMixin, DetailView):
    """A stored photo (a subclass of ``Photo``; set ``model``), to whoever may see the record it belongs
    to (out of scope: 404). Never cached by shared caches."""

    def get(self, request, *args, **kwargs):
        from ..attachments.responses import photo_response

        return photo_response(self.get_object())


def photo_view(model) -> type[PhotoView]:
    """The page of one stored photo of ``model`` (a ``Photo`` subclass), for a domain's urls.py: the view
    answers only to whoever may see the record the photo belongs to (the API's is ``photo_viewset``)."""
    return type(f"{model.__name__}View", (PhotoView,), {"model": model, "__module__": model.__module__,
                                                       "__doc__": f"A stored {model.__name__}, in scope (else 404)."})
