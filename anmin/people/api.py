"""REST API of the people registers (under /api/v1/people/…). Reads go through ``visible_to``; writes
through ``people.actions``; ID numbers and phones are always masked here (full values only on the
reveal page, with a reason). Creates accept an ``Idempotency-Key``."""

from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from anmin.core import registry
from anmin.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from anmin.core.apifields import ID_NUMBER, PHONE, accepts
from anmin.core.bounds import MAX_INT
from anmin.core.idempotency import IdempotentCreateMixin
from anmin.core.models import Region
from anmin.core.protected import ProtectedField

from . import actions
from .filters import PersonFilter
from .models import (
    CommunityCorrection,
    DrugUser,
    HivRisk,
    House,
    Person,
    ReleasedPrisoner,
    YouthOfConcern,
)
from .models.persons import is_protected_query


class MaskedField(serializers.CharField):
    """A protected value: accepted in full on input, always given back masked; no value (a foreign
    resident's ID number is NULL) is "", as the schema's plain string says."""

    def get_attribute(self, instance):
        # DRF answers a None attribute with null without asking to_representation.
        value = super().get_attribute(instance)
        return "" if value is None else value

    def to_representation(self, value):
        return str(value) if value else ""


class ActionErrorsMixin:
    """Call an action as the request's user; its errors (``anmin.core.errors``) reach the API's one
    exception handler, which answers 400/403/404/409 in the one JSON shape."""

    def run_action(self, fn, **kwargs):
        return fn(actor=self.request.user, request=self.request, **kwargs)


def choice_validator(field):
    allowed = {v for v, _label in field.choices}

    def check(value):
        if value not in (None, "") and value not in allowed:
            raise ApiValidationError(f"{field.verbose_name}：不是可选的值（可选：{'、'.join(map(str, allowed))}）")

    return check


def plain_choices(model, names, *, read_only=True) -> dict:
    """Choice fields as plain values (their codes are documented in the help text), so the schema
    does not grow one enum per field name that collides with other apps' enums."""
    out = {}
    for name in names:
        f = model._meta.get_field(name)
        values = "、".join(f"{v}={label}" for v, label in f.choices)
        kwargs = {"read_only": read_only, "help_text": values}
        if not read_only:
            kwargs.update(required=False, allow_null=f.null, validators=[choice_validator(f)])
            if f.has_default():
                kwargs["default"] = f.get_default()  # omitted: the model's default, never a missing argument
            if not isinstance(f.choices[0][0], int):
                kwargs["allow_blank"] = f.blank
        out[name] = (serializers.IntegerField if isinstance(f.choices[0][0], int) else serializers.CharField)(**kwargs)
    return out


def with_plain_choices(serializer_class, names, *, read_only=True):
    serializer_class._declared_fields.update(plain_choices(serializer_class.Meta.model, names, read_only=read_only))
    return serializer_class


LOOKUP_VALUE = f"{ID_NUMBER}|{PHONE}"
LOOKUP_REFUSAL = "value：请提供完整的身份证号码（18位或15位）或电话号码"


class LookupValueField(serializers.CharField):
    """A number to look up, as the schema says it: a JSON string (DRF's CharField would take the number
    500811948 as "500811948") that is a whole ID number or a phone number."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not re.match(LOOKUP_VALUE, value):
            raise ApiValidationError(LOOKUP_REFUSAL)
        return value


class LookupRequestSerializer(serializers.Serializer):
    value = accepts(LookupValueField(help_text="完整的身份证号码（18位或15位）或电话号码", max_length=64),
                    pattern=LOOKUP_VALUE)


class PersonSerializer(serializers.ModelSerializer):
    id_number = MaskedField(required=False, allow_blank=True, max_length=32)
    phone = MaskedField(required=False, allow_blank=True, max_length=32)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_INT)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "former_name",
            "name_initials",
            "id_number",
            "phone",
            "sex",
            "birth_date",
            "ethnicity",
            "hukou_address",
            "current_address",
            "region",
            "region_name",
            "grid_worker",
            "status",
            "registered_on",
            "is_migrant",
            "is_left_behind",
            "is_foreign",
            "version",
        ]
        read_only_fields = ["name_initials", "grid_worker", "status"]
        extra_kwargs = {"sex": {"required": False}, "birth_date": {"required": False}}


with_plain_choices(PersonSerializer, ["sex", "ethnicity"], read_only=False)
with_plain_choices(PersonSerializer, ["status"])


class LookupResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = PersonSerializer(many=True)


class PersonPageSerializer(LookupResultSerializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class PersonViewSet(
    ActionErrorsMixin,
    ScopedViewSetMixin,
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """实有人口 in the caller's jurisdiction. ``?q=`` searches name, pinyin initials, exact ID number or
    phone; ``?category=`` (migrant, mental …) filters; updates need the ``version`` the client read."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent").order_by("pk")

    def create_action(self):
        return actions.create_person

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = self.run_action(actions.create_person, **data)

    @extend_schema(methods=["GET"], request=None, responses={200: PersonPageSerializer})
    @extend_schema(methods=["POST"], request=LookupRequestSerializer, responses={200: LookupResultSerializer})
    @action(detail=False, methods=["get", "post"], url_path="lookup")
    def lookup(self, request):
        """Exact lookup by ID number or phone: POST ``{"value": "..."}`` (the number travels in the
        body, never in a URL); results masked. GET lists like the collection itself."""
        if request.method == "GET":
            return self.list(request)
        params = LookupRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        value = params.validated_data["value"]
        if not is_protected_query(value):
            raise ApiValidationError({"value": [LOOKUP_REFUSAL]})
        people = (
            Person.objects.visible_to(request.user)
            .select_related("region__parent__parent")
            .lookup(value)
            .order_by("pk")[:50]
        )
        return Response({"count": len(people), "results": self.get_serializer(people, many=True).data})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        person = self.get_object()
        serializer = self.get_serializer(person, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ApiValidationError({"version": ["version：修改时必须提供读取时的版本号"]})
        person = self.run_action(actions.update_person, person=person, expected_version=version, changes=data)
        return Response(self.get_serializer(person).data)


class HouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = House
        fields = ["id", "address", "region", "use", "is_rented", "owner", "owner_name", "floor_area", "version"]


with_plain_choices(HouseSerializer, ["use"])


class HouseViewSet(ScopedReadOnlyViewSet):
    """实有房屋."""

    model = House
    serializer_class = HouseSerializer
    filterset_fields = ["is_rented", "use"]


def special_serializer(model_class):
    class Meta:
        model = model_class
        exclude = ["created_by"]

    attrs = {
        "Meta": Meta,
        "person_name": serializers.CharField(source="person.name", read_only=True),
        "region": serializers.CharField(source="person.region_id", read_only=True),
    }
    for f in model_class._meta.concrete_fields:
        if isinstance(f, ProtectedField):
            attrs[f.name] = MaskedField(read_only=True)
    choices = [f.name for f in model_class._meta.concrete_fields if f.choices]
    attrs.update(plain_choices(model_class, choices))
    return type(f"{model_class.__name__}Serializer", (serializers.ModelSerializer,), attrs)


def special_viewset(model_class):
    return type(
        f"{model_class.__name__}ViewSet",
        (ScopedReadOnlyViewSet,),
        {
            "model": model_class,
            "serializer_class": special_serializer(model_class),
            "filterset_fields": ["status"],
            "__doc__": f"{model_class._meta.verbose_name} (special-population permission, in scope).",
            "get_queryset": lambda self: ScopedReadOnlyViewSet.get_queryset(self).select_related("person"),
        },
    )


def register_routes() -> None:
    routes = [
        ("people/persons", PersonViewSet, "people-person"),
        ("people/houses", HouseViewSet, "people-house"),
    ]
    for prefix, model in (
        ("people/released-prisoners", ReleasedPrisoner),
        ("people/community-corrections", CommunityCorrection),
        ("people/drug-users", DrugUser),
        ("people/hiv-risk", HivRisk),
        ("people/youth", YouthOfConcern),
    ):
        routes.append((prefix, special_viewset(model), f"people-{model._meta.model_name}"))
    for prefix, viewset, basename in routes:
        registry.api_routes.register(prefix, registry.ApiRoute(prefix, viewset, basename))
