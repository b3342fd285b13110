"""Labels of states, steps and kinds: stored and compared in Chinese, shown in the viewer's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from anmin.core.models import Role
from anmin.workflow import actions
from anmin.workflow.models import CaseEvent
from anmin.workflow.registry import case_kinds

from .conftest import assigned, open_task, step


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_english_inbox_ledger_and_case_page_translate_states_kinds_and_steps(client, world):
    case = assigned(world, title="English labels")
    english(client, world.user(Role.DEPT_HANDLER))
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert '<html lang="en">' in inbox
    assert "In progress" in inbox
    assert "Task" in inbox
    for chinese in ("处置中", "交办事项"):
        assert chinese not in inbox
    # the filter bar's drop-downs too
    assert ">Awaiting acceptance</option>" in inbox
    assert ">Grid event</option>" in inbox

    english(client, world.user(Role.TOWNSHIP_CENTER))
    ledger = client.get(reverse("workflow:case_list")).content.decode()
    assert "In progress" in ledger
    assert "Task" in ledger
    page = client.get(case.get_absolute_url()).content.decode()
    assert '<strong data-status="in_progress">In progress</strong>' in page
    timeline = page[page.index('class="timeline"'):]
    for shown in ("Report", "Accept", "Assign", "→ Awaiting dispatch", "→ In progress"):
        assert shown in timeline
    for chinese in ("受理", "交办", "待分拨", "处置中"):
        assert chinese not in timeline


def test_a_step_taken_in_english_is_stored_in_chinese_and_shown_in_either_language(client, world):
    case = open_task(world)
    centre = world.user(Role.TOWNSHIP_CENTER)
    english(client, centre)
    resp = client.post(reverse("workflow:case_act", args=[case.pk]), {"t": "accept", "version": case.version})
    assert resp.status_code == 302
    event = case.events.order_by("-seq").first()
    assert (event.action, event.label) == ("accept", "受理")

    # A request needing approval, and its approval: the labels the engine composes stay Chinese too.
    case = assigned(world, title="延期的事项")
    handler = world.user(Role.DEPT_HANDLER)
    english(client, handler)
    page = client.get(reverse("workflow:case_act", args=[case.pk]), {"t": "extend"}).content.decode()
    assert "Request: Extend deadline" in page
    assert "Reason for the extension" in page
    resp = client.post(reverse("workflow:case_act", args=[case.pk]),
                       {"t": "extend", "version": case.version, "days": 2, "reason": "需要补充材料"})
    assert resp.status_code == 302
    case.refresh_from_db()
    english(client, centre)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Approve: Extend deadline" in page
    assert "Deny request: Extend deadline" in page
    resp = client.post(reverse("workflow:case_act", args=[case.pk]),
                       {"t": "approve", "version": case.version, "reason": "同意"})
    assert resp.status_code == 302, resp.context["form"].errors
    labels = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("label", flat=True))
    assert labels[-2:] == ["申请延期", "延期（批准申请）"]

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Request: Extend deadline" in page
    assert "Extend deadline (request approved)" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "申请延期" in page
    assert "延期（批准申请）" in page
    assert "Extend deadline" not in page


def test_engine_messages_keep_the_chinese_labels(world):
    case = assigned(world)
    with translation.override("en"):
        assert case.status_label == "In progress"
        assert case.kind_label == "Task"
        with pytest.raises(actions.InvalidTransition, match="事项当前状态为「处置中」，不能执行「受理」"):
            step(case, world.user(Role.TOWNSHIP_CENTER), "accept")


@pytest.mark.parametrize("kind", list(case_kinds), ids=lambda k: k.code)
def test_every_label_of_a_registered_kind_has_an_english_translation(kind):
    """A label missing here was not marked with pgettext_noop/gettext_noop (see anmin/core/i18n.py),
    or `make messages` was not run and the entry translated."""
    wf = kind.workflow
    with translation.override("en"):
        untranslated = [kind.label] if kind.display_label == kind.label else []
        untranslated += [s.label for s in wf.states if s.display_label == s.label]
        untranslated += [t.label for t in wf.transitions if t.display_label == t.label]
        untranslated += [t.reason_label for t in wf.transitions if t.display_reason_label == t.reason_label]
    assert not untranslated, f"{kind.code}: no English for {untranslated}"
