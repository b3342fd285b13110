"""Counselling sessions imported on their ledger page (the kit's ``record_import``): the counsellor
named among those the user may see, the bad row named by row and column, the good rows imported."""

from __future__ import annotations

import datetime as dt

from anmin.campaigns import actions
from anmin.campaigns.models import CounsellingSession, PublicityCampaign
from anmin.campaigns.pages import CampaignImport, SessionImport
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.testing.sheets import import_on_page


def test_sessions_are_imported_on_their_page(world, client, settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"
    ours = actions.create_counsellor(actor=SYSTEM, region=world.gc_village.code, name="王咨询", kind="counsellor")
    actions.create_counsellor(actor=SYSTEM, region=world.wl_village.code, name="李咨询", kind="counsellor")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    report, done = import_on_page(client, "/campaigns/sessions/", SessionImport, [
        ["王咨询", "2020-05-06", "考前减压", 30],
        ["王咨询", "2020-05-07", "家长课堂", "很多"],  # not a number
        ["李咨询", "2020-05-08", "无梁镇讲座", 10],  # outside 古城镇
    ])
    assert 'data-row="3" data-field="people"' in report
    assert 'data-row="4" data-field="counsellor"' in report
    assert done.status_code == 200
    got = CounsellingSession.objects.get()
    assert (got.counsellor_id, got.region_id, got.topic, got.people) == (ours.pk, world.gc_village.code, "考前减压", 30)


def test_publicity_campaigns_are_imported_on_their_page_placed_by_township_and_village(world, client, settings,
                                                                                       tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    report, done = import_on_page(client, "/campaigns/publicity/", CampaignImport, [
        ["古城镇", "", "平安建设宣传日", "平安创建集中宣传活动", "2020-06-24", "镇政府广场", "综治中心", ""],
        ["古城镇", "", "宣传月", "大型演出", "2020-06-25", "", "", ""],  # no such kind
        ["无梁镇", "", "无梁宣传", "其他宣传活动", "2020-06-26", "", "", ""],  # outside 古城镇
        ["古城镇", world.gc_village.name, "进村宣传", "其他宣传活动", "2020-06-27", "村委会", "", ""],
    ])
    assert 'data-row="3" data-field="kind"' in report
    assert 'data-row="4" data-field="township"' in report
    assert done.status_code == 200
    got = PublicityCampaign.objects.order_by("held_on")
    assert [(c.title, c.region_id) for c in got] == [
        ("平安建设宣传日", world.gucheng.code), ("进村宣传", world.gc_village.code)]


def test_the_sessions_export_imports_again_as_nothing_new(world):
    """心理服务记录台账: its own export, imported again, was 新增 on every row (a second copy of each)."""
    ours = actions.create_counsellor(actor=SYSTEM, region=world.gc_village.code, name="王咨询", kind="counsellor")
    actions.import_sessions([CounsellingSession(counsellor=ours, region_id=ours.region_id,
                                                held_on=dt.date(2020, 5, 6), topic="考前减压", people=30)],
                            actor=SYSTEM)
    centre = world.user(Role.TOWNSHIP_CENTER)
    again = SessionImport(user=centre).dry_run(SessionImport(user=centre).workbook(
        CounsellingSession.objects.visible_to(centre)))
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 1)


def test_the_campaigns_export_imports_again_as_nothing_new_a_city_wide_one_too(world):
    """宣传活动台账: its own export imported again was 新增 on every row, and the city's own campaign
    (no 乡镇 in the export) was refused as 乡镇(街道)：必填."""
    city = world.user(Role.CITY_OFFICE)
    actions.record_campaign(actor=city, title="全市平安建设宣传月", kind="theme_month", region=world.city,
                            held_on=dt.date(2020, 6, 1))
    actions.record_campaign(actor=city, title="进村宣传", kind="other", region=world.gc_village,
                            held_on=dt.date(2020, 6, 27), place="村委会")
    exported = CampaignImport(user=city).workbook(PublicityCampaign.objects.visible_to(city))
    again = CampaignImport(user=city).dry_run(exported)
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 2)

    PublicityCampaign.objects.all().delete()
    back = CampaignImport(user=city)
    report = back.dry_run(exported)
    assert report.errors == []
    back.run_import(report, mode="all_or_nothing")
    assert sorted(PublicityCampaign.objects.values_list("title", "region_id")) == [
        ("全市平安建设宣传月", world.city.code), ("进村宣传", world.gc_village.code)]

    # a township centre's row still names its township: left empty it is 必填
    centre = world.user(Role.TOWNSHIP_CENTER)
    theirs = CampaignImport(user=centre).dry_run(exported)
    assert [(e.field, e.message) for e in theirs.errors] == [("township", "乡镇(街道)：必填")]
