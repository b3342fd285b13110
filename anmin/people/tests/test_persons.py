"""Residents: search (name, pinyin initials, exact ID number and phone through the blind index),
masking everywhere, reveals with a reason and an audit record, scoping and concurrent edits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role
from anmin.core.protected import make_id_number, mask_id_number, mask_phone

from .. import actions
from ..models import Person
from .factories import make_person

ID = make_id_number(birth_date=dt.date(1975, 3, 8), sequence=123, sex="男")
PHONE = "13912345678"


@pytest.fixture
def zhang(world) -> Person:
    return make_person(world.gc_grid, name="张伟明", id_number=ID, phone=PHONE)


def test_sex_and_birth_date_come_from_the_id_number_and_must_agree(world):
    person = make_person(world.gc_grid, name="刘洋", id_number=ID)
    assert person.birth_date == dt.date(1975, 3, 8)
    assert person.sex == "1"
    assert person.name_initials == "ly"
    other = make_id_number(birth_date=dt.date(1990, 1, 1), sequence=4, sex="女")
    with pytest.raises(ValidationError) as bad:
        actions.create_person(
            actor=SYSTEM, name="王芳", region=world.gc_grid, id_number=other, sex="男", birth_date=dt.date(1990, 1, 2)
        )
    errors = bad.value.message_dict
    assert errors["sex"] == ["性别与身份证号码第17位不一致（奇数为男，偶数为女）"]
    assert errors["birth_date"] == ["出生日期与身份证号码第7–14位不一致"]
    with pytest.raises(ValidationError) as dup:
        actions.create_person(actor=SYSTEM, name="刘洋", region=world.gc_grid, id_number=ID)
    assert "已登记" in dup.value.message_dict["id_number"][0]
    assert all(ID not in m for msgs in (errors, dup.value.message_dict) for ms in msgs.values() for m in ms)


def test_search_by_exact_id_number_returns_the_person_with_the_number_masked(client, world, zhang):
    make_person(world.gc_grid, name="张伟")
    client.force_login(world.user(Role.GRID_WORKER))
    resp = client.post("/people/", {"do": "find", "value": ID})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert zhang.get_absolute_url() in body
    assert mask_id_number(ID) in body
    assert ID not in body  # not in the table, not echoed back in the search box
    assert resp.context["total"] == 1
    # By phone, and the 15-digit form of an old number, the same way.
    assert client.post("/people/", {"do": "find", "value": "139 1234 5678"}).context["total"] == 1
    old15 = ID[:6] + ID[8:17]
    assert client.post("/people/", {"do": "find", "value": old15}).context["total"] == 1
    # Names and pinyin initials are searched in the ordinary (GET) filter …
    assert client.get("/people/", {"q": "zwm"}).context["total"] == 1
    assert client.get("/people/", {"q": "张伟"}).context["total"] == 2
    # … which refuses ID numbers and phones, so they never end up in a URL (the platform answers such
    # a URL with a redirect to the page without it, core.middleware.PersonalNumbersInUrlMiddleware).
    refused = client.get("/people/", {"q": ID}, follow=True)
    assert refused.redirect_chain == [("/people/", 303)]
    assert "不能放在网址中" in refused.content.decode()
    assert ID not in refused.content.decode()
    # The API looks up from the request body and answers masked.
    api = client.post("/api/v1/people/persons/lookup/", {"value": ID}, content_type="application/json")
    assert api.status_code == 200
    assert [r["id"] for r in api.json()["results"]] == [zhang.pk]
    assert api.json()["results"][0]["id_number"] == mask_id_number(ID)
    assert api.json()["results"][0]["phone"] == mask_phone(PHONE)
    assert client.get("/api/v1/people/persons/", {"q": ID}).status_code == 400


def test_a_user_finds_nobody_outside_their_jurisdiction(client, world):
    make_person(world.wl_grid, name="无梁人", id_number=ID)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.post("/people/", {"do": "find", "value": ID}).context["total"] == 0
    api = client.post("/api/v1/people/persons/lookup/", {"value": ID}, content_type="application/json")
    assert api.json()["count"] == 0


def test_pages_api_and_exports_show_numbers_masked(client, world, zhang):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    for url in (zhang.get_absolute_url(), "/people/", f"/api/v1/people/persons/{zhang.pk}/"):
        body = client.get(url).content.decode()
        assert mask_id_number(ID) in body
        assert ID not in body
        assert PHONE not in body
    export = client.get("/people/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert mask_id_number(ID) in cells
    assert ID not in cells
    assert AuditEntry.objects.filter(action="export", object_type="people.person").exists()


def test_a_person_without_an_id_number_answers_a_string_as_the_schema_says(client, world):
    # The fuzzer's finding: a foreign resident (no ID number, NULL) came back as "id_number": null on
    # the list, the detail and GET lookup/, where the schema says a string.
    foreign = make_person(world.gc_grid, name="外籍人", id_number=None, phone="", is_foreign=True)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    listed = client.get("/api/v1/people/persons/lookup/").json()["results"]
    rows = [row for row in listed if row["id"] == foreign.pk]
    rows.append(client.get(f"/api/v1/people/persons/{foreign.pk}/").json())
    for row in rows:
        assert row["id_number"] == ""
        assert row["phone"] == ""
    assert len(rows) == 2


def test_an_export_with_full_numbers_needs_a_reason_and_is_audited(client, world, zhang):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    refused = client.post("/people/", {"do": "export_reveal", "reason": ""})
    assert refused.status_code == 400
    resp = client.post("/people/", {"do": "export_reveal", "reason": "报送县卫健委核对"})
    cells = [c for row in load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True) for c in row]
    assert ID in cells
    entry = AuditEntry.objects.filter(action="export", object_type="people.person").latest("seq")
    assert entry.reason == "报送县卫健委核对"
    assert entry.after["filters"]["revealed"] == ["id_number", "phone"]
    # A role without the reveal permission cannot do it at all.
    client.force_login(world.user(Role.LEADER))
    assert client.post("/people/", {"do": "export_reveal", "reason": "看看"}).status_code == 404


def test_a_large_export_of_residents_is_written_by_the_worker_full_numbers_included(client, world, zhang, settings):
    """A township's residents (tens of thousands; the city's a million) were written inside the request,
    12 s for 27,000 rows: over the background threshold both exports go to the worker, the revealed one
    audited with its reason when asked and written only while the user still holds the permission."""
    from anmin.core.ledgers import export_jobs

    make_person(world.gc_grid, name="李四")
    settings.ANMIN_EXPORT_BACKGROUND_ROWS = 1
    user = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(user)
    resp = client.post("/people/", {"do": "export_reveal", "reason": "报送县卫健委核对"})
    assert resp.status_code == 302
    token = resp["Location"].split("export_job=")[1]
    assert AuditEntry.objects.filter(action="export", reason="报送县卫健委核对").exists()
    assert export_jobs.run(token, user.pk, "/people/", {}, "people.reveal_person")["rows"] >= 2
    file = client.get("/people/", {"export_job": token, "download": "1"})
    cells = [c for row in load_workbook(io.BytesIO(file.content)).active.iter_rows(values_only=True) for c in row]
    assert ID in cells
    assert "完整号码" in file["Content-Disposition"] or "%E5%AE%8C%E6%95%B4" in file["Content-Disposition"]
    plain = client.get("/people/", {"export": "xlsx"})
    assert plain.status_code == 302
    token = plain["Location"].split("export_job=")[1]
    export_jobs.run(token, user.pk, "/people/", {})
    file = client.get("/people/", {"export_job": token, "download": "1"})
    cells = [c for row in load_workbook(io.BytesIO(file.content)).active.iter_rows(values_only=True) for c in row]
    assert ID not in cells
    assert mask_id_number(ID) in cells
    # The permission gone before the worker writes: no file with full numbers.
    resp = client.post("/people/", {"do": "export_reveal", "reason": "再次核对"})
    token = resp["Location"].split("export_job=")[1]
    assert export_jobs.run(token, user.pk, "/people/", {}, "no_app.no_such_permission") == {"rows": 0}
    assert "无权导出完整号码" in client.get("/people/", {"export_job": token}).content.decode()


def test_revealing_needs_the_permission_and_a_reason_and_writes_an_access_record(client, world, zhang):
    url = f"/people/persons/{zhang.pk}/reveal/"
    client.force_login(world.user(Role.GRID_WORKER))
    no_reason = client.post(url, {"fields_wanted": ["id_number"], "reason": " "})
    assert no_reason.status_code == 400
    assert not AuditEntry.objects.filter(action="reveal").exists()
    resp = client.post(url, {"fields_wanted": ["id_number", "phone"], "reason": "入户核实身份"})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert ID in body
    assert PHONE in body
    assert resp["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.object_type, entry.object_id, entry.reason) == ("people.person", str(zhang.pk), "入户核实身份")
    assert entry.after == {"fields": ["id_number", "phone"]}
    # A leader sees the resident but may not reveal; out of scope is 404.
    client.force_login(world.user(Role.LEADER))
    denied = client.post(url, {"fields_wanted": ["id_number"], "reason": "想看"})
    assert ID not in denied.content.decode()
    with pytest.raises(actions.NotPermitted):
        actions.reveal_person(actor=world.user(Role.LEADER), person=zhang, fields=["id_number"], reason="想看")
    other = make_person(world.wl_grid, name="无梁人")
    client.force_login(world.user(Role.GRID_WORKER))
    assert client.get(f"/people/persons/{other.pk}/reveal/").status_code == 404
    assert AuditEntry.objects.filter(action="reveal").count() == 1


def test_concurrent_edits_of_a_person_one_wins_the_other_gets_a_conflict(client, world, zhang):
    township, village = world.user(Role.TOWNSHIP_CENTER), world.user(Role.VILLAGE_CENTER)
    actions.update_person(actor=township, person=zhang, expected_version=1, changes={"current_address": "东街1号"})
    with pytest.raises(actions.Conflict) as conflict:
        actions.update_person(actor=village, person=zhang, expected_version=1, changes={"current_address": "西街2号"})
    assert "已被他人修改" in conflict.value.message
    zhang.refresh_from_db()
    assert (zhang.current_address, zhang.version) == ("东街1号", 2)
    client.force_login(village)
    page = client.post(
        f"/people/persons/{zhang.pk}/edit/",
        {
            "name": "张伟明",
            "region": world.gc_grid.pk,
            "current_address": "西街2号",
            "version": 1,
            "ethnicity": "汉族",
        },
    )
    assert page.status_code == 409
    assert "已被他人修改" in page.content.decode()


def test_a_person_can_be_put_on_a_special_register_from_their_page(client, world):
    person = make_person(world.gc_grid, name="钱进")
    client.force_login(world.user(Role.VILLAGE_CENTER))
    url = f"/people/persons/{person.pk}/special/"
    assert "社区矫正人员" in client.get(url).content.decode()
    form = client.get(url, {"kind": "correction"})
    assert form.status_code == 200
    data = {
        "kind": "correction",
        "correction_type": "probation",
        "starts_on": "2020-01-01",
        "ends_on": "2019-01-01",
        "registered_on": "2020-01-02",
        "idempotency_key": "k-1",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "矫正结束日期：须晚于矫正开始日期" in bad.content.decode()
    resp = client.post(url, {**data, "ends_on": "2021-06-30", "idempotency_key": "k-2"})
    assert resp.status_code == 302
    # A retried submission (same key) creates nothing more.
    again = client.post(url, {**data, "ends_on": "2021-06-30", "idempotency_key": "k-2"})
    assert again.status_code == 302
    record = person.communitycorrection_records.get()
    assert record.get_absolute_url() == resp["Location"]


def test_bulk_created_persons_keep_their_whole_blind_index(world):
    """On PostgreSQL a bulk insert casts through ``UNNEST(...::<type>[])`` without the length; core's
    ``BlindIndexField`` keeps the 64-character index whole there (the demo bulk-inserts persons)."""
    numbers = [make_id_number(birth_date=dt.date(1980, 1, 1), sequence=n) for n in (11, 12, 13)]
    Person.objects.bulk_create(
        Person(name=f"赵{n[-4:]}", id_number=n, phone=PHONE, region=world.gc_grid) for n in numbers
    )
    indexes = Person.objects.filter(name__startswith="赵").values_list("id_number_index", "phone_index")
    assert len(indexes) == 3
    assert all(len(i) == len(p) == 64 for i, p in indexes)
    assert Person.objects.get(id_number=numbers[1]).name == f"赵{numbers[1][-4:]}"


def test_a_special_records_edit_with_a_tampered_version_is_told_it_changed_not_a_500(client, world):
    """The edit of a register's record sends its version back in a hidden field: a value that is no
    number at all (tampered) is a stale page (409, nothing saved) — it was ``int()`` of it, a 500."""
    person = make_person(world.gc_grid, name="孙立")
    client.force_login(world.user(Role.VILLAGE_CENTER))
    url = f"/people/persons/{person.pk}/special/"
    data = {"kind": "correction", "correction_type": "probation", "starts_on": "2020-01-01",
            "ends_on": "2021-06-30", "registered_on": "2020-01-02", "idempotency_key": "k-t"}
    assert client.post(url, data).status_code == 302
    record = person.communitycorrection_records.get()
    edit = {"correction_type": "probation", "starts_on": "2020-01-01", "ends_on": "2021-12-31",
            "registered_on": "2020-01-02"}
    for junk in ("abc", "长" * 1000, "a\x00b"):
        resp = client.post(record.get_absolute_url(), {**edit, "version": junk})
        assert resp.status_code == 409, junk
        assert "在您打开后已被他人修改" in resp.content.decode()
    record.refresh_from_db()
    assert record.ends_on == dt.date(2021, 6, 30)
    ok = client.post(record.get_absolute_url(), {**edit, "version": record.version})
    assert ok.status_code == 302


def test_a_special_records_edit_names_the_field_of_each_error(client, world):
    """The register's edit form was Django's own ModelForm: 该字段是必填项 / 输入一个有效的日期 beside a
    field, naming neither; the kit's form says which field and which rule."""
    person = make_person(world.gc_grid, name="周航")
    client.force_login(world.user(Role.VILLAGE_CENTER))
    url = f"/people/persons/{person.pk}/special/"
    data = {"kind": "correction", "correction_type": "probation", "starts_on": "2020-01-01",
            "ends_on": "2021-06-30", "registered_on": "2020-01-02", "idempotency_key": "k-n"}
    assert client.post(url, data).status_code == 302
    record = person.communitycorrection_records.get()
    resp = client.post(record.get_absolute_url(), {"correction_type": "", "starts_on": "2026-02-30",
                                                   "ends_on": "", "registered_on": "", "version": record.version})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "该字段是必填项" not in html
    assert "输入一个有效的日期" not in html
    assert "「矫正开始日期」的日期格式不正确" in html
    assert "「列管日期」为必填项" in html


@pytest.mark.parametrize("version", [0, -1, 2**31])
def test_an_api_edit_with_a_version_out_of_its_range_is_a_400_naming_it(client, world, zhang, version):
    """A person's version is 1 … 2^31−1, as the schema says: outside that an API edit is a 400 naming
    ``version`` (it was read as any integer and answered 409 as if someone else had changed the person)."""
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.patch(f"/api/v1/people/persons/{zhang.pk}/", {"current_address": "东街1号", "version": version},
                        content_type="application/json")
    assert resp.status_code == 400, resp.content
    assert resp.json()["field"] == "version"
    zhang.refresh_from_db()
    assert zhang.version == 1


@pytest.mark.parametrize("encoding", ["multipart", "form"])
def test_a_form_encoded_api_edit_leaves_a_yes_no_field_it_does_not_name_as_it_was(client, world, zhang, encoding):
    """A form-encoded or multipart request that leaves out a yes/no field leaves it as stored, as a JSON
    one does: DRF read a missing boolean of such a request as false (an unticked HTML checkbox sends
    nothing), so a PUT naming every other field cleared 外籍人员 and a create stored 否 over the model's
    default."""
    from urllib.parse import urlencode

    zhang.is_foreign = True
    zhang.save(update_fields=["is_foreign"])
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    body = {"name": zhang.name, "region": zhang.region_id, "current_address": "东街1号", "version": 1}
    url = f"/api/v1/people/persons/{zhang.pk}/"
    if encoding == "form":
        resp = client.put(url, urlencode(body), content_type="application/x-www-form-urlencoded")
    else:
        from django.test.client import MULTIPART_CONTENT, encode_multipart

        resp = client.put(url, encode_multipart("BoUnDaRy", body), content_type=MULTIPART_CONTENT.replace(
            "BoUnDaRyStRiNg", "BoUnDaRy"))
    assert resp.status_code == 200, resp.content
    zhang.refresh_from_db()
    assert zhang.current_address == "东街1号"
    assert zhang.is_foreign is True
    assert resp.json()["is_foreign"] is True
