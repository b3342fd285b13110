"""anmin setup: the reference data every installation needs — built-in roles and code tables.

Idempotent; run after every ``anmin migrate`` (the demo runs it too).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from anmin.core.codes import load_code_tables
from anmin.core.roles import sync_roles


class Command(BaseCommand):
    help = "同步内置角色与默认权限、装载代码表（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--reset-roles", action="store_true", help="把内置角色的权限恢复为默认")

    def handle(self, *args, **opts):
        roles = sync_roles(reset=opts["reset_roles"])
        codes = load_code_tables()
        if opts["verbosity"] > 0:
            self.stdout.write(
                f"角色：新增 {roles['roles_created']}，默认权限 +{roles['grants_added']}；代码项 +{codes['code_items']}"
            )
