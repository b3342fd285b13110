"""The OpenAPI schema says what the server accepts: a request valid by the schema is not refused for a
reason the schema could have stated (a code not in the table, a decimal with no digit, a coordinate
out of range, a NUL character, a null in a form …). The walk over the whole schema catches a field
added tomorrow without its enum, pattern or bounds."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from anmin.core import apifields
from anmin.core.codes import listed_codes, shipped_codes
from anmin.core.schema import _below, decimal_pattern

GENERATOR = SchemaGenerator()
SCHEMA = json.loads(JSONRenderer().render(GENERATOR.get_schema(request=None, public=True)))
COMPONENTS = SCHEMA["components"]["schemas"]
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _request_components():
    for name, component in COMPONENTS.items():
        if name.endswith("Request"):
            yield name, component


def _resolve(schema: dict) -> dict:
    """A property's own schema: through a single allOf/$ref to an enum component."""
    if "$ref" in schema:
        return COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    if len(schema.get("allOf", ())) == 1:
        return _resolve(schema["allOf"][0])
    return schema


def _says_what_it_takes(schema: dict) -> bool:
    if "oneOf" in schema:
        return all(_says_what_it_takes(_resolve(s)) or s.get("maxLength") == 0 for s in schema["oneOf"])
    schema = _resolve(schema)
    kind = schema.get("type")
    if "enum" in schema or kind in ("boolean", "object", None):
        return True
    if kind == "string":
        return "pattern" in schema or "format" in schema
    if kind in ("integer", "number"):
        return "minimum" in schema and "maximum" in schema
    if kind == "array":
        return _says_what_it_takes(schema.get("items") or {})
    return True


def _parameters():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", ()):
                yield f"{method.upper()} {path} {parameter['name']}", parameter


def test_every_field_of_every_request_says_what_it_takes():
    """Every writable string has an enum, a pattern or a format; every integer and number its bounds."""
    vague = [f"{name}.{prop}: {schema}" for name, component in _request_components()
             for prop, schema in component.get("properties", {}).items()
             if not schema.get("readOnly") and not _says_what_it_takes(schema)]
    assert not vague, "\n".join(vague)


def test_every_parameter_says_what_it_takes():
    vague = [f"{where}: {p['schema']}" for where, p in _parameters()
             if p["in"] in ("query", "path") and not _says_what_it_takes(p["schema"])]
    assert not vague, "\n".join(vague)


def _free_text_without_a_bound(schema: dict) -> bool:
    """A string of any characters (``apifields.TEXT``/``NOT_BLANK``, or no pattern at all) without a maxLength."""
    if "oneOf" in schema or "anyOf" in schema:
        return any(_free_text_without_a_bound(_resolve(s)) for s in schema.get("oneOf", schema.get("anyOf")))
    schema = _resolve(schema)
    if schema.get("type") == "array":
        return _free_text_without_a_bound(_resolve(schema.get("items") or {}))
    free = schema.get("pattern") in (None, apifields.TEXT, apifields.NOT_BLANK, f"^$|{apifields.NOT_BLANK}")
    return (schema.get("type") == "string" and free and "enum" not in schema and "format" not in schema
            and "maxLength" not in schema)


def test_every_free_text_of_every_request_says_its_longest():
    """Every number and text has a bound: a text field of a request body says its maxLength (the
    transition's name and reason, a task's description and the token exchange's account name, password
    and TOTP had none)."""
    unbounded = [f"{name}.{prop}" for name, component in _request_components()
                 for prop, schema in component.get("properties", {}).items()
                 if not schema.get("readOnly") and _free_text_without_a_bound(schema)]
    assert not unbounded, "\n".join(unbounded)


def test_every_free_text_parameter_says_its_longest():
    """A list's text filters (``q``, ``region``, ``status``, ``category`` …) said no maxLength; the
    backend now refuses a longer value (core.api_filters.QUERY_TEXT_MAX)."""
    unbounded = [f"{where}: {p['name']}" for where, p in _parameters()
                 if p["in"] == "query" and _free_text_without_a_bound(p["schema"])]
    assert not unbounded, "\n".join(unbounded)


def test_a_text_filter_longer_than_the_schema_says_is_a_400_naming_it(world):
    from rest_framework.test import APIClient

    from anmin.core.api_filters import QUERY_TEXT_MAX
    from anmin.core.models import Role

    client = APIClient()
    client.force_authenticate(world.user(Role.CITY_OFFICE))
    long = "x" * (QUERY_TEXT_MAX + 1)
    resp = client.get("/api/v1/grid-events/", {"status": long})
    assert resp.status_code == 400
    assert resp.json()["field"] == "status"
    assert f"至多 {QUERY_TEXT_MAX} 个字" in str(resp.json())
    assert client.get("/api/v1/grid-events/", {"status": long[:-1]}).status_code == 200


def test_every_decimal_string_needs_a_digit():
    """DRF refuses "", "-" and "." as a decimal: the pattern does too."""
    loose = []
    for name, component in _request_components():
        for prop, schema in component.get("properties", {}).items():
            if schema.get("format") == "decimal" and (
                    not schema.get("pattern") or any(re.search(schema["pattern"], v) for v in ("", "-", ".", "1e5"))):
                loose.append(f"{name}.{prop}: {schema.get('pattern')}")
    assert not loose, "\n".join(loose)


def test_every_pattern_reads_the_same_in_the_engines_that_read_the_schema():
    """A pattern the validator of schemathesis (jsonschema-rs, Rust's regex) cannot compile is dropped
    there: strings the server refuses would pass as valid (a lone surrogate in a class does that)."""
    import jsonschema_rs

    patterns = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    broken = []
    for pattern in patterns:
        try:
            jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
            re.compile(pattern)
        except Exception:
            broken.append(pattern)
    assert not broken, broken


def test_text_patterns_refuse_what_drf_refuses():
    assert re.search(apifields.TEXT, "走访 记录")
    assert not re.search(apifields.TEXT, "a\x00b")
    for blank in (" ", "\x1e", "\x85", "\u3000", ""):
        assert not re.search(apifields.NOT_BLANK, blank), repr(blank)
    assert re.search(apifields.NOT_BLANK, " 古城镇 ")


def test_a_form_carries_no_null_and_no_nested_object_and_json_no_file():
    wrong = []
    for where, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for media, body in ((operation.get("requestBody") or {}).get("content") or {}).items():
                component = _resolve(body["schema"])
                for prop, schema in component.get("properties", {}).items():
                    if media in FORMS and (schema.get("nullable") or "NullEnum" in json.dumps(schema)):
                        wrong.append(f"{method} {where} {media} {prop}: null in a form")
                    if media == "application/json" and "binary" in json.dumps(schema):
                        wrong.append(f"{method} {where} {media} {prop}: a file in JSON")
    assert not wrong, "\n".join(wrong)


def test_code_table_fields_list_the_codes_the_action_takes():
    category = _resolve(COMPONENTS["GridEventCreateRequest"]["properties"]["category"])
    assert category["enum"] == sorted(shipped_codes("grid_event_category"))
    dispute = _resolve(COMPONENTS["DisputeCreateRequest"]["properties"]["category"])["enum"]
    assert dispute
    assert all(len(code) == 4 for code in dispute)
    assert set(_resolve(COMPONENTS["LeadCreateRequest"]["properties"]["fraud_type"])["enum"]) == set(
        shipped_codes("fraud_type"))


def test_a_registry_choice_kept_as_a_plain_string_has_its_enum_and_patch_no_status():
    assert "enum" in _resolve(COMPONENTS["CameraRequest"]["properties"]["programme"])
    assert "enum" in _resolve(COMPONENTS["CameraRequest"]["properties"]["status"])
    assert "status" not in COMPONENTS["PatchedCameraUpdateRequest"]["properties"]


def test_coordinates_and_money_have_their_ranges():
    lat = COMPONENTS["CameraRequest"]["properties"]["latitude"]["pattern"]
    assert all(re.search(lat, v) for v in ("90", "-90.000000", "89.999999", "0", "34.1405"))
    assert not any(re.search(lat, v) for v in ("90.000001", "91", "-100", "", "-", "874."))
    report = COMPONENTS["GridEventCreateJsonRequest"]["properties"]
    assert (report["latitude"]["minimum"], report["latitude"]["maximum"]) == (-90, 90)
    assert (report["longitude"]["minimum"], report["longitude"]["maximum"]) == (-180, 180)
    amount = COMPONENTS["DisputeCreateRequest"]["properties"]["amount"]["pattern"]
    assert re.search(amount, "12.50")
    assert not re.search(amount, "-5")


def _pattern(schema: dict) -> str:
    """A field's pattern (one that may be blank is a oneOf of it and "")."""
    return schema.get("pattern") or next(s["pattern"] for s in schema["oneOf"] if "pattern" in s)


def test_region_phone_and_id_number_have_their_patterns():
    props = COMPONENTS["LeadCreateRequest"]["properties"]
    assert re.search(_pattern(props["region"]), "411081106202")
    assert not re.search(_pattern(props["region"]), "0")
    phone = _pattern(props["victim_phone"])
    assert re.search(phone, "13800138000")
    assert re.search(phone, "0374-8123456")
    assert not re.search(phone, "12345")
    assert re.search(_pattern(props["victim_id_number"]), "41108119900101123X")
    assert not re.search(_pattern(props["victim_id_number"]), "123")


def test_a_filter_date_time_keeps_its_time_zone_within_14_hours():
    (parameter,) = [p for where, p in _parameters() if where == "GET /api/v1/cases/ opened_after"]
    pattern = parameter["schema"]["pattern"]
    assert re.search(pattern, "2020-12-10T09:00:00+08:00")
    assert re.search(pattern, "2020-12-10T09:00:00-14:00")
    assert not re.search(pattern, "0713-08-16T12:48:38.0+19:13")


def test_the_public_check_has_no_get_operation():
    assert "get" not in SCHEMA["paths"]["/api/v1/antifraud-check/"]


def test_below_and_decimal_patterns():
    assert all(re.fullmatch(_below(90), str(n)) for n in range(90))
    assert not any(re.fullmatch(_below(90), str(n)) for n in (90, 91, 100))
    assert all(re.fullmatch(_below(180), str(n)) for n in range(180))
    assert not re.fullmatch(_below(180), "180")
    field = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    assert decimal_pattern(field) == r"^(?:\d{1,12}(?:\.\d{0,2})?)$"


def test_a_number_is_rounded_to_the_places_a_string_is_held_to():
    lat = apifields.coordinate("latitude")
    assert lat.run_validation(34.1234567) == Decimal("34.123457")
    assert apifields.NumberDecimalField(max_digits=14, decimal_places=2).run_validation(0.1 + 0.2) == Decimal("0.30")
    with pytest.raises(serializers.ValidationError):
        lat.run_validation(90.5)
    assert lat.run_validation("9.951110269839815e-166") == Decimal("0.000000")  # a form's text
    for wrong in ("", "abc", "nan", "1e400", True):
        with pytest.raises(serializers.ValidationError):
            lat.run_validation(wrong)


@pytest.mark.django_db
def test_listed_codes_are_the_database_s_once_loaded():
    from anmin.core.codes import code_names, load_code_tables
    from anmin.core.models import CodeItem

    assert listed_codes("fraud_type") == sorted(shipped_codes("fraud_type"))  # nothing loaded: as shipped
    load_code_tables()
    CodeItem.objects.filter(table__key="fraud_type", code="99").update(is_active=False)
    code_names.cache_clear()
    assert "99" not in listed_codes("fraud_type")


def test_a_get_of_the_public_check_is_405_in_the_one_shape_and_allow_says_post(world):
    from rest_framework.test import APIClient

    from anmin.core.models import Role

    client = APIClient()
    client.force_authenticate(world.user(Role.CITY_OFFICE))
    response = client.get("/api/v1/antifraud-check/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "GET" not in response["Allow"]
    assert response.json()["code"] == "method_not_allowed"
    assert "请用 POST" in response.json()["message"]


def test_a_note_of_what_a_field_accepts_survives_the_serializer_s_copy():
    class Body(serializers.Serializer):
        kind = apifields.accepts(serializers.CharField(), enum=["a", "b"])

    assert apifields.accepted(Body().fields["kind"]) == {"enum": ["a", "b"]}
    assert Body(data={"kind": "c"}).is_valid()  # the note checks nothing: the action does


def test_a_form_takes_an_empty_value_where_json_takes_null():
    """Fuzzing found a PATCH of a camera in a form with ``built_on`` empty answered 200 (DRF reads a
    form's empty value of a nullable field as null: how a form clears a date) while the form variant
    said only a date: its nullable fields now take the empty value too, and nothing else new."""
    from anmin.core.schema import EMPTY_FORM_VALUE

    camera = COMPONENTS["PatchedCameraUpdateFormRequest"]["properties"]
    for name in ("built_on", "latitude", "longitude"):
        assert EMPTY_FORM_VALUE in camera[name]["anyOf"], name
        assert "nullable" not in json.dumps(camera[name])
    assert "anyOf" not in camera["name"]  # not nullable: an empty name is still refused
    assert "anyOf" not in COMPONENTS["PatchedCameraUpdateRequest"]["properties"]["built_on"]  # JSON: null



def _views():
    """(method, path, view) of every operation, the view as the schema's generator builds it (its
    action and a request of the method set), so ``get_parsers`` says what a request of it is read as."""
    from drf_spectacular.plumbing import build_mock_request

    for path, _regex, method, view in GENERATOR._get_paths_and_endpoints():
        view.request = build_mock_request(method, path, view, None)
        yield method.lower(), path, view


def test_each_operation_declares_exactly_the_media_types_its_view_reads():
    """The case step's form variants were dropped from the schema (its ``data`` is an object a form
    cannot carry) while the server still read forms. Every operation now declares each encoding its
    view reads and only those: an encoding the schema cannot describe is refused by the view (415,
    ``ScopedViewSetMixin.json_only_actions`` or ``parser_classes``), never left undeclared."""
    wrong, bodies = [], 0
    for method, path, view in _views():
        content = ((SCHEMA["paths"].get(path, {}).get(method) or {}).get("requestBody") or {}).get("content")
        if not content:
            continue
        bodies += 1
        read = {parser.media_type for parser in view.get_parsers()}
        if set(content) != read:
            wrong.append(f"{method.upper()} {path}: declares {sorted(content)}, reads {sorted(read)}")
    assert bodies > 50
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("method", "path", "media"), [
    ("post", "/api/v1/cases/{id}/transition/", ["application/json"]),
    ("post", "/api/v1/cases/", ["application/json"]),
    ("post", "/api/v1/disputes/", ["application/json"]),
    ("post", "/api/v1/disputes/{id}/outcome/", ["application/json", "application/x-www-form-urlencoded",
                                                "multipart/form-data"]),
    ("post", "/api/v1/grid-events/", ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]),
])
def test_a_body_a_form_cannot_carry_is_json_only_and_the_others_take_forms(method, path, media):
    assert sorted(SCHEMA["paths"][path][method]["requestBody"]["content"]) == media


def test_an_urlencoded_report_is_the_multipart_one_without_its_photos():
    content = SCHEMA["paths"]["/api/v1/grid-events/"]["post"]["requestBody"]["content"]
    plain = _resolve(content["application/x-www-form-urlencoded"]["schema"])["properties"]
    multipart = _resolve(content["multipart/form-data"]["schema"])["properties"]
    assert set(multipart) - set(plain) == {"photos"}
    assert "binary" not in json.dumps(plain)


def _admits_empty(schema: dict) -> bool:
    """Whether the value "" is valid by ``schema`` (the subset of OpenAPI this schema uses)."""
    if "$ref" in schema:
        return _admits_empty(COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]])
    if "anyOf" in schema or "oneOf" in schema:
        return any(_admits_empty(s) for s in schema.get("anyOf", schema.get("oneOf")))
    if "allOf" in schema and not all(_admits_empty(s) for s in schema["allOf"]):
        return False
    if "enum" in schema:
        return "" in schema["enum"]
    if schema.get("type", "string") != "string" or schema.get("minLength", 0) > 0:
        return False
    if schema.get("format") in ("date", "date-time", "time", "uuid", "email", "uri", "binary"):
        return False
    return "pattern" not in schema or re.search(schema["pattern"], "") is not None


def _form_bodies():
    """(where, serializer class, partial, form component) of every form body of every operation."""
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for media, body in ((operation.get("requestBody") or {}).get("content") or {}).items():
                if media not in FORMS:
                    continue
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                base = re.sub(r"(Form|Urlencoded)Request$", "Request", name)
                serializer = GENERATOR.registry._components[(base, "schemas")].object
                yield f"{method.upper()} {path} {media}", type(serializer), base.startswith("Patched"), \
                    COMPONENTS[name]


@pytest.mark.django_db
def test_a_form_s_empty_value_is_declared_as_the_server_reads_it():
    """A schema fuzzer sends each form field empty (``field=``). DRF reads it by the field
    (``Field.get_value``): null for a field that takes null, "" for one that may be blank, no value at
    all for an optional field that takes neither (a choice or a number with a default, a boolean: the
    default, or on an update the value kept), and a 400 naming the field for a required one. The
    form variant of every request says "" exactly where the server takes it."""
    from django.http import QueryDict
    from rest_framework.fields import SkipField

    wrong, checked = [], 0
    for where, serializer_class, partial, component in _form_bodies():
        for name, schema in component["properties"].items():
            form = QueryDict(mutable=True)
            form[name] = ""
            field = serializer_class(data=form, partial=partial).fields[name]
            try:
                field.run_validation(field.get_value(form))
                taken = True
            except SkipField:
                taken = True
            except serializers.ValidationError:
                taken = False
            checked += 1
            if taken != _admits_empty(schema):
                wrong.append(f"{where} {name}: the server {'takes' if taken else 'refuses'} an empty value, "
                             f"the schema {'says' if _admits_empty(schema) else 'does not say'} so: {schema}")
    assert checked > 300
    assert not wrong, "\n".join(wrong)


def test_the_form_variant_says_an_optional_field_s_empty_value_is_no_value():
    from anmin.core.schema import EMPTY_FORM_ABSENT, EMPTY_FORM_VALUE, FORM_EMPTY_ABSENT

    report = COMPONENTS["GridEventCreateFormRequest"]["properties"]
    assert EMPTY_FORM_ABSENT in report["priority"]["anyOf"]  # a choice with a default: the default
    assert EMPTY_FORM_VALUE in report["latitude"]["anyOf"]  # nullable: null
    assert "anyOf" not in report["category"]  # required: an empty category is refused
    camera = COMPONENTS["PatchedCameraUpdateFormRequest"]["properties"]
    assert EMPTY_FORM_ABSENT in camera["channels"]["anyOf"]  # a number with a default: the value kept
    assert "anyOf" not in COMPONENTS["GridEventCreateJsonRequest"]["properties"]["priority"]  # JSON: as it was
    assert FORM_EMPTY_ABSENT not in json.dumps(SCHEMA)  # the generator's note to the hook is not published
