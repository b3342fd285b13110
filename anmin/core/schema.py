"""The OpenAPI schema: drf-spectacular's, with the one error shape declared on every operation."""

from __future__ import annotations

from django.core import validators
from django.db import models
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_choice_field, force_instance
from drf_spectacular.utils import OpenApiResponse
from rest_framework import relations, serializers

from . import apifields
from .api_filters import QUERY_TEXT_MAX
from .bounds import MAX_BIG_INT, MAX_INT, _int_range, decimal_ceiling


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


def _model_field(serializer, field):
    """The model field a ``ModelSerializer``'s field writes (``source`` of one step), or None."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = list(getattr(field, "source_attrs", None) or [])
    if model is None or len(attrs) != 1:
        return None
    try:
        return model._meta.get_field(attrs[0])
    except Exception:
        return None


def _source_field(serializer, field):
    """The model field a field of a ``ModelSerializer`` reads, through its dotted source (``case.id``,
    ``handling_org``, ``case_id``), or None (a method, a property, a serializer without a model)."""
    if isinstance(serializer, serializers.ManyRelatedField):  # a list of ids: the parent's relation
        return _source_field(serializer.parent, serializer)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = list(getattr(field, "source_attrs", None) or [])
    if model is None or not attrs or field.source == "*":
        return None
    for i, name in enumerate(attrs):
        try:
            model_field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except Exception:
            return None
        if i == len(attrs) - 1:
            return model_field
        model = getattr(model_field, "related_model", None)
        if model is None or model_field.one_to_many or model_field.many_to_many:
            return None
    return None


def big_column(model_field):
    """The 64-bit integer column a model field is or points at — a ``BigAutoField`` id, a
    ``BigIntegerField`` (``PositiveBigIntegerField``), a foreign key or a list of rows whose id is
    one — or None (an ``IntegerField``: a ``version`` counter is 32-bit on purpose)."""
    if model_field is not None and getattr(model_field, "is_relation", False):
        if getattr(model_field, "related_model", None) is None:  # a generic foreign key
            return None
        if model_field.concrete and (model_field.many_to_one or model_field.one_to_one):
            return big_column(model_field.target_field)
        return big_column(model_field.related_model._meta.pk)  # ids of other rows (many, or reverse)
    return model_field if isinstance(model_field, models.BigIntegerField) else None


def _field_column(field, parent):
    """The model column behind a serializer field: a related field's rows' id, else its source's."""
    if isinstance(field, relations.RelatedField) and not isinstance(field, relations.SlugRelatedField):
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            return queryset.model._meta.pk
    return _source_field(parent, field) if parent is not None else None


def int64(meta: dict, column) -> dict:
    """An integer node of a 64-bit column says so: ``format: int64`` and the column's range (a row's id
    1 … 2⁶³−1) — without a format, generated clients read an OpenAPI integer as an int32."""
    if meta.get("type") != "integer" or not _plain(meta):
        return meta
    low, high = (1, MAX_BIG_INT) if column.primary_key or column.auto_created else _int_range(column)
    meta["format"] = "int64"
    meta["minimum"] = max(meta.get("minimum", low), low)
    meta["maximum"] = min(meta.get("maximum", high), high)
    return meta


def _below(n: int) -> str:
    """A regular expression of the whole numbers 0 … n-1 (no leading zeros), n ≥ 1."""
    digits = str(n)
    parts = ["\\d"] if len(digits) > 1 else []
    parts += [f"[1-9]\\d{{{k - 1}}}" for k in range(2, len(digits))]
    for i, d in enumerate(digits):
        first = 1 if i == 0 and len(digits) > 1 else 0
        if int(d) > first:
            low = f"{first}" if int(d) - 1 == first else f"[{first}-{int(d) - 1}]"
            parts.append(digits[:i] + low + (f"\\d{{{len(digits) - i - 1}}}" if i < len(digits) - 1 else ""))
    return "(?:" + "|".join(parts) + ")"


def decimal_pattern(field) -> str | None:
    """The strings a ``DecimalField`` takes: at least one digit, no more whole digits and places than
    it holds, no sign when it takes nothing below 0, and within a whole-number bound it has (±90)."""
    whole, places = field.max_whole_digits, field.decimal_places
    if whole is None or places is None:
        return None
    low = next((v.limit_value for v in field.validators if isinstance(v, validators.MinValueValidator)), None)
    high = next((v.limit_value for v in field.validators if isinstance(v, validators.MaxValueValidator)), None)
    sign = "" if low is not None and low >= 0 else "-?"
    fraction = f"(?:\\.\\d{{0,{places}}})?" if places else ""
    number = f"\\d{{1,{whole}}}{fraction}" if whole else f"0?\\.\\d{{1,{places}}}"
    if high is not None and low is not None and high == int(high) and (low >= 0 or -low == high) and whole:
        zeros = f"(?:\\.0{{0,{places}}})?" if places else ""
        number = f"{_below(int(high))}{fraction}|{int(high)}{zeros}"
    return f"^{sign}(?:{number})$"


def _or_blank(pattern: str) -> str:
    return f"^$|{pattern}"


class Schema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give declared, and a
    read-only field declared nullable when its source may be null (and a read-only choice "" when
    its column may be blank); a request's field says what the server accepts (``request_field``)."""

    def _map_basic_serializer(self, serializer, direction):
        component = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            absent = [name for name, field in force_instance(serializer).fields.items()
                      if name in component.get("properties", {}) and empty_form_value_is_absent(field)]
            if absent:  # for postprocess_request_media's form variant, which takes the key out again
                component[FORM_EMPTY_ABSENT] = absent
        return component

    def _map_model_field(self, model_field, direction):
        # A path's {id}, a ReadOnlyField: the model field itself, 64-bit where its column is.
        meta = super()._map_model_field(model_field, direction)
        column = big_column(model_field)
        return int64(meta, column) if column is not None else meta

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        parent = getattr(field, "parent", None)
        column = _field_column(field, parent) if meta.get("type") == "integer" else None
        if column is not None and big_column(column) is not None:
            meta = int64(meta, big_column(column))
        if direction == "request" and not field.read_only:
            return request_field(meta, field, parent)
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


def _plain(meta: dict) -> bool:
    """A schema node of one type we may add to (not a reference, not a choice of several)."""
    return not any(key in meta for key in ("$ref", "allOf", "oneOf", "anyOf"))


def request_field(meta: dict, field, parent) -> dict:
    """What a request's field accepts, beyond what drf-spectacular says: ``apifields.accepts``'s enum or
    pattern; a model field's choices for a plain field that writes it (registries keep choices as plain
    strings), a protected phone or ID number's pattern, a region's code; a decimal's digits, sign and
    bound; a number's bounds; an integer's range (the column's; int32 for a plain one); no blank (one
    character that is not a space: DRF strips first); a list that may not be empty."""
    if not _plain(meta):
        return meta
    said = apifields.accepted(field)
    model_field = _model_field(parent, field) if parent is not None else None
    kind = meta.get("type")
    blank = getattr(field, "allow_blank", False)
    if "enum" not in said and "enum" not in meta and model_field is not None and getattr(model_field, "choices", None) \
            and not isinstance(field, serializers.ChoiceField | relations.RelatedField):
        # As the model's choice field would be: the same enum (and name, core.schema.name_colliding_enums).
        choice = serializers.ChoiceField(choices=model_field.choices, allow_blank=blank, allow_null=field.allow_null)
        for key in ("minLength", "pattern", "format"):
            meta.pop(key, None)
        return {**meta, **build_choice_field(choice)}
    if "pattern" not in said and kind == "string" and model_field is not None:
        said.update(_model_pattern(model_field))
    if "enum" in said:
        # Inline (allOf), not a named component: a code table's codes, or a choice a domain keeps as a
        # plain string, under a field name other domains use with other codes ("category", "source").
        values = [v for v in said["enum"] if v not in ("", None)]
        inner = {"type": kind, "enum": [*values, ""] if blank and kind == "string" else values}
        if meta.get("nullable"):
            inner["enum"].append(None)
        outer = {k: v for k, v in meta.items() if k in ("nullable", "default", "readOnly", "writeOnly", "title",
                                                         "description")}
        return {**outer, "allOf": [inner]}
    if "pattern" in said:
        meta["pattern"] = _or_blank(said["pattern"]) if blank else said["pattern"]
        return meta
    if isinstance(field, serializers.DecimalField):
        return _decimal(meta, field)
    if kind == "integer":
        return _integer(meta, field, model_field, parent)
    if kind == "array" and getattr(field, "allow_empty", True) is False:
        meta["minItems"] = max(meta.get("minItems", 0), 1)
    if kind == "string" and isinstance(field, serializers.CharField) and "pattern" not in meta \
            and "format" not in meta:
        meta["pattern"] = apifields.NOT_BLANK if not blank and field.trim_whitespace else apifields.TEXT
    return meta


def _model_pattern(model_field) -> dict:
    from .models import Region
    from .protected import ProtectedField

    if isinstance(model_field, ProtectedField):
        pattern = {"phone": apifields.PHONE, "id_number": apifields.ID_NUMBER}.get(model_field.kind_name)
        return {"pattern": pattern} if pattern else {}
    if getattr(model_field, "related_model", None) is Region or model_field is Region._meta.pk:
        return {"pattern": apifields.REGION_CODE}
    return {}


def _decimal(meta: dict, field) -> dict:
    if meta.get("type") == "string":
        pattern = decimal_pattern(field)
        if pattern:
            meta["pattern"] = pattern
        return meta
    if field.max_whole_digits is not None and field.decimal_places is not None:
        # The largest number the column holds (999.999999), not 10^whole exclusive: a number just
        # below that rounds up past it.
        ceiling = float(decimal_ceiling(field))
        meta["maximum"] = min(meta.get("maximum", ceiling), ceiling)
        meta["minimum"] = max(meta.get("minimum", -ceiling), -ceiling)
        for key in ("exclusiveMaximum", "exclusiveMinimum"):
            if meta.get(key) and abs(meta[key.replace("exclusiveM", "m")]) == ceiling:
                meta.pop(key)
    return meta


def _integer(meta: dict, field, model_field, parent) -> dict:
    if isinstance(field, relations.RelatedField):
        # a row's id (a BigAutoField: 1 … 2⁶³−1; an AutoField's, 2³¹−1); whether it exists is a 400
        column = _field_column(field, parent)
        low, high = 1, _int_range(column)[1] if isinstance(column, models.IntegerField) else MAX_BIG_INT
    elif model_field is not None and isinstance(model_field, models.IntegerField):
        low, high = _int_range(model_field)
    else:  # a plain number: the bounds it declares (a row's id up to 2⁶³−1), else an int32's
        low = -MAX_INT - 1 if field.min_value is None else field.min_value
        high = MAX_INT if field.max_value is None else field.max_value
    meta["minimum"] = max(meta.get("minimum", low), low)
    meta["maximum"] = min(meta.get("maximum", high), high)
    # int64 when the range needs it, and only then: drf-spectacular says int64 when the database's range
    # of the column is wider (SQLite's are all 64-bit), before the range is brought to the column's.
    if meta["minimum"] < -MAX_INT - 1 or meta["maximum"] > MAX_INT:
        meta["format"] = "int64"
    elif meta.get("format") == "int64":
        del meta["format"]
    return meta


class StrictFilterExtension(DjangoFilterExtension):
    """The filter parameters as ``core.api_filters.StrictFilterBackend`` takes them: no filter takes
    an empty value (``?region=`` is a 400), so a string parameter says ``minLength: 1`` and an enum
    leaves "" out; a choice whose choices are a callable lists them (a code table's codes as
    ``codes.listed_codes`` gives them); a filter by a region or a row says its code's pattern or the
    id's range; a date-time says its time zone is within ±14:00 — a request valid by the schema is
    then not refused for it."""

    target_class = "anmin.core.api_filters.StrictFilterBackend"
    match_subclasses = True
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter.get("schema") or {}
            for node in (schema, schema.get("items") or {}):
                filter_parameter(node, filter_field, model)
        return parameters


# RFC 3339 with a time zone PostgreSQL and the filter backend take (core.api_filters.ISO_DATETIME).
DATETIME_PARAMETER = (r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
                      r"(?:[Zz]|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)$")


def _related_model(flt, model):
    queryset = flt.extra.get("queryset")
    if callable(queryset):  # a queryset of the request's user: without a request, none() of its model
        try:
            queryset = queryset(None)
        except Exception:
            queryset = None
    if queryset is not None:
        return queryset.model
    try:
        return model._meta.get_field(flt.field_name).related_model
    except Exception:
        return None


def filter_parameter(node: dict, flt, model) -> None:
    import django_filters

    from .models import Region

    if "enum" in node:  # a choice that may be blank on the model ("" = 处置中) is no filter value
        node["enum"] = [value for value in node["enum"] if value != ""]
        return
    if isinstance(flt, django_filters.ChoiceFilter) and node.get("type") == "string":
        values = _filter_choices(flt)
        if values:
            node["enum"] = values
            node.pop("minLength", None)
            return
    if isinstance(flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        if _related_model(flt, model) is Region or flt.extra.get("to_field_name") == "code":
            node.update(type="string", pattern=apifields.REGION_CODE, minLength=1)
            return
        if node.get("type") == "integer":  # a row's id; whether it is one the caller sees is a 400
            related = _related_model(flt, model)
            pk = related._meta.pk if related is not None else None
            if pk is None or big_column(pk) is not None:
                node.update(minimum=1, maximum=MAX_BIG_INT, format="int64")
            else:  # (a Django table's AutoField: an int4)
                node.update(minimum=1, maximum=_int_range(pk)[1])
            return
    if node.get("type") == "integer":  # a whole number (core.filters.WholeNumberFilter): an int32
        node.setdefault("minimum", -MAX_INT - 1)
        node.setdefault("maximum", MAX_INT)
    if node.get("type") == "string":
        if node.get("format") == "date-time":
            node["pattern"] = DATETIME_PARAMETER
        elif "format" not in node and "pattern" not in node:
            node["pattern"] = apifields.TEXT
        node.setdefault("minLength", 1)
        if "enum" not in node:
            node.setdefault("maxLength", QUERY_TEXT_MAX)


def _filter_choices(flt) -> list:
    """A choice filter's values, when its choices are a callable: a code table's as ``listed_codes``
    gives them (no database needed), others by calling it (a registry's list)."""
    from .codes import CodeList, listed_codes

    choices = flt.extra.get("choices")
    if not callable(choices):
        return []
    owner = getattr(choices, "__self__", None)
    if isinstance(owner, CodeList):
        return owner.listed()
    if getattr(choices, "code_table", None):
        return listed_codes(choices.code_table)
    try:
        return [v for v in apifields.choice_values(choices()) if v not in ("", None)]
    except Exception:  # choices read from a database the schema's build cannot reach
        return []


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


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
# A request component's fields whose empty form value DRF reads as no value (``empty_form_value_is_absent``),
# named by ``Schema`` for ``postprocess_request_media``, which takes the key out of the published schema.
FORM_EMPTY_ABSENT = "x-anmin-form-empty-absent"


def empty_form_value_is_absent(field) -> bool:
    """DRF's reading of a form's empty value (``field=``, ``Field.get_value``) of an optional field that
    takes neither null nor "" (a choice with a default, a number, a date, a boolean, a text that may not
    be blank): no value at all — a create takes the default (or leaves it to the action), an update
    keeps what is there. (A field that takes null reads it as null, one that may be blank as "", a
    required one refuses it, 400 naming it; a list, a JSON or a many-related field reads a form its own
    way and is not one of these.)"""
    return (not field.read_only and not field.required and not getattr(field, "allow_null", False)
            and not getattr(field, "allow_blank", False) and type(field).get_value is serializers.Field.get_value)


def postprocess_request_media(result, generator, request, public):
    """Each request body's media types say what that encoding can carry (a drf-spectacular
    post-processing hook, after the enums'). JSON carries no file: a body with files gets a JSON
    variant without them (``…Json``). A form carries no null and no nested object: a body with a
    nested object or a list of them is JSON only (its view reads JSON only: ``json_only_actions``, and
    ``test_api_schema`` checks every operation's media types against its parsers). A form's empty value
    is declared as DRF reads it (``…Form``): of a field that takes null, null (``EMPTY_FORM_VALUE``:
    how a form clears a date); of an optional field that takes neither null nor "", no value at all
    (``EMPTY_FORM_ABSENT``: the default, or the value kept). A file needs multipart: an urlencoded body
    of a request with files is the same without them (``…Urlencoded``)."""
    schemas = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        for operation in path.values():
            content = (operation.get("requestBody") or {}).get("content") if isinstance(operation, dict) else None
            if not content:
                continue
            for media in list(content):
                name = (content[media].get("schema") or {}).get("$ref", "").rsplit("/", 1)[-1]
                component = schemas.get(name)
                if component is None:
                    continue
                props = component.get("properties", {})
                files = [p for p, s in props.items() if _is_file(s)]
                if media == "application/json" and files:
                    variant = _variant(schemas, name, "Json", lambda c, f=files: _without(c, f))
                    content[media]["schema"] = {"$ref": variant}
                elif media in FORMS:
                    if any(_nested(s, schemas) for s in props.values()):
                        del content[media]
                        continue
                    drop = files if media != "multipart/form-data" else []
                    if drop:
                        content[media]["schema"] = {"$ref": _variant(
                            schemas, name, "Urlencoded", lambda c, f=drop: _form(_without(c, f)))}
                    elif any(_nullable(s) for s in props.values()) or component.get(FORM_EMPTY_ABSENT):
                        content[media]["schema"] = {"$ref": _variant(schemas, name, "Form", _form)}
    for component in schemas.values():
        component.pop(FORM_EMPTY_ABSENT, None)
    return result


def _is_file(schema: dict) -> bool:
    return schema.get("format") == "binary" or (schema.get("items") or {}).get("format") == "binary"


def _nested(schema: dict, schemas: dict) -> bool:
    node = schema.get("items") or {} if schema.get("type") == "array" else schema
    ref = node.get("$ref", "")
    target = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else node
    return target.get("type") == "object" or "properties" in target or "additionalProperties" in target


def _nullable(schema: dict) -> bool:
    return bool(schema.get("nullable")) or any("NullEnum" in s.get("$ref", "") for s in schema.get("oneOf", ()))


def _without(component: dict, names) -> dict:
    out = {**component, "properties": {k: v for k, v in component["properties"].items() if k not in names}}
    if "required" in component:
        out["required"] = [r for r in component["required"] if r not in names]
    return out


# A form's empty value of a field that takes null: DRF reads it as null (``Field.get_value``), which is how
# a form clears a date, a coordinate or a link — so the form variant takes it where JSON takes null.
EMPTY_FORM_VALUE = {"type": "string", "maxLength": 0, "description": "空值：清空（同 JSON 的 null）"}
# A form's empty value of an optional field that takes neither null nor "": DRF reads it as no value at
# all (``empty_form_value_is_absent``) — the same as leaving the field out.
EMPTY_FORM_ABSENT = {"type": "string", "maxLength": 0, "description": "空值：视同未填（新建取默认值，修改保持原值）"}
_DOC_KEYS = ("title", "description", "readOnly", "writeOnly")


def _form(component: dict) -> dict:
    """A request component as a form carries it: no null; an empty value where DRF takes one."""
    absent = set(component.get(FORM_EMPTY_ABSENT, ()))
    props = {}
    for name, schema in component["properties"].items():
        takes_null = _nullable(schema)
        schema = {k: v for k, v in schema.items() if k != "nullable"}
        if "oneOf" in schema:
            kept = [s for s in schema["oneOf"] if "NullEnum" not in s.get("$ref", "")]
            schema = {k: v for k, v in schema.items() if k != "oneOf"} | (
                {"allOf": kept} if len(kept) == 1 else {"oneOf": kept})
        for inner in schema.get("allOf", ()):
            if None in inner.get("enum", ()):
                inner["enum"] = [v for v in inner["enum"] if v is not None]
        empty = EMPTY_FORM_VALUE if takes_null else EMPTY_FORM_ABSENT if name in absent else None
        if empty is not None and schema.get("type") != "array":
            doc = {k: schema[k] for k in _DOC_KEYS if k in schema}
            schema = doc | {"anyOf": [{k: v for k, v in schema.items() if k not in _DOC_KEYS}, empty]}
        props[name] = schema
    out = {**component, "properties": props}
    out.pop(FORM_EMPTY_ABSENT, None)
    return out


def _variant(schemas: dict, name: str, suffix: str, build) -> str:
    variant = name.removesuffix("Request") + suffix + "Request"
    if variant not in schemas:
        schemas[variant] = build(schemas[name])
    return f"#/components/schemas/{variant}"


def postprocess_path_ids(result, generator, request, public):
    """A row's id in a path (``{id}``, a ``BigAutoField``) says its range: 1 … 2⁶³−1 (a drf-spectacular
    post-processing hook; ``Schema._map_model_field`` says it, and int64, where it knows the model).
    Beyond it, as for an id of no row, the answer is 404."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()) if isinstance(operation, dict) else ():
                schema = parameter.get("schema") or {}
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", MAX_BIG_INT)
    return result
