"""Set-based inserts (core.bulkcopy): a few rows or many are written with their ids, a related object
not yet saved is refused as Django refuses it, a repeat is skipped when asked, and ``build`` makes the
same object as the model's constructor."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from anmin.core.bulkcopy import COPY_MIN_ROWS, build, copy_create
from anmin.core.models import Notice, Region, Role, User


def _notice(user, key: str, **extra) -> Notice:
    return build(Notice, recipient=user, kind="other", title=f"消息 {key}", key=key, created_at=timezone.now(),
                 **extra)


@pytest.mark.parametrize("count", [1, 3, COPY_MIN_ROWS + 5])
def test_rows_are_written_with_their_ids(world, count):
    user = world.user(Role.VILLAGE_CENTER)
    made = copy_create([_notice(user, f"bulk:{count}:{i}") for i in range(count)])
    assert all(n.pk is not None and not n._state.adding for n in made)
    stored = dict(Notice.objects.filter(key__startswith=f"bulk:{count}:").values_list("pk", "title"))
    assert stored == {n.pk: n.title for n in made}


def test_a_related_object_not_saved_yet_is_refused(world):
    stranger = User(username="not-saved-yet")
    with pytest.raises(ValueError, match="unsaved related object"), transaction.atomic():
        copy_create([_notice(stranger, "bulk:unsaved")])
    assert not Notice.objects.filter(key="bulk:unsaved").exists()


def test_skip_conflicts_leaves_out_a_repeat_and_writes_the_rest(world):
    user, other = world.user(Role.VILLAGE_CENTER), world.user(Role.TOWNSHIP_CENTER)
    copy_create([_notice(user, "bulk:once")])
    copy_create([_notice(user, "bulk:once"), _notice(other, "bulk:once")], skip_conflicts=True)
    assert sorted(Notice.objects.filter(key="bulk:once").values_list("recipient_id", flat=True)) == sorted(
        [user.pk, other.pk])


def test_build_makes_the_object_the_constructor_makes(world):
    user = world.user(Role.VILLAGE_CENTER)
    at = timezone.now()
    values = {"recipient": user, "kind": "other", "title": "t", "key": "k", "created_at": at}
    built, made = build(Notice, **values), Notice(**values)
    assert {k: v for k, v in built.__dict__.items() if k != "_state"} == {
        k: v for k, v in made.__dict__.items() if k != "_state"}
    assert built.recipient is user
    assert built._state.adding
    with pytest.raises(ValueError, match="must be a User"):  # not a user: refused as the descriptor refuses it
        build(Notice, recipient="someone", key="k")
    with pytest.raises(TypeError):  # not a field: refused as the constructor refuses it
        build(Notice, nonsense=1)


def test_insert_writes_one_row_as_save_does(world):
    """``insert``: the row and its id, ``pre_save`` (the bounds: too long a title refused, naming the
    field, nothing written) and ``post_save`` (every receiver told, created) as ``save`` sends them."""
    from django.db.models.signals import post_save

    from anmin.core.bulkcopy import insert
    from anmin.core.errors import Invalid

    user = world.user(Role.VILLAGE_CENTER)
    told = []

    def receiver(sender, instance, created, **kwargs):
        told.append((instance.key, created))

    post_save.connect(receiver, sender=Notice, weak=False)
    try:
        made = insert(Notice(recipient=user, kind="other", title="一条消息", key="insert:one",
                             created_at=timezone.now()))
        assert made.pk is not None
        assert not made._state.adding
        assert Notice.objects.get(pk=made.pk).title == "一条消息"
        assert told == [("insert:one", True)]
        long = Notice(recipient=user, kind="other", title="长" * 5000, key="insert:long", created_at=timezone.now())
        with pytest.raises(Invalid) as exc, transaction.atomic():
            insert(long)
        assert "title" in exc.value.errors
        assert not Notice.objects.filter(key="insert:long").exists()
        assert told == [("insert:one", True)]
    finally:
        post_save.disconnect(receiver, sender=Notice)


def test_insert_saves_a_model_whose_own_save_names_no_step_by_save_itself(world):
    """A model whose ``save`` adds work and names no ``before_insert`` is written by ``save`` itself
    (a case detail's, which copies the case's township, is checked in the grid's tests)."""
    from anmin.core.bulkcopy import _insert_hooks, insert

    assert _insert_hooks(Notice) == ()
    assert _insert_hooks(Region) is None  # its save keeps the prefix: saved by save itself
    user = world.user(Role.VILLAGE_CENTER)
    assert insert(Notice(recipient=user, kind="other", title="t", key="insert:hooks", created_at=timezone.now())).pk
