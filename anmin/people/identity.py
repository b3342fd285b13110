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
