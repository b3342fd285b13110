"""Incidents and 五个100% checks imported on their ledger pages (the kit's ``record_import``): the
school named by name among those the user may see, a bad row named by row and column, the good rows
written through ``actions.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.campus import actions
from anmin.campus.models import CampusIncident, SafetyCheck
from anmin.campus.pages import CheckImport, IncidentImport
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.testing.sheets import import_on_page


@pytest.fixture
def schools(world, settings, tmp_path):
    settings.ANMIN_LEDGER_UPLOAD_DIR = tmp_path / "uploads"
    ours = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    actions.create_school(actor=SYSTEM, name="无梁镇中心校", kind="primary", region=world.wl_village)
    return ours


def test_incidents_are_imported_on_their_page(world, client, schools):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    report, done = import_on_page(client, "/campus/incidents/", IncidentImport, [
        ["古城村小学", "2020-05-06", "闲杂人员滋扰", "校门口有人滋扰", "已劝离", "是"],
        ["古城村小学", "2020-05-07", "打群架", "校外斗殴", "", "否"],  # no such kind
        ["无梁镇中心校", "2020-05-08", "其他", "不在本镇", "", "否"],  # outside 古城镇
        ["古城村小学", "2020-05-09", "交通事故", "校门口剐蹭", "", "否"],
    ])
    assert 'data-row="3" data-field="kind"' in report
    assert 'data-row="4" data-field="school"' in report
    assert done.status_code == 200
    got = CampusIncident.objects.order_by("occurred_on")
    assert [(i.kind, i.school_id, i.region_id, i.resolved) for i in got] == [
        ("intrusion", schools.pk, world.gc_village.code, True), ("traffic", schools.pk, world.gc_village.code, False)]


def test_checks_are_imported_and_a_term_already_checked_is_skipped(world, client, schools):
    actions.record_check(actor=SYSTEM, school=schools, term="2020-1", items=["guard"], checked_on="2020-04-01")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    report, done = import_on_page(client, "/campus/checks/", CheckImport, [
        ["古城村小学", "2020-2", "guard、一键式紧急报警装置安装率100%", "2020-09-20", "王检查", ""],
        ["古城村小学", "2020-3", "guard", "2020-09-21", "李检查", ""],  # no such term
        ["古城村小学", "2020-1", "guard", "2020-04-01", "", ""],  # already kept
        ["古城村小学", "2021-1", "保安", "2021-03-01", "", ""],  # not an item
    ])
    assert 'data-row="3" data-field="term"' in report
    assert 'data-row="5" data-field="items"' in report
    assert done.status_code == 200
    new = SafetyCheck.objects.get(term="2020-2")
    assert (new.items, new.checked_by) == (["guard", "alarm"], "王检查")
    assert SafetyCheck.objects.count() == 2


def test_the_incidents_export_imports_again_as_nothing_new(world, schools):
    """校园周边案(事)件台账: its own export, imported again, was 新增 on every row (a second copy of each)."""
    centre = world.user(Role.TOWNSHIP_CENTER)
    actions.import_incidents([CampusIncident(school=schools, region_id=schools.region_id,
                                             occurred_on=dt.date(2020, 5, 6), kind="intrusion",
                                             description="校门口有人滋扰")], actor=SYSTEM)
    again = IncidentImport(user=centre).dry_run(IncidentImport(user=centre).workbook(
        CampusIncident.objects.visible_to(centre)))
    assert again.errors == []
    assert (again.new_count, again.existing_count) == (0, 1)


def test_incidents_sent_again_bring_what_was_done_up_to_date(world, client, schools):
    """The station's ledger sent again with 处置情况 and 已处置 filled in: shown before the import as
    将更新 with what changes, then changed (audited); a row whose cells are empty says nothing new."""
    actions.import_incidents([
        CampusIncident(school=schools, region_id=schools.region_id, occurred_on=dt.date(2020, 5, 6),
                       kind="intrusion", description="校门口有人滋扰"),
        CampusIncident(school=schools, region_id=schools.region_id, occurred_on=dt.date(2020, 5, 9),
                       kind="traffic", description="校门口剐蹭", handling="交警处理", resolved=True),
    ], actor=SYSTEM)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    report, done = import_on_page(client, "/campus/incidents/", IncidentImport, [
        ["古城村小学", "2020-05-06", "闲杂人员滋扰", "校门口有人滋扰", "已劝离，加强护学岗", "是"],
        ["古城村小学", "2020-05-09", "交通", "校门口剐蹭", "", ""],  # empty: nothing new
    ])
    assert "data-import-changes" in report
    assert "处置情况：— → 已劝离，加强护学岗；已处置：否 → 是" in report
    assert '<dd data-changed>1</dd>' in report
    assert "更新已登记的 1 行" in report
    assert done.status_code == 200
    assert 'data-updated>1<' in done.content.decode()
    first, second = CampusIncident.objects.order_by("occurred_on")
    assert (first.handling, first.resolved, first.version) == ("已劝离，加强护学岗", True, 2)
    assert (second.handling, second.resolved, second.version) == ("交警处理", True, 1)
    assert CampusIncident.objects.count() == 2
