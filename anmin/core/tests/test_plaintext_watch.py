"""The whole test run is watched for full ID numbers and phones in the log (root conftest); the
watch itself must catch them, or that promise means nothing."""

from __future__ import annotations

import logging

from anmin.core.testing import plaintext_watch

NUMBER = "11010519491231002X"  # GB 11643's own example, a valid check digit


def test_the_watch_catches_a_full_id_number_and_phone_in_any_log_record():
    watch = plaintext_watch.active
    assert watch is not None, "the root conftest installs the watch for the whole session"
    logging.getLogger("anmin.somewhere").debug("reported by %s, phone %s", NUMBER, "13812345678")
    try:
        raise ValueError(f"bad party {NUMBER}")
    except ValueError:
        logging.getLogger("django.request").exception("failed")
    found = watch.take()  # taken here, so this test itself does not fail
    assert [(f.what, f.masked, f.logger) for f in found] == [
        ("身份证号", "110***********002X", "anmin.somewhere"),
        ("手机号", "138****5678", "anmin.somewhere"),
        ("身份证号", "110***********002X", "django.request"),  # in the traceback
    ]


def test_masked_values_codes_and_long_numbers_are_not_flagged():
    watch = plaintext_watch.active
    log = logging.getLogger("anmin.somewhere")
    log.info("masked %s %s", "110***********002X", "138****5678")
    log.info("case WG-2020-000123, region 411081106001001, hash %s", "a" * 20 + "110105194912310021" + "b" * 26)
    log.info("timestamp 1732876543210, 18 digits with a wrong check digit 110105194912310021")
    assert watch.take() == []
