"""Office documents (docx, xlsx, pptx — Office Open XML, a ZIP of XML parts), rewritten without the
people who made them.

The ZIP is unpacked in memory (with limits against ZIP bombs) and written out as a new archive:

* ``docProps/core.xml`` is rebuilt with only the creation and modification dates — creator,
  last-modified-by, last-printed, title, subject, keywords, description, category and status go;
* ``docProps/app.xml`` loses Company, Manager, HyperlinkBase and Template, and the attached
  template's path (which names the Windows account) is cut to its file name;
* ``docProps/custom.xml`` (custom properties: anything at all) is emptied;
* authors of comments and tracked changes, and the people parts that map them to accounts, are
  blanked (``w:author``/``w:initials`` in Word, comment authors and persons in Excel, comment
  authors in PowerPoint);
* JPEG and PNG pictures inside (``media/``, thumbnails) lose their EXIF/GPS, XMP and text chunks;
* embedded Office files (chart data) are cleaned the same way, one level deep;
* entry times are set to 1980-01-01, extra fields and the archive comment are dropped.

Refused: anything that is not one of the three document kinds (templates, .doc/.xls/.ppt), files
with macros (``vbaProject.bin``, macro-enabled content types), ActiveX controls and OLE objects,
XML with a DOCTYPE, encrypted archives, and archives too big or with too many entries once unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

from .errors import Rejected
from .images import strip_embedded_image

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
EMPTY_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.'
                b'org/officeDocument/2006/docPropsVTypes"/>')
APP_DROPPED = ("Company", "Manager", "HyperlinkBase", "Template")
# Part name pattern → attributes whose values name a person, and elements whose text does.
PEOPLE_ATTRIBUTES: list[tuple[re.Pattern, tuple[str, ...], tuple[str, ...]]] = [
    (re.compile(r"^word/people\.xml$"), ("w15:author", "w15:userId", "w15:providerId"), ()),
    (re.compile(r"^word/[^/]+\.xml$"), ("w:author", "w:initials"), ()),
    (re.compile(r"^xl/comments\d*\.xml$"), (), ("author",)),
    (re.compile(r"^xl/persons/[^/]+\.xml$"), ("displayName", "userId", "providerId"), ()),
    (re.compile(r"^ppt/commentAuthors\.xml$"), ("name", "initials"), ()),
    (re.compile(r"^ppt/authors\.xml$"), ("name", "initials", "userId", "providerId"), ()),
]
PEOPLE_ATTRIBUTES = [(re.compile(p.pattern, re.I), a, e) for p, a, e in PEOPLE_ATTRIBUTES]  # part names ignore case
# Excel writes the folder it last saved to (C:\Users\<account>\…) and the reservation holder's name.
WORKBOOK_DROPPED = ("absPath", "fileSharing")
# Content types of code and foreign objects, refused whatever the part is called.
DANGEROUS_TYPES = ("vbaProject", "vbaData", "activeX", "oleObject", "macroEnabled")
# Regular expressions below only ever see parts this big (real property and relationship parts are a
# few kilobytes); bounded repeats keep each match short, so no crafted part costs quadratic time.
MAX_SMALL_PART = 1 << 20
TAG = 4096
DANGEROUS = re.compile(r"(^|/)(vbaProject\w*\.bin|vbaData\.xml|activeX\d*\.(xml|bin)|oleObject\d*\.bin)$", re.I)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MAX_ENTRIES = 5000
W3CDTF = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _parse(data: bytes) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Rejected("文件内容不符合 Office 文档格式（含 DOCTYPE 声明）")
    try:
        return ET.fromstring(data)  # noqa: S314 - no DTD (refused above), so no entities to expand
    except ET.ParseError as exc:
        raise Rejected("文件已损坏，无法读取") from exc


def _kind(content_types: bytes) -> str:
    root = _parse(content_types)
    types = {el.get("ContentType", "") for el in root.iter() if el.tag in (f"{CT_NS}Override", f"{CT_NS}Default")}
    if any("macroEnabled" in t or "vbaProject" in t for t in types):
        raise Rejected("不接受带宏的 Office 文件，请另存为 docx、xlsx 或 pptx 后再上传")
    if any(d in t for t in types for d in DANGEROUS_TYPES):
        raise Rejected("不接受含宏、ActiveX 控件或嵌入 OLE 对象的 Office 文件")
    kinds = {MAIN_TYPES[t] for t in types if t in MAIN_TYPES}
    if len(kinds) != 1:
        raise Rejected("不是 Word（.docx）、Excel（.xlsx）或 PowerPoint（.pptx）文件")
    return kinds.pop()


def _core(data: bytes) -> bytes:
    """core.xml with only the dates left."""
    root = _parse(data)
    dates = []
    for tag in ("created", "modified"):
        el = root.find(f"dcterms:{tag}", CORE_NS)
        text = (el.text or "").strip() if el is not None else ""
        if W3CDTF.match(text):
            dates.append(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{text}</dcterms:{tag}>')
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in CORE_NS.items())
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<cp:coreProperties {namespaces}>{"".join(dates)}</cp:coreProperties>').encode()


def _drop_elements(data: bytes, names: tuple[str, ...]) -> bytes:
    """The part without the named elements (any prefix). The part's size is checked by the caller;
    each match is bounded, and the result is parsed again to prove nothing named was left."""
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rb"<((?:[\w.-]{1,64}:)?(?:" + alternatives.encode() + rb"))(?=[\s/>])[^>]{0,%d}?"
                         rb"(?:/>|>[^<]{0,%d}</\1\s*>)" % (TAG, TAG), re.S)
    cleaned = pattern.sub(b"", data)
    root = _parse(cleaned)
    if any(el.tag.rsplit("}", 1)[-1] in names for el in root.iter()):
        raise Rejected("文件属性无法清理，请另存后再上传")
    return cleaned


def _utf8(data: bytes) -> bytes:
    """XML parts are UTF-8 in practice; one written as UTF-16 is turned into UTF-8 first, so the
    byte-level clean-ups below see its text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
        text = re.sub(r"""(<\?xml[^>]*encoding=)(["'])utf-?16(le|be)?\2""", r"\1\2UTF-8\2", text, count=1,
                      flags=re.I)
        return text.encode("utf-8")
    return data


_TEMPLATE_REL = re.compile(rb"<Relationship\b[^<>]{0,%d}attachedTemplate[^<>]{0,%d}>" % (TAG, TAG))
_TARGET = re.compile(rb"""(\sTarget\s*=\s*)(["'])([^"']*)\2""")


def _template_paths(data: bytes) -> bytes:
    """The attached template's path (``file:///C:/Users/<name>/…/Normal.dotm``) cut to its file name."""
    def cut(rel: re.Match) -> bytes:
        return _TARGET.sub(lambda m: m.group(1) + m.group(2) + re.split(rb"[/\\]", m.group(3))[-1] + m.group(2),
                           rel.group(0))

    return _TEMPLATE_REL.sub(cut, data)


def _small(data: bytes) -> bytes:
    if len(data) > MAX_SMALL_PART:
        raise Rejected("文件属性部分过大，无法清理，请另存后再上传")
    return _utf8(data)


def _app(data: bytes) -> bytes:
    return _drop_elements(_small(data), APP_DROPPED)


def _blank_people(data: bytes, attributes: tuple[str, ...], elements: tuple[str, ...]) -> bytes:
    for attr in attributes:
        data = re.sub(rb"(\s" + re.escape(attr.encode()) + rb"\s*=\s*)(\"[^\"]*\"|'[^']*')", rb'\1""', data)
    for element in elements:
        name = re.escape(element.encode())
        data = re.sub(rb"(<(?:[\w.-]{1,64}:)?" + name + rb"(?:\s[^<>]{0,%d})?>)[^<]*(</(?:[\w.-]{1,64}:)?" % TAG
                      + name + rb"\s*>)", rb"\1\2", data)
    return data


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """An entry's bytes, counting them against what may be unpacked in all (a ZIP's stated sizes
    may lie, so the reading stops at the budget, not at the header's size)."""
    with archive.open(info) as handle:
        data = handle.read(budget[0] + 1)
    budget[0] -= len(data)
    if budget[0] < 0:
        raise Rejected("文件解压后过大")
    return data


def clean_ooxml(raw: bytes, *, max_unpacked: int, depth: int = 0,
                budget: list[int] | None = None) -> tuple[str, bytes]:
    """(kind, cleaned bytes) of an Office file, or ``Rejected``. ``max_unpacked`` bounds what is
    unpacked in all, embedded files included."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise Rejected("文件已损坏，无法读取") from exc
    if len(infos) > MAX_ENTRIES:
        raise Rejected("文件解压后过大")
    names = [i.filename for i in infos]
    if len({n.lower() for n in names}) != len(names):  # the part checked must be the part written
        raise Rejected("文件已损坏，无法读取（包内有重名的部件）")
    if "[Content_Types].xml" not in names:
        raise Rejected("不是 Word（.docx）、Excel（.xlsx）或 PowerPoint（.pptx）文件")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Rejected("不接受加密的 Office 文件，请去除密码后再上传")
    if any(DANGEROUS.search(n) for n in names):
        raise Rejected("不接受含宏、ActiveX 控件或嵌入 OLE 对象的 Office 文件")
    budget = budget if budget is not None else [max_unpacked]
    try:
        kind = _kind(_read(archive, archive.getinfo("[Content_Types].xml"), budget))
        out = io.BytesIO()
        seen: set[str] = set()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as clean:
            for info in infos:
                name = info.filename
                if info.is_dir() or name in seen:
                    continue
                seen.add(name)
                data = _read(archive, info, budget)
                data = _clean_part(name, data, budget=budget, depth=depth)
                clean.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    except Rejected:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise Rejected("文件已损坏，无法读取") from exc
    return kind, out.getvalue()


def _clean_part(name: str, data: bytes, *, budget: list[int], depth: int) -> bytes:
    lower = name.lower()
    if lower == "docprops/core.xml":
        return _core(data)
    if lower == "docprops/app.xml":
        return _app(data)
    if lower == "docprops/custom.xml":
        return EMPTY_CUSTOM
    if lower.endswith((".jpg", ".jpeg", ".jpe", ".png")) or data[:3] == b"\xff\xd8\xff":
        try:
            return strip_embedded_image(name, data)
        except ValueError as exc:
            raise Rejected("文件中嵌入的图片已损坏，无法去除其中的拍摄信息") from exc
    if data[:4] == b"PK\x03\x04":  # an embedded package, whatever its name: only a clean docx/xlsx/pptx
        if depth >= 1:
            raise Rejected("不接受多层嵌套的 Office 文件")
        return clean_ooxml(data, max_unpacked=budget[0], depth=depth + 1, budget=budget)[1]
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE compound file: old .doc/.xls, macros, objects
        raise Rejected("不接受含宏、ActiveX 控件或嵌入 OLE 对象的 Office 文件")
    if lower == "xl/workbook.xml":
        return _drop_elements(_utf8(data), WORKBOOK_DROPPED) if b"absPath" in data or b"fileSharing" in data else data
    if lower.endswith((".xml", ".rels")):
        data = _utf8(data)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise Rejected("文件内容不符合 Office 文档格式（含 DOCTYPE 声明）")
        if lower.endswith(".rels"):
            return _template_paths(_small(data))
        for pattern, attributes, elements in PEOPLE_ATTRIBUTES:
            if pattern.match(name):
                return _blank_people(data, attributes, elements)
    return data
