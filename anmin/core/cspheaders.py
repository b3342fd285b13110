"""django-csp's middleware, with the policy of a response that changes nothing built once.

For every response django-csp turns the policy's parts into a dataclass, ``asdict``-copies it (a deep
copy of the policy) and joins the header again — some 350 Python calls, 3.5% of a report through the
API. A response with no per-view policy (``csp_update``/``csp_replace``/``csp_exempt`` decorators set
attributes on it) to a request whose nonce was never drawn gets the same two headers every time:
they are built once per process and again when a test changes the policy settings. Anything else
goes through django-csp as before."""

from __future__ import annotations

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorator sets on its response (csp.decorators): such a response is django-csp's.
PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def plain_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, value, the response attribute that exempts it, URL prefixes excluded) of each policy."""
    out = []
    for header, setting, exempt, report_only in ((HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
                                                 (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY",
                                                  "_csp_exempt_ro", True)):
        value = build_policy(report_only=report_only)
        if value:
            policy = getattr(settings, setting, None) or {}
            out.append((header, value, exempt, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())))
    return tuple(out)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        plain_headers.cache_clear()


class CSPMiddleware(_CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, name, None) is not None for name in PER_VIEW):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:  # Django's debug pages, as django-csp
            return response
        for header, value, exempt, excluded in plain_headers():
            if header not in response and getattr(response, exempt, False) is False and not (
                    excluded and request.path_info.startswith(excluded)):
                response[header] = value
        # As django-csp: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
