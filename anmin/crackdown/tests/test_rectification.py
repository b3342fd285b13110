"""The inspection-feedback rectification list (督导反馈问题整改清单) on the case engine: the 扫黑办
registers a problem and hands it to the responsible unit; the unit reports its measures (the domain's
step) and the 扫黑办 closes it only then; past the time limit the sweep supervises it; the pages and
the ledger's export work and a township centre finds nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from anmin.core.errors import ActionError
from anmin.core.models import Role
from anmin.crackdown import actions
from anmin.crackdown.models import Rectification
from anmin.workflow import actions as case_actions

T0 = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _item(world) -> Rectification:
    return actions.register_rectification(
        actor=world.user("crackdown"), inspection="省扫黑除恶第三督导组反馈",
        problem="砂石行业乱象整治不彻底，非法采砂反弹", region=world.gucheng,
        to_org=world.orgs["education"], responsible="市自然资源局", deadline="2020-08-31", now=T0)


def test_an_item_is_handed_out_reported_and_closed(world):
    item = _item(world)
    assert item.case.status == "in_progress"
    assert item.case.number.startswith("ZG")
    office, handler = world.user("crackdown"), world.user(Role.DEPT_HANDLER)
    with pytest.raises(ActionError):  # the office cannot close it before the unit reports
        case_actions.transition_case(case=item.case, actor=office, transition="verify_pass",
                                     expected_version=item.case.version, now=T0)
    item = actions.report_rectification(actor=handler, item=item, expected_version=item.case.version,
                                        measures="开展专项整治，取缔非法砂场12处，建立河长巡查制度。",
                                        now=T0 + dt.timedelta(days=20))
    assert item.case.status == "feedback"
    assert item.rectified_on == dt.date(2020, 6, 21)
    case = case_actions.transition_case(case=item.case, actor=office, transition="verify_pass",
                                        expected_version=item.case.version, now=T0 + dt.timedelta(days=21))
    assert not case.is_open


def test_pages_of_the_list(world):
    item = _item(world)
    office = Client()
    office.force_login(world.user("crackdown"))
    ledger = office.get("/crackdown/rectifications/").content.decode()
    assert item.case.number in ledger
    export = office.get("/crackdown/rectifications/?export=xlsx")
    cells = [str(c) for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "市自然资源局" in cells
    assert "2020-08-31" in office.get(item.get_absolute_url()).content.decode()
    handler = Client()
    handler.force_login(world.user(Role.DEPT_HANDLER))
    page = handler.get(item.get_absolute_url()).content.decode()
    assert f"/crackdown/rectifications/{item.pk}/measures/" in page
    done = handler.post(f"/crackdown/rectifications/{item.pk}/measures/",
                        {"version": item.case.version, "measures": "已完成整改。"})
    assert done.status_code == 302
    township = Client()
    township.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert township.get(item.get_absolute_url()).status_code == 404


def test_a_time_limit_too_far_ahead_is_refused_in_words_that_fit(world):
    """整改时限 2099-01-01 was refused with "「整改时限」不能晚于今天" — next to "不能早于今天" for a past one."""
    from anmin.core.errors import Invalid

    with pytest.raises(Invalid, match="「整改时限」不能晚于2030年底"):
        actions.register_rectification(
            actor=world.user("crackdown"), inspection="省督导组反馈", problem="问题", region=world.gucheng,
            to_org=world.orgs["education"], responsible="市自然资源局", deadline="2099-01-01", now=T0)
    with pytest.raises(Invalid, match="「整改时限」不能早于今天"):
        actions.register_rectification(
            actor=world.user("crackdown"), inspection="省督导组反馈", problem="问题", region=world.gucheng,
            to_org=world.orgs["education"], responsible="市自然资源局", deadline="2020-05-31", now=T0)
