"""Model fields for protected personal data: an encrypted column and its blind-index companion.

::

    class Person(ProtectedModelMixin, models.Model):
        id_number = ProtectedField("身份证号码", kind="id_number", index=True, unique=True)
        phone = ProtectedField("联系电话", kind="phone", index=True, blank=True)
        diagnosis = ProtectedField("诊断", blank=True)

    Person.objects.filter(id_number="41108119800101123X")   # exact match through the blind index
    person.id_number              # <Protected id_number: 411***********123X>
    person.id_number.reveal()     # the plaintext, for a view that checked permission and reason

``ProtectedField(index=True)`` adds a ``<name>_index`` column (:class:`BlindIndexField`) holding a keyed
HMAC of the normalised value; exact lookups (``=``, ``__in``, ``__blind``, ``__iexact``) compare that column, so the
ciphertext never needs to be searched. Pattern lookups (``contains``, ``startswith``…) on a protected
field are refused: they could only ever be answered by decrypting every row.

Keep the index in step with the value:

- ``save()`` does it. With ``save(update_fields=[...])`` it needs :class:`ProtectedModelMixin` on the
  model (a system check warns when it is missing), which adds the index column to ``update_fields``.
- ``QuerySet.update()`` and ``bulk_update()`` do not run field hooks: pass the index too,
  ``qs.update(id_number=v, **blind_lookup(Person, "id_number", v))``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core import checks, exceptions
from django.core.exceptions import EmptyResultSet, FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull, Lookup
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property

from .crypto import DecryptionError, blind_index, decrypt, key_id_prefix, parse_token
from .kinds import TEXT, ProtectedKind, get_kind
from .values import Protected, reveal

__all__ = [
    "BlindIndexField",
    "ProtectedField",
    "ProtectedFormField",
    "ProtectedInput",
    "ProtectedModelMixin",
    "ProtectedTextarea",
    "blind_index_value",
    "blind_lookup",
    "with_blind_indexes",
]


class ProtectedAttribute(DeferredAttribute):
    """Wraps whatever is assigned (``person.phone = "138 0013 8000"``) into a normalised Protected at once.

    Without this a freshly assigned or created value would sit on the instance as a plain string
    and print in full until the row was reloaded.
    """

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.field.attname] = self.field.wrap(value)


class ProtectedField(models.TextField):
    """An encrypted text column holding a token ``v1:<key id>:<base64>``; reads give :class:`Protected`.

    ``kind`` ("id_number", "phone", "text" or a registered kind) decides normalisation, masking and
    validation. ``index=True`` adds the blind-index column ``<name>_index``; ``unique=True`` (only
    with an index) makes that column unique. ``context`` pins the associated data that binds
    ciphertexts to this column; it defaults to ``"app_label.model.field"`` and must be set to the old
    value if the model or field is ever renamed, or existing values stop decrypting.
    """

    descriptor_class = ProtectedAttribute
    description = "Encrypted personal data (shown masked)"

    def __init__(
        self,
        *args,
        kind: str = TEXT,
        index: bool = False,
        context: str | None = None,
        **kwargs,
    ) -> None:
        get_kind(kind)  # fail at import time on a typo
        self.kind_name = kind
        self.index = index
        # Uniqueness is a property of the plaintext, so it lives on the index column: every
        # ciphertext is different even for equal values.
        self.index_unique = bool(kwargs.pop("unique", False))
        self.explicit_context = context
        self._label_given = bool(args) or "verbose_name" in kwargs
        super().__init__(*args, **kwargs)

    # --- identity ------------------------------------------------------------------------------------

    @property
    def kind(self) -> ProtectedKind:
        return get_kind(self.kind_name)

    @property
    def index_name(self) -> str:
        return f"{self.name}_index"

    @property
    def context(self) -> str:
        """Associated data binding ciphertexts to this column (computed, not cached: fields are copied)."""
        if self.explicit_context:
            return self.explicit_context
        opts = self.model._meta
        return f"{opts.app_label}.{opts.model_name}.{self.name}"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if self.index and not cls._meta.abstract and not _has_local_field(cls, self.index_name):
            cls.add_to_class(self.index_name, BlindIndexField(unique=self.index_unique))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind_name
        if self.index:
            kwargs["index"] = True
        if self.index_unique:
            kwargs["unique"] = True
        if self.explicit_context:
            kwargs["context"] = self.explicit_context
        return name, "anmin.core.protected.fields.ProtectedField", args, kwargs

    # --- values --------------------------------------------------------------------------------------

    def wrap(self, value) -> Protected | str | None:
        """Any assigned value as this field holds it: None, "" or a normalised :class:`Protected`."""
        if value is None:
            return None
        if isinstance(value, Protected):
            if value.kind == self.kind_name:
                return value
            value = value.reveal()
        normalized = self.kind.normalize(value if isinstance(value, str) else str(value))
        return Protected(normalized, kind=self.kind_name) if normalized else ""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return Protected.sealed(value, context=self.context, kind=self.kind_name)

    def to_python(self, value):
        # Reached with strings only when deserialising (loaddata, fixtures): there the text is the
        # stored token. Forms and the API assign plaintext through the descriptor instead.
        if isinstance(value, str) and parse_token(value) is not None:
            try:
                plaintext = decrypt(value, context=self.context)
            except DecryptionError:
                raise exceptions.ValidationError(
                    f"{self._label()}无法解密（密钥不符或数据被改动）", code="protected_undecryptable"
                ) from None
            return Protected(plaintext, kind=self.kind_name, token=value, context=self.context)
        return self.wrap(value)

    def pre_save(self, model_instance, add):
        value = self.wrap(getattr(model_instance, self.attname))
        if isinstance(value, Protected):
            value = value.sealed_for(self.context)
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = self.wrap(value)
        if not value:
            return value
        return value.sealed_for(self.context).token

    def value_to_string(self, obj):
        """Dumps (dumpdata, serializers) carry the ciphertext, never the plaintext."""
        return self.get_prep_value(self.value_from_object(obj))

    def index_value(self, value) -> str | None:
        """The blind-index value for ``value`` (None for an empty value)."""
        value = self.wrap(value)
        if not value:
            return None
        return blind_index(self.kind_name, self.kind.index_input(value.reveal()))

    def audit_mask(self, value) -> str | None:
        """The form the audit trail records (``anmin.core.audit.snapshot`` asks fields for it)."""
        value = self.wrap(value)
        return value.masked if value else value

    # --- validation and forms ------------------------------------------------------------------------

    def _label(self) -> str:
        return str(self.verbose_name) if self._label_given else self.kind.label

    @cached_property
    def validators(self):
        return [*self.kind.validators(self._label()), *self._validators]

    def run_validators(self, value):
        super().run_validators(reveal(value))

    def formfield(self, **kwargs):
        widget = ProtectedTextarea if self.kind_name == TEXT else ProtectedInput
        return models.Field.formfield(
            self,
            **{
                "form_class": ProtectedFormField,
                "kind": self.kind_name,
                "max_length": self.max_length,
                "widget": widget,
                **kwargs,
            },
        )

    # --- lookups ---------------------------------------------------------------------------------------

    def get_lookup(self, lookup_name):
        return _LOOKUPS.get(lookup_name)

    def get_transform(self, lookup_name):
        return None

    # --- system checks ---------------------------------------------------------------------------------

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_index()]

    def _check_index(self):
        errors = []
        if self.index_unique and not self.index:
            errors.append(
                checks.Error(
                    "unique=True on a ProtectedField needs index=True (uniqueness is checked on the blind index).",
                    obj=self,
                    id="anmin.protected.E001",
                )
            )
        if not self.index or self.model._meta.abstract:
            return errors
        try:
            companion = self.model._meta.get_field(self.index_name)
        except exceptions.FieldDoesNotExist:
            companion = None
        if not isinstance(companion, BlindIndexField):
            errors.append(
                checks.Error(
                    f"{self.index_name} must be the BlindIndexField of {self.name}.",
                    hint="Rename the clashing field; ProtectedField(index=True) adds the index column itself.",
                    obj=self,
                    id="anmin.protected.E002",
                )
            )
        if not issubclass(self.model, ProtectedModelMixin):
            errors.append(
                checks.Warning(
                    f"{self.model._meta.label} has a blind-indexed protected field but does not inherit "
                    "ProtectedModelMixin: save(update_fields=[...]) would leave the index stale.",
                    hint="class Model(ProtectedModelMixin, models.Model)",
                    obj=self,
                    id="anmin.protected.W001",
                )
            )
        return errors


def _has_local_field(cls, name: str) -> bool:
    return any(f.name == name for f in cls._meta.local_fields)


class BlindIndexField(models.CharField):
    """Keyed HMAC (hex) of its protected field's normalised value, recomputed on every save.

    Added by ``ProtectedField(index=True)``. Stored as ``char(64)``: a fixed width, and on PostgreSQL
    no second ``varchar_pattern_ops`` index, which pattern searches on a hash would never use.
    """

    description = "Blind index of a protected value"
    _defaults = {"max_length": 64, "editable": False, "db_index": True, "null": True, "blank": True}

    def __init__(self, *args, **kwargs):
        for option, default in self._defaults.items():
            kwargs.setdefault(option, default)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        for option, default in self._defaults.items():
            if kwargs.get(option) == default:
                del kwargs[option]
        return name, "anmin.core.protected.fields.BlindIndexField", args, kwargs

    def db_type(self, connection):
        # "bpchar(64)" is PostgreSQL's own name for char(64). Spelled so because Django's bulk insert
        # casts through UNNEST(%s::<type>[]) with the length dropped, and "char[]" means char(1)[]:
        # every index value would be cut to one character; "bpchar[]" keeps them whole.
        if connection.vendor == "postgresql":
            return f"bpchar({self.max_length})"
        return f"char({self.max_length})"

    def contribute_to_class(self, cls, name, private_only=False):
        # A migration's model state lists both columns, and rendering it runs the protected field's
        # contribute_to_class too: the column then already exists and must not be added twice.
        if _has_local_field(cls, name):
            return
        super().contribute_to_class(cls, name, private_only=private_only)

    @property
    def source(self) -> ProtectedField | None:
        for f in self.model._meta.local_fields:
            if isinstance(f, ProtectedField) and f.index and f.index_name == self.name:
                return f
        return None

    def audit_mask(self, value) -> str | None:
        # Given the index key, an ID number's index can be brute-forced (the number space is small),
        # so the append-only audit trail does not keep it.
        return "******" if value else value

    def pre_save(self, model_instance, add):
        source = self.source
        if source is None:
            return super().pre_save(model_instance, add)
        try:
            digest = source.index_value(getattr(model_instance, source.attname))
        except DecryptionError:
            # An unreadable stored value keeps its old index; the decryption error is already logged.
            return getattr(model_instance, self.attname)
        setattr(model_instance, self.attname, digest)
        return digest


class ProtectedModelMixin:
    """Put first in a model's bases when it has blind-indexed protected fields.

    Extends ``save(update_fields=[...])`` with the index columns of the protected fields listed, so a
    partial save never leaves an index describing the old value.
    """

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_blind_indexes(type(self), kwargs["update_fields"])
        return super().save(*args, **kwargs)

    save.alters_data = True

    def before_insert(self) -> None:  # ``save`` adds nothing for a new row (``core.bulkcopy.insert``)
        pass


def with_blind_indexes(model, field_names: Iterable[str]) -> list[str]:
    """``field_names`` plus the blind-index column of every indexed protected field among them."""
    names = list(field_names)
    for name in list(names):
        try:
            f = model._meta.get_field(name)
        except exceptions.FieldDoesNotExist:
            continue
        if isinstance(f, ProtectedField) and f.index and f.index_name not in names:
            names.append(f.index_name)
    return names


def _indexed_field(model, field_name: str) -> ProtectedField:
    f = model._meta.get_field(field_name)
    if not isinstance(f, ProtectedField) or not f.index:
        raise FieldError(f"{model._meta.label}.{field_name} is not a ProtectedField with index=True")
    return f


def blind_index_value(model, field_name: str, value) -> str | None:
    """The index value ``value`` would have in ``model.field_name`` (None for an empty value)."""
    return _indexed_field(model, field_name).index_value(value)


def blind_lookup(model, field_name: str, value) -> dict[str, str | None]:
    """``{"<field>_index": hmac}`` for ``filter(**...)`` or, next to the value, for ``update(**...)``."""
    f = _indexed_field(model, field_name)
    return {f.index_name: f.index_value(value)}


# --- lookups -------------------------------------------------------------------------------------------


def _protected_target(lhs) -> ProtectedField:
    target = getattr(lhs, "target", None)
    if not isinstance(lhs, Col) or not isinstance(target, ProtectedField):
        raise FieldError("protected fields can only be compared directly, not through expressions")
    return target


def _index_column(lhs) -> Col:
    target = _protected_target(lhs)
    return Col(lhs.alias, target.model._meta.get_field(target.index_name))


def _refuse_unindexed(field: ProtectedField) -> None:
    if not field.index:
        raise FieldError(
            f"{field.model._meta.label}.{field.name} is encrypted without a blind index and cannot be "
            "searched by value; declare it with index=True"
        )


class BlindExact(Lookup):
    """``field=value``: compares the blind index (the empty value, stored as is, compares the column)."""

    lookup_name = "exact"
    prepare_rhs = False

    def get_prep_lookup(self):
        if self.rhs is None:
            return None  # Django turns `field=None` into `field__isnull=True`
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("protected fields can only be compared with a literal value")
        field = _protected_target(self.lhs)
        value = field.wrap(self.rhs)
        if not value:
            return ""
        _refuse_unindexed(field)
        return field.index_value(value)

    def as_sql(self, compiler, connection):
        column = self.lhs if self.rhs == "" else _index_column(self.lhs)
        sql, params = compiler.compile(column)
        return f"{sql} = %s", (*params, self.rhs)


class BlindLookup(BlindExact):
    """``field__blind=value``: the same as ``field=value``, for call sites that want to say so."""

    lookup_name = "blind"


class BlindIExact(BlindExact):
    """``field__iexact=value``: the same again (values are normalised); the admin's ``=field`` search uses it."""

    lookup_name = "iexact"


class BlindIn(Lookup):
    """``field__in=[...]``: matches any of the values through the blind index."""

    lookup_name = "in"
    prepare_rhs = False

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("protected fields can only be compared with literal values")
        field = _protected_target(self.lhs)
        _refuse_unindexed(field)
        digests = {field.index_value(v) for v in self.rhs if v is not None}
        return tuple(sorted(d for d in digests if d))

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        sql, params = compiler.compile(_index_column(self.lhs))
        return f"{sql} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)


class KeyIdLookup(Lookup):
    """``field__key_id="k1"``: rows whose stored token was sealed with that key (for key management)."""

    lookup_name = "key_id"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        pattern = connection.ops.prep_for_like_query(key_id_prefix(self.rhs)) + "%"
        return f"{sql} {connection.operators['startswith'] % '%s'}", (*params, pattern)


_LOOKUPS = {cls.lookup_name: cls for cls in (BlindExact, BlindLookup, BlindIExact, BlindIn, KeyIdLookup, IsNull)}


# --- forms ---------------------------------------------------------------------------------------------


class _MaskedInitialMixin:
    """Never puts a stored value into the page: the input starts empty with the masked value as a hint."""

    def get_context(self, name, value, attrs):
        if isinstance(value, Protected):
            attrs = {**(attrs or {}), "placeholder": f"{value.masked}（留空则不修改）"}
            value = None
        attrs = {"autocomplete": "off", **(attrs or {})}
        return super().get_context(name, value, attrs)


class ProtectedInput(_MaskedInitialMixin, forms.TextInput):
    pass


class ProtectedTextarea(_MaskedInitialMixin, forms.Textarea):
    pass


class ProtectedFormField(forms.CharField):
    """Form field for a protected value: a blank input on an edit form keeps the stored value."""

    widget = ProtectedInput

    def __init__(self, *, kind: str = TEXT, **kwargs) -> None:
        self.kind_name = kind
        super().__init__(**kwargs)
        if self.max_length is not None:
            # One normalisation for forms, API and imports: "4110 8119 …" or "411081-…" is the
            # same number, so the limit applies to the normalised value, in words of our own.
            label = str(kwargs.get("label") or "")
            self.error_messages["max_length"] = f"「{label}」最多 {self.max_length} 个字符" if label else (
                f"最多 {self.max_length} 个字符")

    def to_python(self, value):
        value = super().to_python(value)
        if value and self.kind_name != TEXT:
            kind = get_kind(self.kind_name)
            normalized = kind.normalize(value)
            if not normalized:
                # Nothing of a number survives ("无", "见备注", letters): refuse it in the field's
                # rule rather than store an empty value the user never chose.
                label = str(self.label or kind.label)
                for check in kind.validators(label):
                    check(value)
                raise exceptions.ValidationError(f"「{label}」格式不正确", code="invalid")
            value = normalized
        return value

    def _clean_bound_field(self, bf):
        # The browser never received the stored value, so an empty submission means "unchanged".
        # (Django's own FileField uses this hook for the same reason.)
        if not self.disabled and isinstance(bf.initial, Protected) and bf.data in self.empty_values:
            return bf.initial
        return super()._clean_bound_field(bf)

    def has_changed(self, initial, data) -> bool:
        if isinstance(initial, Protected):
            if data in self.empty_values:
                return False
            try:
                return not initial.matches(data)
            except DecryptionError:
                return True
        return super().has_changed(initial, data)
