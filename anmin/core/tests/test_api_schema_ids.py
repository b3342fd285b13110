"""The schema says a 64-bit id is one: every integer of a ``BigAutoField`` / ``BigIntegerField`` column, or of
a key or list of rows whose id is one — in an answer, a request, a path or a filter — says ``format: int64``
and its range up to 2⁶³−1 (``core.schema.Schema``, once for every serializer). Without a format a generated
client reads an OpenAPI integer as an int32; a row's id in an answer said nothing, and a step's target org
and person said int64 but at most 2147483647. A number that is 32-bit on purpose (a ``version``, an
``IntegerField``) says nothing more, on either database."""

from __future__ import annotations

from drf_spectacular.plumbing import force_instance
from rest_framework import relations, serializers

from anmin.core.bounds import MAX_BIG_INT, MAX_INT
from anmin.core.tests.test_api_schema import COMPONENTS, GENERATOR, SCHEMA


def _walk(node, where=""):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}[{i}]")


def _big(model_field) -> bool:
    """Whether a model field is, or points at rows whose id is, a 64-bit integer column."""
    from django.db import models

    if model_field.is_relation:
        if model_field.related_model is None:
            return False
        if model_field.concrete and (model_field.many_to_one or model_field.one_to_one):
            return _big(model_field.target_field)
        return _big(model_field.related_model._meta.pk)
    return isinstance(model_field, models.BigIntegerField)


def _model_field(serializer, field):
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
        queryset = getattr(field, "queryset", None)
        return queryset.model._meta.pk if queryset is not None else None
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.queryset is not None:
        return field.queryset.model._meta.pk
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return None
    for i, name in enumerate(field.source_attrs):
        try:
            model_field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except Exception:
            return None
        if i == len(field.source_attrs) - 1:
            return model_field
        if model_field.related_model is None or model_field.one_to_many or model_field.many_to_many:
            return None
        model = model_field.related_model
    return None


def _id_fields():
    """(component, property, its schema) of every serializer field of a 64-bit column."""
    for component in GENERATOR.registry._components.values():
        if component.type != "schemas" or component.name not in COMPONENTS:
            continue
        serializer = force_instance(component.object)
        if not isinstance(serializer, serializers.Serializer):
            continue
        properties = COMPONENTS[component.name].get("properties", {})
        for name, field in serializer.fields.items():
            model_field = _model_field(serializer, field)
            if name in properties and model_field is not None and _big(model_field):
                yield component.name, name, properties[name]


def test_every_field_of_a_64_bit_column_says_int64_up_to_2_63():
    found, wrong = set(), []
    for component, name, schema in _id_fields():
        node = schema.get("items", schema)
        if node.get("type") != "integer":  # (a region's code, a choice)
            continue
        found.add(f"{component}.{name}")
        if node.get("format") != "int64" or node.get("maximum") != MAX_BIG_INT or node.get("minimum", 0) < 0:
            wrong.append(f"{component}.{name}: {schema}")
    assert not wrong, "\n".join(wrong)
    # It found what it is about: ids and keys in answers and requests, through a dotted source too.
    assert {"Case.id", "Case.handling_org", "CaseDetail.handler", "GridEvent.case_id", "Visit.person",
            "CheckInRequest.log", "VisitRequest.person", "PatrolMemberRequest.team"} <= found


def test_an_id_in_an_answer_is_int64_from_1():
    for name in ("Case", "GridEvent", "Visit", "CheckIn"):
        assert COMPONENTS[name]["properties"]["id"] | {"type": "integer", "readOnly": True} == {
            "type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_BIG_INT, "readOnly": True}


def test_a_step_s_org_and_person_are_ids_up_to_2_63():
    properties = COMPONENTS["TransitionRequest"]["properties"]
    for name in ("target_org", "target_user"):
        assert (properties[name]["format"], properties[name]["minimum"], properties[name]["maximum"]) == (
            "int64", 1, MAX_BIG_INT)


def test_every_id_in_a_path_and_every_filter_by_a_row_is_int64():
    ids = [(f"{method} {path} {p['name']}", p["schema"]) for path, operations in SCHEMA["paths"].items()
           for method, operation in operations.items() for p in operation.get("parameters", ())
           if p["schema"].get("type") == "integer" and (p["in"] == "path" or p["schema"].get("maximum", 0) > MAX_INT)]
    assert len(ids) > 100
    wrong = [f"{where}: {schema}" for where, schema in ids
             if (schema.get("format"), schema.get("minimum"), schema.get("maximum")) != ("int64", 1, MAX_BIG_INT)]
    assert not wrong, "\n".join(wrong)
    assert any(where == "get /api/v1/cases/ handling_org" for where, _ in ids)


def test_int64_exactly_where_the_range_is_beyond_int32():
    """A number of an int4 or int2 column (a version, a count, a year) says no int64 — drf-spectacular
    said it on SQLite, whose ranges are all 64-bit, and not on PostgreSQL — and one beyond says it."""
    wrong = [f"{where}: {node}" for where, node in _walk(SCHEMA)
             if (node.get("format") == "int64") != (node.get("maximum", 0) > MAX_INT
                                                    or node.get("minimum", 0) < -MAX_INT - 1)]
    assert not wrong, "\n".join(wrong)


def test_a_version_stays_a_32_bit_counter():
    versions = [(name, component["properties"]["version"]) for name, component in COMPONENTS.items()
                if name.endswith("Request") and "version" in component.get("properties", {})]
    assert versions
    for name, schema in versions:
        node = schema["anyOf"][0] if "anyOf" in schema else schema
        assert (node.get("format"), node["minimum"], node["maximum"]) == (None, 1, MAX_INT), name
