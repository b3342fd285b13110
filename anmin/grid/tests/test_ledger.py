"""The 网格事件台账 imported from Excel through the ledger framework (the kit's CaseLedger): a title row,
short village names, categories by name, every row's errors together; good rows reported through
report_event (cases routed to the township centre); an export dry-runs back as nothing new."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from anmin.core import clock, ledgers
from anmin.core.ledgers import parsers
from anmin.core.models import Role
from anmin.grid.importers import GridEventLedger
from anmin.grid.models import GridEvent


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["古城镇网格事件排查登记表"])
    ws.append(["村(社区)", "网格", "事件类别", "情况描述", "发现日期", "反映群众姓名", "反映群众联系电话"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_grid_event_ledger_imports_with_every_rows_errors(world):
    user = world.user(Role.TOWNSHIP_CENTER)  # 古城镇
    day = (clock.today() - dt.timedelta(days=3)).isoformat()
    data = _xlsx([
        ["古城村", "第1网格", "治安隐患", "路灯损坏，夜间无照明", day, "", ""],
        ["大北村", "", "03", "两户因排水沟争执", day, "李四", "13900001111"],
        ["古城村", "", "治安", "坑塘无护栏", day, "", "13900002222"],     # category unknown + phone without name
        ["无梁村", "", "环境卫生", "垃圾堆放", day, "", ""],               # not in this township
    ])
    ledger = GridEventLedger(user=user)
    dry = ledger.dry_run(data)
    got = sorted((e.row, e.field) for e in dry.errors)
    assert got == [(5, "category"), (5, "resident_name"), (6, "village")]
    assert "是不是" in next(e.message for e in dry.errors if e.field == "category")
    result = GridEventLedger(user=user).run_import(dry, mode=ledgers.VALID_ONLY)
    assert result.imported == 2
    events = GridEvent.objects.select_related("case").order_by("pk")
    assert [e.category for e in events] == ["01", "03"]
    assert events[0].case.region_id == world.gc_grid.code
    assert events[1].case.region_id == world.gc_village2.code
    assert all(e.case.center_org == world.orgs["gc_center"] for e in events)
    assert events[1].resident_phone.reveal() == "13900001111"


def test_an_export_dry_runs_back_as_nothing_new(world, client):
    user = world.user(Role.TOWNSHIP_CENTER)
    GridEventLedger(user=user).run_import(GridEventLedger(user=user).dry_run(_xlsx([
        ["古城村", "", "民生诉求", "自来水停水三天", clock.today().isoformat(), "", ""]])), mode=ledgers.VALID_ONLY)
    exported = GridEventLedger(user=user).workbook(GridEventLedger(user=user).export_queryset())
    dry = GridEventLedger(user=user).dry_run(exported)
    assert dry.errors == []
    assert (dry.new_count, dry.existing_count) == (0, 1)
    client.force_login(user)
    page = client.get(reverse("grid:event_list")).content.decode()
    assert "?import=1" in page
    assert client.get(reverse("grid:event_list"), {"import": "1"}).status_code == 200
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse("grid:event_list"), {"import": "1"}).status_code == 404


def test_a_large_export_is_written_in_the_background_with_progress(world, client, settings):
    from openpyxl import load_workbook

    from anmin.core.ledgers import export_jobs

    user = world.user(Role.TOWNSHIP_CENTER)
    GridEventLedger(user=user).run_import(GridEventLedger(user=user).dry_run(_xlsx([
        ["古城村", "", "民生诉求", f"事项{i}", clock.today().isoformat(), "", ""] for i in range(3)])),
        mode=ledgers.VALID_ONLY)
    settings.ANMIN_EXPORT_BACKGROUND_ROWS = 2
    client.force_login(user)
    url = reverse("grid:event_list")
    r = client.get(url, {"export": "xlsx", "category": "07"})
    assert r.status_code == 302
    token = r["Location"].split("export_job=")[1]
    page = client.get(url, {"export_job": token}).content.decode()
    assert "data-progress" in page  # queued: the page reloads itself until the file is written
    assert export_jobs.run(token, user.pk, url, {"category": ["07"]}) == {"rows": 3}
    page = client.get(url, {"export_job": token}).content.decode()
    assert "data-download" in page
    wb = load_workbook(io.BytesIO(client.get(url, {"export_job": token, "download": "1"}).content))
    descriptions = [row[6] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(descriptions) == ["事项0", "事项1", "事项2"]
    # Another user cannot read it.
    client.force_login(world.user(Role.CITY_OFFICE))
    assert client.get(url, {"export_job": token}).status_code == 404


def test_the_pages_export_button_gives_a_file_that_imports_again_as_existing(world, client):
    """导出 Excel on the page (under the background threshold) wrote the table's columns: importing the
    file asked for every column to be mapped by hand, 事件类别 and 编号 included."""
    user = world.user(Role.TOWNSHIP_CENTER)
    GridEventLedger(user=user).run_import(GridEventLedger(user=user).dry_run(_xlsx([
        ["古城村", "", "民生诉求", "自来水停水三天", clock.today().isoformat(), "", ""]])), mode=ledgers.VALID_ONLY)
    client.force_login(user)
    response = client.get(reverse("grid:event_list"), {"export": "xlsx"})
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    dry = GridEventLedger(user=user).dry_run(exported, filename="网格事件台账.xlsx")
    assert not dry.needs_mapping, dry.file_errors
    assert dry.errors == []
    assert (dry.new_count, dry.existing_count) == (0, 1)


def test_a_row_found_on_the_business_day_is_dated_now_not_nine_oclock(world):
    """On a world whose business clock stands in the past (the demo's 2020-12-10), a row found "today"
    is that day's report made now — not an earlier day's at 09:00, as it was when "today" was read
    off the real calendar."""
    business_now = timezone.make_aware(dt.datetime(2020, 12, 10, 15, 30))
    clock.set_business_time(business_now)
    parsers._DAY_CACHE[1] = None  # the readers keep the business day a second: read the moved clock now
    try:
        user = world.user(Role.TOWNSHIP_CENTER)
        earlier = (clock.today() - dt.timedelta(days=2)).isoformat()
        ledger = GridEventLedger(user=user)
        dry = ledger.dry_run(_xlsx([
            ["古城村", "第1网格", "治安隐患", "今天发现：路灯损坏", clock.today().isoformat(), "", ""],
            ["古城村", "第1网格", "治安隐患", "前天发现：井盖缺失", earlier, "", ""],
        ]))
        assert not dry.errors
        GridEventLedger(user=user).run_import(dry, mode=ledgers.VALID_ONLY)
        today_row, earlier_row = GridEvent.objects.order_by("pk")
        assert abs(today_row.found_at - business_now) < dt.timedelta(minutes=5)
        assert timezone.localtime(earlier_row.found_at).time() == dt.time(9)
    finally:
        clock.set_business_time(None)
