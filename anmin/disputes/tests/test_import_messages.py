"""What a user reads about a bad dispute row: a 调结日期 without its 调解结果 is that row's error, a
parser's message is named by the column once (not "申请人身份证号：身份证号码：…"), a bad legacy
15-digit number names the digits the user wrote, and numbers written with a unit (2人) are read."""

from __future__ import annotations

import re

import pytest

from anmin.core.models import Role
from anmin.core.testing import sheets
from anmin.disputes.importers import DisputeLedger
from anmin.disputes.models import Dispute

from .test_importers import row, workbook


def _sheet(header: list[str], rows: list[list]) -> bytes:
    return sheets.xlsx([header, *rows])


def _errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_conclusion_date_without_an_outcome_is_that_rows_error_not_silently_dropped(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    # the QA file's shape (disputes_rules.xlsx, row 8): only some columns, dates as offices write them
    data = _sheet(["纠纷名称", "纠纷类别", "村(社区)", "登记日期", "发生日期", "申请人", "调解结果", "调结日期"], [
        ["有结果有日期", "邻里纠纷", "古城村", "2020.5.1", None, "李一", "已化解", "2020.5.9"],
        ["只有调结日期", "邻里纠纷", "古城村", "2020.5.1", None, "李七", None, "2020.5.9"],
        ["都没有", "邻里纠纷", "古城村", "2020.5.1", None, "李八", None, None],
    ])
    ledger = DisputeLedger(user=user)
    report = ledger.dry_run(data)
    assert _errors(report) == [(3, "调解结果", "调解结果：已填写调结日期时必填")]
    assert (report.total, report.new_count, report.invalid_count) == (3, 2, 1)
    ledger.run_import(report, mode="valid_only")
    assert sorted(Dispute.objects.values_list("case__title", flat=True)) == ["有结果有日期", "都没有"]


def test_a_conclusion_date_in_a_ledger_without_an_outcome_column_is_a_warning_that_it_is_ignored(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    data = _sheet(["纠纷名称", "纠纷类别", "村(社区)", "登记日期", "申请人", "调结日期"],
                  [["只有调结日期", "邻里纠纷", "古城村", "2020.5.1", "李七", "2020.5.9"]])
    report = DisputeLedger(user=user).dry_run(data)
    assert report.errors == []
    assert [(w.row, w.column, w.message) for w in report.warnings] == [
        (2, "调结日期", "调结日期：台账没有调解结果列，调结日期不导入，纠纷按未办结登记")]


def test_a_parsers_message_is_named_by_the_column_once(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    data = workbook([
        row(title="短号", applicant_id="41108119650301011"),
        row(title="数值格式", applicant_id=411081196503010000),
        row(title="科学计数", applicant_id="4.11081E+17"),
        row(title="电话错", applicant_phone="12345"),
        row(title="被申请人", respondent_id="411081X96503010112"),
    ])
    report = DisputeLedger(user=user).dry_run(data)
    assert _errors(report) == [
        (2, "申请人身份证号", "申请人身份证号应为18位（旧号码为15位），当前为17位"),
        (3, "申请人身份证号", "申请人身份证号：单元格是数值格式，末位已丢失；请把该列设为“文本”后重新填写"),
        (4, "申请人身份证号", "申请人身份证号：“4.11081E+17”是科学计数法，号码已丢失；请把该列设为“文本”后重新填写"),
        (5, "申请人电话", "申请人电话应为11位手机号码（以13–19开头）"),
        (6, "被申请人身份证号", "被申请人身份证号前17位应为数字，第18位应为数字或X"),
    ]


@pytest.mark.parametrize(("number", "message"), [
    ("411081651301011", "申请人身份证号（15位旧号码）第7–12位不是有效的出生日期"),  # month 13
    ("41108165030101A", "申请人身份证号（15位旧号码）应全部为数字"),
])
def test_a_bad_legacy_number_names_the_digits_the_user_wrote(world, number, message):
    report = DisputeLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(workbook([row(applicant_id=number)]))
    assert _errors(report) == [(2, "申请人身份证号", message)]


def test_a_good_legacy_number_still_imports(world):
    ledger = DisputeLedger(user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(workbook([row(applicant_id="411081650301011")]))
    assert report.errors == []
    assert report.rows[0].values["applicant_id"].startswith("41108119650301011")


def test_a_number_of_people_with_its_unit_is_read(world):
    report = DisputeLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(workbook([
        row(title="两人", people_involved="2人"), row(title="五名", people_involved="5 名"),
        row(title="零人", people_involved="0人")]))
    assert [r.values.get("people_involved") for r in report.rows] == [2, 5, None]
    assert _errors(report) == [(4, "涉及人数", "涉及人数：不能小于1")]


def test_the_background_jobs_result_names_the_column_by_its_header(world, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anmin.core.ledgers import jobs

    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path
    settings.ANMIN_LEDGER_BACKGROUND_BYTES = 1000  # this small file counts as large
    user = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(user)
    data = workbook([row(title="好的"), row(title="号码错", applicant_id="411081196503010112")])
    page = client.post("/disputes/", {"ledger_step": "upload", "file": SimpleUploadedFile("大.xlsx", data)})
    token = page.context["token"]
    jobs.run(token, user.pk, "disputes.ledger")  # what `anmin worker` runs
    body = client.get(f"/disputes/?import=job&token={token}").content.decode()
    cells = re.findall(r'<tr data-row="3" data-field="applicant_id">(.*?)</tr>', body)
    assert len(cells) == 1
    shown = re.findall(r"<td[^>]*>(.*?)</td>", cells[0])
    assert shown[:2] == ["第 3 行", "申请人身份证号"]
    assert shown[3].startswith("申请人身份证号校验位错误")
    assert "applicant_id</td>" not in body
