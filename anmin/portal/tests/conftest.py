"""The 扫黑办's tip key for the portal's tests (the tip line refuses tips without one): argon2id at its
minimum limits so a test unlocks in milliseconds."""

from __future__ import annotations

import pytest

from anmin.core.actors import SYSTEM

OFFICE_PASSPHRASE = "test office passphrase 2020"


@pytest.fixture(autouse=True)
def office_key(request, settings):
    if "world" not in request.fixturenames and "live_server" not in request.fixturenames:
        return None
    request.getfixturevalue("world")
    settings.ANMIN_TIP_KDF = "min"
    settings.ANMIN_PORTAL_POW_BITS = 8
    from anmin.crackdown.actions import set_up_tip_key

    return set_up_tip_key(actor=SYSTEM, passphrase=OFFICE_PASSPHRASE)
