"""``anmin tipkey``: the 扫黑办's key pair for sealed online tips (docs/portal.md).

    anmin tipkey status                 the keys (fingerprint, day, active) — no secret
    anmin tipkey generate               the first key pair (asks the passphrase twice)
    anmin tipkey generate --new-key     a new key pair (asks the current passphrase; old keys kept)
    anmin tipkey passphrase             a new passphrase for every key (asks the current one)

Passphrases are asked on the terminal (never on the command line); ``--stdin`` reads them one a line
instead (current first when it is asked, then the new one) for scripts. Generating a key also seals
online tips still kept in plain text (made before sealing existed)."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from anmin.core.actors import SYSTEM
from anmin.core.errors import ActionError
from anmin.crackdown.actions import tips
from anmin.crackdown.models import TipKey


class Command(BaseCommand):
    help = "扫黑办举报加密密钥：status / generate [--new-key] / passphrase"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["status", "generate", "passphrase"])
        parser.add_argument("--new-key", action="store_true", help="另生成一对新密钥（旧密钥保留）")
        parser.add_argument("--stdin", action="store_true", help="从标准输入逐行读取口令")

    def _ask(self, prompt: str, stdin: bool) -> str:
        if stdin:
            return sys.stdin.readline().rstrip("\n")
        return getpass.getpass(prompt)

    def _new(self, stdin: bool) -> str:
        first = self._ask("新密钥口令（至少12个字符）：", stdin)
        if not stdin and getpass.getpass("再输一次：") != first:
            raise CommandError("两次输入的口令不一致")
        return first

    def handle(self, *args, what, new_key, stdin, **opts):
        keys = TipKey.objects.order_by("-pk")
        if what == "status":
            for k in keys:
                self.stdout.write(f"{k.public_key[:16]}…  {k.created_on}  {'用于新举报' if k.active else '仅解旧举报'}")
            if not keys:
                self.stdout.write("还没有举报加密密钥（anmin tipkey generate）")
            return
        exists = keys.exists()
        if what == "generate" and exists and not new_key:
            raise CommandError("已有举报加密密钥；换新密钥用 --new-key，改口令用 passphrase")
        old = self._ask("当前密钥口令：", stdin) if exists else ""
        new = self._new(stdin)
        try:
            if what == "passphrase":
                n = tips.change_tip_passphrase(actor=SYSTEM, old_passphrase=old, passphrase=new)
                self.stdout.write(self.style.SUCCESS(f"已用新口令重新加密 {n} 个密钥"))
            else:
                key = tips.set_up_tip_key(actor=SYSTEM, passphrase=new, old_passphrase=old)
                self.stdout.write(self.style.SUCCESS(f"已生成举报加密密钥 {key.public_key[:16]}…"))
        except ActionError as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from None
