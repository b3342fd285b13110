"""A dispute's colour never moves silently: every change — raised by the risk factors chosen with it,
by a party's risk signal, by a new assessment, on import — is a line on the timeline that says from
which colour to which and why, drawn as coloured badges; the detail page shows the colour as a badge."""

from __future__ import annotations

import datetime as dt
import re

from anmin.core.models import Role
from anmin.disputes import actions
from anmin.workflow import actions as case_actions
from anmin.workflow.models import CaseEvent

from .test_disputes import NOW, report
from .test_kit import PATIENT_ID, patient_signal  # noqa: F401 (a fixture)


def level_events(d):
    return [e for e in CaseEvent.objects.filter(case=d.case).order_by("seq") if "level" in e.data]


def test_a_chosen_risk_factor_that_raises_the_colour_says_so_on_the_timeline_and_the_page(client, world):
    d = report(world, assessed_colour="yellow", risk_flags=["threat_revenge"])
    assert d.colour == "red"
    [event] = level_events(d)
    assert event.label == "风险等级自动提升"
    assert event.reason == "风险等级由「黄」升为「红」：风险因素「扬言报复」提升至红"
    assert event.data["level"]["from"]["value"] == "yellow"
    assert event.data["level"]["to"] == {"value": "red", "label": "红", "badge": "colour-red"}
    assert event.data["level"]["automatic"] is True

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(f"/disputes/{d.pk}/").content.decode()
    # The colour is a coloured badge with its word, and the timeline shows yellow → red and why.
    assert re.search(r'<span class="colour colour-red" data-colour="red">红</span>', page)
    timeline = page[page.find('class="timeline"'):]
    assert re.search(r'class="colour colour-yellow" data-level-from="yellow">黄</span> → '
                     r'<span class="colour colour-red" data-level-to="red">红</span>', timeline)
    assert "系统自动" in timeline
    assert "风险因素「扬言报复」提升至红" in timeline


def test_a_colour_that_is_not_raised_writes_no_level_line(world):
    d = report(world, assessed_colour="orange", risk_flags=["repeat_disputes"])  # yellow does not raise orange
    assert d.colour == "orange"
    assert level_events(d) == []


def test_a_partys_risk_signal_raises_and_lowers_the_colour_with_the_reason(world, patient_signal):  # noqa: F811
    first = report(world, parties=[{"name": "赵某", "id_number": PATIENT_ID}, {"name": "钱某", "role": "respondent"}])
    person = first.parties.get(name="赵某").person
    patient_signal[person.pk] = 3
    d = report(world, title="赵某与孙某相邻纠纷", assessed_colour="blue",
               parties=[{"name": "赵某", "id_number": PATIENT_ID}, {"name": "孙某", "role": "respondent"}])
    [raised] = level_events(d)
    assert raised.action == "risk_signal"
    assert raised.label == "风险等级自动提升"
    assert raised.reason.startswith("风险等级由「蓝」升为「红」：自动加上「当事人有精神障碍」（当事人赵某：")
    assert raised.data["auto_flags"] == d.auto_flags

    patient_signal[person.pk] = 1
    from anmin.core.actors import SYSTEM
    from anmin.people.risk import signals_changed

    signals_changed(person_ids=[person.pk], signal="severe_mental_disorder", actor=SYSTEM)
    lowered = level_events(d)[-1]
    assert lowered.label == "风险等级自动下调"
    assert lowered.reason.startswith("风险等级由「红」降为「蓝」：自动撤销「当事人有精神障碍」")
    assert lowered.data["level"]["raised"] is False


def test_a_new_assessment_is_on_the_timeline_with_the_factor_that_still_raises_it(world):
    d = report(world, assessed_colour="blue")
    centre = world.user(Role.TOWNSHIP_CENTER)
    d = actions.update_risk(actor=centre, dispute=d, expected_version=d.version, assessed_colour="yellow",
                            risk_flags=["marriage_debt"], reason="双方因彩礼返还争执升级")
    assert d.colour == "orange"
    event = level_events(d)[-1]
    assert event.label == "风险研判"
    assert event.reason == ("风险等级由「蓝」升为「橙」：研判为「黄」；风险因素「婚恋、债务纠纷」提升至橙。"
                            "研判说明：双方因彩礼返还争执升级")
    assert event.data["level"]["automatic"] is False
    assert event.actor_id == centre.pk
    # Saving the same assessment again changes nothing and writes nothing.
    before = len(level_events(d))
    actions.update_risk(actor=centre, dispute=d, expected_version=d.version, assessed_colour="yellow",
                        risk_flags=["marriage_debt"])
    assert len(level_events(d)) == before


def test_an_imported_dispute_raised_by_its_factors_gets_the_reason(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    past = case_actions.PastCase(kind="MD", title="王某与刘某借贷纠纷", region_id=world.gc_grid.code,
                                 opened_at=NOW - dt.timedelta(days=30), reporter=user, source="sweep")
    item = actions.PastDispute(case=past, category="0902", found_on=dt.date(2020, 5, 11),
                               parties=[{"name": "王某"}, {"name": "刘某", "role": "respondent"}],
                               assessed_colour="blue", risk_flags=["marriage_debt"])
    assert actions.import_past_disputes([item], actor=user, note="台账导入") == 1
    from anmin.disputes.models import Dispute

    d = Dispute.objects.get(case__title="王某与刘某借贷纠纷")
    assert d.colour == "orange"
    [event] = level_events(d)
    assert event.reason == "风险等级由「蓝」升为「橙」：风险因素「婚恋、债务纠纷」提升至橙"
    assert event.data["imported"] is True
