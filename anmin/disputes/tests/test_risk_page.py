"""风险研判 on a dispute being handled, and 民转刑 offered on its page (the actions existed; no page led to
either: a centre that learned of a threat could not raise the colour)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anmin.core.models import Role
from anmin.disputes import actions
from anmin.disputes.models import Dispute

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2020, 6, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def dispute(world):
    return actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE), title="张某与李某宅基地边界纠纷", region=world.gc_grid,
        category="0902", found_on=dt.date(2020, 6, 9), now=NOW,
        parties=[{"name": "张某"}, {"name": "李某", "role": "respondent"}])


def test_the_centre_raises_a_disputes_risk_and_the_timeline_says_why(client, world, dispute):
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(dispute.get_absolute_url()).content.decode()
    url = reverse("disputes:dispute_risk", args=[dispute.pk])
    assert url in page
    assert reverse("disputes:dispute_criminal", args=[dispute.pk]) in page
    r = client.post(url, {"version": dispute.version, "assessed_colour": "yellow", "risk_flags": ["threat_revenge"],
                          "reason": "李某扬言报复"})
    assert r.status_code == 302
    d = Dispute.objects.get(pk=dispute.pk)
    assert (d.assessed_colour, d.risk_flags, d.colour) == ("yellow", ["threat_revenge"], "red")  # the flag raises it
    page = client.get(d.get_absolute_url()).content.decode()
    assert "李某扬言报复" in page
    # A form opened before that change: told, nothing overwritten, the form on the newer version.
    r = client.post(url, {"version": dispute.version, "assessed_colour": "blue", "reason": "已平稳"})
    assert r.status_code == 409
    assert f'name="version" value="{d.version}"' in r.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).colour == "red"
    r = client.post(url, {"version": d.version, "assessed_colour": "blue", "reason": ""})
    assert "「研判说明」为必填项" in r.content.decode()  # the reason is asked for
    assert Dispute.objects.get(pk=dispute.pk).colour == "red"


def test_a_leader_sees_the_dispute_but_no_risk_form(client, world, dispute):
    client.force_login(world.user(Role.LEADER))
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert reverse("disputes:dispute_risk", args=[dispute.pk]) not in page
    r = client.post(reverse("disputes:dispute_risk", args=[dispute.pk]),
                    {"version": dispute.version, "assessed_colour": "red", "reason": "x"})
    assert r.status_code in (403, 404)
    assert Dispute.objects.get(pk=dispute.pk).assessed_colour == dispute.assessed_colour
