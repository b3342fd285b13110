"""``anmin check --deploy``: Django's own CSRF checks (security.W003, W016) look for its
``CsrfViewMiddleware`` by name, which the portal's zone replaces with a subclass
(``anmin.portal.zone.ZonedCsrfViewMiddleware``); W003 is silenced in settings and these say the same
about the subclass."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

ZONED = "anmin.portal.zone.ZonedCsrfViewMiddleware"


@register(Tags.security, deploy=True)
def check_csrf_middleware(app_configs=None, **kwargs):
    if ZONED not in settings.MIDDLEWARE:
        return [Warning(f"MIDDLEWARE 中没有 {ZONED}：站点没有跨站请求伪造（CSRF）防护。",
                        hint="恢复 anmin/settings.py 中的 MIDDLEWARE（见 docs/portal.md「Separate zone」）。",
                        id="anmin.portal.W001")]
    if not settings.CSRF_COOKIE_SECURE:
        return [Warning("CSRF_COOKIE_SECURE 未开启：CSRF Cookie（含公众服务的）会经明文 HTTP 发送。",
                        id="anmin.portal.W002")]
    return []
