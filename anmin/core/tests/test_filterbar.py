"""A ledger's filter bar is drawn once for everyone who would see the same one (core.filterbar), and
drawn again as soon as anything it shows changes: the scope, a place's name, a code's name, the
language, the values filtered by."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import transaction

from anmin.core import filterbar
from anmin.core.models import CodeItem, Region, Role

BAR = re.compile(r'<form method="get" class="filter-bar" role="search">(.*?)<button', re.S)


def _committed() -> None:
    """As on a server, where each request is its own transaction: run what the test world's writes
    left to run on commit (the cache generations move) and forget it."""
    conn = transaction.get_connection()
    pending, conn.run_on_commit = list(conn.run_on_commit), []
    for _sids, func, _robust in pending:
        func()


@pytest.fixture
def draws(monkeypatch):
    """How many times a bar was drawn (not taken from the cache)."""
    caches["default"].clear()
    calls = []
    real = filterbar.draw

    def counting(form):
        calls.append(type(form).__name__)
        return real(form)

    monkeypatch.setattr(filterbar, "draw", counting)
    return calls


def bar(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return BAR.search(resp.content.decode()).group(1)


def test_the_same_bar_is_drawn_once_and_is_the_bar_drawn_afresh(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    first = bar(client, "/workflow/cases/")
    assert len(draws) == 1
    assert bar(client, "/workflow/cases/") == first
    assert bar(client, "/workflow/cases/?page=1") == first  # another page, the same bar
    assert len(draws) == 1
    assert 'name="village"' in first
    assert "古城村委会" in first
    assert "全部" in first
    assert "无梁村委会" not in first  # another township's village is not the centre's to filter by
    # The city sees its own bar (its query, with every township's villages), not the centre's.
    client.force_login(world.user(Role.LEADER))
    city = bar(client, "/workflow/cases/")
    assert "无梁村委会" in city
    assert len(draws) == 2


def test_filtered_values_show_in_their_own_bar(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    plain = bar(client, "/workflow/cases/")
    chosen = bar(client, "/workflow/cases/?priority=urgent&q=%E5%9E%83%E5%9C%BE")
    assert chosen != plain
    assert 'value="垃圾"' in chosen
    assert re.search(r'<option value="urgent"[^>]*selected', chosen)
    assert bar(client, "/workflow/cases/?priority=urgent&q=%E5%9E%83%E5%9C%BE&page=1") == chosen
    assert len(draws) == 2
    # A value holding "&" and "=" is one value, not two: its own bar, not the one of two values.
    two = bar(client, "/workflow/cases/?q=%E5%9E%83%E5%9C%BE&status=in_progress")
    one = bar(client, "/workflow/cases/?q=%E5%9E%83%E5%9C%BE%26status%3Din_progress")
    assert re.search(r'<option value="in_progress"[^>]*selected', two)
    assert not re.search(r'<option value="in_progress"[^>]*selected', one)
    assert 'value="垃圾&amp;status=in_progress"' in one
    assert len(draws) == 4


def test_a_bar_with_errors_is_drawn_each_time_with_the_kits_wording(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    for _ in range(2):
        resp = client.get("/workflow/cases/?priority=nonsense")
        assert "「紧急程度」的选项无效" in resp.content.decode()
    assert len(draws) == 2


def test_a_renamed_code_shows_at_once(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    item = CodeItem.objects.filter(table__key="dispute_category", parent__isnull=False).first()
    assert item.name in bar(client, "/disputes/")
    with transaction.atomic():
        CodeItem.objects.filter(pk=item.pk).update(name="改过名的纠纷类别")
    _committed()
    from anmin.core.codes import code_names

    code_names.cache_clear()  # what an edit in the admin does on commit (a set-based update here)
    _committed()
    assert "改过名的纠纷类别" in bar(client, "/disputes/")


def test_a_renamed_village_shows_at_once_after_its_commit(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert "古城村委会" in bar(client, "/workflow/cases/")
    village = Region.objects.get(code=world.gc_village.code)
    village.name = "新改名村委会"
    village.save()
    _committed()  # the region tree's generation moves on commit
    shown = bar(client, "/workflow/cases/")
    assert "新改名村委会" in shown
    assert "古城村委会" not in shown


def test_each_language_has_its_own_bar(client, world, draws):
    _committed()
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    chinese = bar(client, "/workflow/cases/")
    client.cookies["django_language"] = "en"
    english = bar(client, "/workflow/cases/")
    assert english != chinese
    assert "紧急程度" in chinese
    assert "紧急程度" not in english
    client.cookies["django_language"] = "zh-hans"
    assert bar(client, "/workflow/cases/") == chinese
    assert len(draws) == 2


def test_a_wrong_filter_is_told_in_words_and_no_empty_ledger_pretends_to_be_an_answer(client, world):
    """A link with ?township=999999999 (a bookmark from before a rename, a hand-typed code) showed the
    field's internal name (township) over the message, and under it 没有符合条件的记录."""
    client.force_login(world.user(Role.CITY_OFFICE))
    page = client.get("/disputes/?township=999999999").content.decode()
    errors = page[page.index("data-filter-errors"):]
    errors = errors[:errors.index("</div></div>") if "</div></div>" in errors else 400]
    assert "筛选条件有误" in errors
    assert "「乡镇(街道)」的选项无效" in errors
    assert ">township<" not in page
    assert "筛选条件有误，未列出记录" in page
    assert "没有符合条件的记录" not in page
