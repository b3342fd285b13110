"""Printable documents (文书): a domain registers what it can print of which record.

A document is a DOCX made from an editable template: Anmin ships a default for each (built in the
official layout by :mod:`.blank`), the city office may replace it with its own Word file (downloaded,
edited in Word or WPS, uploaded again) and the record fills it. The PDF is the same DOCX converted.

    documents.register(DocumentDef(
        key="dispute_agreement", label="人民调解协议书", model="disputes.Dispute",
        blocks=AGREEMENT, context=agreement_context, available=agreement_available,
    ))

``context(obj, user)`` gives the template's variables (protected values stay masked: they print the
way the screen shows them); ``available(obj, user)`` says why the document cannot be printed yet (or
``None``); ``perm`` is the permission needed beyond seeing the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from anmin.core.registry import Registry


@dataclass(frozen=True)
class DocumentDef:
    key: str
    label: str
    model: str  # "app_label.ModelName"
    blocks: tuple
    context: Callable[[Any, Any], dict]
    available: Callable[[Any, Any], str | None] = field(default=lambda obj, user: None)
    perm: str = ""
    order: int = 100
    description: str = ""

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def applies_to(self, obj) -> bool:
        return obj._meta.label == self.model

    def allowed(self, user) -> bool:
        return not self.perm or user.has_perm(self.perm)


documents: Registry[DocumentDef] = Registry("documents")


def register(defn: DocumentDef) -> DocumentDef:
    return documents.register(defn.key, defn)


def for_object(obj, user) -> list[tuple[DocumentDef, str | None]]:
    """The documents of this record the user may print, each with the reason it cannot be yet."""
    if obj is None:
        return []
    out = [(d, d.available(obj, user)) for d in documents if d.applies_to(obj) and d.allowed(user)]
    return sorted(out, key=lambda pair: (pair[0].order, pair[0].key))
