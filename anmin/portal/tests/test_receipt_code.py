"""A tipster types the receipt code back the way people copy a long number: in groups of four, or in a
phone's full-width digits. The receipt page's field used to cut "9975 8906 8353 6599" at 16 characters
(maxlength) and answer 回执码或口令不正确 for the right code."""

from __future__ import annotations

import re

from django.test import Client

from .test_portal import PASS, _tip


def _code(client) -> str:
    return re.search(r"data-receipt-code>(\d{16})<", _tip(client).content.decode()).group(1)


def test_the_receipt_opens_with_the_code_typed_in_groups_or_full_width_digits(world):
    client = Client()
    code = _code(client)
    form = client.get("/portal/receipt/").content.decode()
    maxlength = int(re.search(r'name="code"[^>]*maxlength="(\d+)"', form).group(1))
    grouped = " ".join(code[i:i + 4] for i in range(0, 16, 4))
    assert maxlength >= len(grouped)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for typed in (grouped, code[:8] + "-" + code[8:], full_width):
        page = client.post("/portal/receipt/", {"code": typed, "passphrase": PASS}).content.decode()
        assert "办理状态" in page, typed
        assert "回执码或口令不正确" not in page


def test_a_code_of_the_wrong_length_is_told_at_the_field_with_the_rule(world):
    page = Client().post("/portal/receipt/", {"code": "9975 8906 8353 659", "passphrase": PASS})
    assert page.status_code == 400
    assert "「回执码」应为16位数字" in page.content.decode()


def test_the_portals_labels_end_in_a_chinese_colon(world):
    """Chinese puts a full-width colon after a label: the portal's forms read 举报类别：, not 举报类别: ."""
    page = Client().get("/portal/receipt/").content.decode()
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", page)
    assert labels
    assert all(label.endswith("：") for label in labels), labels
