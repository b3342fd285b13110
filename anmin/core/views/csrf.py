"""The page for a form whose security token no longer matches (Django's CSRF failure).

What a person meets when a page stayed open across a login, a logout in another tab or an expired
session and is then sent: Django's own page said 禁止访问 (403) / CSRF验证失败 / 更多可用信息请设置选项
DEBUG＝True — words for a developer, and no way back. This one says the page is out of date and
offers to open it afresh. A zone with its own look (the public portal) gives its own
``<first path segment>/403_csrf.html``; the platform's shell is the fallback.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseForbidden
from django.template.loader import select_template

log = logging.getLogger("anmin.security")


def csrf_failure(request, reason: str = ""):
    log.info("csrf_failure path=%s reason=%s", request.path, reason)
    segment = request.path.strip("/").split("/", 1)[0]
    names = [f"{segment}/403_csrf.html"] if segment.isidentifier() else []
    template = select_template([*names, "403_csrf.html"])
    return HttpResponseForbidden(template.render({"again_url": request.path}, request))
