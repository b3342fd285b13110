"""The publicity campaign and counselling pages (the kit's record pages): a campaign's ledger and its
materials on its page, in the user's jurisdiction only, exported without formulas."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from anmin.campaigns import actions
from anmin.core.actors import SYSTEM
from anmin.core.models import Role


def test_campaign_ledger_detail_and_export(world, client):
    ours = actions.record_campaign(actor=SYSTEM, title="=HYPERLINK(\"x\")", kind="focus", region=world.gucheng,
                                   held_on=dt.date(2020, 6, 24), place="夏禹公园",
                                   materials=[("picture", "反诈主题", 100), ("leaflet", "宣传彩页", 15000)])
    actions.record_campaign(actor=SYSTEM, title="无梁镇宣传日", kind="focus", region=world.wuliang,
                            held_on=dt.date(2020, 6, 25))
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert "夏禹公园" in page
    assert "无梁镇宣传日" not in page
    detail = client.get(ours.get_absolute_url()).content.decode()
    assert "15000" in detail
    assert "反诈主题" in detail
    wb = load_workbook(io.BytesIO(client.get(reverse("campaigns:campaign_list"), {"export": "xlsx"}).content))
    cells = [c for row in wb.active.iter_rows() for c in row if str(c.value or "").endswith('HYPERLINK("x")')]
    assert cells
    assert all(c.data_type == "s" for c in cells)  # written as text, never a formula
    assert client.get(reverse("campaigns:session_list")).status_code == 200
