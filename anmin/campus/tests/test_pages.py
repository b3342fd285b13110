"""The campus record pages (the kit's record ledgers): incidents and 五个100% checks, scoped and filtered."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from anmin.campus import actions
from anmin.campus.models import CampusIncident
from anmin.core.actors import SYSTEM
from anmin.core.models import AuditEntry, Role


def test_incident_and_check_ledgers(world, client):
    ours = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    theirs = actions.create_school(actor=SYSTEM, name="无梁镇中心校", kind="primary", region=world.wl_village)
    actions.import_incidents([
        CampusIncident(school=ours, occurred_on=dt.date(2020, 5, 6), kind="other", description="校门口占道经营",
                       resolved=True),
        CampusIncident(school=theirs, occurred_on=dt.date(2020, 5, 7), kind="other", description="无梁校外斗殴"),
    ], actor=SYSTEM)
    actions.record_check(actor=SYSTEM, school=ours, term="2020-2", items=["guard"], checked_on=dt.date(2020, 9, 20),
                         checked_by="王检查")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(reverse("campus:incident_list")).content.decode()
    assert "古城村小学" in page
    assert "无梁镇中心校" not in page
    assert CampusIncident.objects.get(school=ours).get_absolute_url() in page  # the incident's own page
    assert "古城村小学" not in client.get(reverse("campus:incident_list"), {"date_from": "2020-06-01"}).content.decode()
    assert "王检查" in client.get(reverse("campus:check_list"), {"term": "2020-2"}).content.decode()


def test_an_incident_is_brought_up_to_date_on_its_page(world, client):
    """Registered 未处置, the incident is dealt with later: the township centre writes what was done and
    marks it 已处置 on the incident's page (audited); the village, which may only report, finds no such
    page; another township's incident is not there at all."""
    ours = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    theirs = actions.create_school(actor=SYSTEM, name="无梁镇中心校", kind="primary", region=world.wl_village)
    actions.import_incidents([
        CampusIncident(school=ours, occurred_on=dt.date(2020, 5, 6), kind="vendor", description="校门口三无食品摊"),
        CampusIncident(school=theirs, occurred_on=dt.date(2020, 5, 7), kind="other", description="无梁校外斗殴"),
    ], actor=SYSTEM)
    incident, other = CampusIncident.objects.get(school=ours), CampusIncident.objects.get(school=theirs)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "古城村小学" in body
    assert "校门口三无食品摊" in body
    edit = reverse("campus:incident_edit", args=[incident.pk])
    assert edit in body
    assert "更新处置情况" in body
    too_long = client.post(edit, {"handling": "甲" * 501, "resolved": "on", "version": "1"})
    assert too_long.status_code == 400
    assert "处置情况" in too_long.content.decode()
    r = client.post(edit, {"handling": "会同市场监管所取缔", "resolved": "on", "version": "1", "note": "已取缔"})
    assert r.status_code == 302
    assert r["Location"] == incident.get_absolute_url()
    incident.refresh_from_db()
    assert (incident.handling, incident.resolved, incident.version) == ("会同市场监管所取缔", True, 2)
    entry = AuditEntry.objects.get(object_type="campus.campusincident", object_id=str(incident.pk), action="update")
    assert entry.after == {"handling": "会同市场监管所取缔", "resolved": "是"}
    assert entry.reason == "已取缔"
    assert client.get(reverse("campus:incident_edit", args=[other.pk])).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404
    village = Client()
    village.force_login(world.user(Role.VILLAGE_CENTER))
    assert village.get(edit).status_code == 404
    assert edit not in village.get(incident.get_absolute_url()).content.decode()


def test_a_school_checked_this_term_is_changed_from_the_check_ledger_not_refused_as_someone_elses(world, client):
    """The check ledger showed the term as 2020-2 and no items; 登记检查 for a school already checked
    that term answered "2020-2 学期的检查已由他人登记或修改…请重新打开该学校的检查" and no page opened it.
    Now the ledger names the term and the items lacking, and a 修改 link opens the check recorded."""
    from anmin.campus.coverage import term_label
    from anmin.campus.entry_pages import _terms
    from anmin.campus.models import SafetyCheck
    from anmin.core import clock

    term = _terms()[0][0]  # this term (the business day's)
    school = actions.create_school(actor=SYSTEM, name="古城村小学", kind="primary", region=world.gc_village)
    check = actions.record_check(actor=SYSTEM, school=school, term=term, items=["guard", "alarm", "closed", "post"],
                                 checked_on=dt.date(2020, 9, 20), checked_by="王检查")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(reverse("campus:check_list")).content.decode()
    assert term_label(term) in page
    assert f">{term}<" not in page
    assert "视频监控系统与公安机关联网率100%" in page  # the item lacking
    edit = f"/campus/checks/new/?school={school.pk}&amp;term={term}"
    assert edit in page
    form = client.get(edit.replace("&amp;", "&")).content.decode()
    assert f'name="expected_version" value="{check.version}"' in form
    # A new form for the same school and term: told it is recorded already, the term by its name.
    r = client.post("/campus/checks/new/", {"school": school.pk, "term": term, "items": ["guard"],
                                            "checked_on": clock.today().isoformat()})
    assert r.status_code == 409
    body = r.content.decode()
    assert f"{term_label(term)}的检查已登记" in body
    assert "由他人" not in body
    assert SafetyCheck.objects.get().items == ["guard", "alarm", "closed", "post"]
    # Who may only read the ledger gets no 修改.
    client.force_login(world.user(Role.LEADER))
    assert "/campus/checks/new/?school=" not in client.get(reverse("campus:check_list")).content.decode()
