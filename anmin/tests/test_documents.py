"""Printed documents (文书): a 调解协议书 of a successful dispute opens as a Word file with the parties
masked, the agreement and the signature block; the case prints its 交办单, 卷宗 and 督办通知书; the
city office replaces a template with its own Word file and every print is audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from anmin.core.documents import actions as doc_actions
from anmin.core.documents.blank import Line, Title, build
from anmin.core.documents.render import document_text
from anmin.core.errors import Forbidden, Invalid
from anmin.core.models import AuditEntry, Role
from anmin.core.tests.factories import make_user
from anmin.disputes.models import Outcome
from anmin.disputes.tests.test_disputes import NOW, _mediate, report
from anmin.workflow.actions.supervision import issue_supervision


def _get(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.content[:500]
    return resp


def test_a_successful_dispute_prints_its_agreement_with_parties_masked(client, world):
    d = _mediate(world, report(world))
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    page = client.get(f"/disputes/{d.pk}/").content.decode()
    assert 'data-document="dispute_agreement"' in page
    assert "打印文书" in page
    resp = _get(client, f"/documents/dispute_agreement/{d.pk}/?format=docx")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in resp["Content-Disposition"]
    text = document_text(resp.content)
    assert "人民调解协议书" in text
    assert d.case.number in text
    assert "按1998年界桩为准" in text  # the agreement
    assert "张某" in text
    assert "李某" in text
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "人民调解员（签名）" in text
    assert "古城镇人民调解委员会" in text
    assert "2020年6月10日" in text  # concluded on, in Arabic numerals
    assert "{{" not in text
    assert "{%" not in text
    entry = AuditEntry.objects.filter(action="export", object_type="disputes.dispute", object_id=str(d.pk)).last()
    assert entry is not None
    assert entry.after["文书"] == "人民调解协议书"


def test_the_agreement_is_refused_until_the_mediation_succeeds(client, world):
    d = _mediate(world, report(world), outcome=Outcome.FAILED)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = client.get(f"/documents/dispute_agreement/{d.pk}/?format=docx")
    assert resp.status_code == 400
    assert "调解成功后才能生成调解协议书" in resp.content.decode()
    # The 笔录 of the session is there all the same.
    text = document_text(_get(client, f"/documents/mediation_record/{d.pk}/").content)
    assert "双方同意重新丈量" in text
    assert "当面调解" in text


def test_a_record_out_of_scope_is_not_found(client, world):
    d = _mediate(world, report(world))
    outsider = make_user(Role.TOWNSHIP_CENTER, world.orgs["wl_center"], username="wl_centre")
    client.force_login(outsider)
    assert client.get(f"/documents/dispute_agreement/{d.pk}/").status_code == 404
    assert client.get("/documents/no_such_document/1/").status_code == 404


def test_the_case_prints_its_assignment_dossier_and_supervision_notice(client, world):
    d = _mediate(world, report(world))
    centre = world.user(Role.TOWNSHIP_CENTER)
    client.force_login(centre)
    text = document_text(_get(client, f"/documents/case_assignment/{d.case.pk}/").content)
    assert "事项交办单" in text
    assert d.case.number in text
    assert "古城" in text
    dossier = document_text(_get(client, f"/documents/case_dossier/{d.case.pk}/").content)
    assert "办理过程" in dossier
    assert "调解" in dossier
    assert "卷内材料目录" in dossier
    s = issue_supervision(case=d.case, actor=world.user(Role.CITY_OFFICE), reason="临近期限仍未办结，", now=NOW)
    client.force_login(world.user(Role.CITY_OFFICE))
    notice = document_text(_get(client, f"/documents/supervision_notice/{s.pk}/").content)
    assert "督办通知书" in notice
    assert "临近期限仍未办结" in notice
    assert f"督〔2020〕{s.pk}号" in notice


def test_the_city_office_replaces_a_template_and_goes_back_to_the_default(client, world):
    d = _mediate(world, report(world))
    office = world.user(Role.CITY_OFFICE)
    own = build("本市协议书", (Title("禹州市人民调解协议书（市定格式）"),
                               Line("编号 {{ number }}；协议：{{ agreement }}")))
    doc_actions.upload_template(actor=office, key="dispute_agreement",
                                upload=SimpleUploadedFile("协议书.docx", own))
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    text = document_text(_get(client, f"/documents/dispute_agreement/{d.pk}/").content)
    assert "市定格式" in text
    assert "按1998年界桩为准" in text
    doc_actions.reset_template(actor=office, key="dispute_agreement")
    text = document_text(_get(client, f"/documents/dispute_agreement/{d.pk}/").content)
    assert "市定格式" not in text
    assert "人民调解员（签名）" in text
    assert AuditEntry.objects.filter(object_type="core.documenttemplate").count() == 2


def test_a_bad_template_is_refused_with_the_reason(world):
    office = world.user(Role.CITY_OFFICE)
    with pytest.raises(Invalid) as err:
        doc_actions.upload_template(actor=office, key="dispute_agreement",
                                    upload=SimpleUploadedFile("x.docx", b"not a zip"))
    assert err.value.field == "file"
    assert ".docx" in err.value.message
    broken = build("x", (Line("{{ number "),))
    with pytest.raises(Invalid) as err:
        doc_actions.upload_template(actor=office, key="dispute_agreement",
                                    upload=SimpleUploadedFile("x.docx", broken))
    assert "填充标记有误" in err.value.message
    with pytest.raises(Forbidden):
        doc_actions.upload_template(actor=world.user(Role.TOWNSHIP_CENTER), key="dispute_agreement",
                                    upload=SimpleUploadedFile("x.docx", broken))


def test_the_templates_page_lists_every_document_and_downloads_the_default(client, world):
    client.force_login(world.user(Role.CITY_OFFICE))
    page = _get(client, "/documents/templates/").content.decode()
    for key in ("dispute_agreement", "mediation_record", "case_assignment", "case_dossier", "supervision_notice"):
        assert f'data-document="{key}"' in page
    data = _get(client, "/documents/templates/dispute_agreement/").content
    doc = Docx(io.BytesIO(data))
    assert any("{{ agreement }}" in p.text for p in doc.paragraphs)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get("/documents/templates/").status_code == 403
