"""PDF from the DOCX, converted by LibreOffice headless (``soffice``; Debian's
``libreoffice-writer-nogui``, which ``make system-deps`` installs), so the PDF is the same document the
office edits. The official fonts are rarely on a server: a private fontconfig file maps each
configured name to the free CJK fonts found there (``settings.ANMIN_REPORT_FALLBACK_FONTS``; Debian's
fonts-arphic-uming / -ukai and fonts-wqy-zenhei by default).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

from .layout import fonts

DEFAULT_FALLBACKS = {
    "title": ["FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"],
    "body": ["FangSong", "Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"],
    "heading": ["SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"],
    "subheading": ["KaiTi", "AR PL UKai CN", "Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    "page_number": ["SimSun", "Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei"],
}


class PdfUnavailable(RuntimeError):
    pass


def soffice() -> str | None:
    configured = getattr(settings, "ANMIN_SOFFICE", "") or os.environ.get("ANMIN_SOFFICE", "")
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_file(directory: Path) -> Path:
    fallbacks = {**DEFAULT_FALLBACKS, **getattr(settings, "ANMIN_REPORT_FALLBACK_FONTS", {})}
    aliases = []
    for role, name in fonts().items():
        if role not in fallbacks:
            continue
        prefer = "".join(f"<family>{escape(f)}</family>" for f in fallbacks[role])
        aliases.append(f'<alias binding="same"><family>{escape(name)}</family><prefer>{prefer}</prefer></alias>')
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + "".join(aliases) + "</fontconfig>",
        encoding="utf-8",
    )
    return path


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    """The PDF of a DOCX (a report, a printed 文书), as LibreOffice renders it with the font fallbacks."""
    exe = soffice()
    if not exe:
        raise PdfUnavailable(
            "未找到 LibreOffice（soffice），无法生成 PDF：请安装 libreoffice-writer-nogui（make system-deps）")
    with tempfile.TemporaryDirectory(prefix="anmin-pdf-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "document.docx"
        src.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(tmpdir)), "HOME": str(tmpdir)}
        cmd = [exe, "--headless", "--norestore", "--nologo", f"-env:UserInstallation=file://{tmpdir}/profile",
               "--convert-to", "pdf", "--outdir", str(tmpdir), str(src)]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, check=False)
        out = tmpdir / "document.pdf"
        if proc.returncode != 0 or not out.exists():
            detail = proc.stderr.decode(errors='replace')[:300]
            raise PdfUnavailable(f"LibreOffice 转换失败（{proc.returncode}）：{detail}")
        return out.read_bytes()
