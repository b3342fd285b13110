"""A row read by a statement compiled once (core.keptquery): the same objects as the ORM's ``get``,
its related rows cached, a change seen on the very next read, and a value of the wrong kind no row."""

from __future__ import annotations

from django.test import Client

from anmin.core.keptquery import KeptGet
from anmin.core.models import Role, User


def test_kept_get_reads_what_the_orm_reads(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    kept = KeptGet(User, "pk", related=("org_unit__region",))
    for _ in range(2):  # compiled on the first call, run again on the second
        got = kept(user.pk)
        assert got == user
        assert got.username == user.username
        assert got.org_unit.region.code == user.org_unit.region.code
    assert kept(str(user.pk)) == user  # a session keeps the id as text
    assert kept(10**12) is None
    assert kept("not-a-number") is None
    User.objects.filter(pk=user.pk).update(name="改过的名字")
    assert kept(user.pk).name == "改过的名字"  # read afresh every time


def test_a_deactivated_account_is_signed_out_on_its_next_request(world):
    user = world.user(Role.TOWNSHIP_CENTER)
    client = Client()
    client.force_login(user)
    assert client.get("/me/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/me/").status_code == 302
