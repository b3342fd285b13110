"""Any kind's level change on the timeline (the kit's ``record_level_change``): from which level to
which, drawn as badges (coloured when the level has a colour), whether a rule did it, and why."""

from __future__ import annotations

from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.actions import Level

from .conftest import at, open_task


def test_an_automatic_raise_is_written_with_both_levels_and_the_reason_and_drawn_as_badges(client, world):
    case = open_task(world)
    event = actions.record_level_change(
        case=case, actor=SYSTEM, what="预警等级", before=Level("low", "低"), after=Level("high", "高", "colour-red"),
        reasons=["同一号码一日内被举报3次"], automatic=True, raised=True, now=at(2020, 12, 1, 11))
    assert (event.action, event.label) == ("level_change", "预警等级自动提升")
    assert event.reason == "预警等级由「低」升为「高」：同一号码一日内被举报3次"
    assert event.from_state == event.to_state == case.status  # no step of the workflow was taken
    case.refresh_from_db()
    assert case.last_seq == event.seq

    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = client.get(case.get_absolute_url()).content.decode()
    timeline = html[html.find('class="timeline"'):]
    assert '<span class="badge" data-level-from="low">低</span> → ' \
           '<span class="colour colour-red" data-level-to="high">高</span>' in timeline
    assert "data-level-automatic" in timeline
    assert "同一号码一日内被举报3次" in timeline


def test_a_change_by_hand_is_labelled_as_such_and_a_confirmation_names_one_level(world):
    case = open_task(world)
    by_hand = actions.record_level_change(case=case, actor=world.user(Role.TOWNSHIP_CENTER), what="风险等级",
                                          before=Level("red", "红"), after=Level("yellow", "黄"), automatic=False,
                                          raised=False, note="当事人已和解")
    assert by_hand.label == "风险等级调整"
    assert by_hand.reason == "风险等级由「红」降为「黄」：当事人已和解"
    same = actions.record_level_change(case=case, actor=SYSTEM, what="风险等级", before=Level("yellow", "黄"),
                                       after=Level("yellow", "黄"), automatic=False)
    assert same.reason == "风险等级为「黄」"
    assert same.data["level"]["from"] is None
