"""One error vocabulary for every action: not found, forbidden, invalid (per field), conflict.

An action raises one of these; the layers above map them once:

* forms — ``apply_to_form(form, exc)`` puts each message on the field it names;
* pages — ``run_action(form, fn, **kwargs)`` returns ``(result, status)`` (400/403/404/409);
* the API — ``anmin.core.api.exception_handler`` answers ``error_body(exc)`` with ``exc.status``.

The JSON shape is the same for every error of every endpoint::

    {"code": "invalid", "message": "「标题」为必填项", "field": "title",
     "errors": {"title": ["「标题」为必填项"]}, "current": null}

``current`` is filled on a conflict: the newer state the caller did not see (a case's status and
version …). Messages are Chinese and name the field and the rule; they never carry an ID number or
a phone number.

``Invalid`` is also a Django ``ValidationError`` and ``Forbidden`` a Django ``PermissionDenied``, so
code written against Django's exceptions keeps catching them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

FORM = NON_FIELD_ERRORS  # the key of messages that belong to no field


class ActionError(Exception):
    """An action that could not be done; nothing was written."""

    kind = "invalid"
    status = 400
    default_message = "操作未完成"

    def __init__(self, message: str = "", *, field: str | None = None,
                 errors: Mapping[str, list[str] | str] | None = None, code: str | None = None,
                 current: Mapping[str, Any] | None = None):
        normalised: dict[str, list[str]] = {}
        for key, value in (errors or {}).items():
            msgs = [value] if isinstance(value, str) else [str(v) for v in value]
            normalised[str(key or FORM)] = msgs
        if message and not normalised:
            normalised[field or FORM] = [message]
        if not message:
            message = next((m[0] for m in normalised.values() if m), self.default_message)
        if field is None:
            field = next((k for k in normalised if k != FORM), None)
        Exception.__init__(self, message)
        self.message = str(message)
        self.field = field
        self.errors = normalised
        self.code = code or self.kind
        self.current = dict(current) if current else None

    def as_dict(self) -> dict[str, Any]:
        """The one JSON shape of an error (API bodies, conflict answers of pages)."""
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "errors": {k: list(v) for k, v in self.errors.items()},
            "current": self.current,
        }

    def __str__(self) -> str:
        return self.message


class NotFound(ActionError, ObjectDoesNotExist):
    """The record does not exist or lies outside the actor's scope (the two look the same)."""

    kind = "not_found"
    status = 404
    default_message = "记录不存在或不在您的辖区内"


class Forbidden(ActionError, PermissionDenied):
    """The actor may not do this (a missing permission, a step that is not theirs)."""

    kind = "forbidden"
    status = 403
    default_message = "您没有执行此操作的权限"


class Invalid(ActionError, ValidationError):
    """Bad input: ``errors`` maps each field to its messages (``__all__`` for the whole request)."""

    kind = "invalid"
    status = 400
    default_message = "输入有误"

    def __init__(self, message: str = "", *, field: str | None = None,
                 errors: Mapping[str, list[str] | str] | None = None, code: str | None = None,
                 current: Mapping[str, Any] | None = None):
        ActionError.__init__(self, message, field=field, errors=errors, code=code, current=current)
        ValidationError.__init__(self, {k: list(v) for k, v in self.errors.items()})

    def __str__(self) -> str:  # ValidationError's would print the dict
        return self.message


# What a person is told when someone else changed the record after they opened it (``Conflict``).
CHANGED_MEANWHILE = "{what}在您打开后已被他人修改，您的修改未保存。请重新打开该记录，查看最新内容后再操作。"


class Conflict(ActionError):
    """Someone else changed the record first; ``current`` describes the newer state."""

    kind = "conflict"
    status = 409
    default_message = CHANGED_MEANWHILE.format(what="该记录")


def changed_meanwhile(what: str, *, current: Mapping[str, Any] | None = None, field: str | None = None) -> Conflict:
    """The record (``what``: 该纠纷, 该调解组织 …) was changed by someone else after the user opened it,
    said plainly for a person: nothing was saved, reload. No version numbers (they mean nothing to a
    user); the API keeps them in ``current`` for a program."""
    return Conflict(CHANGED_MEANWHILE.format(what=what), field=field,
                    current=dict(current) if current is not None else None)


def invalid(field: str | None, message: str) -> Invalid:
    """An ``Invalid`` for one field (``raise invalid("title", "「标题」为必填项")``)."""
    return Invalid(message, field=field)


def as_action_error(exc: BaseException) -> ActionError | None:
    """The vocabulary's error for an exception raised by an action (Django's own exceptions are
    translated), or None for anything else (a bug: let it surface)."""
    if isinstance(exc, ActionError):
        return exc
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return Invalid(errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()})
        return Invalid(errors={FORM: [str(m) for m in exc.messages]})
    if isinstance(exc, PermissionDenied):
        return Forbidden(str(exc) or "")
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return NotFound()
    return None


def apply_to_form(form, exc: BaseException, *, field_map: Mapping[str, str] | None = None) -> ActionError:
    """Put an action's messages on the form: each on the field it names (through ``field_map`` for
    names the form spells differently, e.g. ``parties[0].name`` → ``applicant_name``), the rest on
    the form itself. Returns the translated error."""
    err = as_action_error(exc)
    if err is None:
        raise exc
    field_map = field_map or {}
    for name, messages in err.errors.items():
        target = field_map.get(name, name)
        target = target if target in form.fields else None
        for message in messages:
            if target is None and name not in (FORM, None) and name not in form.fields:
                form.add_error(None, message)
            else:
                form.add_error(target, message)
    return err


def run_action(form, fn: Callable[..., Any], *, field_map: Mapping[str, str] | None = None,
               **kwargs) -> tuple[Any, int]:
    """Call an action for a page; its errors go onto ``form``. Returns ``(result, 200)`` or
    ``(None, status)`` with the status the page should answer (400, 403, 404, 409)."""
    try:
        return fn(**kwargs), 200
    except (ActionError, ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
        err = apply_to_form(form, exc, field_map=field_map)
        return None, err.status


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"parties[0].name": [...]}`` (the actions' own field names)."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = FORM if key in ("non_field_errors", FORM) and not prefix else (
                f"{prefix}.{key}" if prefix else str(key))
            out.update(flatten_errors(value, name))
    elif isinstance(detail, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in detail):
            out.setdefault(prefix or FORM, []).extend(str(v) for v in detail)
        else:
            for i, value in enumerate(detail):
                if value:
                    out.update(flatten_errors(value, f"{prefix}[{i}]"))
    elif detail not in (None, ""):
        out.setdefault(prefix or FORM, []).append(str(detail))
    return out
