"""Report generation in the background (Django tasks API, run by ``anmin db_worker``)."""

from __future__ import annotations

import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

from anmin.core import audit, clock

from .actions import progress
from .models import ReportRun, RunStatus


def generate(run: ReportRun) -> ReportRun:
    from anmin.core.documents.pdf import PdfUnavailable, docx_to_pdf

    from .reports.bulletin import render_bulletin
    from .reports.docx_writer import write_docx
    from .reports.render import figure_rows, render_report

    t0 = time.monotonic()
    progress(run.pk, status=RunStatus.RUNNING, percent=5, message="读取指标数据")
    seq, _hash = audit.head()
    user = None  # generated for the area as the platform (the office's report of its whole area)
    if run.kind == "annual":
        doc = render_report("annual", year=run.year, user=user, region=run.region_id if run.region.level > 1 else None)
    else:
        doc = render_bulletin(run.kind, period=run.period, user=user,
                              region=run.region_id if run.region.level > 1 else None)
    progress(run.pk, percent=50, message="生成 DOCX")
    data = write_docx(doc)
    stem = f"reports/{run.year}/{run.kind}-{uuid.uuid4().hex}"
    docx_name = default_storage.save(f"{stem}.docx", ContentFile(data))
    pdf_name, error = "", ""
    if run.want_pdf:
        progress(run.pk, percent=70, message="转换为 PDF")
        try:
            pdf_name = default_storage.save(f"{stem}.pdf", ContentFile(docx_to_pdf(data)))
        except PdfUnavailable as exc:
            error = str(exc)
    progress(run.pk, status=RunStatus.DONE, percent=100, message="已完成" if not error else "已完成（PDF 未生成）",
             title=doc.title, data_seq=seq, figures=figure_rows(doc), missing=doc.missing, text=doc.text,
             docx_file=docx_name, pdf_file=pdf_name, error=error, finished_at=clock.now(),
             seconds=round(time.monotonic() - t0, 2))
    run.refresh_from_db()
    return run


@task()
def generate_report_task(run_id: int) -> None:
    run = ReportRun.objects.select_related("region").get(pk=run_id)
    try:
        generate(run)
    except Exception as exc:
        progress(run_id, status=RunStatus.FAILED, message="生成失败", error=str(exc)[:2000], finished_at=clock.now())
        raise
