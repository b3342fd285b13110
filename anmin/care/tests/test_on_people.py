"""Care on people's pages and ledgers: the patient register behind the special permission, in the
person ledger's category filter, and the patients' Excel ledger on people's ledger base."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from anmin.core.models import Role
from anmin.people.tests.test_importers import HEADER, ident, row, upload, xlsx

from ..importers import PatientLedger
from ..models import MentalPatient, RiskAssessment
from .factories import make_patient, make_person

PATIENT_HEADER = [*HEADER[:9], "危险性评估等级", "诊断", "监护人姓名", "监护人电话", "有无肇事肇祸史", "建档日期"]


def test_special_registers_are_only_for_roles_with_the_special_permission(client, world):
    patient = make_patient(world.gc_grid, level=3)
    person = patient.person
    for role, sees in (
        (Role.GRID_WORKER, True),
        (Role.POLICE, True),
        (Role.LEADER, False),
        ("crackdown", False),
        (Role.DEPT_HANDLER, False),
        (Role.SYSADMIN, False),
    ):
        user = world.user(role)
        assert MentalPatient.objects.visible_to(user).filter(pk=patient.pk).exists() is sees, role
    client.force_login(world.user(Role.LEADER))
    page = client.get(person.get_absolute_url()).content.decode()
    assert "严重精神障碍" not in page  # the resident, yes; that they are a patient, no
    assert client.get("/people/", {"category": "mental"}).context["total"] == 0
    assert client.get(patient.get_absolute_url()).status_code == 404
    client.force_login(world.user(Role.GRID_WORKER))
    assert client.get("/people/", {"category": "mental"}).context["total"] == 1


def test_the_patient_ledger_registers_new_and_existing_residents(client, world, uploads):
    existing = make_person(world.gc_grid, name="老住户", id_number=ident(50))
    rows = [
        [*row(51)[:9], "3级", "精神分裂症", "张母", "13900001111", "有", "2019-05-01"],
        [*row(50, name="老住户")[:9], 4, "双相情感障碍", "王父", None, "是", None],
        [*row(52)[:9], 7, None, None, None, None, None],
        [*row(53, name="别人")[:9], 1, None, None, None, None, None],
    ]
    rows[3][1] = ident(50)  # the existing resident's number under another name
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    report = upload(client, "/care/mental/", xlsx(rows, PATIENT_HEADER))
    errors = {(e.row, e.field): e.message for e in report.context["report"].errors}
    assert errors == {(5, "risk_level"): "危险性评估等级：应在0至5之间", (6, "id_number"): "公民身份号码：与第4行重复"}
    done = client.post(
        "/care/mental/", {"ledger_step": "confirm", "token": report.context["token"], "mode": "valid_only"}
    )
    assert done.status_code == 200
    new = MentalPatient.objects.get(person__name="居民51")
    old = MentalPatient.objects.get(person=existing)
    assert (new.risk_level, new.registered_on, new.next_followup_on) == (3, dt.date(2019, 5, 1), dt.date(2019, 5, 15))
    assert new.diagnosis.reveal() == "精神分裂症"
    assert new.has_incident_history
    assert old.risk_level == 4
    assert RiskAssessment.objects.filter(patient__in=[new, old], status="approved").count() == 2
    # Imported again: already on the register.
    again = PatientLedger(user=world.user(Role.TOWNSHIP_CENTER)).dry_run(xlsx(rows[:1], PATIENT_HEADER))
    assert [e.message for e in again.errors] == ["公民身份号码：该人员已在严重精神障碍患者台账中在册"]


def test_risk_levels_are_shown_in_english_on_the_patients_ledger(client, world):
    make_patient(world.gc_grid, level=3)
    client.force_login(world.user(Role.VILLAGE_CENTER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    mental = client.get("/care/mental/").content.decode()
    assert "Level 3" in mental
    assert "3级" not in mental


def test_the_old_people_addresses_of_care_pages_redirect_to_care(client, world):
    patient = make_patient(world.gc_grid, level=3)
    client.force_login(world.user(Role.GRID_WORKER))
    moved = client.get(f"/people/mental/{patient.pk}/", {"tab": "team"})
    assert moved.status_code == 301
    assert moved["Location"] == f"/care/mental/{patient.pk}/?tab=team"
    assert client.get(moved["Location"]).status_code == 200
    visit = client.get(f"/people/persons/{patient.person_id}/visit/")
    assert visit["Location"] == f"/care/persons/{patient.person_id}/visit/"
    assert client.get("/people/mental/overdue/")["Location"] == "/care/mental/overdue/"


def test_the_person_page_shows_what_care_adds(client, world):
    patient = make_patient(world.gc_grid, level=3)
    client.force_login(world.user(Role.GRID_WORKER))
    page = client.get(patient.person.get_absolute_url(), {"tab": "visits"}).content.decode()
    assert f'href="/care/persons/{patient.person_id}/visit/" data-action="visit"' in page
    assert "记录随访" in page
    assert patient.get_absolute_url() in page  # the level and the next follow-up, linked to the patient
    client.force_login(world.user(Role.LEADER))  # the resident, yes; that they are a patient, no
    page = client.get(patient.person.get_absolute_url()).content.decode()
    assert "严重精神障碍" not in page
    assert "/care/persons/" not in page


def test_the_patients_risk_level_filter_offers_all_first_and_filters_by_the_level_chosen(client, world):
    """The filter had no empty choice: the bar showed 0级 chosen, and any 查询 from it (a name typed) listed
    only the level-0 patients."""
    make_patient(world.gc_grid, level=3)
    make_patient(world.gc_grid, level=0)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get("/care/mental/").content.decode()
    select = page[page.index('name="risk_level"'):]
    select = select[:select.index("</select>")]
    assert select.index('<option value="" selected>全部</option>') < select.index('value="0"')
    assert client.get("/care/mental/", {"risk_level": ""}).context["total"] == 2  # 全部, as sent by the bar
    assert client.get("/care/mental/", {"risk_level": "3"}).context["total"] == 1
    assert client.get("/care/mental/", {"risk_level": "0"}).context["total"] == 1
