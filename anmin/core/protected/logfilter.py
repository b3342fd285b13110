"""A logging filter that masks full ID numbers and mobile phone numbers in a record's text.

Django's own loggers write the request path ("Not Found: /api/v1/points/17812346456/"); a path,
like a query, is typed by whoever calls, so it may carry a person's number. The filter sits on the
loggers whose messages quote the request (settings.LOGGING) and rewrites the message masked;
records without such a number pass untouched.
"""

from __future__ import annotations

import logging

from .masking import mask_identifiers_in_text


class MaskIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's own error path
            return True
        masked = mask_identifiers_in_text(text)
        if masked != text:
            record.msg, record.args = masked, None
        return True
