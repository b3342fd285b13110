"""The attachment service (issue 3, item 8): limits, kind by content, metadata stripped, stored outside
the web root, served only through the scoped, audited download view.

Core imports no app, so these tests hang attachments on a core model (an org unit, registered as an
owner for the test); the dispute page's use of the service is tested in disputes/tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader

from anmin.core import registry
from anmin.core.attachments import actions, images, storage
from anmin.core.attachments.sanitize import clean_upload, safe_filename
from anmin.core.models import Attachment, AuditEntry, OrgUnit, Role

# -- Files as people's devices write them ---------------------------------------------------------


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0132] = "2020:12:09 10:11:12"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (34.0, 8.0, 25.8)
    gps[3] = "E"
    gps[4] = (113.0, 29.0, 24.0)
    return exif


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, format="JPEG", exif=exif_with_gps(), quality=90)
    return out.getvalue()


CORE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>调解协议书</dc:title><dc:creator>张三</dc:creator><cp:keywords>古城镇</cp:keywords>
<cp:lastModifiedBy>李四</cp:lastModifiedBy><cp:revision>3</cp:revision><cp:lastPrinted>2020-12-01T08:00:00Z</cp:lastPrinted>
<dcterms:created xsi:type="dcterms:W3CDTF">2020-12-01T08:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2020-12-02T09:30:00Z</dcterms:modified>
</cp:coreProperties>"""
APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Template>C:\\Users\\zhangsan\\Normal.dotm</Template><TotalTime>12</TotalTime><Pages>1</Pages>
<Application>Microsoft Office Word</Application><Manager>王主任</Manager><Company>古城镇司法所</Company>
<HyperlinkBase>file:///C:/Users/zhangsan/</HyperlinkBase><AppVersion>16.0000</AppVersion></Properties>"""
CUSTOM_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="承办人"><vt:lpwstr>张三</vt:lpwstr></property>
</Properties>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body><w:p><w:r><w:t>甲乙双方自愿达成如下协议</w:t></w:r></w:p>
<w:p><w:ins w:id="1" w:author="李四" w:date="2020-12-02T09:00:00Z"><w:r><w:t>补充条款</w:t></w:r></w:ins></w:p>
</w:body></w:document>"""
COMMENTS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W}><w:comment w:id="0" w:author="张三" w:initials="ZS" w:date="2020-12-01T08:00:00Z">
<w:p><w:r><w:t>请核对金额</w:t></w:r></w:p></w:comment></w:comments>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/word/comments.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml"
 ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
<Override PartName="/docProps/custom.xml"
 ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>
</Types>"""
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/></Relationships>"""


def docx_with_author(main: str = DOCX_MAIN, extra: dict[str, bytes] | None = None) -> bytes:
    """A Word file as Office writes it: author, last editor, company and manager, a comment and a
    tracked change by name, and a photo with GPS pasted in."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", DOCUMENT_XML)
        z.writestr("word/comments.xml", COMMENTS_XML)
        z.writestr("word/media/image1.jpeg", jpeg_with_gps())
        z.writestr("docProps/core.xml", CORE_XML)
        z.writestr("docProps/app.xml", APP_XML)
        z.writestr("docProps/custom.xml", CUSTOM_XML)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def upload(data: bytes, name: str = "协议书.docx", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def field_error(exc: pytest.ExceptionInfo, field: str = "file") -> str:
    return exc.value.message_dict[field][0]


# -- An owner for these tests ------------------------------------------------------------------------


@pytest.fixture
def org_owner():
    """Org units may carry attachments for the length of a test (any app's model is registered the
    same way in its AppConfig.ready())."""
    registry.attachment_owners.register("core.orgunit", registry.AttachmentOwner(
        model="core.orgunit", label="机构", may_attach=lambda user, org: user.has_role(Role.CITY_OFFICE,
                                                                                         Role.TOWNSHIP_CENTER),
    ))
    yield
    registry.attachment_owners._items.pop("core.orgunit", None)


def attach(world, org: OrgUnit, data: bytes, name: str = "协议书.docx", role: str = Role.CITY_OFFICE, **kwargs):
    return actions.attach(actor=world.user(role), owner=org, upload=upload(data, name), **kwargs)


def download(client, world, attachment: Attachment, role: str = Role.CITY_OFFICE):
    client.force_login(world.user(role))
    return client.get(reverse("core:attachment", args=[attachment.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# -- Images ---------------------------------------------------------------------------------------------


def test_a_jpeg_with_gps_exif_comes_back_without_it(client, world, org_owner, upload_dir):
    original = jpeg_with_gps(640, 480)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the file really has GPS
    attachment = attach(world, world.orgs["gc_center"], original, "IMG_20201209_101112.jpg")
    assert (attachment.kind, attachment.filename) == ("jpeg", "IMG_20201209_101112.jpg")

    response = download(client, world, attachment)
    assert response.status_code == 200
    data = body(response)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (640, 480)
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"PhoneMaker" not in data
    assert b"Exif\x00\x00" not in data
    # Stored under a random name, never the client's.
    assert "IMG_2020" not in attachment.file.name
    assert (upload_dir / attachment.file.name).read_bytes() == data


def test_png_stays_png_and_loses_its_text_chunks():
    out = io.BytesIO()
    info = PngInfo()
    info.add_text("Author", "张三")
    Image.new("RGBA", (20, 10), (0, 128, 0, 128)).save(out, format="PNG", pnginfo=info)
    clean = clean_upload(upload(out.getvalue(), "截图.png"))
    assert (clean.kind, clean.filename, clean.mime) == ("png", "截图.png", "image/png")
    assert b"Author" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).mode == "RGBA"


def test_jpegs_inside_documents_are_stripped_losslessly():
    original = jpeg_with_gps()
    stripped = images.strip_jpeg(original + b"trailing second picture")
    assert b"PhoneMaker" not in stripped
    assert b"Exif" not in stripped
    assert stripped.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


# -- Office documents and PDF ---------------------------------------------------------------------------


def test_a_docx_with_an_author_comes_back_without_author_or_last_editor(client, world, org_owner):
    settings_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\zhangsan\\AppData\\'
        'Roaming\\Microsoft\\Templates\\Normal.dotm" TargetMode="External"/></Relationships>')
    original = docx_with_author(extra={"word/_rels/settings.xml.rels": settings_rels.encode()})
    attachment = attach(world, world.orgs["gc_center"], original, "调解协议书（张三）.docx")
    assert (attachment.kind, attachment.filename) == ("docx", "调解协议书（张三）.docx")
    response = download(client, world, attachment)
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    with zipfile.ZipFile(io.BytesIO(body(response))) as z:
        core = z.read("docProps/core.xml").decode()
        app = z.read("docProps/app.xml").decode()
        for name in ("张三", "李四", "creator", "lastModifiedBy", "lastPrinted", "keywords", "古城镇"):
            assert name not in core
        assert "2020-12-01T08:00:00Z" in core  # the dates stay
        for name in ("古城镇司法所", "王主任", "zhangsan", "<Company", "<Manager"):
            assert name not in app
        assert "<Pages>1</Pages>" in app
        assert "张三" not in z.read("docProps/custom.xml").decode()
        comments = z.read("word/comments.xml").decode()
        assert 'w:author=""' in comments
        assert "张三" not in comments
        assert "请核对金额" in comments
        document = z.read("word/document.xml").decode()
        assert "李四" not in document
        assert "甲乙双方自愿达成如下协议" in document
        photo = z.read("word/media/image1.jpeg")
        assert b"PhoneMaker" not in photo
        assert not Image.open(io.BytesIO(photo)).getexif()
        rels = z.read("word/_rels/settings.xml.rels").decode()
        assert "zhangsan" not in rels
        assert 'Target="Normal.dotm"' in rels
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_xlsx_made_by_excel_tools_still_opens_without_its_author():
    book = openpyxl.Workbook()
    book.active["A1"] = "调解台账"
    book.properties.creator = "张三"
    book.properties.lastModifiedBy = "李四"
    out = io.BytesIO()
    book.save(out)
    clean = clean_upload(upload(out.getvalue(), "台账.xlsx"))
    assert clean.kind == "xlsx"
    reopened = openpyxl.load_workbook(io.BytesIO(clean.data))
    assert reopened.active["A1"].value == "调解台账"
    assert reopened.properties.creator != "张三"  # openpyxl reads a missing creator as "openpyxl"
    assert not reopened.properties.lastModifiedBy
    with zipfile.ZipFile(io.BytesIO(clean.data)) as z:
        core = z.read("docProps/core.xml").decode()
    assert "张三" not in core
    assert "李四" not in core


def test_a_pdf_loses_its_info_xmp_and_the_gps_of_its_scans():
    exif = exif_with_gps()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PDF", author="张三", creator="WPS 文字", title="调解协议",
                                                  exif=exif)
    original = out.getvalue()
    assert b"PhoneMaker" in original
    assert b"/Author" in original
    clean = clean_upload(upload(original, "扫描件.pdf"))
    assert clean.kind == "pdf"
    reader = PdfReader(io.BytesIO(clean.data))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 1
    assert b"PhoneMaker" not in clean.data
    assert b"Exif" not in clean.data
    assert not reader.pages[0].images[0].image.getexif()


def test_a_pdf_keeps_no_xmp_no_embedded_files_and_no_scripts_even_unreferenced():
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>XMP-CREATOR-ZHANGSAN</dc:creator></x:xmpmeta>")
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.add_attachment("名单.txt", "EMBEDDED-PAYLOAD 张三 13812345678".encode())
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                            NameObject("/JS"): TextStringObject("app.alert('LINK-JS')")}),
    })
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    original = out.getvalue()
    assert b"XMP-CREATOR-ZHANGSAN" in original
    clean = clean_upload(upload(original, "名单.pdf")).data
    for secret in (b"XMP-CREATOR-ZHANGSAN", b"EMBEDDED-PAYLOAD", b"LINK-JS", b"JavaScript"):
        assert secret not in clean


def test_office_files_lose_the_saved_folder_and_refuse_foreign_embeddings():
    workbook = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlforma'
                b'ts.org/spreadsheetml/2006/main" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11'
                b'/ac"><fileSharing userName="zhangsan"/><x15ac:absPath url="C:\\Users\\zhangsan\\Desktop\\"/>'
                b'<sheets/></workbook>')
    xlsx = docx_with_author("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                            extra={"xl/workbook.xml": workbook})
    clean = zipfile.ZipFile(io.BytesIO(clean_upload(upload(xlsx, "台账.xlsx")).data))
    assert b"zhangsan" not in clean.read("xl/workbook.xml")
    assert b"<sheets/>" in clean.read("xl/workbook.xml")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    xlsm = docx_with_author("application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    for extra in ({"word/embeddings/Sheet.xls": ole}, {"word/embeddings/renamed.dat": ole},
                  {"word/embeddings/Book.xlsm": xlsm}):
        with pytest.raises(ValidationError) as exc:
            clean_upload(upload(docx_with_author(extra=extra)))
        assert "不接受" in field_error(exc)


def test_a_crafted_office_file_is_refused_quickly_not_after_minutes():
    import time

    app = (b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
           b'properties">' + b"<Company>" * 16000)
    started = time.monotonic()
    with pytest.raises(ValidationError):
        clean_upload(upload(_with_part(docx_with_author(), "docProps/app.xml", app)))
    assert time.monotonic() - started < 5  # was minutes: each unclosed tag rescanned the rest of the part


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` (a ZIP) with the part ``name`` replaced by ``content``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def test_an_id_number_or_phone_in_a_file_name_is_masked_before_it_is_stored_or_audited():
    assert safe_filename("张三身份证11010519491231002X正面.jpg", "jpeg") == "张三身份证110***********002X正面.jpg"
    assert safe_filename("联系人13812345678.pdf", "pdf") == "联系人138****5678.pdf"
    assert safe_filename("案卷20201210001234567.pdf", "pdf") == "案卷20201210001234567.pdf"  # not an ID number


def test_an_archive_with_two_parts_of_one_name_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN))
        z.writestr("word/document.xml", DOCUMENT_XML)
        z.writestr("Word/Document.xml", DOCUMENT_XML)
    with pytest.raises(ValidationError) as exc:
        clean_upload(upload(out.getvalue()))
    assert "重名" in field_error(exc)


@pytest.mark.parametrize(("data", "name", "rule"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100, "调解协议书.pdf",
     "只接受 JPEG、PNG、WebP、PDF"),
    (b"%PDF-1.4 not really a pdf", "a.pdf", "PDF 文件已损坏"),
    (b"GIF89a\x01\x00\x01\x00", "a.gif", "只接受"),
    (b"", "empty.docx", "文件是空的"),
    (docx_with_author("application/vnd.ms-word.document.macroEnabled.main+xml"), "宏.docm", "不接受带宏的"),
    (docx_with_author(extra={"word/vbaProject.bin": b"\x00" * 10}), "宏.docx", "不接受含宏"),
    (docx_with_author(extra={"word/evil.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}), "x.docx", "DOCTYPE"),
    (b"PK\x03\x04" + b"\x00" * 50, "broken.xlsx", "文件已损坏"),
])
def test_files_that_are_not_what_we_take_are_refused_with_the_field_and_the_rule(data, name, rule):
    with pytest.raises(ValidationError) as exc:
        clean_upload(upload(data, name, "application/pdf"))
    message = field_error(exc)
    assert message.startswith("「附件」")
    assert rule in message


def test_an_oversized_file_is_refused_naming_the_field_and_the_limit(world, org_owner, settings):
    settings.ANMIN_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        attach(world, world.orgs["gc_center"], jpeg_with_gps(400, 400), "大图.jpg")
    assert re.match(r"「附件」文件大小不能超过 1000 字节（该文件 \d+(\.\d)? KB）", field_error(exc))
    settings.ANMIN_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        clean_upload(SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024)))
    assert field_error(exc).startswith("「附件」文件大小不能超过 10 MB")
    assert not Attachment.objects.exists()


def test_an_owner_may_narrow_the_kinds(world, org_owner):
    registry.attachment_owners._items["core.orgunit"] = registry.AttachmentOwner(
        model="core.orgunit", label="机构", may_attach=lambda user, org: True, kinds=("pdf",))
    with pytest.raises(ValidationError) as exc:
        attach(world, world.orgs["gc_center"], jpeg_with_gps(), "a.jpg")
    assert field_error(exc) == "「附件」只接受 PDF 文件"


def test_the_download_name_is_the_clients_cleaned_with_the_real_extension():
    assert safe_filename("C:\\Users\\张三\\桌面\\协议书.exe", "pdf") == "协议书.pdf"
    assert safe_filename("../../etc/passwd", "png") == "passwd.png"
    assert safe_filename("a\u202egpj.exe", "jpeg") == "agpj.jpg"  # no direction override
    assert safe_filename("", "docx") == "附件.docx"
    assert safe_filename('笔录<1>:"2".docx', "docx") == "笔录12.docx"
    assert len(safe_filename("长" * 300 + ".pdf", "pdf")) == 104


# -- Who may add and who may download -----------------------------------------------------------------


def test_only_someone_who_sees_the_owner_and_may_attach_adds_an_attachment(world, org_owner):
    with pytest.raises(PermissionDenied):  # 无梁镇's centre lies outside 古城镇's jurisdiction
        attach(world, world.orgs["wl_center"], jpeg_with_gps(), role=Role.TOWNSHIP_CENTER)
    with pytest.raises(PermissionDenied):  # sees the org unit but may not attach
        attach(world, world.orgs["gc_center"], jpeg_with_gps(), role=Role.POLICE)
    assert not Attachment.objects.exists()
    assert attach(world, world.orgs["gc_center"], jpeg_with_gps(), "a.jpg", role=Role.TOWNSHIP_CENTER).pk


def test_an_out_of_scope_user_gets_404_and_the_download_is_audited(client, world, org_owner):
    attachment = attach(world, world.orgs["wl_center"], docx_with_author(), "无梁镇协议.docx")
    created = AuditEntry.objects.get(object_type="core.attachment", action="create")
    assert created.after["owner"] == f"core.orgunit#{world.orgs['wl_center'].pk}"
    assert created.region_code == world.wuliang.code
    for role in (Role.TOWNSHIP_CENTER, Role.GRID_WORKER, Role.SYSADMIN, Role.AUDITOR):
        assert download(client, world, attachment, role).status_code == 404, role
    assert download(client, world, Attachment(pk=attachment.pk + 1000)).status_code == 404
    assert not AuditEntry.objects.filter(action="download").exists()

    response = download(client, world, attachment, Role.CITY_OFFICE)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert "filename*=utf-8''%E6%97%A0%E6%A2%81" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    body(response)
    entry = AuditEntry.objects.get(action="download")
    assert entry.actor == world.user(Role.CITY_OFFICE)
    assert (entry.object_type, entry.object_id) == ("core.attachment", str(attachment.pk))
    assert entry.after["sha256"] == attachment.sha256
    assert entry.region_code == world.wuliang.code


def test_the_file_is_kept_outside_every_web_root(world, org_owner, upload_dir):
    attachment = attach(world, world.orgs["gc_center"], jpeg_with_gps(), "a.jpg")
    path = Path(attachment.file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(upload_dir.resolve())
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", attachment.file.name)
    roots = storage.web_roots()
    assert Path(settings.STATIC_ROOT) in roots
    for root in roots:
        assert not path.is_relative_to(root.resolve()), root
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL exists
    assert storage.check_upload_dir() == []


def test_the_system_check_refuses_an_upload_dir_inside_the_web_root(settings):
    settings.ANMIN_UPLOAD_DIR = Path(settings.STATIC_ROOT) / "uploads"
    assert [e.id for e in storage.check_upload_dir()] == ["anmin.E010"]


def test_when_the_write_fails_no_file_is_left_behind(world, org_owner, upload_dir, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(actions.audit, "record", fail)
    with pytest.raises(RuntimeError):
        attach(world, world.orgs["gc_center"], jpeg_with_gps(), "a.jpg")
    assert not Attachment.objects.exists()
    assert not [p for p in upload_dir.rglob("*") if p.is_file()]


def test_attachments_are_listed_only_through_their_owners_scope(world, org_owner):
    own = attach(world, world.orgs["gc_center"], jpeg_with_gps(), "a.jpg")
    other = attach(world, world.orgs["wl_center"], jpeg_with_gps(), "b.jpg")
    township = world.user(Role.TOWNSHIP_CENTER)
    assert list(Attachment.objects.visible_to(township)) == [own]
    assert set(Attachment.objects.visible_to(world.user(Role.CITY_OFFICE))) == {own, other}
    assert not Attachment.objects.visible_to(world.user(Role.AUDITOR)).exists()
    assert list(Attachment.objects.visible_to(township).of(world.orgs["wl_center"])) == []
