"""Documents on a dispute (调解协议书、调解笔录 …) through the core attachment service: the upload form
and the list on the dispute page, who may add, who may download."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anmin.core.models import Attachment, AuditEntry, Role
from anmin.disputes import actions

NOW = dt.datetime(2020, 6, 10, 9, 0, tzinfo=dt.UTC)


def report(world, region=None):
    return actions.report_dispute(
        actor=world.user(Role.CITY_OFFICE), title="张某与李某宅基地边界纠纷", region=region or world.gc_grid,
        category="0902", found_on=dt.date(2020, 6, 9), now=NOW,
        parties=[{"name": "张某"}, {"name": "李某", "role": "respondent"}],
    )


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (34.0, 8.0, 25.8)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def docx_with_author() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'))
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                                        '2006/main"><w:body><w:p><w:r><w:t>协议</w:t></w:r></w:p></w:body></w:document>')
        z.writestr("docProps/core.xml", (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>调解员王五</dc:creator>'
            '<cp:lastModifiedBy>王五</cp:lastModifiedBy></cp:coreProperties>'))
    return out.getvalue()


def page(client, dispute, tab="mediation") -> str:
    resp = client.get(dispute.get_absolute_url(), {"tab": tab})
    assert resp.status_code == 200
    return resp.content.decode()


def post(client, dispute, data: bytes, name: str, category="agreement", note=""):
    return client.post(reverse("disputes:dispute_attachment", args=[dispute.pk]), {
        "category": category, "note": note, "file": SimpleUploadedFile(name, data), "idempotency_key": uuid.uuid4().hex,
    })


def test_the_township_centre_uploads_an_agreement_from_the_dispute_page(client, world):
    dispute = report(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    html = page(client, dispute)
    assert "附件材料" in html
    assert "暂无附件" in html
    assert f'action="{reverse("disputes:dispute_attachment", args=[dispute.pk])}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "调解协议书" in html  # the category choices

    resp = post(client, dispute, docx_with_author(), "调解协议书（王五）.docx", note="双方签字版")
    assert resp.status_code == 302
    assert resp["Location"] == dispute.get_absolute_url() + "?tab=mediation"
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.category, attachment.note) == ("docx", "agreement", "双方签字版")
    assert attachment.owner == dispute
    assert attachment.uploaded_by == world.user(Role.TOWNSHIP_CENTER)
    entry = AuditEntry.objects.get(object_type="core.attachment", action="create")
    assert entry.region_code == world.gc_grid.code

    html = page(client, dispute)
    assert attachment.get_absolute_url() in html
    assert "调解协议书（王五）.docx" in html
    assert "双方签字版" in html

    resp = client.get(attachment.get_absolute_url())
    assert resp.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content))) as z:
        core = z.read("docProps/core.xml").decode()
    assert "王五" not in core
    assert AuditEntry.objects.filter(action="download", object_id=str(attachment.pk)).count() == 1


def test_a_photo_of_the_signed_agreement_comes_back_without_its_gps(client, world):
    dispute = report(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert post(client, dispute, jpeg_with_gps(), "IMG_0001.JPG").status_code == 302
    attachment = Attachment.objects.get()
    data = b"".join(client.get(attachment.get_absolute_url()).streaming_content)
    assert b"PhoneMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_bad_file_shows_the_rule_on_the_upload_page(client, world, settings):
    dispute = report(world)
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    resp = post(client, dispute, b"MZ\x90\x00" + b"\x00" * 64, "调解协议书.pdf")
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "「附件」只接受 JPEG、PNG、WebP、PDF" in html
    settings.ANMIN_ATTACHMENT_MAX_BYTES = 100
    html = post(client, dispute, jpeg_with_gps(), "a.jpg").content.decode()
    assert "「附件」文件大小不能超过 100 字节" in html
    html = post(client, dispute, jpeg_with_gps(), "b.jpg", category="").content.decode()
    assert "「材料类型」为必填项" in html  # the kit's one wording, at the field
    assert not Attachment.objects.exists()


def test_who_sees_the_dispute_sees_its_documents_but_only_handlers_and_centres_add(client, world):
    dispute = report(world)
    attachment = actions.attach_document(actor=world.user(Role.TOWNSHIP_CENTER), dispute=dispute,
                                         upload=SimpleUploadedFile("笔录.jpg", jpeg_with_gps()), category="record")
    # The grid worker sees the dispute (their grid) and its documents, but is not its handler.
    client.force_login(world.user(Role.GRID_WORKER))
    html = page(client, dispute)
    assert attachment.get_absolute_url() in html
    assert 'data-action="attach"' not in html
    resp = post(client, dispute, jpeg_with_gps(), "c.jpg")
    assert resp.status_code == 403
    assert client.get(attachment.get_absolute_url()).status_code == 200
    # The mediator has not been handed this dispute; the neighbouring township does not see it.
    for role in ("mediator", Role.AUDITOR):
        client.force_login(world.user(role))
        assert client.get(attachment.get_absolute_url()).status_code == 404, role
        assert post(client, dispute, jpeg_with_gps(), "d.jpg").status_code == 404, role
    elsewhere = report(world, region=world.wl_grid)
    other = actions.attach_document(actor=world.user(Role.CITY_OFFICE), dispute=elsewhere,
                                    upload=SimpleUploadedFile("e.jpg", jpeg_with_gps()), category="evidence")
    client.force_login(world.user(Role.TOWNSHIP_CENTER))
    assert client.get(other.get_absolute_url()).status_code == 404
    assert Attachment.objects.count() == 2
