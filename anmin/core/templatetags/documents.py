"""``{% document_menu object case %}``: the documents (文书) the user may print of a record (and of its
case), each as Word and PDF, or the reason it cannot be printed yet. Renders nothing when none apply."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..documents.registry import for_object

register = template.Library()


@register.inclusion_tag("core/documents/_menu.html", takes_context=True)
def document_menu(context, *objects):
    request = context.get("request")
    user = getattr(request, "user", None)
    items, seen = [], set()
    for obj in objects:
        if obj is None or not getattr(obj, "pk", None) or user is None or not user.is_authenticated:
            continue
        for defn, reason in for_object(obj, user):
            if (defn.key, obj.pk) in seen:
                continue
            seen.add((defn.key, obj.pk))
            url = reverse("core:document", args=[defn.key, obj.pk])
            items.append({"label": defn.label, "reason": reason, "docx": f"{url}?format=docx",
                          "pdf": f"{url}?format=pdf", "key": defn.key})
    return {"items": items}
