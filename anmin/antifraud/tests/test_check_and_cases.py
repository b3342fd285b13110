"""The blacklist's normalisation, the public check (known/unknown only, rate-limited) and the
fraud-case ledger (suspects by procedural status, frozen cards, sums)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches

from anmin.antifraud import actions, kpis
from anmin.antifraud.models import BlacklistEntry
from anmin.antifraud.normalize import normalize_account, normalize_phone, normalize_url
from anmin.core.actors import SYSTEM
from anmin.core.errors import Conflict, Invalid
from anmin.core.models import Role


@pytest.mark.parametrize(("raw", "want"), [
    ("+86 138-1234-5678", "13812345678"), ("０１３８１２３４５６７８"[1:], "13812345678"),
    ("0086 13812345678", "13812345678"), ("0374-8123456", "03748123456"), ("95588", "95588"),
])
def test_phones_are_normalised(raw, want):
    assert normalize_phone(raw) == want


def test_accounts_and_links_are_normalised():
    assert normalize_account("6222 0212 3456 7890 123") == "6222021234567890123"
    assert normalize_url("HTTPS://www.Example.COM:443/Pay/?id=1#x") == "example.com/Pay"
    assert normalize_url("example.com/pay/") == "example.com/pay"
    assert normalize_url("http://例子.测试/路径") == "xn--fsqu00a.xn--0zwm56d/路径"
    for bad, fn in (("12ab", normalize_phone), ("12345", normalize_account), ("ftp://x.com", normalize_url),
                    ("http://no_dots", normalize_url)):
        with pytest.raises(ValueError):
            fn(bad)


def test_the_public_check_says_only_known_or_unknown(world, client, settings):
    caches["shared"].clear()  # the throttle counts in the cache the server's processes share
    actions.add_blacklist_entry(actor=world.user(Role.POLICE), kind="phone", value="+86 171 0000 1234",
                                source="古城派出所 李警官 举报人王某", region=world.gucheng)
    actions.add_blacklist_entry(actor=SYSTEM, kind="url", value="https://fake-bank.cn/", source="国家反诈中心",
                                region=world.city)
    assert actions.public_check("phone", "17100001234")["known"] is True
    assert actions.public_check("url", "http://www.fake-bank.cn/login")["known"] is True  # a listed host
    assert actions.public_check("phone", "13900000000")["known"] is False
    with pytest.raises(Invalid):
        actions.public_check("phone", "abc")
    client.logout()
    r = client.post("/api/v1/antifraud-check/", {"kind": "phone", "value": "171 0000 1234"},
                    content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["known"] is True
    assert set(body) == {"kind", "checked", "known", "advice"}
    assert "王某" not in r.content.decode()
    assert "古城" not in r.content.decode()
    bad = client.post("/api/v1/antifraud-check/", {"kind": "phone", "value": "12ab"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "value"
    settings.ANMIN_PUBLIC_CHECK_RATE = "3/min"
    caches["shared"].clear()  # the throttle counts in the cache the server's processes share
    codes = [client.post("/api/v1/antifraud-check/", {"kind": "phone", "value": "13900000000"},
                         content_type="application/json").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert BlacklistEntry.objects.count() == 2


def test_suspects_cards_and_sums_count_into_the_kpis(world):
    police = world.user(Role.POLICE)
    fc = actions.register_fraud_case(
        actor=police, region=world.gc_village, police_case_number="A411081500002020110001", fraud_type="06",
        title="杀猪盘诈骗案", filed_on=dt.date(2020, 11, 2), victims=[{"name": "赵敏", "loss": "120000.50"}],
        suspects=[{"name": "钱某", "id_number": "411081199001011235"}, {"name": "孙某"}],
        cards=[{"kind": "bank", "number": "6222 0212 3456 7890 123"}, {"kind": "phone", "number": "17100001234"}])
    assert fc.amount_involved == pytest.approx(120000.50)
    s1, s2 = fc.suspects.order_by("pk")
    assert s1.person is not None
    actions.set_suspect_status(actor=police, suspect=s1, status="detained", on=dt.date(2020, 11, 5))
    actions.set_suspect_status(actor=police, suspect=s1, status="arrested", on=dt.date(2020, 11, 20))
    actions.set_suspect_status(actor=police, suspect=s2, status="bail", on=dt.date(2020, 11, 6))
    with pytest.raises(Invalid):
        actions.set_suspect_status(actor=police, suspect=s1, status="caught", on=dt.date(2020, 11, 21))
    card = fc.cards.get(kind="bank")
    actions.freeze_card(actor=police, card=card, frozen_on=dt.date(2020, 11, 3), amount_frozen="30000")
    actions.update_fraud_case(actor=police, fraud_case=fc, expected_version=fc.version, solved_on="2020-11-20",
                              amount_returned="30000")
    with pytest.raises(Conflict) as exc:  # the same page sent again: the case has moved on
        actions.update_fraud_case(actor=police, fraud_case=fc, expected_version=fc.version, amount_returned="1")
    assert "该案件在您打开后已被他人修改，您的修改未保存" in exc.value.message
    assert kpis.register is not None
    k = {key: fn(year=2020) for key, fn in (
        ("detained", kpis._suspects("measure_on")), ("arrested", kpis._suspects("arrested_on")),
        ("solved", kpis.cases_solved), ("cards", kpis._cards("bank")), ("returned", kpis._sum("amount_returned")))}
    assert k == {"detained": 2, "arrested": 1, "solved": 1, "cards": 1, "returned": 30000}
    # Another township's officer sees none of it.
    assert kpis.cases_solved(year=2020, user=world.user(Role.GRID_WORKER)) == 0


def test_an_excel_ledger_of_leads_dry_runs_then_imports_only_new_valid_rows(world):
    import io

    from openpyxl import Workbook

    from anmin.antifraud.importers import LeadLedger
    from anmin.antifraud.models import Lead
    from anmin.core import ledgers

    actions.report_lead(actor=SYSTEM, region=world.gc_grid, victim_name="旧线索", fraud_type="01",
                        victim_phone="13900000009", upstream_id="XL-0")
    wb = Workbook()
    ws = wb.active
    ws.append(["上游线索编号", "受害人所在区划代码", "潜在受害人姓名", "联系电话", "诈骗类型代码", "涉及金额(元)"])
    ws.append(["XL-0", world.gc_grid.code, "旧线索", "13900000009", "01", 100])
    ws.append(["XL-1", world.gc_grid.code, "新线索", "13900000001", "02", 60000])
    ws.append(["XL-2", world.gc_grid.code, "类型错", "13900000002", "77", 10])
    out = io.BytesIO()
    wb.save(out)
    ledger = LeadLedger(user=world.user(Role.CITY_OFFICE))
    dry = ledger.dry_run(out.getvalue())
    assert [(e.row, e.field) for e in dry.errors] == [(4, "fraud_type")]
    result = LeadLedger(user=world.user(Role.CITY_OFFICE)).run_import(dry, mode=ledgers.VALID_ONLY)
    assert result.imported == 1
    assert Lead.objects.get(upstream_id="XL-1").case.priority == "high"  # 6万: 高 by rule
    assert Lead.objects.count() == 2
