"""Record addresses by key (core.links) are what ``reverse`` gives, under any script prefix."""

from __future__ import annotations

from django.urls import clear_script_prefix, reverse, set_script_prefix

from anmin.core.links import pk_url


def test_an_address_by_key_is_the_reversed_one():
    for name in ("core:orgunit_detail", "core:token_revoke", "core:audit_detail"):
        for pk in (1, 7, 12345, 987654):
            assert pk_url(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept_apart():
    plain = pk_url("core:notice_detail", 5)
    set_script_prefix("/anmin/")
    try:
        assert pk_url("core:notice_detail", 5) == reverse("core:notice_detail", args=[5]) == "/anmin" + plain
    finally:
        clear_script_prefix()
    assert pk_url("core:notice_detail", 5) == plain


def test_a_key_that_is_not_a_whole_number_goes_through_reverse():
    assert pk_url("core:notice_detail", "8") == reverse("core:notice_detail", args=["8"])
