"""The people ledgers' labels: drop-downs instead of raw codes, and data labels shown in English."""

from __future__ import annotations

import io

from django.conf import settings
from openpyxl import load_workbook

from anmin.core.actors import SYSTEM
from anmin.core.codes import load_code_tables
from anmin.core.models import Role

from .. import actions
from ..importers import ResidentLedger
from ..models import Person, YouthOfConcern
from .factories import make_person, new_id_number


def test_the_youth_ledger_filters_by_type_and_concern_from_drop_downs(client, world):
    load_code_tables()
    idle = make_person(world.gc_grid, name="赵闲")
    child = make_person(world.gc_grid, name="钱留")
    for person, youth_type, level in ((idle, "01", "2"), (child, "05", "1")):
        actions.register_special(actor=SYSTEM, model=YouthOfConcern, person=person,
                                 fields={"youth_type": youth_type, "concern_level": level})
    client.force_login(world.user(Role.VILLAGE_CENTER))
    resp = client.get("/people/youth/")
    html = resp.content.decode()
    assert '<select name="youth_type"' in html
    assert '<select name="concern_level"' in html
    assert '<option value="01">闲散青少年</option>' in html
    assert '<option value="2">中等</option>' in html  # names, not codes
    for code_label in ("人员类型代码", "关注程度代码"):
        assert code_label not in html
    names = lambda resp: {r.person.name for r in resp.context["page_obj"].object_list}  # noqa: E731
    assert names(client.get("/people/youth/", {"youth_type": "05"})) == {"钱留"}
    assert names(client.get("/people/youth/", {"concern_level": "2"})) == {"赵闲"}
    assert names(client.get("/people/youth/", {"youth_type": "01", "concern_level": "1"})) == set()
    # An unknown code is a form error, not a silently empty list.
    assert "youth_type" in client.get("/people/youth/", {"youth_type": "77"}).context["filterset"].form.errors


def test_sex_is_shown_in_english_but_exported_for_import_in_chinese(client, world):
    make_person(world.gc_grid, name="周男", id_number=new_id_number(sex="1"))
    client.force_login(world.user(Role.VILLAGE_CENTER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    people = client.get("/people/").content.decode()
    assert ">Male<" in people
    assert ">男<" not in people
    # The ledger file is read back in by the import: its labels stay Chinese whatever the page's language.
    rows = list(load_workbook(io.BytesIO(ResidentLedger().workbook(Person.objects.filter(name="周男")))).active.values)
    sex = rows[0].index("性别")
    assert rows[1][sex] == "男"


def test_the_grid_filter_names_each_grid_with_its_village(client, world):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = client.get("/people/").content.decode()
    assert f">{world.gc_village.name} / 第1网格</option>" in html  # not a bare "第1网格" among many
    assert "---------" not in html
