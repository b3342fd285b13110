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
from anmin.core.testing import sheets

from ..importers import CorrectionLedger, ResidentLedger, record_no
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
    # What was exported imports again: the residents already registered, recognised by their 平台人员编号.
    report = ResidentLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(data)
    assert report.errors == []
    assert (report.new_count, report.existing_count) == (0, 1)
    assert person.pk


def _export(client, user) -> bytes:
    client.force_login(user)
    resp = client.get("/people/", {"export": "xlsx"})
    assert resp.status_code == 200
    return resp.content


def test_the_page_export_dry_runs_as_all_registered_with_no_errors(client, world):
    make_person(world.gc_grid, name="导出一", id_number=ident(71), phone="13800005002")
    make_person(world.gc_village, name="导出二", id_number=ident(72), phone="0374-8123456", is_migrant=True)
    make_person(world.gc_grid, name="导出三", id_number=ident(73), phone="")
    user = world.user(Role.TOWNSHIP_CENTER)
    data = _export(client, user)
    cells = [c for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in r if c]
    assert "13800005002" not in cells  # still masked
    assert "138****5002" in cells
    expected = Person.objects.visible_to(user).count()
    report = ResidentLedger(user=user).dry_run(data)
    assert report.errors == []
    assert (report.new_count, report.existing_count) == (0, expected)


def _sheet(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _xlsx_of(rows: list[list]) -> bytes:
    return sheets.xlsx(rows)


def test_new_rows_in_an_exported_file_are_new_and_need_full_numbers(client, world):
    make_person(world.gc_grid, name="导出一", id_number=ident(74), phone="13800005003")
    foreign = make_person(world.gc_grid, name="外籍人", id_number=None, phone="", is_foreign=True)
    user = world.user(Role.TOWNSHIP_CENTER)
    rows = _sheet(_export(client, user))
    header = [str(h).rstrip("*") for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    assert any(r[col["姓名"]] == foreign.name and not r[col["公民身份号码"]] for r in rows[1:])
    known = len(rows) - 1

    def new(name, idn, phone):
        r = [None] * len(header)
        r[col["姓名"]], r[col["公民身份号码"]], r[col["联系电话"]] = name, idn, phone
        r[col["乡镇(街道)"]], r[col["村(社区)"]], r[col["网格"]] = "古城镇", "古城村委会", "第1网格"
        return r

    data = _xlsx_of([rows[0], *rows[1:],
                     new("新增全号", ident(75), "13800005004"),
                     new("新增脱敏", mask_id_number(ident(76)), "13800005005"),
                     new("新增电话脱敏", ident(77), "138****5006")])
    ledger = ResidentLedger(user=user)
    report = ledger.dry_run(data)
    last = len(rows) + 1  # the spreadsheet row of the first added row
    assert sorted((e.row, e.field) for e in report.errors) == [(last + 1, "id_number"), (last + 2, "phone")]
    assert all("是脱敏值，新增人员须填写完整号码" in e.message for e in report.errors)
    assert (report.new_count, report.existing_count) == (1, known)
    before = Person.objects.count()
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 1
    assert Person.objects.count() == before + 1
    assert Person.objects.get(name="新增全号").id_number == ident(75)


def test_an_export_without_the_record_number_is_recognised_by_masked_number_name_and_place(client, world):
    make_person(world.gc_grid, name="旧导出", id_number=ident(78), phone="13800005007")
    user = world.user(Role.TOWNSHIP_CENTER)
    rows = _sheet(_export(client, user))
    assert str(rows[0][-1]).startswith("平台人员编号")
    data = _xlsx_of([r[:-1] for r in rows])
    report = ResidentLedger(user=user).dry_run(data)
    assert report.errors == []
    assert (report.new_count, report.existing_count) == (0, len(rows) - 1)


def test_a_record_number_that_does_not_fit_its_row_is_an_error(client, world):
    people = [make_person(world.gc_grid, name=f"编号人{n}", id_number=ident(80 + n)) for n in range(4)]
    other = make_person(world.wl_village, name="编号人2", id_number=ident(85))  # not the township's
    user = world.user(Role.TOWNSHIP_CENTER)
    rows = _sheet(_export(client, user))
    header = [str(h).rstrip("*") for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    mine = [next(r for r in rows if r[col["姓名"]] == p.name) for p in people]
    mine[0][col["姓名"]] = "别人"
    mine[1][col["公民身份号码"]] = mask_id_number(ident(89))
    mine[2][col["平台人员编号"]] = record_no(other)
    mine[3][col["平台人员编号"]] = "17"
    report = ResidentLedger(user=user).dry_run(_xlsx_of([rows[0], *mine]))
    assert sorted((e.row, e.field) for e in report.errors) == [
        (2, "name"), (3, "id_number"), (4, "record_no"), (5, "record_no")]
    assert "不是您辖区内已登记的人员" in next(e.message for e in report.errors if e.row == 4)
    assert report.existing_count == 0
