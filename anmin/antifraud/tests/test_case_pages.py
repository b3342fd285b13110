"""The fraud case's own pages at phone width: an officer adds a suspect caught later and moves them on,
adds a card found later and freezes another, records the sums — each through the actions, each error on
the form; another township's officer gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anmin.antifraud import actions, kpis
from anmin.core.models import Role


@pytest.fixture
def fraud_case(world):
    return actions.register_fraud_case(
        actor=world.user(Role.POLICE), region=world.gc_village, police_case_number="A411081500002020110009",
        fraud_type="06", title="杀猪盘诈骗案", filed_on=dt.date(2020, 11, 2),
        victims=[{"name": "赵敏", "loss": "5000"}],
        cards=[{"kind": "bank", "number": "6222 0212 3456 7890 123"}])


def test_an_officer_adds_suspects_and_cards_and_freezes_from_the_case_page(world, fraud_case, client):
    police = world.user(Role.POLICE)
    client.force_login(police)
    page = client.get(fraud_case.get_absolute_url()).content.decode()
    assert reverse("antifraud:suspect_add", args=[fraud_case.pk]) in page
    card = fraud_case.cards.get()
    assert reverse("antifraud:card_freeze", args=[card.pk]) in page

    r = client.post(reverse("antifraud:suspect_add", args=[fraud_case.pk]),
                    {"name": "钱某", "id_number": "411081199001011235", "caught_on": "2020-11-04"})
    assert r.status_code == 302
    suspect = fraud_case.suspects.get()
    assert suspect.person is not None  # linked to the person register
    r = client.post(reverse("antifraud:suspect_status", args=[suspect.pk]),
                    {"status": "arrested", "on": "2020-11-20"})
    assert r.status_code == 302
    assert kpis._suspects("arrested_on")(year=2020) == 1
    # Moving back is refused on the form.
    r = client.post(reverse("antifraud:suspect_status", args=[suspect.pk]),
                    {"status": "caught", "on": "2020-11-21"})
    assert r.status_code == 400
    assert "不能从" in r.content.decode()

    r = client.post(reverse("antifraud:card_freeze", args=[card.pk]),
                    {"frozen_on": "2020-11-03", "amount_frozen": "3000"})
    assert r.status_code == 302
    r = client.post(reverse("antifraud:card_add", args=[fraud_case.pk]),
                    {"kind": "phone", "number": "171 0000 1234", "frozen_on": "2020-11-05"})
    assert r.status_code == 302
    assert kpis._cards("bank")(year=2020) == 1
    assert fraud_case.cards.filter(kind="phone", frozen_on=dt.date(2020, 11, 5)).exists()
    r = client.post(reverse("antifraud:card_add", args=[fraud_case.pk]), {"kind": "phone", "number": "17100001234"})
    assert r.status_code == 400  # the same number twice in one case
    r = client.post(reverse("antifraud:card_add", args=[fraud_case.pk]), {"kind": "bank", "number": "abc"})
    assert r.status_code == 400

    fraud_case.refresh_from_db()
    r = client.post(reverse("antifraud:case_edit", args=[fraud_case.pk]),
                    {"version": fraud_case.version, "solved_on": "2020-11-20", "amount_returned": "3000"})
    assert r.status_code == 302
    fraud_case.refresh_from_db()
    assert fraud_case.solved_on == dt.date(2020, 11, 20)


def test_another_townships_officer_cannot_reach_the_forms(world, fraud_case, client):
    from anmin.core.models.orgs import OrgKind
    from anmin.core.tests.factories import make_org, make_user

    other = make_user(Role.POLICE, make_org(OrgKind.POLICE_STATION, world.wuliang, "无梁派出所"))
    client.force_login(other)
    assert client.get(reverse("antifraud:suspect_add", args=[fraud_case.pk])).status_code == 404


def test_an_officer_replaces_the_pending_number_once_the_case_is_filed(world, client):
    """A lead concluded 已被骗 opens a case numbered 待立案-YJ-…; its edit page (破案与资金) had no way to
    write the case number once filed, so every such case stayed 待立案 for good."""
    police = world.user(Role.POLICE)
    fc = actions.register_fraud_case(
        actor=police, region=world.gc_village, police_case_number="待立案-YJ-2020-000001", fraud_type="06",
        title="王某被骗", filed_on=dt.date(2020, 11, 2), victims=[{"name": "王某", "loss": "3000"}])
    actions.register_fraud_case(
        actor=police, region=world.gc_village, police_case_number="A411081500002020110010", fraud_type="06",
        title="另案", filed_on=dt.date(2020, 11, 2))
    client.force_login(police)
    url = reverse("antifraud:case_edit", args=[fc.pk])
    assert 'value="待立案-YJ-2020-000001"' in client.get(url).content.decode()
    r = client.post(url, {"version": fc.version, "police_case_number": "A411081500002020110010"})
    assert r.status_code == 400
    assert "警情/案件编号 A411081500002020110010 已登记" in r.content.decode()
    r = client.post(url, {"version": fc.version, "police_case_number": "A411081500002020110011"})
    assert r.status_code == 302
    fc.refresh_from_db()
    assert fc.police_case_number == "A411081500002020110011"


def test_a_case_reported_at_the_station_is_registered_from_the_case_ledger(world, client):
    """Most fraud cases come to the station after the money is gone, not from a warning lead: the ledger
    had no 登记 and the police could not enter one."""
    from anmin.antifraud.models import FraudCase

    client.force_login(world.user(Role.POLICE))
    listing = client.get(reverse("antifraud:case_list")).content.decode()
    assert reverse("antifraud:case_register") in listing
    assert "登记电诈案件" in listing
    post = {"police_case_number": "A4110815000020201200", "fraud_type": "06", "title": "网络刷单返利诈骗案",
            "region": world.gc_village.pk, "filed_on": "2020-12-01", "victim_name": "孙丽",
            "victim_phone": "138 3741 6001", "loss": "12000", "suspect_name": "",
            "idempotency_key": "f" * 32}
    r = client.post(reverse("antifraud:case_register"), post)
    fc = FraudCase.objects.get()
    assert r.status_code == 302
    assert r["Location"] == fc.get_absolute_url()
    assert fc.amount_involved == 12000
    assert fc.victims.get().name == "孙丽"
    assert fc.region == world.gc_village
    assert client.post(reverse("antifraud:case_register"), post).status_code == 302  # sent twice: one case
    assert FraudCase.objects.count() == 1
    # The same number again (a new form): told at the number, what was typed kept.
    r = client.post(reverse("antifraud:case_register"), {**post, "idempotency_key": "", "title": "另一起"})
    assert r.status_code == 400
    assert "A4110815000020201200 已登记" in r.content.decode()
    assert 'value="另一起"' in r.content.decode()
    # A victim's ID number that is not one: told at the victim's ID field.
    r = client.post(reverse("antifraud:case_register"), {**post, "idempotency_key": "",
                                                         "police_case_number": "A-2", "victim_id_number": "12345"})
    assert r.status_code == 400
    assert 'class="form-row has-error" data-field="victim_id_number"' in r.content.decode()
    assert FraudCase.objects.count() == 1


def test_a_township_centre_cannot_register_a_fraud_case(world, client):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(reverse("antifraud:case_register")).status_code == 404
    assert "登记电诈案件" not in client.get(reverse("antifraud:case_list")).content.decode()


def test_a_lead_typed_in_with_a_bad_phone_and_a_bad_id_number_is_told_both_at_once(world, client):
    """登记预警线索 took the phone and the ID number as plain text and left them to the action: a wrong
    check digit was told first, the ten-digit phone only on the next submit (a station has ten minutes)."""
    from anmin.antifraud.models import Lead

    client.force_login(world.user(Role.POLICE))
    post = {"region": world.gc_village.pk, "victim_name": "王桂兰", "victim_phone": "1380374567",
            "victim_id_number": "411081195503120021", "fraud_type": "04", "source": "own",
            "amount_at_risk": "80000", "idempotency_key": "g" * 32}
    r = client.post(reverse("antifraud:lead_report"), post)
    page = r.content.decode()
    assert r.status_code == 400
    assert 'class="form-row has-error" data-field="victim_phone"' in page
    assert 'class="form-row has-error" data-field="victim_id_number"' in page
    assert "应为11位手机号码" in page
    assert "校验位错误" in page
    assert 'value="王桂兰"' in page
    assert Lead.objects.count() == 0
    # A number typed in groups (with spaces) is one number, not cut at 18 characters by the page.
    r = client.post(reverse("antifraud:lead_report"), {**post, "victim_phone": "138 0374 5679",
                                                       "victim_id_number": "411081 19550312 002X"})
    assert r.status_code == 302
    assert Lead.objects.get().victim_id_number.reveal() == "41108119550312002X"


def test_a_fraud_case_tells_a_bad_phone_and_a_bad_id_number_at_once(world, client):
    client.force_login(world.user(Role.POLICE))
    post = {"police_case_number": "A4110815000020201201", "fraud_type": "06", "title": "网络刷单返利诈骗案",
            "region": world.gc_village.pk, "filed_on": "2020-12-01", "victim_name": "孙丽",
            "victim_phone": "138374160", "victim_id_number": "12345", "loss": "12000",
            "suspect_name": "某甲", "suspect_id_number": "411081195503120021", "idempotency_key": "h" * 32}
    page = client.post(reverse("antifraud:case_register"), post).content.decode()
    for field in ("victim_phone", "victim_id_number", "suspect_id_number"):
        assert f'class="form-row has-error" data-field="{field}"' in page, field
