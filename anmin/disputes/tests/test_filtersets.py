"""Every filter set derives from ``core.filters.FilterSet``, which copies the class's filters by what a
filter set changes instead of deep-copying them: two users' filter sets side by side (as two
requests in one process) must keep their own choices, their own form fields and their own methods,
and the class's filters nothing of either."""

from __future__ import annotations

from django.test import RequestFactory

from anmin.core.models import Role
from anmin.disputes.filters import DisputeFilter
from anmin.disputes.models import Dispute


def _filter_set(user, query):
    request = RequestFactory().get("/disputes/", query)
    request.user = user
    return DisputeFilter(request.GET, queryset=Dispute.objects.visible_to(user), request=request)


def test_two_users_filter_sets_keep_their_own_choices_fields_and_methods(world):
    city, town = world.user(Role.CITY_OFFICE), world.user(Role.TOWNSHIP_CENTER)
    for_city = _filter_set(city, {"township": world.wuliang.code, "q": "土地"})
    for_town = _filter_set(town, {"q": "土地"})

    # each drop-down of townships is its own user's: the city sees both, 古城镇's centre its own
    assert set(for_city.form.fields["township"].queryset) == {world.gucheng, world.wuliang}
    assert set(for_town.form.fields["township"].queryset) == {world.gucheng}
    assert for_city.is_valid()
    assert for_city.form.cleaned_data["township"] == world.wuliang
    # 古城镇's centre may not choose 无梁镇: told so, in its own form only
    assert not _filter_set(town, {"township": world.wuliang.code}).is_valid()
    assert for_town.is_valid()

    # no field, widget or list of choices shared between the two forms
    for name in ("township", "status", "sla", "category"):
        mine, theirs = for_city.form.fields[name], for_town.form.fields[name]
        assert mine is not theirs
        assert mine.widget is not theirs.widget
    assert for_city.form.fields["status"].choices == for_town.form.fields["status"].choices != []

    # a filter by method answers through its own filter set
    for fs in (for_city, for_town):
        search = fs.filters["q"]
        assert search.parent is fs
        assert search.filter.f is search
    assert list(for_town.qs) == list(for_town.qs.none())  # nothing matches in an empty world, no error

    # the class's filters kept nothing of either request
    township = DisputeFilter.base_filters["township"]
    assert "_field" not in township.__dict__
    assert callable(township.extra["queryset"])
    assert "choices" not in DisputeFilter.base_filters["status"].extra
