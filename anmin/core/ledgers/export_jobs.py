"""Large exports in the background, with progress: a ledger page's ``?export=xlsx`` over more rows than
``ANMIN_EXPORT_BACKGROUND_ROWS`` (20,000) is written by ``anmin worker`` instead of the web request.

The page (``LedgerView``) records the export in the audit log, keeps an empty encrypted file for the
result in the ``UploadStore`` (bound to the user) and queues ``export_task`` with its own path and
query; the user is sent to ``?export_job=<token>``, which shows rows written of the total and reloads
every two seconds until the file is ready, then offers it (``&download=1``) for as long as uploads are
kept (``ANMIN_LEDGER_UPLOAD_HOURS``). The task rebuilds the very page for the user (same view, same
filters, same scope: ``visible_to``) and writes the file row by row through the page's own writer
(``LedgerView.write_export``: the ledger's columns where the page has a ledger, else its table).
"""

from __future__ import annotations

import io
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django_tasks import task

from .store import UploadStore


def threshold() -> int:
    return int(getattr(settings, "ANMIN_EXPORT_BACKGROUND_ROWS", 20_000))


def key_for(path: str) -> str:
    return f"export|{path}"[:200]


def start(*, user, path: str, query: dict[str, Any], filename: str, total: int, reveal_perm: str = "") -> str:
    """Queue the export. ``reveal_perm``: the file carries full ID numbers and phones (the page has
    checked the permission and recorded the reveal with its reason); the worker checks the permission
    again when it writes."""
    store = UploadStore()
    token = store.put(user_id=user.pk, ledger_key=key_for(path), filename=f"{filename}.xlsx", data=b"")
    store.set_meta(token, job={"state": "queued", "done": 0, "total": total, "message": "排队等待导出"})
    export_task.enqueue(token, user.pk, path, query, reveal_perm)
    return token


def state(token: str, *, user_id: Any, path: str) -> dict[str, Any] | None:
    try:
        return UploadStore().meta_of(token, user_id=user_id, ledger_key=key_for(path))
    except LookupError:
        return None


def run(token: str, user_id: Any, path: str, query: dict[str, Any], reveal_perm: str = "") -> dict[str, Any]:
    """The job itself (the task's body; tests may call it directly)."""
    from django.test import RequestFactory
    from django.urls import resolve

    from ..models import User

    store = UploadStore()
    user = User.objects.get(pk=user_id)
    request = RequestFactory().get(f"{path}?{urlencode(query, doseq=True)}")
    request.user = user
    match = resolve(path)
    view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    qs, _filters = view.filtered()
    total = qs.count()
    last = [0.0]

    def progress(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            store.set_meta(token, job={"state": "running", "done": done, "total": total,
                                       "message": f"已写出 {done} / {total} 行"})

    if reveal_perm and not (user.is_active and user.has_perm(reveal_perm)):  # lost it since the page asked
        store.set_meta(token, job={"state": "failed", "done": 0, "total": total, "message": "无权导出完整号码"})
        return {"rows": 0}
    store.set_meta(token, job={"state": "running", "done": 0, "total": total, "message": f"已写出 0 / {total} 行"})
    try:
        out = io.BytesIO()
        n = (view.write_export(out, qs, progress=progress, reveal=True) if reveal_perm
             else view.write_export(out, qs, progress=progress))
        store.replace(token, out.getvalue())
    except Exception as exc:
        store.set_meta(token, job={"state": "failed", "done": 0, "total": total, "message": "导出失败，请稍后重试"})
        raise exc
    store.set_meta(token, job={"state": "done", "done": n, "total": total, "message": f"导出完成：{n} 行"})
    return {"rows": n}


@task()
def export_task(token: str, user_id: int, path: str, query: dict, reveal_perm: str = "") -> dict:
    """A large ledger export with progress (see the module docstring)."""
    return run(token, user_id, path, query, reveal_perm)
