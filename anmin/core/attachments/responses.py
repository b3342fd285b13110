"""The response that hands a stored file to a caller who may see it (attachments, grid photos)."""

from __future__ import annotations

from django.http import FileResponse, Http404


def file_response(field_file, *, content_type: str, filename: str, inline: bool = False,
                  cache: str = "private, no-store") -> FileResponse:
    """Stream the stored file with the type found on upload (never guessed again), a
    Content-Disposition with the cleaned name, ``X-Content-Type-Options: nosniff`` and no shared
    caching. Downloads (``inline=False``) also get a sandboxing Content-Security-Policy, so a file
    opened in the browser anyway runs nothing with the platform's origin. A missing file is 404."""
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    if not inline:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


#: A photo opened on its own (a tap on it in a record): the browser shows it in an image view it builds
#: and styles inline (centred, a tap to zoom). The platform's policy (style-src 'self') blocked those
#: styles — a console error for each, the photo pushed to the left. The body is an image the platform
#: re-encoded, sent with nosniff: its own policy lets the view style itself and nothing else.
PHOTO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def photo_response(photo) -> FileResponse:
    """The stored file of a photo the caller may see (pages and API alike): the stored type,
    ``nosniff``, private caching only, ``PHOTO_POLICY``; a missing file is 404."""
    response = file_response(photo.file, content_type=photo.content_type, filename=f"photo-{photo.pk}.jpg",
                             inline=True, cache="private, max-age=3600")
    response["Content-Security-Policy"] = PHOTO_POLICY
    return response
