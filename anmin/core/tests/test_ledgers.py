"""The Excel ledger framework: declarative columns, a dry run that reports every bad row, imports of
all or only the valid rows in one transaction, the upload → report → confirm pages, and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import include, path
from django.views.generic import TemplateView
from openpyxl import Workbook, load_workbook

from anmin.core import ledgers
from anmin.core.models import AuditEntry, OrgUnit, Role
from anmin.core.models.orgs import OrgKind
from anmin.core.protected import make_id_number

ID1 = make_id_number(birth_date=dt.date(1980, 1, 1), sequence=11)
ID2 = make_id_number(birth_date=dt.date(1985, 5, 5), sequence=22)
ID3 = make_id_number(birth_date=dt.date(1990, 9, 9), sequence=33)


class OrgLedger(ledgers.Ledger):
    """A small ledger of org units, enough to exercise every part of the framework."""

    key = "tests.orgs"
    title = "测试机构台账"
    model = OrgUnit
    columns = (
        ledgers.Column("机构名称", "name", ledgers.text(max_length=20), required=True),
        ledgers.Column("机构编码", "code", ledgers.text(max_length=30), required=True, aliases=("编码",)),
        ledgers.Column("负责人身份证号", "id_number", ledgers.id_number(label="负责人身份证号")),
        ledgers.Column("成立日期", "founded", ledgers.date()),
        ledgers.Column("经费", "budget", ledgers.decimal(min_value=0)),
        ledgers.Column("在用", "active", ledgers.boolean(), default=True),
        ledgers.Column(
            "类型",
            "kind",
            ledgers.choice({"部门": OrgKind.DEPARTMENT, "综治中心": OrgKind.CENTER}),
            default=OrgKind.DEPARTMENT,
        ),
        ledgers.Column("人数", "staff", ledgers.integer(min_value=1, max_value=99)),
    )
    unique = ("code",)

    def __init__(self, *, region=None, **kwargs):
        super().__init__(**kwargs)
        self.region = region
        self.prepared = 0

    def prepare(self):
        self.prepared += 1

    def check_row(self, values, row):
        if values.get("kind") == OrgKind.CENTER and not values.get("founded"):
            raise ValidationError({"founded": "成立日期：综治中心必须填写"})

    def find_existing(self, rows):
        codes = {r.values.get("code"): r.row for r in rows if r.values.get("code")}
        for code in OrgUnit.objects.filter(code__in=list(codes)).values_list("code", flat=True):
            yield self.row_error(codes[code], "code", "机构编码：已存在")

    def save(self, rows):
        OrgUnit.objects.bulk_create(
            [
                OrgUnit(code=r.values["code"], name=r.values["name"], kind=r.values["kind"], region=self.region)
                for r in rows
            ]
        )
        return len(rows)


HEADER = ["机构名称", "机构编码", "负责人身份证号", "成立日期", "经费", "在用", "类型", "人数"]


def xlsx(rows, *, header=HEADER, title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good(i: int, **over):
    row = {
        "name": f"机构{i}",
        "code": f"org-x{i}",
        "id": ID1,
        "founded": "2019-01-0" + str(1 + i % 8),
        "budget": "1000",
        "active": "是",
        "kind": "部门",
        "staff": 5,
    }
    row.update(over)
    return [
        row["name"],
        row["code"],
        row["id"],
        row["founded"],
        row["budget"],
        row["active"],
        row["kind"],
        row["staff"],
    ]


def errors_by_row(report):
    return {(e.row, e.field): e.message for e in report.errors}


def test_a_dry_run_reports_every_bad_row_with_its_row_number_and_column(world):
    OrgUnit.objects.create(code="org-taken", name="已有", kind=OrgKind.DEPARTMENT, region=world.city)
    bad_id = ID2[:-1] + ("0" if ID2[-1] != "0" else "1")
    data = xlsx(
        [
            good(1),
            good(2, name=""),  # row 3: required
            good(3, id=bad_id),  # row 4: check digit
            good(4, founded="2019-13-01"),  # row 5: not a date
            good(5, budget="-3"),  # row 6: below minimum
            good(6, active="也许"),  # row 7: not yes/no
            good(7, kind="公司"),  # row 8: not a choice
            good(8, staff=120),  # row 9: out of range
            good(9, code="org-x1"),  # row 10: repeats row 2
            good(10, code="org-taken"),  # row 11: in the database
            good(11, kind="综治中心", founded=None),  # row 12: cross-field rule
            good(12, id=int(ID3[:15])),  # row 13: a number cell
            [None] * 8,  # blank row: skipped
            good(13),
        ],
        title="某某镇机构台账",
    )
    ledger = OrgLedger(region=world.city)
    report = ledger.dry_run(data)
    found = errors_by_row(report)
    assert set(found) == {
        (4, "name"),
        (5, "id_number"),
        (6, "founded"),
        (7, "budget"),
        (8, "active"),
        (9, "kind"),
        (10, "staff"),
        (11, "code"),
        (12, "code"),
        (13, "founded"),
        (14, "id_number"),
    }
    assert found[(4, "name")] == "机构名称：必填"
    assert found[(5, "id_number")].startswith("负责人身份证号校验位错误")
    assert found[(11, "code")] == "机构编码：与第3行重复"
    assert found[(12, "code")] == "机构编码：已存在"
    assert found[(13, "founded")] == "成立日期：综治中心必须填写"
    assert "文本" in found[(14, "id_number")]
    assert found[(10, "staff")] == "人数：应在1至99之间"
    assert all(ID2 not in e.message and ID3[:15] not in e.message for e in report.errors)
    assert report.total == 13
    assert report.valid_count == 2
    assert report.invalid_count == 11
    assert ledger.prepared == 1
    assert OrgUnit.objects.filter(code__startswith="org-x").count() == 0  # a dry run writes nothing


def test_import_is_all_or_nothing_or_only_the_valid_rows_as_chosen(world):
    data = xlsx([good(1), good(2, staff=0), good(3)])
    ledger = OrgLedger(region=world.city, user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(data)
    with pytest.raises(ledgers.LedgerImportError) as refused:
        ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert "未导入任何行" in refused.value.message
    assert OrgUnit.objects.filter(code__startswith="org-x").count() == 0
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert result.imported == 2
    assert result.skipped_rows == (3,)
    assert set(OrgUnit.objects.filter(code__startswith="org-x").values_list("code", flat=True)) == {"org-x1", "org-x3"}
    entry = AuditEntry.objects.filter(action="import", object_type="tests.orgs").get()
    assert entry.after["imported"] == 2
    assert entry.after["skipped_rows"] == [3]


def test_a_failure_while_saving_rolls_the_whole_import_back(world):
    class Failing(OrgLedger):
        batch_size = 1

        def save(self, rows):
            super().save(rows)
            raise ValidationError("机构编码：保存时冲突")

    ledger = Failing(region=world.city)
    report = ledger.dry_run(xlsx([good(1), good(2)]))
    with pytest.raises(ledgers.LedgerImportError) as failed:
        ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING)
    assert "已全部撤销" in failed.value.message
    assert not OrgUnit.objects.filter(code__startswith="org-x").exists()


def test_a_file_without_the_required_columns_or_not_a_workbook_is_refused(world):
    ledger = OrgLedger(region=world.city)
    report = ledger.dry_run(xlsx([["a", "b"]], header=["机构名称", "别的"]))
    assert report.file_errors
    assert "机构编码" in report.file_errors[0].message
    assert ledger.dry_run(b"not a workbook").file_errors[0].message.startswith("文件不是有效的")
    with pytest.raises(ledgers.LedgerImportError):
        ledger.run_import(report, mode=ledgers.VALID_ONLY)


def test_headers_match_with_aliases_stars_and_spaces(world):
    header = ["机构名称*", " 编码 ", "在用"]
    report = OrgLedger(region=world.city).dry_run(xlsx([["甲", "org-x1", "否"]], header=header))
    assert report.valid_count == 1
    assert report.rows[0].values == {**report.rows[0].values, "code": "org-x1", "active": False}


def test_the_export_has_the_import_columns_and_masks_protected_values(world):
    from anmin.core.protected import Protected

    class Row:
        name, code, founded, budget, active, staff = "甲", "c1", dt.date(2020, 1, 2), Decimal("5"), True, 3
        kind = OrgKind.DEPARTMENT
        id_number = Protected(ID1, kind="id_number")

    ledger = OrgLedger(region=world.city)
    masked = load_workbook(io.BytesIO(ledger.workbook([Row()]))).active
    rows = list(masked.iter_rows(values_only=True))
    assert rows[0][:2] == ("机构名称*", "机构编码*")
    assert rows[1][2] == f"{ID1[:3]}***********{ID1[-4:]}"
    assert rows[1][5] == "是"
    revealed = list(load_workbook(io.BytesIO(ledger.workbook([Row()], reveal=True))).active.iter_rows(values_only=True))
    assert revealed[1][2] == ID1
    # The export re-imports as it is.
    assert OrgLedger(region=world.city).dry_run(ledger.workbook([Row()], reveal=True)).valid_count == 1


class KnownOrgLedger(OrgLedger):
    """Like ``OrgLedger``, but a row with the code and name of an org unit already registered is that
    unit (a row of an earlier export): existing, not an error."""

    def find_existing(self, rows):
        codes = {r.values.get("code"): r for r in rows if r.values.get("code")}
        for code, name in OrgUnit.objects.filter(code__in=list(codes)).values_list("code", "name"):
            r = codes[code]
            if r.values.get("name") == name:
                r.existing = True
            else:
                yield self.row_error(r.row, "code", "机构编码：已存在")

    def save(self, rows):
        self.saved = [r.row for r in rows]
        return super().save(rows)


def test_rows_already_registered_are_counted_apart_and_skipped_by_the_import(world):
    OrgUnit.objects.create(code="org-x1", name="机构1", kind=OrgKind.DEPARTMENT, region=world.city)
    OrgUnit.objects.create(code="org-x2", name="别的名字", kind=OrgKind.DEPARTMENT, region=world.city)
    data = xlsx([good(1), good(2), good(3), good(4, staff=0), good(5)])
    ledger = KnownOrgLedger(region=world.city, user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(data)
    assert (report.total, report.new_count, report.existing_count, report.invalid_count) == (5, 2, 1, 2)
    assert [r.row for r in report.new_rows] == [4, 6]
    assert [r.row for r in report.existing_rows] == [2]
    assert report.valid_count == 3  # new and existing
    result = ledger.run_import(report, mode=ledgers.VALID_ONLY)
    assert ledger.saved == [4, 6]
    assert (result.imported, result.existing_rows, result.skipped_rows) == (2, (2,), (3, 5))
    assert result.message == "已导入2行，跳过已存在的1行，跳过有错误的2行"
    assert AuditEntry.objects.filter(action="import", object_type="tests.orgs").get().after["existing"] == 1


def test_a_file_of_rows_all_registered_has_nothing_to_import(world):
    OrgUnit.objects.create(code="org-x1", name="机构1", kind=OrgKind.DEPARTMENT, region=world.city)
    ledger = KnownOrgLedger(region=world.city)
    report = ledger.dry_run(xlsx([good(1)]))
    assert (report.new_count, report.existing_count, report.errors) == (0, 1, [])
    with pytest.raises(ledgers.LedgerImportError, match="没有需要导入的新增行"):
        ledger.run_import(report, mode=ledgers.ALL_OR_NOTHING)


# --- the pages -------------------------------------------------------------------------------------------


class OrgImportPage(ledgers.LedgerImportMixin, TemplateView):
    template_name = "anmin/pagination.html"
    import_permission = "core.view_region"
    ledger_class = OrgLedger

    def get_ledger(self):
        from anmin.core.models import Region

        return OrgLedger(region=Region.objects.get(code="411081000000"), user=self.request.user, request=self.request)


urlpatterns = [path("test-import/", OrgImportPage.as_view(), name="test_import"), path("", include("anmin.urls"))]


@pytest.fixture
def uploads(settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"
    return tmp_path / "uploads"


def _upload(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("机构.xlsx", data, content_type=ledgers.XLSX_CONTENT_TYPE)
    return client.post("/test-import/", {"ledger_step": "upload", "file": f})


@pytest.mark.urls(__name__)
def test_upload_report_confirm_names_the_choice_and_imports_only_then(client, world, uploads):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get("/test-import/?import=1").status_code == 200
    template = client.get("/test-import/?import=template")
    assert template["Content-Type"] == ledgers.XLSX_CONTENT_TYPE
    resp = _upload(client, xlsx([good(1), good(2, staff=0), good(3)]))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "只导入无误的新增 2 行，跳过有错误的 1 行" in body
    assert "全部导入（有错误则一行也不导入）" in body
    assert "第 3 行" in body
    assert "人数：应在1至99之间" in body
    token = resp.context["token"]
    stored = list(uploads.iterdir())
    assert stored
    assert not any(p.read_bytes().startswith(b"PK") for p in stored)
    assert not OrgUnit.objects.filter(code__startswith="org-x").exists()
    refused = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "all_or_nothing"})
    assert refused.status_code == 422
    assert "未导入任何行" in refused.content.decode()
    assert not OrgUnit.objects.filter(code__startswith="org-x").exists()
    done = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert done.status_code == 200
    assert "只导入无误的行（跳过有错误的行）" in done.content.decode()
    assert "已导入2行" in done.content.decode()
    assert OrgUnit.objects.filter(code__startswith="org-x").count() == 2
    again = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert again.status_code == 409
    assert OrgUnit.objects.filter(code__startswith="org-x").count() == 2


@pytest.mark.urls(__name__)
def test_a_changed_database_between_report_and_confirm_imports_nothing(client, world, uploads):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    token = _upload(client, xlsx([good(1), good(2)])).context["token"]
    OrgUnit.objects.create(code="org-x2", name="抢先", kind=OrgKind.DEPARTMENT, region=world.city)
    resp = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert resp.status_code == 409
    assert "预检结果与您确认时不同" in resp.content.decode()
    assert not OrgUnit.objects.filter(code="org-x1").exists()
    # Confirming the new report imports what it shows.
    resp = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert resp.status_code == 200
    assert OrgUnit.objects.filter(code="org-x1").exists()


@pytest.mark.urls(__name__)
def test_another_users_upload_cannot_be_confirmed_and_without_permission_the_import_is_absent(
    client, world, uploads, monkeypatch
):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    token = _upload(client, xlsx([good(1)])).context["token"]
    client.force_login(world.user(Role.VILLAGE_CENTER))
    resp = client.post("/test-import/", {"ledger_step": "confirm", "token": token, "mode": "valid_only"})
    assert resp.status_code == 409
    assert not OrgUnit.objects.filter(code="org-x1").exists()
    monkeypatch.setattr(OrgImportPage, "import_permission", "core.view_auditentry")
    assert client.get("/test-import/?import=1").status_code == 404
    assert client.post("/test-import/", {"ledger_step": "upload"}).status_code == 404
