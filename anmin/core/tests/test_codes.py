"""Code tables load from data, idempotently, and every dispute major has an 'xx99 其他' minor."""

from __future__ import annotations

import pytest

from anmin.core.codes import code_choices, code_name, load_code_tables
from anmin.core.models import CodeItem


def test_code_tables_load_once(db):
    CodeItem.objects.all().delete()  # migrate loaded them already (reference data): start from none
    first = load_code_tables()
    assert first["code_items"] > 100
    assert load_code_tables() == {"code_items": 0}


def test_dispute_categories_are_two_level_with_other(db):
    load_code_tables()
    assert code_name("dispute_category", "0902") == "宅基地使用"
    assert code_name("dispute_category", "0199") == "其他"
    minor = CodeItem.objects.of("dispute_category").get(code="0902")
    assert minor.parent.code == "09"
    majors = CodeItem.objects.of("dispute_category").filter(parent__isnull=True)
    for major in majors:
        assert major.children.filter(code=f"{major.code}99").exists(), major.code
    leaves = dict(code_choices("dispute_category", leaves_only=True))
    assert "09" not in leaves
    assert "0902" in leaves


def test_a_city_may_rename_an_item_and_reloading_keeps_it(db):
    load_code_tables()
    CodeItem.objects.of("event_scale").filter(code="01").update(name="个体事件")
    load_code_tables()
    assert code_name("event_scale", "01") == "个体事件"


@pytest.mark.django_db(transaction=True)
def test_an_edited_code_item_shows_on_the_next_read_and_an_unchanged_table_is_not_read_again(
        django_assert_num_queries):
    from anmin.core.codes import code_names

    load_code_tables()
    before = dict(code_choices("grid_event_category"))
    with django_assert_num_queries(0):
        assert dict(code_choices("grid_event_category")) == before
    item = CodeItem.objects.get(table__key="grid_event_category", code="05")
    item.name = "城市管理（改）"
    item.save()
    assert dict(code_choices("grid_event_category"))["05"] == "城市管理（改）"
    assert code_names("grid_event_category")["05"] == "城市管理（改）"


def test_every_shipped_name_is_listed_for_translation_and_translated_into_english():
    """``core.codenames`` lists what ``makemessages`` cannot read in the JSON files; the English
    catalogue has every one of them (a table added without its names would show in Chinese)."""
    from django.utils import translation

    from anmin.core.codenames import NAMES
    from anmin.core.codes import _flatten, _shipped_specs

    shipped = {name for spec in _shipped_specs() for _c, name, _p, _o in
               _flatten(spec["items"], other_minor=spec.get("other_minor"))}
    assert shipped == set(NAMES)
    with translation.override("en"):
        untranslated = sorted(n for n in NAMES if translation.gettext(n) == n)
    assert not untranslated, untranslated


@pytest.mark.django_db(transaction=True)
def test_code_names_follow_the_language_and_a_renamed_item_shows_as_written():
    from django.utils import translation

    from anmin.core.codes import code_names
    from anmin.core.formkit import grouped_code_choices

    load_code_tables()
    assert code_name("dispute_category", "0902") == "宅基地使用"
    with translation.override("en"):
        assert code_name("dispute_category", "0902") == "Homestead use"
        assert dict(code_choices("grid_event_category"))["04"] == "Sanitation"
        groups = dict(grouped_code_choices("dispute_category"))
        assert "Homestead use" in dict(groups["Land and resource ownership"]).values()
    assert dict(code_choices("grid_event_category"))["04"] == "环境卫生"  # Chinese again
    item = CodeItem.objects.get(table__key="grid_event_category", code="04")
    item.name = "村容村貌"
    item.save()
    with translation.override("en"):
        assert code_names("grid_event_category")["04"] == "村容村貌"  # the city's own word, as written
    assert code_names("grid_event_category")["04"] == "村容村貌"
