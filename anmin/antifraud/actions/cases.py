"""The fraud-case ledger: registering a case with its victims, suspects and cards (victims and
suspects linked to the person register), moving a suspect along the procedure, freezing a card,
recording what was solved and returned — and the bulk import of past cases (ledger, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anmin.core import audit, checks, clock
from anmin.core.errors import invalid
from anmin.core.guards import action
from anmin.core.models import OrgUnit, Region
from anmin.people.identity import link_person

from ..models import CardKind, FraudCard, FraudCase, FraudVictim, Suspect, SuspectStatus
from . import common

ADD_PERM = "antifraud.add_fraudcase"
CHANGE_PERM = "antifraud.change_fraudcase"
STATUS_DATE = {
    SuspectStatus.CAUGHT: "caught_on", SuspectStatus.DETAINED: "measure_on", SuspectStatus.BAIL: "measure_on",
    SuspectStatus.ARRESTED: "arrested_on", SuspectStatus.PROSECUTED: "prosecuted_on",
    SuspectStatus.SENTENCED: "sentenced_on",
}
ORDER = list(SuspectStatus.values)


def _date(value: Any, field: str, label: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise invalid(field, f"「{label}」为必填项")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise invalid(field, f"「{label}」须为日期，如 2020-12-10") from None


def clean_card(card: dict, i: int) -> dict:
    kind = card.get("kind") or CardKind.BANK
    if kind not in CardKind.values:
        raise invalid(f"cards[{i}].kind", f"第{i + 1}张卡的「类型」须为 bank（银行卡）或 phone（电话卡）")
    number = common.normalized("account" if kind == CardKind.BANK else "phone", card.get("number"),
                               f"cards[{i}].number")
    if not number:
        raise invalid(f"cards[{i}].number", f"第{i + 1}张卡的「卡号/号码」为必填项")
    return {"kind": kind, "number": number, "bank": checks.text(card.get("bank"), f"cards[{i}].bank", "开户行", 64),
            "frozen_on": _date(card.get("frozen_on"), f"cards[{i}].frozen_on", "冻结日期"),
            "amount_frozen": common.amount(card.get("amount_frozen"), f"cards[{i}].amount_frozen", "冻结金额")
            or Decimal(0)}


def clean_person(p: dict, i: int, what: str) -> dict:
    prefix = f"{what}[{i}]"
    return {"name": checks.text(p.get("name"), f"{prefix}.name", "姓名", 64, required=True),
            "id_number": checks.id_number(p.get("id_number"), f"{prefix}.id_number")}


@action(perm=ADD_PERM, region="region", region_label="发案地", what="登记电诈案件")
def register_fraud_case(*, actor, region: Region | str, police_case_number: str, fraud_type: str, title: str,
                        filed_on: Any, victims: Sequence[dict] = (), suspects: Sequence[dict] = (),
                        cards: Sequence[dict] = (), amount_involved: Any = None, assisted: bool = False,
                        assisted_for: str = "", now: dt.datetime | None = None) -> FraudCase:
    now = now or clock.now()
    place = common.place(region, label="发案地")
    number = checks.text(police_case_number, "police_case_number", "警情/案件编号", 40, required=True)
    if FraudCase.objects.filter(police_case_number=number).exists():
        raise invalid("police_case_number", f"警情/案件编号 {number} 已登记")
    filed = _date(filed_on, "filed_on", "立案日期", required=True)
    if filed > timezone.localdate(now):
        raise invalid("filed_on", "「立案日期」不能晚于今天")
    vs = [{**clean_person(v, i, "victims"), "phone": checks.phone(v.get("phone"), f"victims[{i}].phone"),
           "loss": common.amount(v.get("loss"), f"victims[{i}].loss", "损失金额") or Decimal(0)}
          for i, v in enumerate(victims)]
    ss = [clean_person(s, i, "suspects") for i, s in enumerate(suspects)]
    cs = [clean_card(c, i) for i, c in enumerate(cards)]
    total = common.amount(amount_involved, "amount_involved", "涉案金额")
    station = getattr(actor, "org_unit", None)
    with transaction.atomic(), audit.batch():
        fc = FraudCase.objects.create(
            police_case_number=number, region=place, fraud_type=common.fraud_type(fraud_type),
            title=checks.text(title, "title", "简要案情", 200, required=True), filed_on=filed,
            amount_involved=total if total is not None else sum((v["loss"] for v in vs), Decimal(0)),
            assisted=bool(assisted), assisted_for=checks.text(assisted_for, "assisted_for", "协助地区", 64),
            handling_org=station if isinstance(station, OrgUnit) else None,
            amount_frozen=sum((c["amount_frozen"] for c in cs if c["frozen_on"]), Decimal(0)))
        src = f"电诈案件{number}"
        for v in vs:
            person = link_person(actor=actor, name=v["name"], id_number=v["id_number"], region=place,
                                 phone=v["phone"], source=f"{src}受害人")
            FraudVictim.objects.create(fraud_case=fc, person=person, **v)
        for s in ss:
            person = link_person(actor=actor, name=s["name"], id_number=s["id_number"], region=place,
                                 source=f"{src}嫌疑人")
            Suspect.objects.create(fraud_case=fc, person=person, caught_on=filed, **s)
        FraudCard.objects.bulk_create([FraudCard(fraud_case=fc, **c) for c in cs])
        audit.record(actor=actor, action="create", obj=fc,
                     after={"number": number, "victims": len(vs), "suspects": len(ss), "cards": len(cs)})
    return fc


@action(perm=CHANGE_PERM, target="fraud_case", model=FraudCase, what="更新电诈案件")
def update_fraud_case(*, actor, fraud_case: FraudCase | int, expected_version: int, solved_on: Any = None,
                      amount_frozen: Any = None, amount_returned: Any = None, police_case_number: str | None = None,
                      now: dt.datetime | None = None) -> FraudCase:
    """立案 (the case number replacing a concluded lead's 待立案-…), 破案、冻结资金、返还受害人 (sums in yuan)."""
    now = now or clock.now()
    with transaction.atomic():
        fc = FraudCase.objects.select_for_update().get(pk=getattr(fraud_case, "pk", fraud_case))
        if fc.version != int(expected_version):
            from anmin.core.errors import changed_meanwhile

            raise changed_meanwhile("该案件", current={"id": fc.pk, "version": fc.version})
        before = {"number": fc.police_case_number, "solved_on": str(fc.solved_on or ""),
                  "amount_frozen": str(fc.amount_frozen), "amount_returned": str(fc.amount_returned)}
        number = checks.text(police_case_number, "police_case_number", "警情/案件编号", 40)
        if number and number != fc.police_case_number:
            if FraudCase.objects.filter(police_case_number=number).exclude(pk=fc.pk).exists():
                raise invalid("police_case_number", f"警情/案件编号 {number} 已登记")
            fc.police_case_number = number
        solved = _date(solved_on, "solved_on", "破案日期")
        if solved is not None:
            if solved < fc.filed_on or solved > timezone.localdate(now):
                raise invalid("solved_on", "「破案日期」须在立案日期之后、今天之前")
            fc.solved_on = solved
        for name, label in (("amount_frozen", "冻结资金"), ("amount_returned", "返还受害人")):
            value = common.amount(locals()[name], name, label)
            if value is not None:
                setattr(fc, name, value)
        if fc.amount_returned > fc.amount_involved and fc.amount_involved:
            raise invalid("amount_returned", "「返还受害人」不能超过涉案金额")
        fc.version += 1
        fc.save()
        audit.record(actor=actor, action="update", obj=fc, before=before,
                     after={"number": fc.police_case_number, "solved_on": str(fc.solved_on or ""),
                            "amount_frozen": str(fc.amount_frozen), "amount_returned": str(fc.amount_returned)})
    return fc


@action(perm=CHANGE_PERM, target="suspect", model=Suspect, what="更新嫌疑人诉讼阶段")
def set_suspect_status(*, actor, suspect: Suspect | int, status: str, on: Any,
                       now: dt.datetime | None = None) -> Suspect:
    """Move a suspect on (到案 → 刑事拘留/取保候审 → 逮捕 → 移送起诉 → 判决), with the date."""
    now = now or clock.now()
    if status not in SuspectStatus.values:
        raise invalid("status", "「诉讼阶段」须为 到案、刑事拘留、取保候审、逮捕、移送起诉、判决 之一")
    day = _date(on, "on", "日期", required=True)
    if day > timezone.localdate(now):
        raise invalid("on", "「日期」不能晚于今天")
    with transaction.atomic():
        s = Suspect.objects.select_for_update().get(pk=getattr(suspect, "pk", suspect))
        if ORDER.index(status) < ORDER.index(s.status):
            raise invalid("status", f"诉讼阶段不能从「{s.get_status_display()}」退回「{SuspectStatus(status).label}」")
        before = s.status
        s.status = status
        date_field = STATUS_DATE[SuspectStatus(status)]
        if date_field == "measure_on" and s.measure_on:
            pass  # the first compulsory measure counts
        else:
            setattr(s, date_field, day)
        if status == SuspectStatus.ARRESTED and not s.measure_on:
            s.measure_on = day  # arrest is itself a compulsory measure
        s.save()
        audit.record(actor=actor, action="update", obj=s, before={"status": before}, after={"status": status,
                                                                                           "on": day.isoformat()})
    return s


@action(perm=CHANGE_PERM, target="card", model=FraudCard, what="冻结涉案卡")
def freeze_card(*, actor, card: FraudCard | int, frozen_on: Any, amount_frozen: Any = None) -> FraudCard:
    day = _date(frozen_on, "frozen_on", "冻结日期", required=True)
    amount = common.amount(amount_frozen, "amount_frozen", "冻结金额") or Decimal(0)
    with transaction.atomic():
        c = FraudCard.objects.select_for_update().get(pk=getattr(card, "pk", card))
        if c.frozen_on:
            raise invalid("frozen_on", f"该卡已于 {c.frozen_on:%Y-%m-%d} 冻结")
        c.frozen_on, c.amount_frozen = day, amount
        c.save(update_fields=["frozen_on", "amount_frozen"])
        audit.record(actor=actor, action="update", obj=c, after={"frozen_on": day.isoformat(), "amount": str(amount)})
    return c


def _case_of(fraud_case: FraudCase | int) -> FraudCase:
    return FraudCase.objects.select_for_update().get(pk=getattr(fraud_case, "pk", fraud_case))


@action(perm=CHANGE_PERM, target="fraud_case", model=FraudCase, what="增加犯罪嫌疑人")
def add_suspect(*, actor, fraud_case: FraudCase | int, name: str, id_number: str = "", caught_on: Any = None,
                now: dt.datetime | None = None) -> Suspect:
    """A suspect caught later (到案), linked to the person register by ID number."""
    now = now or clock.now()
    data = {"name": checks.text(name, "name", "姓名", 64, required=True),
            "id_number": checks.id_number(id_number, "id_number")}
    day = _date(caught_on, "caught_on", "到案日期") or timezone.localdate(now)
    if day > timezone.localdate(now):
        raise invalid("caught_on", "「到案日期」不能晚于今天")
    with transaction.atomic():
        fc = _case_of(fraud_case)
        if data["id_number"] and fc.suspects.filter(id_number=data["id_number"]).exists():
            raise invalid("id_number", "该身份证号码的嫌疑人已在本案登记")
        person = link_person(actor=actor, name=data["name"], id_number=data["id_number"], region=fc.region,
                             source=f"电诈案件{fc.police_case_number}嫌疑人")
        suspect = Suspect.objects.create(fraud_case=fc, person=person, caught_on=day, **data)
        audit.record(actor=actor, action="create", obj=suspect,
                     after={"fraud_case": fc.police_case_number, "name": suspect.name, "caught_on": day.isoformat()})
    return suspect


@action(perm=CHANGE_PERM, target="fraud_case", model=FraudCase, what="增加涉案卡")
def add_card(*, actor, fraud_case: FraudCase | int, number: str, kind: str = CardKind.BANK, bank: str = "",
             frozen_on: Any = None, amount_frozen: Any = None) -> FraudCard:
    """A card found later (涉案"两卡"), frozen already or not."""
    if kind not in CardKind.values:
        raise invalid("kind", "「类型」须为 bank（银行卡）或 phone（电话卡）")
    value = common.normalized("account" if kind == CardKind.BANK else "phone", number, "number")
    if not value:
        raise invalid("number", "「卡号/号码」为必填项")
    day = _date(frozen_on, "frozen_on", "冻结日期")
    if day is not None and day > clock.today():
        raise invalid("frozen_on", "「冻结日期」不能晚于今天")
    data = {"kind": kind, "number": value, "bank": checks.text(bank, "bank", "开户行/运营商", 64), "frozen_on": day,
            "amount_frozen": (common.amount(amount_frozen, "amount_frozen", "冻结金额") or Decimal(0)) if day
            else Decimal(0)}
    with transaction.atomic():
        fc = _case_of(fraud_case)
        if fc.cards.filter(kind=data["kind"], number=data["number"]).exists():
            raise invalid("number", f"卡号/号码 {data['number']} 已在本案登记")
        card = FraudCard.objects.create(fraud_case=fc, **data)
        audit.record(actor=actor, action="create", obj=card,
                     after={"fraud_case": fc.police_case_number, "kind": card.kind,
                            "frozen_on": str(card.frozen_on or "")})
    return card


# -- Past cases in bulk (a ledger, the demo) -------------------------------------------------------
@dataclass
class PastFraudCase:
    police_case_number: str
    region_id: str
    fraud_type: str
    title: str
    filed_on: dt.date
    solved_on: dt.date | None = None
    assisted: bool = False
    assisted_for: str = ""
    amount_involved: Decimal = Decimal(0)
    amount_frozen: Decimal = Decimal(0)
    amount_returned: Decimal = Decimal(0)
    handling_org_id: int | None = None
    victims: list[dict] = field(default_factory=list)  # name, id_number, phone, loss
    suspects: list[dict] = field(default_factory=list)  # name, id_number, status, *_on dates
    cards: list[dict] = field(default_factory=list)  # kind, number, bank, frozen_on, amount_frozen


@action(perm=ADD_PERM, what="导入电诈案件")
def import_fraud_cases(items: Sequence[PastFraudCase], *, actor, note: str = "", batch_size: int = 500) -> int:
    """Register past cases with their people and cards in bulk, one transaction and one audit entry
    per batch. Victims and suspects with an ID number are linked to the person register."""
    total = 0
    for start in range(0, len(items), batch_size):
        batch = list(items[start:start + batch_size])
        with transaction.atomic(), audit.batch():
            cases = [FraudCase(police_case_number=i.police_case_number, region_id=i.region_id,
                               fraud_type=i.fraud_type, title=i.title, filed_on=i.filed_on, solved_on=i.solved_on,
                               assisted=i.assisted, assisted_for=i.assisted_for, amount_involved=i.amount_involved,
                               amount_frozen=i.amount_frozen, amount_returned=i.amount_returned,
                               handling_org_id=i.handling_org_id) for i in batch]
            FraudCase.objects.bulk_create(cases, batch_size=500)
            victims, suspects, cards = [], [], []
            for fc, item in zip(cases, batch, strict=True):
                for v in item.victims:
                    person = link_person(actor=actor, name=v["name"], id_number=v.get("id_number", ""),
                                         region=item.region_id, source=note or "电诈案件台账")
                    victims.append(FraudVictim(fraud_case=fc, person=person, **v))
                for s in item.suspects:
                    suspects.append(Suspect(fraud_case=fc, **s))
                cards.extend(FraudCard(fraud_case=fc, **c) for c in item.cards)
            FraudVictim.objects.bulk_create(victims, batch_size=1000)
            Suspect.objects.bulk_create(suspects, batch_size=1000)
            FraudCard.objects.bulk_create(cards, batch_size=2000)
            audit.record(actor=actor, action="import", object_type="antifraud.fraudcase", reason=note,
                         after={"count": len(cases), "first": cases[0].police_case_number,
                                "last": cases[-1].police_case_number, "suspects": len(suspects),
                                "cards": len(cards)})
        total += len(cases)
    return total
