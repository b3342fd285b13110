"""Bounded input: numbers, dates and text beyond their limits are refused with a Chinese message
naming the field and the limit — through the API, the pages and the actions alike — and never
become a 500 for whoever reads the record later."""

from __future__ import annotations

import datetime as dt

import pytest

from anmin.core import bounds
from anmin.core.errors import Invalid
from anmin.core.models import OrgUnit, Role


@pytest.fixture
def worker(client, world):
    from anmin.core.codes import load_code_tables

    load_code_tables()  # the dispute categories
    client.force_login(world.user(Role.GRID_WORKER))
    return client


def dispute(world, **kw):
    data = {"title": "王某与赵某借贷纠纷", "region": world.gc_grid.code, "category": "0804", "found_on": "2020-06-09",
            "parties": [{"role": "applicant", "name": "王某"}, {"role": "respondent", "name": "赵某"}]}
    data.update(kw)
    return data


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_count_beyond_any_column_is_a_400_naming_the_field(worker, world):
    resp = post(worker, "/api/v1/disputes/", dispute(world, people_involved=99999999999999999999))
    assert resp.status_code == 400
    body = resp.json()
    assert body["field"] == "people_involved"
    assert "100000" in body["message"] or "2147483647" in body["message"]  # the limit is named


def test_an_amount_of_1e30_is_refused(worker, world):
    resp = post(worker, "/api/v1/disputes/", dispute(world, amount="1e30"))
    assert resp.status_code == 400
    assert resp.json()["field"] == "amount"


def test_a_registration_date_before_1949_10_01_is_refused(worker, world):
    resp = post(worker, "/api/v1/disputes/", dispute(world, found_on="0001-01-01"))
    assert resp.status_code == 400
    assert "1949-10-01" in resp.json()["message"]


def test_a_200000_character_description_is_refused_naming_the_limit(worker, world):
    resp = post(worker, "/api/v1/grid-events/", {"region": world.gc_grid.code, "category": "02",
                                                 "description": "火" * 200_000})
    assert resp.status_code == 400
    [message] = resp.json()["errors"]["description"]
    assert "5000" in message or "20000" in message  # the limit is named


def test_bidi_overrides_are_removed_from_titles(worker, world):
    resp = post(worker, "/api/v1/disputes/", dispute(world, title="借贷\u202e纠纷\u2066"))
    assert resp.status_code == 201, resp.content
    assert resp.json()["title"] == "借贷纠纷"


def test_the_cases_api_says_null_when_there_is_no_handler(worker, world):
    post(worker, "/api/v1/disputes/", dispute(world))
    rows = worker.get("/api/v1/cases/").json()["results"]
    assert rows
    assert all(r["handler_name"] is None for r in rows if r["handler"] is None)
    assert not any("method-wrapper" in str(r["handler_name"]) for r in rows)


def test_check_instance_names_each_field_and_its_limit(world):
    org = OrgUnit(name="名" * 200, kind="center", region=world.gucheng)
    with pytest.raises(Invalid) as exc:
        bounds.check_instance(org)
    assert exc.value.errors == {"name": ["「名称」最多 128 个字（现为 200 个）"]}


def test_dates_have_a_floor_and_a_horizon(world, settings):
    from django.db import models

    field = models.DateField(name="found_on", verbose_name="登记日期")
    assert bounds.field_errors(field, dt.date(1949, 10, 1)) == []
    assert bounds.field_errors(field, dt.date(1949, 9, 30))
    settings.ANMIN_DATE_HORIZON_DAYS = 30
    assert bounds.field_errors(field, bounds.latest_date() + dt.timedelta(days=1))
    birth = models.DateField(name="birth_date", verbose_name="出生日期")
    assert bounds.field_errors(birth, dt.date(1935, 5, 1)) == []


def test_the_import_dry_run_refuses_what_the_columns_cannot_hold(db):
    from django.core.exceptions import ValidationError

    from anmin.core import ledgers

    with pytest.raises(ValidationError, match="应在1至2147483647之间"):
        ledgers.integer(min_value=1)("99999999999999999999")
    with pytest.raises(ValidationError, match="数值过大"):
        ledgers.decimal(min_value=0)("1e30")
    with pytest.raises(ValidationError, match="1949-10-01"):
        ledgers.date()("0001-01-01")
    assert ledgers.date(not_before=dt.date(1900, 1, 1))("1935-05-01") == dt.date(1935, 5, 1)
