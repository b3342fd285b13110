"""The ledgers centres keep today: a resident list with 20 planted errors gets exactly those 20
row/column messages and nothing is imported until the user chooses; the patient and community
correction ledgers; exports in the same columns, masked unless revealed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from anmin.core import ledgers
from anmin.core.models import AuditEntry, Role
from anmin.core.protected import make_id_number, mask_id_number

from ..importers import CorrectionLedger, ResidentLedger
from ..models import CommunityCorrection, Person
from .factories import make_person

HEADER = [
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "联系电话",
    "现住地详址",
    "乡镇(街道)",
    "村(社区)",
    "网格",
    "民族",
]


def ident(n: int, *, sex: str = "男", birth: dt.date | None = None) -> str:
    return make_id_number(birth_date=birth or ident_birth(n), sequence=n, sex=sex)


def ident_birth(n: int) -> dt.date:
    return dt.date(1950, 1, 1) + dt.timedelta(days=(97 * n) % 20000)


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["古城镇实有人口台账（2020年12月）"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(n: int, **over):
    """A good row of 古城村委会 第1网格 (the ID number's sex and birth date filled in or left blank)."""
    number = ident(n)
    values = {
        "name": f"居民{n}",
        "id": number,
        "sex": "男",
        "birth": None,
        "phone": f"1380000{n:04d}",
        "address": f"古城村{n}号",
        "township": "古城镇",
        "village": "古城村委会",
        "grid": "第1网格",
        "ethnicity": "汉族",
    }
    values.update(over)
    return [
        values[k]
        for k in ("name", "id", "sex", "birth", "phone", "address", "township", "village", "grid", "ethnicity")
    ]


def planted(world):
    """30 rows, 20 of them with one planted error each: (row number, field) → the row."""
    existing = ident(900)
    make_person(world.gc_grid, name="已登记", id_number=existing)
    rows: list[list] = []
    expected: dict[tuple[int, str], str] = {}

    def add(r, field=None, message=None):
        rows.append(r)
        if field:
            expected[(len(rows) + 2, field)] = message  # a title row and the header come first

    for n in range(1, 11):
        add(row(n))
    add(row(11, id=wrong_check_digit(ident(11))), "id_number", "校验位错误")
    add(row(12, id=wrong_check_digit(ident(12))), "id_number", "校验位错误")
    add(row(13, id=ident(13)[:17]), "id_number", "应为18位")
    add(row(14, birth=dt.date(1980, 5, 5)), "birth_date", "出生日期与公民身份号码第7–14位不一致")
    add(row(15, birth="1971-02-30"), "birth_date", "不是有效的日期")
    add(row(16, sex="女"), "sex", "性别与公民身份号码第17位不一致")
    add(row(17, sex="未知"), "sex", "不是可选值")
    add(row(18, village="不存在村"), "village", "“不存在村”不是本市的村(社区)")
    add(row(19, village="无梁村委会", township=None), "village", "不在您的辖区内")
    add(row(20, grid="第9网格"), "grid", "不是“古城村委会”的网格")
    add(row(21, township="古城乡"), "township", "不是本市的乡镇(街道)")
    add(row(22, id=ident(3)), "id_number", "与第5行重复")
    add(row(23, id=ident(4)), "id_number", "与第6行重复")
    add(row(24, id=existing), "id_number", "已登记（与已有人员重复）")
    add(row(25, name=None), "name", "姓名：必填")
    add(row(26, phone="12345"), "phone", "联系电话应为11位手机号码")
    add(row(27, ethnicity="火星族"), "ethnicity", "不是可选值")
    add(row(28, id=int(ident(28)[:15])), "id_number", "文本")
    add(row(29, village="大北村委会", grid="第1网格"), "grid", "不是“大北村委会”的网格")
    add(row(30, id=None), "id_number", "公民身份号码：必填")
    return xlsx(rows), expected


def test_a_ledger_with_20_planted_errors_gets_exactly_those_20_messages(world):
    data, expected = planted(world)
    assert len(expected) == 20
    ledger = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER))
    before = Person.objects.count()
    report = ledger.dry_run(data)
    found = {(e.row, e.field): e for e in report.errors}
    assert set(found) == set(expected)
    for key, fragment in expected.items():
        error = found[key]
        assert fragment in error.message, (key, error.message)
        assert error.column == ledger.header_of(key[1])
    assert (report.total, report.valid_count, report.invalid_count) == (30, 10, 20)
    # No message carries an ID number.
    assert not any(ident(n) in e.message for e in report.errors for n in range(1, 31))
    assert Person.objects.count() == before  # the dry run wrote nothing


@pytest.fixture
def uploads(settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path


def upload(client, url, data):
    f = SimpleUploadedFile("台账.xlsx", data, content_type=ledgers.XLSX_CONTENT_TYPE)
    return client.post(url, {"ledger_step": "upload", "file": f})


def test_nothing_is_imported_until_the_user_chooses_and_then_exactly_what_was_chosen(client, world, uploads):
    data, expected = planted(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    before = Person.objects.count()
    assert client.get("/people/", {"import": "1"}).status_code == 200
    report = upload(client, "/people/", data)
    body = report.content.decode()
    assert report.status_code == 200
    assert report.context["error_count"] == 20
    assert "只导入无误的新增 10 行，跳过有错误的 20 行" in body
    for (number, _field), _fragment in expected.items():
        assert f'data-row="{number}"' in body
    assert Person.objects.count() == before
    token = report.context["token"]
    refused = client.post("/people/", {"ledger_step": "confirm", "token": token, "mode": "all_or_nothing"})
    assert refused.status_code == 422
    assert Person.objects.count() == before
    done = client.post("/people/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert done.status_code == 200
    assert "已导入10行，跳过有错误的20行" in done.content.decode()
    assert Person.objects.count() == before + 10
    imported = Person.objects.get(name="居民3")
    assert (imported.region_id, imported.sex, imported.birth_date) == (world.gc_grid.code, "1", ident_birth(3))
    assert imported.name_initials == "jm3"
    assert AuditEntry.objects.filter(action="import", object_type="people.residents").exists()


def test_a_grid_worker_cannot_import_and_a_village_centre_only_into_its_village(client, world, uploads):
    client.force_login(world.user(Role.GRID_WORKER))
    assert client.get("/people/", {"import": "1"}).status_code == 404
    ledger = ResidentLedger(user=world.user(Role.VILLAGE_CENTER))
    report = ledger.dry_run(xlsx([row(1), row(2, village="大北村委会", grid=None)]))
    assert [(e.row, e.field) for e in report.errors] == [(4, "village")]


def test_the_community_correction_ledger_checks_its_dates(world):
    header = [*HEADER[:9], "矫正类别", "具体罪名", "矫正开始日期", "矫正结束日期"]
    rows = [
        [*row(60)[:9], "缓刑", "盗窃罪", "2020-01-01", "2021-12-31"],
        [*row(61)[:9], "假释", "诈骗罪", "2020-05-01", "2020-04-01"],
        [*row(62)[:9], "劳改", None, "2020-05-01", "2022-04-01"],
    ]
    ledger = CorrectionLedger(user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(xlsx(rows, header))
    assert {(e.row, e.field) for e in report.errors} == {(4, "ends_on"), (5, "correction_type")}
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 1
    record = CommunityCorrection.objects.get()
    assert (record.correction_type, record.person.name) == ("probation", "居民60")


def test_exports_use_the_ledger_columns_and_mask_unless_revealed(client, world):
    person = make_person(world.gc_grid, name="导出人", id_number=ident(70))
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    masked = load_workbook(io.BytesIO(client.get("/people/", {"export": "xlsx"}).content)).active
    rows = list(masked.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名*", "公民身份号码*")
    assert ("导出人", mask_id_number(ident(70))) in [r[:2] for r in rows]
    full = client.post("/people/", {"do": "export_reveal", "reason": "核对户籍"})
    data = full.content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert ("导出人", ident(70)) in [r[:2] for r in rows]
    # What was exported imports again (here: all duplicates of what is registered).
    report = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(data)
    assert [e.message for e in report.errors if e.row] == ["公民身份号码：已登记（与已有人员重复），请勿重复导入"]
    assert person.pk
