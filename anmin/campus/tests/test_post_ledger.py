"""The 平安护学岗 roster as offices keep it (QA file posts_office.xlsx): 学校名称 / 执勤时段 headers are
known without the mapping step, 早高峰 is 早高峰(上学), and a post in another village than its school
is that row's error on 村(社区). And who imports campus ledgers: not the education bureau's
部门经办人, whose role sees only what is assigned to its unit (no import link; the import steps are 404)."""

from __future__ import annotations

import pytest

from anmin.campus import actions
from anmin.campus.models import GuardPost
from anmin.campus.registries import POSTS
from anmin.core import ledgers
from anmin.core.actors import SYSTEM
from anmin.core.models import Role
from anmin.core.testing.sheets import xlsx

HEADER = ["序号", "乡镇(街道)", "村(社区)", "学校名称", "岗位位置", "执勤时段", "上岗人员", "所属单位", "联系电话"]


@pytest.fixture
def school(world):
    return actions.create_school(actor=SYSTEM, name="大北村委会小学", kind="primary", region=world.gc_village2)


def test_an_office_roster_maps_by_its_own_headers_and_a_post_must_stand_in_its_schools_village(world, school):
    ledger = POSTS.ledger_class(user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(xlsx([
        ["古城镇平安护学岗安排表"],
        HEADER,
        [1, "古城镇", "大北村", "大北村委会小学", "校门口", "早高峰", "张警官、李队员", "古城派出所", "13800000000"],
        [2, "古城镇", "大北村", "大北村委会小学 ", "校门口", "晚高峰（放学）", "张警官", "古城派出所", None],
        [3, "古城镇", "古城村", "大北村委会小学", "十字路口", "午间", "王", "古城派出所", None],
        [4, "古城镇", "大北村", "大北村委会小学", "南侧路口", "中午", "王", "古城派出所", None],
    ]))
    assert not report.needs_mapping
    assert {"school", "peak"} <= set(report.mapping)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "村(社区)", "村(社区)：“古城村委会”不是学校“大北村委会小学”所在的村(社区)（大北村委会）；"
                      "护学岗登记在学校所在的村(社区)"),
        (6, "时段", "时段：“中午”不是可选值（可选：早高峰(上学)、午间、晚高峰(放学)）"),
    ]
    assert (report.total, report.new_count, report.invalid_count) == (4, 2, 2)
    assert ledger.run_import(report, mode=ledgers.VALID_ONLY).imported == 2
    assert sorted(GuardPost.objects.values_list("peak", "region_id", "school_id")) == [
        ("evening", world.gc_village2.code, school.pk), ("morning", world.gc_village2.code, school.pk)]


def test_a_school_name_two_villages_share_is_the_one_in_the_rows_village(world, school):
    there = actions.create_school(actor=SYSTEM, name="大北村委会小学", kind="primary", region=world.gc_village)
    ledger = POSTS.ledger_class(user=world.user(Role.TOWNSHIP_CENTER))
    report = ledger.dry_run(xlsx([HEADER[1:], ["古城镇", "古城村", "大北村委会小学", "校门口", "午间", "王", "", ""],
                                  ["古城镇", "大北村", "大北村委会小学", "校门口", "午间", "王", "", ""]]))
    assert report.errors == []
    assert [r.values["school"] for r in report.rows] == [there, school]


@pytest.mark.parametrize("url", ["/campus/schools/", "/campus/posts/", "/campus/checks/", "/campus/incidents/"])
def test_the_education_bureaus_handler_is_offered_no_campus_import(world, client, url):
    """The 部门经办人 (jiaoyu, 市教育局) sees only what is assigned to their unit (``ScopeKind.ASSIGNED``)
    and holds no campus permission: campus ledgers are kept by the 综治中心 and 派出所 of each place
    (campus/roles.py). So no menu entry, no import link, and the import steps are 404."""
    user = world.user(Role.DEPT_HANDLER)
    assert user.org_unit.kind == "education"
    client.force_login(user)
    home = client.get("/", follow=True).content.decode()
    assert "平安护学岗" not in home
    assert "学校(幼儿园)" not in home
    assert "/campus/" not in home
    assert not any(user.has_perm(f"campus.{verb}_{m}") for verb in ("view", "add", "change")
                   for m in ("school", "guardpost", "safetycheck", "campusincident"))
    page = client.get(url)
    assert page.status_code == 200  # the ledger page itself lists nothing they may see
    assert "import=" not in page.content.decode()
    assert not page.context.get("import_url")
    assert client.get(f"{url}?import=1").status_code == 404
    assert client.get(f"{url}?import=template").status_code == 404
    assert client.post(url, {"ledger_step": "upload"}).status_code == 404
