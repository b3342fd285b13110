"""Schools and 护学岗 posts on the registry kit: the ledgers import with per-row errors (the posts'
学校 column is parsed by a mixin), pages and API in scope."""

from __future__ import annotations

import io

from openpyxl import Workbook

from anmin.campus import actions
from anmin.campus.models import GuardPost, School
from anmin.campus.registries import POSTS, SCHOOLS
from anmin.core import ledgers
from anmin.core.models import Role


def _xlsx(columns, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_school_ledger_reports_each_bad_row_and_imports_the_good_ones(world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    ledger = SCHOOLS.ledger_class(user=centre)
    old_layout = [c for c in ledger.columns if c.field not in ("longitude", "latitude")]  # no 经度/纬度 columns
    data = _xlsx(old_layout, [
        ["古城镇", "古城村委会", "", "古城村小学", "小学", "", 300, 2, "正常"],
        ["古城镇", "古城村委会", "", "古城村幼儿园", "托儿所", "", 80, 1, ""],       # row 3: unknown kind
        ["无梁镇", "无梁村委会", "", "无梁村小学", "小学", "", 200, 1, ""],           # row 4: not ours
        ["古城镇", "大北村委会", "", "大北村小学", "小学", "", -5, 1, ""],            # row 5: negative pupils
    ])
    report = ledger.dry_run(data)
    assert {(e.row, e.field) for e in report.errors} == {(3, "kind"), (4, "village"), (5, "students")}
    assert not School.objects.exists()
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 1
    school = School.objects.get()
    assert (school.name, school.students, school.region_id) == ("古城村小学", 300, world.gc_village.code)

    posts = POSTS.ledger_class(user=centre)
    report = posts.dry_run(_xlsx(posts.columns, [
        ["古城镇", "古城村委会", "", "古城村小学", "校门口", "早高峰(上学)", "民警 张某", "古城派出所", ""],
        ["古城镇", "古城村委会", "", "没有这所学校", "校门口", "早高峰(上学)", "民警 李某", "", ""],
    ]))
    assert [(e.row, e.field) for e in report.errors] == [(3, "school")]
    posts.run_import(report, mode=ledgers.VALID_ONLY)
    assert GuardPost.objects.get().school == school


def test_pages_and_api_show_the_schools_in_scope(client, world):
    centre = world.user(Role.TOWNSHIP_CENTER)
    mine = actions.create_school(actor=centre, region=world.gc_village, name="古城村小学", kind="primary")
    theirs = School.objects.create(region=world.wl_village, name="无梁村小学", kind="primary")
    client.force_login(centre)
    page = client.get("/campus/schools/").content.decode()
    assert "古城村小学" in page
    assert "无梁村小学" not in page
    assert client.get(f"/campus/schools/{mine.pk}/").status_code == 200
    assert client.get(f"/campus/schools/{theirs.pk}/").status_code == 404
    api = client.get("/api/v1/schools/").json()
    assert [s["name"] for s in api["results"]] == ["古城村小学"]


def test_a_police_officer_checks_in_at_a_post_from_the_phone_page(client, world):
    police = world.user(Role.POLICE)
    school = School.objects.create(region=world.gc_village, name="古城村小学", kind="primary")
    post = GuardPost.objects.create(region=world.gc_village, school=school, place="校门口", peak="morning",
                                    on_duty="民警 张某")
    client.force_login(police)
    assert client.get(f"/campus/posts/{post.pk}/checkin/").status_code == 200
    resp = client.post(f"/campus/posts/{post.pk}/checkin/", {"note": "秩序良好"})
    assert resp.status_code == 302
    assert post.checkins.get().note == "秩序良好"
    assert post.checkins.get().by == police
