"""How the authorization matrix makes anti-fraud records in a region.

By rule: who holds the view permission sees the records in their jurisdiction (a grid worker: their
own grid); roles scoped to what is handed to them (部门经办人, 调解员) see none of these samples."""

from __future__ import annotations

import datetime as dt
import itertools

from anmin.antifraud import actions
from anmin.antifraud.models import BlacklistEntry, FraudCard, FraudCase, Lead, Suspect
from anmin.antifraud.rules import ensure_default_grade_rules
from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Role
from anmin.core.testing.expect import seen_by, shared

_n = itertools.count(1)


def lead_sample(region, world) -> Lead:
    load_code_tables()
    ensure_default_grade_rules()
    return actions.report_lead(actor=world.user(Role.CITY_OFFICE), region=region, victim_name="李秀英",
                               fraud_type="01", victim_phone="13912345678", amount_at_risk="3000")


def case_sample(region, world) -> FraudCase:
    load_code_tables()
    return actions.register_fraud_case(actor=SYSTEM, region=region, police_case_number=f"A-TEST-{next(_n):05d}",
                                       fraud_type="02", title=f"{region.name}虚假投资理财案",
                                       filed_on=dt.date(2020, 11, 2), victims=[{"name": "王芳", "loss": "52000"}],
                                       suspects=[{"name": "刘某"}],
                                       cards=[{"kind": "bank", "number": f"62220212345678{next(_n):05d}"}])


def suspect_sample(region, world) -> Suspect:
    return case_sample(region, world).suspects.get()


def card_sample(region, world) -> FraudCard:
    return case_sample(region, world).cards.get()


def blacklist_sample(region, world) -> BlacklistEntry:
    return actions.add_blacklist_entry(actor=SYSTEM, kind="phone", value=f"1710000{next(_n):04d}", source="测试",
                                       region=region)


SAMPLES = {
    BlacklistEntry: (blacklist_sample, shared("antifraud.view_blacklistentry")),
    Lead: (lead_sample, seen_by("antifraud.view_lead")),
    FraudCase: (case_sample, seen_by("antifraud.view_fraudcase")),
    Suspect: (suspect_sample, seen_by("antifraud.view_fraudcase")),
    FraudCard: (card_sample, seen_by("antifraud.view_fraudcase")),
}
