"""Who sees which case, and what waits in whose inbox (我的待办)."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.workflow.models import Case, Supervision

from .conftest import assigned, at, open_task, step


def visible(world, role):
    return set(Case.objects.visible_to(world.user(role)).values_list("pk", flat=True))


def test_a_township_user_does_not_see_the_neighbours_case(world):
    ours = open_task(world, title="古城")
    theirs = open_task(world, region=world.wl_grid, title="无梁")
    assert visible(world, Role.TOWNSHIP_CENTER) == {ours.pk}
    assert visible(world, Role.CITY_OFFICE) == {ours.pk, theirs.pk}
    assert visible(world, Role.GRID_WORKER) == {ours.pk}


def test_a_department_handler_sees_only_what_is_assigned_to_its_unit(world):
    open_task(world, title="未交办")
    mine = assigned(world, org="education")
    assert visible(world, Role.DEPT_HANDLER) == {mine.pk}


def test_a_cohandling_unit_sees_the_case_outside_its_area(world):
    city = world.user(Role.CITY_OFFICE)
    case = open_task(world, region=world.wl_grid)
    case = step(case, city, "accept")
    case = step(case, city, "assign", target_org=world.orgs["education"])
    assert case.pk not in visible(world, Role.POLICE)
    step(case, city, "cohandle", target_org=world.orgs["gc_police"])
    assert case.pk in visible(world, Role.POLICE)
    assert Case.objects.visible_to(world.user(Role.POLICE)).filter(pk=case.pk).count() == 1


def test_system_administrator_and_auditor_see_no_case_even_at_their_own_unit(world):
    case = open_task(world, region=world.city)
    assert case.center_org == world.orgs["peace"]  # the auditor's own unit
    assert visible(world, Role.AUDITOR) == set()
    assert visible(world, Role.SYSADMIN) == set()


def test_withdrawing_the_kind_permission_hides_the_cases_of_the_area(world):
    from anmin.core.models import Role as RoleModel

    case = open_task(world)
    role = RoleModel.objects.get(code=Role.TOWNSHIP_CENTER)
    role.permissions.remove(role.permissions.get(codename="view_case"))
    assert case.pk not in visible(world, Role.TOWNSHIP_CENTER)


def test_my_inbox_is_sorted_by_deadline(world):
    teacher = world.user(Role.DEPT_HANDLER)
    hard = assigned(world, priority="hard", title="疑难")
    normal = assigned(world, priority="normal", title="一般")
    urgent = assigned(world, priority="urgent", title="紧急")
    other = assigned(world, org="gc_police", title="派出所的")
    inbox = list(Case.objects.visible_to(teacher).inbox_for_user(teacher))
    assert inbox == [urgent, normal, hard]
    assert other not in inbox
    assert list(Case.objects.inbox_for_org(world.orgs["education"])) == [urgent, normal, hard]


def test_the_inbox_follows_the_case_from_desk_to_desk(world):
    village, centre, teacher = (world.user(r) for r in (Role.VILLAGE_CENTER, Role.TOWNSHIP_CENTER,
                                                         Role.DEPT_HANDLER))

    def inbox(user):
        return set(Case.objects.visible_to(user).inbox_for_user(user).values_list("pk", flat=True))

    case = open_task(world)
    assert case.pk in inbox(village)
    assert case.pk not in inbox(centre)
    case = step(case, village, "escalate", reason="需乡镇协调")
    assert case.pk in inbox(centre)
    assert case.pk not in inbox(village)
    case = step(case, centre, "assign", target_org=world.orgs["education"])
    assert case.pk in inbox(teacher)
    assert case.pk not in inbox(centre)
    case = step(case, teacher, "extend", reason="等待检测", data={"days": 2})
    assert case.pk in inbox(centre)  # an approval is waiting on the centre's desk
    case = step(case, centre, "approve")
    case = step(case, teacher, "feedback", data={"result": "已办理"})
    assert case.pk in inbox(centre)
    assert case.pk not in inbox(teacher)


def test_supervisions_are_scoped_like_their_cases(world):
    from anmin.workflow.actions import sweep

    ours = assigned(world)
    theirs = open_task(world, region=world.wl_grid)
    sweep(now=at(2020, 12, 10))
    township = world.user(Role.TOWNSHIP_CENTER)
    seen = set(Supervision.objects.visible_to(township).values_list("case_id", flat=True))
    assert seen == {ours.pk}
    teacher = world.user(Role.DEPT_HANDLER)
    assert set(Supervision.objects.visible_to(teacher).values_list("case_id", flat=True)) == {ours.pk}
    assert theirs.pk in set(Supervision.objects.visible_to(world.user(Role.CITY_OFFICE))
                            .values_list("case_id", flat=True))
    assert not Supervision.objects.visible_to(world.user(Role.AUDITOR)).exists()


def test_a_grid_worker_does_not_see_the_other_grids_of_the_village_centre(world):
    mine = open_task(world, region=world.gc_grid)
    other = open_task(world, region=world.gc_grid2)
    assert other.center_org == world.orgs["gc_v_center"]  # the grid worker's own unit
    assert visible(world, Role.GRID_WORKER) == {mine.pk}
    assert {mine.pk, other.pk} <= visible(world, Role.VILLAGE_CENTER)
