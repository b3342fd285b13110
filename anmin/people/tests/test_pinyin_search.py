"""Full pinyin finds a resident as initials do: "hexuqiang", "he xu qiang" and "hxq" all find 何旭强,
within the searcher's own jurisdiction only."""

from __future__ import annotations

from anmin.core.models import Role
from anmin.people.models import Person

from .factories import make_person


def test_full_pinyin_initials_and_a_partial_last_syllable_find_the_name(world):
    he = make_person(world.gc_grid, name="何旭强")
    make_person(world.gc_grid, name="何秀琴")  # the same initials, another name
    make_person(world.gc_grid, name="吕伟")
    people = Person.objects.all()
    assert list(people.search("hexuqiang")) == [he]
    assert list(people.search("he xu qiang")) == [he]
    assert set(people.search("HeXuQ")) == {he}
    assert people.search("hxq").count() == 2  # initials: both
    assert people.search("hexiu").get().name == "何秀琴"
    assert people.search("lvwei").get().name == "吕伟"
    assert not people.search("hexuqiangg").exists()


def test_full_pinyin_stays_inside_the_searchers_area(client, world):
    make_person(world.gc_grid, name="何旭强")
    make_person(world.wl_grid, name="何旭强")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))  # 古城镇
    assert client.get("/people/", {"q": "hexuqiang"}).context["total"] == 1
