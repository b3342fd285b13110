"""PDF documents, rewritten with pypdf without who made them and without what runs by itself.

The file is parsed and written out anew (earlier incremental revisions, which may still hold old
metadata and deleted content, are not carried over):

* the document information dictionary goes (/Author, /Creator, /Producer, /Title, /Subject,
  /Keywords, dates), and so do XMP metadata streams (/Metadata) of the catalogue, the pages and
  every other object, and /PieceInfo (application private data);
* JPEG and PNG images inside (scans from a phone keep their EXIF, GPS included) lose their
  EXIF/XMP segments and text chunks, losslessly;
* actions that run on opening (/OpenAction, /AA), document JavaScript and embedded files are
  removed.

Refused: encrypted PDFs (they cannot be rewritten without the password) and files pypdf cannot read.
Not covered: metadata inside fonts and inside images in other formats (JPEG 2000, CCITT, raw
bitmaps), and text in the page content itself.
"""

from __future__ import annotations

import io
import logging

from .errors import Rejected
from .images import strip_jpeg

log = logging.getLogger("anmin.attachments")

_DROPPED_ROOT = ("/OpenAction", "/AA", "/PieceInfo", "/Metadata", "/Perms")
_DROPPED_NAMES = ("/JavaScript", "/EmbeddedFiles")
# Actions that run code, start programs, send data away or open embedded files: removed wherever
# they stand (links, form fields, outline entries).
_DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}


def _filters(obj) -> list[str]:
    f = obj.get("/Filter")
    if f is None:
        return []
    f = f.get_object()
    return [str(x) for x in f] if isinstance(f, list) else [str(f)]


def _strip_objects(writer) -> None:
    from pypdf.generic import DictionaryObject, StreamObject

    for obj in list(writer._objects):
        if not isinstance(obj, DictionaryObject):
            continue
        for key in ("/Metadata", "/PieceInfo", "/AA"):
            if key in obj:
                del obj[key]
        action = obj.get("/A")
        if action is not None:
            action = action.get_object()
            if isinstance(action, DictionaryObject) and str(action.get("/S")) in _DANGEROUS_ACTIONS:
                del obj["/A"]
        if str(obj.get("/Subtype")) == "/FileAttachment" and "/FS" in obj:  # a file pinned to a page
            del obj["/FS"]
        if "/EF" in obj:  # a file specification's embedded file
            del obj["/EF"]
        if "/XFA" in obj:  # XML forms (scripts, data) in the AcroForm
            del obj["/XFA"]
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image":
            filters = _filters(obj)
            try:
                if filters == ["/DCTDecode"]:
                    obj._data = strip_jpeg(obj._data)
            except ValueError as exc:
                raise Rejected("PDF 中嵌入的图片已损坏，无法去除其中的拍摄信息") from exc
        elif isinstance(obj, StreamObject) and obj.get("/Type") == "/EmbeddedFile":
            obj._data = b""


def clean_pdf(raw: bytes) -> bytes:
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise Rejected("服务器未安装 PDF 处理组件，暂不接受 PDF 文件") from exc
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise Rejected("不接受加密的 PDF 文件，请去除密码后再上传")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # the /Info dictionary
        root = writer.root_object
        for key in _DROPPED_ROOT:
            if key in root:
                del root[key]
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            for key in _DROPPED_NAMES:
                if key in names:
                    del names[key]
        _strip_objects(writer)
        # What the steps above cut loose (the XMP stream, embedded files) would otherwise still be
        # written as unreferenced objects.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except Rejected:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
            OSError, AssertionError) as exc:
        log.info("attachments.pdf.unreadable error=%s", type(exc).__name__)
        raise Rejected("PDF 文件已损坏，无法读取") from exc
    data = out.getvalue()
    if not data.startswith(b"%PDF-"):  # pragma: no cover - pypdf always writes a header
        raise Rejected("PDF 文件已损坏，无法读取")
    return data


