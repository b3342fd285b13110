"""People as the shared identity: a record that names a person with an ID number links to the one
``Person`` with that number (found through the blind index), created in the record's place when the
register does not have them yet.

Used by every domain that names people — a dispute's parties, a fraud victim, a suspect, a reporter —
from inside its own action, so the link is written in the same transaction as the record.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from anmin.core import audit
from anmin.core.guards import action
from anmin.core.models import Region
from anmin.core.protected import parse_id_number

from .models import Person


@action(open_to="part of the calling domain action, which checked its own permission and place")
def link_person(*, actor, name: str, id_number: str, region: Region | str, phone: str = "",
                address: str = "", source: str = "") -> Person | None:
    """The person with this ID number, registered (in ``region``, by ``actor``, from ``source``) when
    absent. None when no ID number is given. A foreign or malformed number is the caller's to reject
    before; here it raises the ``ValidationError`` of ``parse_id_number``.

    The link does not widen what the actor sees: a person registered elsewhere stays out of their
    scope (the person's page answers 404), only the link and the person's risk signals reach the record.
    """
    if not (id_number or "").strip():
        return None
    number = parse_id_number(id_number).number
    found = Person.objects.filter(id_number=number).first()
    if found is not None:
        return found
    region_obj = region if isinstance(region, Region) else Region.objects.get(pk=str(region))
    info = parse_id_number(number)
    person = Person(name=(name or "").strip()[:64] or "（未留姓名）", id_number=number, phone=phone or "",
                    sex=str(info.sex), birth_date=info.birth_date, region=region_obj,
                    current_address=(address or "")[:200], notes=f"由{source}关联登记" if source else "")
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # registered meanwhile by someone else: link to theirs
        return Person.objects.get(id_number=number)
    audit.record(actor=actor, action="create", obj=person, after={"name": person.name, "region": region_obj.code,
                                                                   "source": source},
                 reason=f"由{source}关联登记" if source else "")
    return person


@action(open_to="part of the calling domain's bulk import action, which checked its own permission and places")
def link_people(*, actor, wanted: list[dict], source: str = "") -> dict[str, int]:
    """``link_person`` for a whole batch: ``wanted`` holds dicts with ``id_number``, ``name``,
    ``region`` (a code) and optionally ``phone`` and ``address``. The register is searched with one
    blind-index query; the people it lacks are registered together (the first row naming a number
    gives the name and place) under one audit entry. Returns {ID number: person id}; empty numbers are
    left out, a malformed one raises the ``ValidationError`` of ``parse_id_number``."""
    from anmin.core.protected import blind_index_value

    first: dict[str, dict] = {}
    for w in wanted:
        if (w.get("id_number") or "").strip():
            first.setdefault(parse_id_number(w["id_number"]).number, w)
    if not first:
        return {}
    by_index = {blind_index_value(Person, "id_number", n): n for n in first}
    found: dict[str, int] = {}
    keys = list(by_index)
    for start in range(0, len(keys), 1000):
        for index, pk in Person.objects.filter(id_number_index__in=keys[start:start + 1000]).values_list(
                "id_number_index", "pk"):
            found[by_index[index]] = pk
    missing = [n for n in first if n not in found]
    if missing:
        note = f"由{source}关联登记" if source else ""
        people = []
        for n in missing:
            w, info = first[n], parse_id_number(n)
            people.append(Person(name=(w.get("name") or "").strip()[:64] or "（未留姓名）", id_number=n,
                                 phone=w.get("phone") or "", sex=str(info.sex), birth_date=info.birth_date,
                                 region_id=str(w["region"]), current_address=(w.get("address") or "")[:200],
                                 notes=note))
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1000)
            if any(p.pk is None for p in people):  # a backend that does not return keys
                for index, pk in Person.objects.filter(
                        id_number_index__in=[blind_index_value(Person, "id_number", n) for n in missing]).values_list(
                        "id_number_index", "pk"):
                    found[by_index[index]] = pk
            else:
                found.update({n: p.pk for n, p in zip(missing, people, strict=True)})
            audit.record(actor=actor, action="import", object_type="people.person", reason=note,
                         after={"count": len(people), "source": source,
                                "people": [[p.pk, p.name, p.region_id] for p in people][:1000]})
    return found
