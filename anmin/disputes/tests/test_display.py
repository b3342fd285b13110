"""The dispute page and ledger tell the truth: the category by name, the risk colour as a coloured
badge (the raised one, with why), no "调解中" before anyone mediates, and the Excel export carries the
colour the page shows."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from anmin.core.codes import code_name
from anmin.core.models import Role

from .test_disputes import report


def test_the_page_shows_names_and_the_raised_colour_and_the_export_agrees(client, world):
    d = report(world, assessed_colour="yellow", risk_flags=["threat_revenge"])
    assert (d.assessed_colour, d.colour) == ("yellow", "red")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))

    page = client.get(d.get_absolute_url()).content.decode()
    name = code_name("dispute_category", "0902")
    assert name != "0902"
    assert name in page
    assert not re.search(r">\s*0902\s*<", page)
    assert 'class="colour colour-red"' in page
    assert "研判为黄" in page
    assert "调解中" not in page  # no mediation yet: no outcome word

    ledger = client.get("/disputes/").content.decode()
    assert '<span class="colour colour-red" data-colour="red">红</span>' in ledger
    assert "调解中" not in ledger
    assert "---------" not in ledger

    rows = list(load_workbook(io.BytesIO(client.get("/disputes/?export=xlsx").content)).active
                .iter_rows(values_only=True))
    assert rows[1][rows[0].index("风险等级")] == "红"  # as on screen, not the worker's 黄


def test_the_report_form_groups_categories_in_code_order_and_errors_every_field_at_once(client, world):
    client.force_login(world.user(Role.GRID_WORKER))
    page = client.get("/disputes/report/").content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups[:2] == ["婚恋家庭", "邻里"]
    codes = re.findall(r'<option value="(\d{4})"', page)
    assert codes == sorted(codes)  # 0101, 0102 … 0201, not 0101, 0201 … 0102
    assert 'data-filter="输入名称筛选"' in page
    assert "---------" not in page
    assert ">——<" not in page
    assert "请选择" in page
    assert re.search(r'<option value="\d+" selected>[^<]*第1网格', page)  # the grid worker's only grid

    resp = client.post("/disputes/report/", {"idempotency_key": "k1"})
    html = resp.content.decode()
    assert resp.status_code == 400  # refused: the form again, its errors at the fields
    for label in ("纠纷名称", "纠纷类别", "纠纷情况", "申请人姓名", "被申请人姓名"):
        assert f"「{label}」为必填项" in html  # every one at once, at its field, in one wording
    assert html.count('class="field-error"') >= 5


def test_the_ledger_filters_offer_all_and_categories_by_group(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/disputes/").content.decode()
    assert "---------" not in page
    assert '<select name="category"' in page
    assert '<option value="09">' in page  # a whole group can be picked
    assert ">全部<" in page


def test_a_future_day_a_bad_id_number_and_a_bad_phone_are_told_with_the_other_errors_at_their_fields(client, world):
    """One submit tells every mistake, each at its field (not a future day, then a party's ID number, then
    a phone, one round after another at the top of the form as "第1位当事人…")."""
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.post("/disputes/report/", {
        "idempotency_key": "k2", "found_on": "2099-01-01", "applicant_id_number": "411081199001011234",
        "applicant_phone": "1391234", "respondent_phone": "138abc12345", "amount": "十万"})
    html = resp.content.decode()
    assert resp.status_code == 400  # refused: the form again, its errors at the fields
    assert "「纠纷名称」为必填项" in html
    assert "「排查/登记日期」不能晚于今天" in html
    assert "「申请人身份证号」校验位错误" in html
    assert "「申请人电话」应为11位手机号码" in html
    assert "「被申请人电话」应为11位手机号码" in html
    assert "「涉及金额(元)」须为数字" in html
    assert "第1位当事人" not in html
