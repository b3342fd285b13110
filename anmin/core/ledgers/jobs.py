"""Large ledger files in the background: the dry run and the import run in ``anmin worker`` (the
project's task queue, docs/reliability.md), so a web request never waits for them.

The job's state lives with the upload (``UploadStore`` meta, encrypted file beside it): phase, rows
checked / imported of the total, and at the end the report's summary and errors (the first 500) or
the import's result — the result page can be opened again later from its link. The page polls it;
the user may cancel (the task stops at its next progress mark; an import in progress is rolled back
as a whole, being one transaction). Files above ``ANMIN_LEDGER_BACKGROUND_BYTES`` (1 MB, roughly
10,000 rows) go to the background.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django_tasks import task

from .store import UploadStore


class Cancelled(Exception):
    pass


def wants_background(data: bytes) -> bool:
    return len(data) > int(getattr(settings, "ANMIN_LEDGER_BACKGROUND_BYTES", 1024 * 1024))


def state(token: str, *, user_id: Any, ledger_key: str) -> dict[str, Any] | None:
    try:
        upload = UploadStore().get(token, user_id=user_id, ledger_key=ledger_key)
    except LookupError:
        return None
    return upload.meta.get("job")


def start(ledger, token: str, *, user, mode: str = "") -> dict[str, Any]:
    job = {"state": "queued", "phase": "check", "done": 0, "total": 0, "mode": mode, "started": time.time(),
           "message": "排队等待处理"}
    UploadStore().set_meta(token, job=job, cancel=False)
    ledger_job_task.enqueue(token, user.pk, ledger.key, mode)
    return job


def cancel(token: str) -> None:
    UploadStore().set_meta(token, cancel=True)


def run(token: str, user_id: Any, ledger_key: str, mode: str = "") -> dict[str, Any]:
    """The job itself (the task's body; tests call it directly)."""
    import json

    from ..models import User
    from .base import all_ledgers
    from .model import LedgerImportError
    from .pages import remember

    store = UploadStore()
    user = User.objects.get(pk=user_id)
    ledger = all_ledgers()[ledger_key](user=user)  # the worker imported no page that declares it
    upload = store.get(token, user_id=user_id, ledger_key=ledger_key)
    meta_path = store._paths(token)[1]
    last = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        if json.loads(meta_path.read_text()).get("cancel"):
            raise Cancelled
        label = "已检查" if phase == "check" else "已导入"
        store.set_meta(token, job={"state": "running", "phase": phase, "done": done, "total": total, "mode": mode,
                                   "message": f"{label} {done} / {total} 行"})

    mapping = upload.meta.get("mapping")
    try:
        report = ledger.dry_run(upload.data, filename=upload.meta.get("filename", ""), mapping=mapping,
                                progress=progress)
        summary = report.as_dict(limit=500)
        if not mode:
            store.set_meta(token, fingerprint=report.fingerprint, job={
                "state": "checked", "phase": "check", "done": report.total, "total": report.total,
                "report": summary, "message": f"预检完成：{report.total} 行，{report.invalid_count} 行有错误"})
            return summary
        if report.fingerprint != upload.meta.get("fingerprint"):
            store.set_meta(token, fingerprint=report.fingerprint, job={
                "state": "checked", "report": summary, "done": report.total, "total": report.total,
                "message": "预检结果与您确认时不同（其间数据已有变化），未导入任何行；请核对后重新确认"})
            return summary
        if not store.claim(token):
            return summary
        try:
            result = ledger.run_import(report, mode=mode, progress=progress)
        finally:
            store.release(token)
        if mapping:
            remember(ledger, report)
        store.set_meta(token, job={"state": "done", "phase": "import", "done": result.imported,
                                   "total": report.new_count, "report": summary, "message": result.message,
                                   "imported": result.imported})
        return {"imported": result.imported}
    except Cancelled:
        store.set_meta(token, job={"state": "cancelled", "message": "已取消，未导入任何行"})
        return {"cancelled": True}
    except LedgerImportError as exc:
        store.set_meta(token, job={"state": "failed", "message": exc.message})
        return {"failed": exc.message}


@task()
def ledger_job_task(token: str, user_id: int, ledger_key: str, mode: str = "") -> dict:
    """A large ledger's dry run (``mode`` empty) or import, with progress (see the module docstring)."""
    return run(token, user_id, ledger_key, mode)
