"""``anmin open311key``: partner apps' Open311 ``api_key`` (docs/portal.md).

    anmin open311key list                       the keys (name, prefix, made, last used, state) — no secret
    anmin open311key create --name 某某App       a new key, printed once (only its hash is kept)
    anmin open311key revoke --name 某某App       revoke by name (or --prefix o311_xxxxxxx)

Each create and revoke is written to the audit log (as the system)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from anmin.core.actors import SYSTEM
from anmin.core.errors import ActionError
from anmin.portal import actions
from anmin.portal.models import Open311Key


class Command(BaseCommand):
    help = "Open311 合作应用密钥：list / create --name / revoke --name|--prefix"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["list", "create", "revoke"])
        parser.add_argument("--name", default="", help="合作应用名称")
        parser.add_argument("--prefix", default="", help="密钥前缀（revoke 时代替名称）")

    def handle(self, *args, what, name, prefix, **opts):
        try:
            if what == "list":
                keys = Open311Key.objects.all()
                for k in keys:
                    state = "有效" if k.active else f"已注销 {k.revoked_at:%Y-%m-%d}"
                    used = k.last_used_on or "未使用"
                    self.stdout.write(f"{k.prefix}…  {k.name}  创建 {k.created_at:%Y-%m-%d}  最近使用 {used}  {state}")
                if not keys:
                    self.stdout.write("还没有合作应用密钥（anmin open311key create --name …）")
            elif what == "create":
                if not name:
                    raise CommandError("create 需要 --name")
                key, plain = actions.create_open311_key(actor=SYSTEM, name=name)
                self.stdout.write(self.style.SUCCESS(f"已为「{key.name}」创建 api_key（只显示这一次，请妥善转交）："))
                self.stdout.write(plain)
            else:
                if not (name or prefix):
                    raise CommandError("revoke 需要 --name 或 --prefix")
                key = actions.revoke_open311_key(actor=SYSTEM, key=name or prefix)
                self.stdout.write(self.style.SUCCESS(f"已注销「{key.name}」的 api_key（{key.prefix}…）"))
        except ActionError as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from None
