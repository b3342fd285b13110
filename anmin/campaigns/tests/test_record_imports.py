"""Counselling sessions imported on their ledger page (the kit's ``record_import``): the counsellor
named among those the user may see, the bad row named by row and column, the good rows imported."""

from __future__ import annotations

from anmin.campaigns import actions
from anmin.campaigns.models import CounsellingSession
from anmin.campaigns.pages import SessionImport
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
