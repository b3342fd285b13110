"""The tip line on a 360-px phone: a member of the public submits a tip with a passphrase, copies the
receipt code, and later (after the office asked a question) opens the receipt, reads the question and
answers it anonymously — every page fits the phone's width, and no access-log line of the visit
(pages, stylesheet, icon) names the browser's address or user agent."""

from __future__ import annotations

import logging

import pytest

from anmin.crackdown import actions as crackdown
from anmin.crackdown.models import Clue
from anmin.workflow.models import CaseEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASS = "green tea 2020"


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px viewport"


def test_a_tipster_submits_keeps_the_receipt_and_answers_the_office(live_server, world, phone, caplog):
    caplog.set_level(logging.INFO, logger="anmin.access")
    phone.goto(f"{live_server.url}/portal/tip/")
    phone.wait_for_selector("form[data-form=tip]")
    fits_the_phone(phone)
    phone.select_option("#id_category", "mafia")
    phone.fill("#id_text", "花石镇有人霸占集贸市场摊位，强收管理费，不交就打人。")
    phone.fill("#id_passphrase", PASS)
    phone.fill("#id_passphrase2", PASS)
    phone.click("form[data-form=tip] button[type=submit]")
    code = phone.locator("[data-receipt-code]").inner_text().strip()
    assert len(code) == 16
    assert code.isdigit()
    fits_the_phone(phone)

    clue = Clue.objects.get()
    crackdown.ask_reporter(actor=world.user("crackdown"), clue=clue, question="强收管理费的人叫什么外号？")

    phone.click("a[href$='/portal/receipt/']")
    phone.wait_for_selector("form[data-form=receipt]")
    phone.fill("#id_code", code)
    phone.fill("#id_passphrase", PASS)
    phone.click("form[data-form=receipt] button[type=submit]")
    phone.wait_for_selector("[data-progress]")
    assert "待受理" in phone.locator("[data-status]").inner_text()
    assert "强收管理费的人叫什么外号？" in phone.locator("[data-conversation]").inner_text()
    fits_the_phone(phone)
    phone.fill("#id_answer", "外号叫“三哥”，常开黑色越野车。")
    phone.click("form[data-form=answer] button[type=submit]")
    phone.wait_for_selector("[data-message]")
    assert "您的补充已加密提交" in phone.locator("[data-conversation]").inner_text()  # sealed to the office
    assert CaseEvent.objects.filter(case=clue.case, action="reporter_answer").count() == 1
    fits_the_phone(phone)
    lines = [r.getMessage() for r in caplog.records if r.name == "anmin.access"]
    assert len(lines) >= 4
    assert not [line for line in lines if "127.0.0.1" in line or "Chrome" in line]


def test_over_the_limit_the_phone_solves_the_proof_of_work_and_the_tip_goes_in(live_server, world, phone,
                                                                                  monkeypatch, settings):
    """pow.js (a static file) solves the signed challenge with WebCrypto on submit; no third party."""
    from anmin.portal import views

    settings.ANMIN_PORTAL_POW_BITS = 12
    monkeypatch.setattr(views, "LIMIT_PER_HOUR", 0)  # this network is over the limit at once
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.goto(f"{live_server.url}/portal/tip/")
    phone.select_option("#id_category", "safety")
    phone.fill("#id_text", "城关镇某KTV深夜聚众斗殴，已有多次，附近居民不敢报警。")
    phone.fill("#id_passphrase", PASS)
    phone.fill("#id_passphrase2", PASS)
    phone.click("form[data-form=tip] button[type=submit]")
    phone.wait_for_selector("[data-pow-notice]")
    assert Clue.objects.count() == 0
    phone.fill("#id_passphrase", PASS)
    phone.fill("#id_passphrase2", PASS)
    phone.click("form[data-form=tip] button[type=submit]")
    phone.wait_for_selector("[data-receipt-code]", timeout=60_000)
    assert len(phone.locator("[data-receipt-code]").inner_text().strip()) == 16
    assert Clue.objects.count() == 1
    assert not [e for e in errors if "Content Security Policy" in e]
    fits_the_phone(phone)
