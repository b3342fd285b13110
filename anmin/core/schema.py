"""The OpenAPI schema: drf-spectacular's, with the one error shape declared on every operation."""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape of every endpoint."""

    code = serializers.CharField(help_text="invalid / not_found / forbidden / conflict / not_authenticated / …")
    message = serializers.CharField(help_text="给用户看的中文说明，指出字段和规则")
    field = serializers.CharField(allow_null=True, help_text="第一个出错的字段（没有则为 null）")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="每个字段的错误信息；__all__ 为整体错误")
    current = serializers.DictField(allow_null=True, help_text="冲突(409)时：记录的最新状态与版本")


def _nullable_source(serializer, field) -> bool:
    """Whether a read-only field's ``source`` walks through a relation or column that may be null
    (``handling_org.name`` when there is no handling org; ``case.closed_at`` of an open case)."""
    if getattr(field, "allow_null", False) or (field.default is None and not field.required):
        return True
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = list(getattr(field, "source_attrs", None) or [])
    if model is None or not attrs or field.source == "*":
        return False
    for name in attrs:
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a property or method: say nothing more than it does
            return False
        if getattr(model_field, "null", False):
            return True
        related = getattr(model_field, "related_model", None)
        if related is None:
            return False
        if model_field.one_to_many or model_field.many_to_many:
            return False
        model = related
    return False


def _blank_choice_source(serializer, field) -> bool:
    """Whether a read-only choice field reads a model column that may be blank (a clue's 核查结果
    before it is concluded): DRF leaves ``allow_blank`` off read-only fields, so drf-spectacular's
    enum would leave "" out."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = list(getattr(field, "source_attrs", None) or [])
    if model is None or len(attrs) != 1:
        return False
    try:
        model_field = model._meta.get_field(attrs[0])
    except Exception:
        return False
    return bool(getattr(model_field, "choices", None)) and getattr(model_field, "blank", False)


class Schema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give declared, and a
    read-only field declared nullable when its source may be null (and a read-only choice "" when
    its column may be blank)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        parent = getattr(field, "parent", None)
        if direction != "response" or not field.read_only or parent is None:
            return meta
        if "$ref" not in meta and _nullable_source(parent, field):
            meta["nullable"] = True
        if isinstance(field, serializers.ChoiceField) and _blank_choice_source(parent, field):
            if "" not in meta.get("enum", [""]):
                meta["enum"] = [*meta["enum"], ""]
            elif len(meta.get("allOf", ())) == 1:
                meta["oneOf"] = [*meta.pop("allOf"), {"type": "string", "enum": [""]}]
        return meta

    ERRORS = {
        "400": "输入有误：field/errors 指出字段和规则",
        "401": "未登录或令牌无效",
        "403": "没有权限执行此操作",
        "404": "记录不存在或不在您的辖区内",
        "405": "不支持的请求方法",
        "406": "不支持的响应格式",
        "409": "记录已被他人修改（current 为最新状态）或相同 Idempotency-Key 的请求正在处理",
        "413": "请求体过大",
        "415": "不支持的内容类型",
        "429": "请求过于频繁",
        "500": "服务器内部错误",
    }

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        # A create that honours Idempotency-Key answers 422 when the key came with another request
        # (core.idempotency): declared where the header is.
        if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", ())):
            operation["responses"].setdefault("422", self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description="Idempotency-Key 已用于内容不同的另一次提交"), "422"))
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code, description in self.ERRORS.items():
            if status_code not in responses or not responses[status_code].get("content"):
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), status_code)
        return responses


class StrictFilterExtension(DjangoFilterExtension):
    """The filter parameters as ``core.api_filters.StrictFilterBackend`` takes them: no filter takes
    an empty value (``?region=`` is a 400), so a string parameter says ``minLength: 1`` and an enum
    leaves "" out — a request valid by the schema is then not refused for it."""

    target_class = "anmin.core.api_filters.StrictFilterBackend"
    match_subclasses = True
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        for parameter in parameters:
            schema = parameter.get("schema") or {}
            for node in (schema, schema.get("items") or {}):
                if "enum" in node:  # a choice that may be blank on the model ("" = 处置中) is no filter value
                    node["enum"] = [value for value in node["enum"] if value != ""]
                elif node.get("type") == "string":
                    node.setdefault("minLength", 1)
        return parameters


def name_colliding_enums() -> None:
    """Give each choice set its own enum name where several models use one field name ("source",
    "outcome", "result") with different choices — drf-spectacular would otherwise invent hashed names
    (``Source059Enum``) and warn in ``check --deploy``. Called from ``CoreConfig.ready()``, before the
    schema is first built; names given in settings win."""
    from django.apps import apps
    from django.conf import settings

    by_field: dict[str, dict[tuple, str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("anmin."):
            continue
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            # drf-spectacular leaves "" and null out of an enum (they become BlankEnum / NullEnum).
            key = tuple((v, str(label)) for v, label in field.flatchoices if v not in ("", None))
            name = f"{model.__name__}{field.name.title().replace('_', '')}Enum"
            by_field.setdefault(field.name, {}).setdefault(key, name)
    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    taken = set(overrides)
    for sets in by_field.values():
        if len(sets) < 2:
            continue
        for values, name in sets.items():
            if name not in taken:
                overrides[name] = list(values)
                taken.add(name)
