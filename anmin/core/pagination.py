"""API pagination (its own module: DRF imports it while loading the viewset base classes).

Every list answers ``{count, count_exact, next, previous, results}``:

* ``count`` is exact up to 1,000 rows and PostgreSQL's estimate beyond (``count_exact`` false), as on
  the ledger pages (``core.paging.LedgerPaginator``): counting a city's million cases exactly on
  every call costs hundreds of milliseconds for a figure nobody needs to the last row. A case
  domain's list asks the planner first (``workflow.kit.api``): a narrow scope is counted exactly,
  a wide one takes the estimate.
* ``?page=`` walks by page number (the default).
* ``?cursor=`` walks by key instead (keyset pagination), on the lists that offer it (a viewset with
  ``keyset_pagination = True``, e.g. every case domain's list): start with an empty ``cursor=`` and
  follow ``next``. A page then reads only its own rows from the index however deep it is, and rows
  reported meanwhile neither repeat nor shift the walk. ``previous`` is null (a walk goes forward).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from functools import reduce

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .paging import LedgerPaginator, page_rows

CURSOR_PARAM = "cursor"
MAX_CURSOR_CHARS = 200
# What a cursor looks like (URL-safe base64 without padding); whether it is one this list gave out no
# pattern can say (a 400 naming cursor).
CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"


def _attr(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _encode(values: list) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, n: int) -> list:
    bad = ValidationError({CURSOR_PARAM: ["cursor：无效的游标，请从空的 cursor= 开始，再沿 next 链接翻页"]})
    if len(token) > MAX_CURSOR_CHARS:
        raise bad
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(values, list) or len(values) != n or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise bad
    return values


def keyset_q(ordering: list[str], values: list) -> Q:
    """Rows after ``values`` in ``ordering`` ("-a", "-b", …): (a < va) OR (a = va AND b < vb) …"""
    clauses = []
    for i, term in enumerate(ordering):
        field = term.lstrip("-")
        op = "lt" if term.startswith("-") else "gt"
        equal = {f.lstrip("-"): v for f, v in zip(ordering[:i], values[:i], strict=True)}
        clauses.append(Q(**equal, **{f"{field}__{op}": values[i]}))
    return reduce(lambda a, b: a | b, clauses)


_WHOLE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²" passes str.isdigit() and fails int()
MAX_PAGE = 999_999_999  # the most digits _WHOLE takes; the schema says so (an 11-digit page looks like a phone)


class Pagination(PageNumberPagination):
    """50 a page, ``?page_size=`` 1 … 1000. A ``page_size`` that is not such a number is a 400 naming
    it (DRF would silently fall back to 50); a page that does not exist is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    django_paginator_class = LedgerPaginator

    def get_page_number(self, request, paginator):
        """``?page=`` must be a whole number from 1 to ``MAX_PAGE`` (DRF took an empty one for the first
        page); past the last page is a 404."""
        raw = request.query_params.getlist(self.page_query_param)
        if not raw:
            return 1
        value = raw[-1]
        if not _WHOLE.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
            raise ValidationError({self.page_query_param: [f"page：应为 1 至 {MAX_PAGE} 之间的整数"]})
        return int(value)

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = raw[-1]
        if not _WHOLE.fullmatch(value) or not 1 <= int(value) <= self.max_page_size:
            message = f"page_size：应为 1 至 {self.max_page_size} 之间的整数"
            raise ValidationError({self.page_size_query_param: [message]})
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor_next = None
        self.keyset = bool(getattr(view, "keyset_pagination", False)) and CURSOR_PARAM in request.query_params
        # A view that asked the planner already (``CaseDetailViewSet``: a narrow scope counts exactly,
        # a wide one takes the estimate).
        # The total is kept for the caller's scope until a write in it (``core.scopecache``), as on the
        # ledger pages.
        from . import scopecache

        user = request.user
        counting = {"estimate": getattr(view, "rows_estimate", None), "exact": getattr(view, "narrow", False),
                    "remember": (lambda name, compute: scopecache.cached(name, user, compute))
                    if getattr(user, "is_authenticated", False) else None}
        self.django_paginator_class = functools.partial(LedgerPaginator, **counting)
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        size = self.get_page_size(request)
        ordering = [str(o) for o in queryset.query.order_by]
        if not ordering or not all(isinstance(o, str) for o in queryset.query.order_by):
            raise NotFound("此列表不支持游标翻页")
        self.counter = self.django_paginator_class(queryset, size)
        token = request.query_params.get(CURSOR_PARAM, "")
        rows_qs = queryset
        if token:
            try:
                rows_qs = queryset.filter(keyset_q(ordering, _decode(token, len(ordering))))
            except (DjangoValidationError, ValueError, TypeError) as exc:  # a value of the wrong type
                raise ValidationError({CURSOR_PARAM: ["cursor：无效的游标"]}) from exc
        rows = page_rows(rows_qs, 0, size + 1)
        if len(rows) > size:
            rows = rows[:size]
            self.cursor_next = _encode([_attr(rows[-1], o.lstrip("-")) for o in ordering])
        return rows

    def _count(self) -> tuple[int, bool]:
        paginator = self.counter if self.keyset else self.page.paginator
        count = paginator.count
        return count, paginator.exact

    def get_next_link(self):
        if not self.keyset:
            return super().get_next_link()
        if self.cursor_next is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, self.page_query_param), CURSOR_PARAM, self.cursor_next)

    def get_previous_link(self):
        return None if self.keyset else super().get_previous_link()

    def get_paginated_response(self, data):
        count, exact = self._count()
        return Response({
            "count": count,
            "count_exact": exact,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["description"] = "exact up to 1,000 rows; beyond, an estimate (count_exact false)"
        out["properties"] = {"count": out["properties"]["count"],
                             "count_exact": {"type": "boolean", "description": "whether count is exact"},
                             **{k: v for k, v in out["properties"].items() if k != "count"}}
        out["required"] = ["count", "count_exact", "next", "previous", "results"]
        return out

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
            elif param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        if getattr(view, "keyset_pagination", False):
            params.append({
                "name": CURSOR_PARAM, "required": False, "in": "query",
                "description": "按键翻页：首页传空值 cursor=，之后沿 next 链接（与 page 同时给出时以 cursor 为准）",
                "schema": {"type": "string", "maxLength": MAX_CURSOR_CHARS, "pattern": CURSOR_PATTERN},
            })
        return params

