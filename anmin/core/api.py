"""API base: viewsets fetch only through ``visible_to``; errors carry a stable code and a message."""

from __future__ import annotations

import logging
from typing import ClassVar

from django.core.cache import caches
from django.db.models import Model
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.fields import empty
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from . import audit, errors, logins, registry, tokens
from .idempotency import IdempotentCreateMixin
from .models import OrgUnit, Region, User
from .models.audit import AuditAction
from .serializing import PlannedRead

log = logging.getLogger("anmin.api")

# A yes/no field left out of a form-encoded or multipart request is left out, as in JSON: not given
# (a create takes the model's default, an edit keeps what is stored). DRF reads it as false there (an
# unticked HTML checkbox sends nothing), so a PUT naming every other field of a resident cleared
# 外籍人员 — the API has no HTML form whose checkboxes it would have to read.
serializers.BooleanField.default_empty_html = empty


class ScopedViewSetMixin:
    """Every API endpoint over business data derives from this: querysets come from visible_to."""

    model: ClassVar[type[Model]]
    scoped: ClassVar[bool] = True
    replica_reads: ClassVar[bool] = True  # GET/HEAD may read from a replica (core/dbrouting.py)
    # Actions whose body a form cannot carry (a nested object, a list of objects): they read JSON only
    # and a form body is refused 415 in the one error shape. The schema is built from the same parsers,
    # so it declares JSON only for them (test_api_schema checks every operation against its parsers).
    json_only_actions: ClassVar[tuple[str, ...]] = ()

    def get_parsers(self):
        # Called before DRF sets ``self.action`` on a request (``initialize_request``); the schema's
        # generator sets it itself.
        action = getattr(self, "action", None) or getattr(self, "action_map", {}).get(
            (getattr(getattr(self, "request", None), "method", None) or "").lower())
        parsers = super().get_parsers()
        if action in self.json_only_actions:
            parsers = [p for p in parsers if isinstance(p, JSONParser)]
        return parsers

    def get_queryset(self):
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return self.model.objects.visible_to(self.request.user, action)

    def create_action(self):
        """The ``@action`` (core.guards) a create runs, if the view creates through one: its permission
        is checked before the body is read (``check_permissions``), so a role that may never create —
        a leader, an auditor — gets 403, not a 400 about an id in the body."""
        return None

    def check_permissions(self, request):
        super().check_permissions(request)
        spec = getattr(self.create_action(), "spec", None) if getattr(self, "action", None) == "create" else None
        if spec is not None and spec.perm and not request.user.has_perm(spec.perm):
            self.permission_denied(request, message=f"您没有{spec.what or '执行此操作'}的权限")


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Create/update go through the app's actions (override ``perform_create``/``perform_update``).

    Creates honour an ``Idempotency-Key`` header (see ``core.idempotency``).
    """


class PhotoSerializer(PlannedRead, serializers.ModelSerializer):
    """A photo's metadata (``Meta.model`` set by ``photo_viewset``); the file itself at ``file_url``."""

    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="网页（会话登录）地址")
    file_url = serializers.SerializerMethodField(help_text="API（令牌）下载地址")

    prefix = ""  # the photos' API route, set by ``photo_viewset``

    def get_file_url(self, photo) -> str:
        return f"/api/v1/{self.prefix}/{photo.pk}/file/"


def photo_viewset(model, prefix: str, doc: str):
    """A read-only API of a domain's photos (``Photo`` subclasses) in the caller's scope, with
    ``file/`` for the photo itself; ``prefix`` is its route (``grid-photos``)."""
    from drf_spectacular.types import OpenApiTypes
    from rest_framework.decorators import action

    from .attachments.responses import photo_response

    fields = ["id", model.owner_field, "url", "file_url", "content_type", "width", "height", "size", "uploaded_at"]
    serializer = type(f"{model.__name__}Serializer", (PhotoSerializer,), {
        "prefix": prefix, "Meta": type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})})

    class PhotoViewSet(ScopedReadOnlyViewSet):
        __doc__ = doc
        serializer_class = serializer
        filterset_fields = [model.owner_field]

        def get_queryset(self):
            return super().get_queryset().order_by("-pk")

        @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
        @action(detail=True, methods=["get"])
        def file(self, request, pk=None):
            return photo_response(self.get_object())

    PhotoViewSet.model = model
    PhotoViewSet.__name__ = PhotoViewSet.__qualname__ = f"{model.__name__}ViewSet"
    return PhotoViewSet


def exception_handler(exc, context):
    """Every API error in the one shape (``anmin.core.errors``): the actions' errors with their
    status, DRF's own (400 with per-field messages, 401, 403, 404, 405, 406, 415, 429), and anything
    unexpected as a 500 — logged with its traceback, answered without one, never HTML."""
    too_big = payload_too_large(exc)
    if too_big is not None:
        return Response(too_big, status=413)
    if database_down(exc):
        set_rollback()
        log.warning("api.database_unavailable path=%s error=%s", getattr(context.get("request"), "path", ""),
                    type(exc).__name__)
        return Response(DATABASE_UNAVAILABLE, status=503, headers={"Retry-After": "5"})
    err = errors.as_action_error(exc)
    if err is not None:
        set_rollback()
        return Response(err.as_dict(), status=err.status)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = api_error_body(exc, response.data, response.status_code, label=field_labeller(context))
        if isinstance(exc, exceptions.UnsupportedMediaType):
            response.data["message"] = unsupported_media_message(context)
        return response
    set_rollback()
    request = context.get("request")
    log.error("api.server_error path=%s", getattr(request, "path", ""), exc_info=exc)
    return Response(SERVER_ERROR, status=500)


def unsupported_media_message(context) -> str:
    """A 415's message: the content type sent and the ones this operation reads (its view's parsers),
    so a client that sent a form where only JSON is read knows what to send instead."""
    request, view = context.get("request"), context.get("view")
    sent = (getattr(request, "content_type", "") or "").split(";")[0].strip() or "（未指定）"
    accepted = [p.media_type for p in view.get_parsers()] if view is not None else []
    return f"不支持的请求体类型「{sent}」：此操作只接受 {'、'.join(accepted)}" if accepted else \
        f"不支持的请求体类型「{sent}」"


DATABASE_UNAVAILABLE = {"code": "database_unavailable", "message": "数据库暂时不可用，请稍后重试",
                        "field": None, "errors": {}, "current": None}


def database_down(exc) -> bool:
    """True when ``exc`` says the database cannot be reached (restarting, connections cut, refused):
    the request is answered 503 at once — with Retry-After — rather than 500 (docs/reliability.md)."""
    from django.db import InterfaceError, OperationalError

    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    # Lock and statement time-outs are OperationalErrors too, from a database that is up.
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def database_unavailable_response(request):
    """The 503 for a request whose database went away: JSON under /api/, a short page elsewhere."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        response = JsonResponse(DATABASE_UNAVAILABLE, status=503, json_dumps_params={"ensure_ascii": False})
    else:  # like 500.html: a static page, nothing in it needs the database
        response = with_its_style_allowed(HttpResponse(render_to_string("503.html"), status=503))
    response["Retry-After"] = "5"
    return response


def with_its_style_allowed(response):
    """500.html and 503.html carry their one small ``<style>`` inline (they link nothing: a stylesheet may be
    what is failing). The strict CSP (style-src 'self') blocked it, so the pages came unstyled with a CSP
    violation in the console: this response allows that style by its hash, and nothing else inline."""
    import base64
    import hashlib
    import re

    found = re.search(rb"<style>(.*?)</style>", response.content, re.S)
    if found:
        digest = base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode()
        response._csp_update = {"style-src": [f"'sha256-{digest}'"]}
    return response


def payload_too_large(exc) -> dict | None:
    """The one-shape body of a 413, when ``exc`` says the request body is over the limit."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return {"code": "payload_too_large", "message": "请求体过大（超过服务器允许的大小）", "field": None,
                "errors": {}, "current": None}
    return None


SERVER_ERROR = {"code": "server_error", "message": "服务器内部错误，已记录，请稍后重试或联系管理员",
                "field": None, "errors": {}, "current": None}


def field_labeller(context):
    """The label of a field of the view's serializer by its name (the name itself when there is none)."""

    def label(name: str) -> str:
        view = context.get("view")
        try:
            field = view.get_serializer().fields.get(name)
        except Exception:  # a view without a serializer: the name as it is
            return name
        return str(field.label) if field is not None and field.label else name

    return label


def api_error_body(exc, data, status_code: int, *, label=None) -> dict:
    """DRF's error detail as the one shape; ``message`` names the first field by its label (纬度, not
    latitude: a phone's refused upload showed the raw name, or no name at all)."""
    if isinstance(exc, exceptions.ValidationError):
        flat = errors.flatten_errors(data)
        first_field = next((k for k in flat if k != errors.FORM), None)
        message = next((m[0] for m in flat.values() if m), "输入有误")
        shown = label(first_field) if first_field and label else first_field
        if first_field and not message.startswith(("「", first_field, shown)):
            message = f"{shown}：{message}"
        return {"code": "invalid", "message": message, "field": first_field, "errors": flat, "current": None}
    detail = data.get("detail", data) if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or getattr(exc, "default_code", None) or "error"
    return {"code": str(code), "message": str(detail), "field": None, "errors": {}, "current": None}


def json_error_view(status: int, code: str, message: str):
    """A Django error handler (handler400/403/404/500) that answers JSON under /api/ and the usual
    page elsewhere."""
    from django.views import defaults

    page = {400: defaults.bad_request, 403: defaults.permission_denied, 404: defaults.page_not_found,
            500: defaults.server_error}[status]

    def view(request, exception=None):
        if status == 500:
            import sys

            # handler500 runs inside the except block of whatever failed (a view or a middleware).
            if database_down(sys.exc_info()[1]):
                log.warning("database_unavailable path=%s", request.path)
                return database_unavailable_response(request)
        if request.path.startswith("/api/"):
            too_big = payload_too_large(exception) if status == 400 else None
            if too_big is not None:
                return JsonResponse(too_big, status=413, json_dumps_params={"ensure_ascii": False})
            body = {"code": code, "message": message, "field": None, "errors": {}, "current": None}
            return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
        return with_its_style_allowed(page(request)) if status == 500 else page(request, exception)

    return view


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "kind", "parent", "prefix"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """行政区划 (jurisdiction tree) inside the caller's scope."""

    model = Region
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{12,16}"
    filterset_fields = ["level", "parent"]


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "kind_display", "region", "parent", "phone", "is_active"]


class OrgUnitViewSet(ScopedReadOnlyViewSet):
    """组织机构 inside the caller's scope."""

    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "region"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    org_unit = OrgUnitSerializer(read_only=True)
    scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name", "org_unit", "roles", "scope"]

    def get_scope(self, user) -> list[str]:
        return list(user.scope.prefixes)


class MeView(APIView):
    """The caller's own account, roles and jurisdiction prefixes."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


# The longest password the exchange reads: no one types more, and an unbounded text is what a client (or
# the schema's readers) cannot be told the limit of.
PASSWORD_MAX = 4096


class TokenSerializer(AuthTokenSerializer):
    """DRF's exchange, its text bounded: the account name as the user's column holds it, the password at
    ``PASSWORD_MAX``, the TOTP as the sign-in page takes it (8) — one more is 400 naming the field."""

    username = serializers.CharField(label=_("用户名"), write_only=True,
                                     max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"}, trim_whitespace=False,
                                     write_only=True, max_length=PASSWORD_MAX)
    otp_token = serializers.CharField(
        label=_("动态口令"), required=False, allow_blank=True, write_only=True, max_length=8,
        help_text=_("特权角色必填")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if logins.otp_required(user):
            if not logins.has_otp_device(user):
                raise serializers.ValidationError(
                    {"otp_token": [_("动态口令：您的角色须先在网页上绑定动态口令，才能取得 API 令牌。")]},
                    code="otp_setup_required",
                )
            if logins.check_otp_token(user, attrs.get("otp_token") or "", self.context.get("request")) is None:
                raise serializers.ValidationError(
                    {"otp_token": [_("动态口令：必填，且须为验证器当前显示的数字。")]}, code="otp_required"
                )
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="只显示这一次；请求头 Authorization: Token <token>")
    expires_at = serializers.DateTimeField(help_text="到期时间；另外超过空闲时限未使用也失效")


class TokenExchangeThrottle(SimpleRateThrottle):
    """At most ``ANMIN_TOKEN_EXCHANGE_RATE`` (30/min) token exchanges per client address (429 past
    it); the lockout still counts failures per account and address."""

    @property
    def cache(self):  # counted across the server's worker processes
        return caches["shared"]

    scope = "token_exchange"

    def get_rate(self):
        from django.conf import settings

        return getattr(settings, "ANMIN_TOKEN_EXCHANGE_RATE", "30/min")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": audit.client_address(request) or "-"}


class TokenView(APIView):
    """Exchange username + password (+ TOTP for privileged roles) for a new API token (one per
    device; it expires, dies when idle, and is revoked by a password or role change); audited."""

    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = []
    throttle_classes: ClassVar[list] = [TokenExchangeThrottle]
    serializer_class = TokenSerializer

    @extend_schema(request=TokenSerializer, responses={200: TokenResponseSerializer})
    def post(self, request, *args, **kwargs):
        serializer = TokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, key = tokens.issue(user=user, request=request)
        audit.record_in_transaction(
            actor=user, action=AuditAction.LOGIN, obj=user, after={"via": "api_token"}, request=request
        )
        return Response({"token": key, "expires_at": token.expires_at})


def register_routes() -> None:
    registry.api_routes.register("regions", registry.ApiRoute("regions", RegionViewSet, "region"))
    registry.api_routes.register("orgs", registry.ApiRoute("orgs", OrgUnitViewSet, "orgunit"))
