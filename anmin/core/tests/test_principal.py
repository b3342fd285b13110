"""The signed-in user's roles, grants, org unit and second factor are read once per process and read
again as soon as any of them changes (core.principal)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from anmin.core.models import Role, User
from anmin.core.principal import facts
from anmin.core.tests.factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)  # the cache moves on commit: commit for real


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_no_roles_grants_or_org(django_assert_num_queries):
    user = build_world().user(Role.TOWNSHIP_CENTER)
    first = facts(user)
    assert first.roles
    assert first.perms
    assert first.org_unit is not None
    again = _fresh(user)
    with django_assert_num_queries(0):
        assert again.role_codes == {Role.TOWNSHIP_CENTER}
        assert again.has_perm(next(iter(first.perms)))
        assert again.scope.prefixes == user.scope.prefixes
        assert again.org_unit_with_region.region.name == "古城镇"


def test_a_grant_given_to_the_role_counts_on_the_next_read():
    user = build_world().user(Role.TOWNSHIP_CENTER)
    perm = Permission.objects.exclude(role__code=Role.TOWNSHIP_CENTER).select_related("content_type").first()
    label = f"{perm.content_type.app_label}.{perm.codename}"
    assert not user.has_perm(label)
    Role.objects.get(code=Role.TOWNSHIP_CENTER).permissions.add(perm)
    assert _fresh(user).has_perm(label)
    Role.objects.get(code=Role.TOWNSHIP_CENTER).permissions.remove(perm)
    assert not _fresh(user).has_perm(label)


def test_a_role_taken_away_and_a_new_unit_count_on_the_next_read():
    world = build_world()
    user = world.user(Role.TOWNSHIP_CENTER)
    assert user.scope.prefixes
    moved = _fresh(user)
    moved.org_unit = world.orgs["wl_center"]
    moved.save(update_fields=["org_unit"])
    assert _fresh(user).org_unit_with_region.region.name == "无梁镇"
    assert _fresh(user).scope.prefixes == (world.wuliang.prefix,)
    _fresh(user).roles.clear()
    assert _fresh(user).role_codes == frozenset()
    assert _fresh(user).scope.prefixes == ()


def test_inside_the_writing_transaction_the_writer_sees_its_write():
    user = build_world().user(Role.TOWNSHIP_CENTER)
    facts(user)
    with transaction.atomic():
        _fresh(user).roles.clear()
        assert _fresh(user).role_codes == frozenset()  # not the cached roles of before
    assert _fresh(user).role_codes == frozenset()


def test_binding_an_authenticator_counts_on_the_next_read():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = build_world().user(Role.TOWNSHIP_CENTER)
    assert facts(user).has_otp_device is False
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    assert facts(_fresh(user)).has_otp_device is True
