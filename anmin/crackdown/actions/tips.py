"""Online tips sealed to the 扫黑办's key (``sealing``): the key pair and its passphrase, a tip's
registration (text and files sealed at once), the office's unlock and every read — each audited.

* ``set_up_tip_key`` makes the office's key pair (the first, or a new one: then the old passphrase
  is needed, the old keys stay to open older tips and are re-wrapped with the new passphrase) and
  seals any online tip still in plain text (tips made before sealing existed).
* ``change_tip_passphrase`` re-wraps every key with a new passphrase.
* ``unlock_tip_keys`` opens the keys with the passphrase (audited, a wrong one too); the page keeps
  them only for a while, in the session, encrypted with a key held by the browser (``vault``).
* ``register_tip`` (the portal, as the platform) and ``add_reporter_answer`` seal what the tipster
  writes; ``read_tip`` and ``read_tip_file`` open it for the office, audited."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anmin.core import audit, clock
from anmin.core.attachments.sanitize import clean_upload
from anmin.core.checks import text as bounded_text
from anmin.core.errors import Conflict, Forbidden, NotFound, invalid
from anmin.core.guards import action
from anmin.core.models import Region
from anmin.workflow import actions as case_actions
from anmin.workflow.models import CaseEvent

from .. import sealing
from ..models import Clue, ClueCategory, ClueSource, TipFile, TipKey
from .clues import REPORTER_EVENTS, _lock_clue, register_clue

OFFICE_PERM = "crackdown.change_clue"  # the 扫黑办 (a unit a clue is handed to only views it)
SEALED_TEXT = "（网上举报内容已加密，扫黑办解锁密钥后可读）"
SEALED_ANSWER = "（举报人补充，已加密，扫黑办解锁密钥后可读）"
MAX_FILES, MAX_FILE_BYTES = 3, 5 * 1024 * 1024
FILE_KINDS = ("jpeg", "png", "webp", "pdf")


def _wrapping(key: TipKey) -> sealing.Wrapping:
    return sealing.Wrapping(bytes(key.salt), key.opslimit, key.memlimit)


def _open_all(passphrase: str) -> dict[int, bytes]:
    """Every key of the office opened with the passphrase (one derivation per wrapping)."""
    derived: dict[sealing.Wrapping, bytes] = {}
    out = {}
    for key in TipKey.objects.order_by("pk"):
        w = _wrapping(key)
        if w not in derived:
            derived[w] = sealing.derive(passphrase or "", w)
        out[key.pk] = sealing.unwrap(key.wrapped_private, derived[w])
    return out


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < sealing.MIN_PASSPHRASE or len(passphrase) > 256:
        raise invalid("passphrase", f"「密钥口令」须为{sealing.MIN_PASSPHRASE}至256个字符")


def _rewrap(opened: dict[int, bytes], passphrase: str) -> sealing.Wrapping:
    w = sealing.new_wrapping()
    wrapping_key = sealing.derive(passphrase, w)
    for key in TipKey.objects.select_for_update().filter(pk__in=list(opened)):
        key.wrapped_private = sealing.wrap(opened[key.pk], wrapping_key)
        key.salt, key.opslimit, key.memlimit = w.salt, w.opslimit, w.memlimit
        key.save(update_fields=["wrapped_private", "salt", "opslimit", "memlimit"])
    return w


@action(perm=OFFICE_PERM, what="生成举报加密密钥")
def set_up_tip_key(*, actor, passphrase: str, old_passphrase: str = "") -> TipKey:
    """A new key pair for the office; new tips are sealed to it. With keys already there the old
    passphrase must open them (they are kept, re-wrapped with the new passphrase)."""
    _check_new_passphrase(passphrase)
    with transaction.atomic():
        opened = {}
        if TipKey.objects.exists():
            try:
                opened = _open_all(old_passphrase)
            except sealing.WrongPassphrase:
                raise invalid("old_passphrase", "「原密钥口令」不正确") from None
        public, private = sealing.new_key_pair()
        TipKey.objects.filter(active=True).update(active=False)
        key = TipKey.objects.create(public_key=public, wrapped_private=b"", salt=b"", opslimit=0, memlimit=0,
                                    created_on=clock.today(), active=True)
        opened[key.pk] = private
        _rewrap(opened, passphrase)
        audit.record(actor=actor, action="create", obj=key, after={"public_key": public, "keys": len(opened)})
        seal_plain_tips(actor=actor)
    key.refresh_from_db()
    return key


@action(perm=OFFICE_PERM, what="修改举报密钥口令")
def change_tip_passphrase(*, actor, old_passphrase: str, passphrase: str) -> int:
    """Re-wrap every key of the office with a new passphrase; the number of keys."""
    _check_new_passphrase(passphrase)
    with transaction.atomic():
        try:
            opened = _open_all(old_passphrase)
        except sealing.WrongPassphrase:
            raise invalid("old_passphrase", "「原密钥口令」不正确") from None
        if not opened:
            raise Conflict("还没有举报加密密钥，请先生成")
        _rewrap(opened, passphrase)
        audit.record(actor=actor, action="update", object_type="crackdown.tipkey", object_id="all",
                     after={"passphrase": "changed", "keys": len(opened)})
    return len(opened)


@action(perm=OFFICE_PERM, what="解锁举报密钥")
def unlock_tip_keys(*, actor, passphrase: str) -> dict[int, bytes]:
    """The office's private keys, opened with its passphrase. Every try is audited, a wrong one too."""
    if not TipKey.objects.exists():
        raise Conflict("还没有举报加密密钥，请先生成")
    # The audit chain is appended to inside a transaction only (audit.record refuses otherwise): every
    # unlock of the 扫黑办's page ended in 服务器内部错误, tests inside a test transaction hid it.
    try:
        opened = _open_all(passphrase)
    except sealing.WrongPassphrase:
        with transaction.atomic():  # the failed try is kept: the refusal is raised after the commit
            audit.record(actor=actor, action="reveal", object_type="crackdown.tipkey", object_id="all",
                         reason="解锁举报密钥：口令错误")
        raise invalid("passphrase", "密钥口令不正确") from None
    with transaction.atomic():
        audit.record(actor=actor, action="reveal", object_type="crackdown.tipkey", object_id="all",
                     reason="解锁举报密钥", after={"keys": len(opened)})
    return opened


def active_key() -> TipKey | None:
    return TipKey.objects.filter(active=True).order_by("-pk").first()


def _clean_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise invalid("files", f"「附件」最多{MAX_FILES}个")
    out = []
    for f in files:
        if (getattr(f, "size", 0) or 0) > MAX_FILE_BYTES:
            raise invalid("files", f"「附件」每个不能超过 {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            out.append(clean_upload(f, field="files", label="附件", kinds=FILE_KINDS))
        except ValidationError as exc:
            raise invalid("files", "；".join(exc.messages)) from None
    return out


@action(open_to="the public, anonymously: the portal's tip line registers a tip as the platform (SYSTEM)")
def register_tip(*, actor, title: str, region: Region, text: str, category: str = ClueCategory.EVIL,
                 contact: str = "", files=()) -> Clue:
    """An online tip: a clue (source 网上举报) whose text and files are sealed to the office's active key
    before anything is written (metadata stripped from the files first). No key yet: refused."""
    key = active_key()
    if key is None:
        raise Conflict("举报通道暂未开通（扫黑办尚未生成加密密钥）")
    text = bounded_text(text, "text", "举报内容", 5000, required=True)
    cleaned = _clean_files(files)
    sealed_text = sealing.seal_text(text, key.public_key)
    today = clock.today()
    with transaction.atomic():
        clue = register_clue(actor=actor, title=title, region=region, description=SEALED_TEXT,
                             source=ClueSource.ONLINE, category=category, reporter_contact=contact)
        Clue.objects.filter(pk=clue.pk).update(sealed_tip=sealed_text, sealed_key=key)
        clue.sealed_tip, clue.sealed_key = sealed_text, key
        TipFile.objects.bulk_create([
            TipFile(clue=clue, key=key, added_on=today,
                    sealed=sealing.seal_file(name=f.filename, mime=f.mime, data=f.data, public_key_hex=key.public_key))
            for f in cleaned])
    return clue


def sealed_answer(answer: str) -> tuple[str, dict]:
    """(the timeline's text, its data) for a reporter's answer: sealed to the active key."""
    key = active_key()
    if key is None:
        raise Conflict("举报通道暂未开通（扫黑办尚未生成加密密钥）")
    box = sealing.seal_text(answer, key.public_key)
    return SEALED_ANSWER, {"sealed": base64.b64encode(box).decode(), "key": key.pk}


@action(open_to="the anonymous reporter, through the portal only after the receipt code and passphrase are checked "
                "(the platform, SYSTEM, writes it)")
def add_reporter_answer(*, actor, clue: Clue | int, answer: str) -> Clue:
    """举报人补充: the anonymous reporter's answer or added information, on the clue's timeline, sealed
    to the office's key like the tip (the timeline says only that it is sealed). Only the platform
    writes it (the portal, once the tipster proved the receipt)."""
    if not getattr(actor, "is_system", False):
        raise Forbidden("举报人补充只能由举报人通过公众服务提交")
    answer = bounded_text(answer, "answer", "补充内容", 2000, required=True)
    reason, data = sealed_answer(answer)
    with transaction.atomic():
        c = _lock_clue(clue)
        case_actions.record_case_event(case=c.case, actor=actor, action="reporter_answer", label="举报人补充",
                                       reason=reason, data=data)
        audit.record(actor=actor, action="update", obj=c, after={"reporter_answer": len(answer)})
    return c


SEALED_FOR_REPORTER = "（您的补充已加密提交，仅办案单位可读）"


def reporter_conversation(clue: Clue) -> list[dict]:
    """The office's answers and questions and the reporter's additions, oldest first, for the reporter:
    who (办案单位 / 您) and what, with the day only — never a name. The reporter's own additions are
    sealed to the office: the reporter reads that they were sent, not their text."""
    rows = (CaseEvent.objects.filter(case_id=clue.case_id, action__in=list(REPORTER_EVENTS))
            .order_by("seq").values("action", "reason", "at", "data"))
    return [{"from": REPORTER_EVENTS[r["action"]],
             "text": SEALED_FOR_REPORTER if "sealed" in (r["data"] or {}) else r["reason"],
             "day": timezone.localdate(r["at"]), "question": r["action"] == "reporter_question"} for r in rows]


@dataclass
class TipContent:
    text: str
    answers: list[tuple[date, str]] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)


def _open(keys: dict[int, bytes], key_id: int | None, box: bytes) -> str:
    private = keys.get(key_id)
    if private is None:
        return "（无法解密：缺少对应密钥）"
    return sealing.unseal_text(box, private)


@action(target="clue", model=Clue, perm=OFFICE_PERM, what="查看加密举报")
def read_tip(*, actor, clue: Clue, keys: dict[int, bytes]) -> TipContent | None:
    """The tip's text, the reporter's sealed answers and the list of its files (audited); ``None``
    when the clue holds nothing sealed."""
    c = Clue.objects.get(pk=getattr(clue, "pk", clue))
    if c.sealed_tip is None:
        return None
    content = TipContent(text=_open(keys, c.sealed_key_id, c.sealed_tip))
    for ev in CaseEvent.objects.filter(case_id=c.case_id, action="reporter_answer").order_by("seq"):
        if "sealed" in (ev.data or {}):
            text = _open(keys, ev.data.get("key"), base64.b64decode(ev.data["sealed"]))
            content.answers.append((timezone.localdate(ev.at), text))
    for f in TipFile.objects.filter(clue=c).order_by("pk"):
        if f.key_id in keys:
            name, mime, data = sealing.unseal_file(f.sealed, keys[f.key_id])
            content.files.append({"pk": f.pk, "name": name, "mime": mime, "size": len(data)})
    with transaction.atomic():
        audit.record(actor=actor, action="reveal", obj=c, reason="查看加密举报内容",
                     after={"answers": len(content.answers), "files": len(content.files)})
    return content


@action(perm=OFFICE_PERM, what="下载举报附件")
def read_tip_file(*, actor, tip_file: TipFile | int, keys: dict[int, bytes]) -> tuple[str, str, bytes]:
    """(name, MIME type, content) of a tip's file, once the clue is visible to the actor (audited)."""
    f = TipFile.objects.select_related("clue").get(pk=getattr(tip_file, "pk", tip_file))
    if not getattr(actor, "is_system", False) and not Clue.objects.visible_to(actor).filter(pk=f.clue_id).exists():
        raise NotFound("该举报附件不存在或不在您的辖区内")
    if f.key_id not in keys:
        raise invalid("passphrase", "请先解锁举报密钥")
    name, mime, data = sealing.unseal_file(f.sealed, keys[f.key_id])
    with transaction.atomic():
        audit.record(actor=actor, action="download", obj=f.clue, reason="下载加密举报附件", after={"file": f.pk})
    return name, mime, data


@action(perm=OFFICE_PERM, what="加密已有网上举报")
def seal_plain_tips(*, actor) -> int:
    """Online tips registered by the platform before sealing existed: their text (the case's
    description) sealed to the active key and the plain text replaced. Reporter answers written
    before then stay on the append-only timeline as they were."""
    key = active_key()
    if key is None:
        return 0
    count = 0
    with transaction.atomic():
        clues = (Clue.objects.select_for_update().select_related("case")
                 .filter(source=ClueSource.ONLINE, sealed_tip__isnull=True, case__reporter__isnull=True))
        for c in clues:
            Clue.objects.filter(pk=c.pk).update(sealed_tip=sealing.seal_text(c.case.description, key.public_key),
                                                sealed_key=key)
            type(c.case).objects.filter(pk=c.case_id).update(description=SEALED_TEXT)
            count += 1  # answers already on the (append-only) timeline stay as they were written
        if count:
            audit.record(actor=actor, action="update", object_type="crackdown.clue", object_id="online",
                         reason="加密已有网上举报", after={"clues": count})
    return count
