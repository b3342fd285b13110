"""anmin createadmin USERNAME: create the first 系统管理员 of a new installation.

Anmin has no superuser (三员分立): the system administrator manages accounts, roles and org units
but sees no business data. Run after ``anmin migrate``, ``anmin setup`` and ``anmin regions load``.
"""

from __future__ import annotations

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anmin.core import audit
from anmin.core.models import OrgUnit, Region, Role, User
from anmin.core.models.orgs import OrgKind
from anmin.core.models.regions import RegionLevel


class Command(BaseCommand):
    help = "创建系统管理员账号（首次登录须修改密码并绑定双因素认证）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="系统管理员")
        parser.add_argument("--org-name", default="平安建设信息运维中心")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")

    def handle(self, *args, **opts):
        username = opts["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在")
        city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
        if city is None:
            raise CommandError("尚未导入行政区划：请先运行 anmin regions load 或 anmin demo")
        try:
            role = Role.objects.get(code=Role.SYSADMIN)
        except Role.DoesNotExist as exc:
            raise CommandError("尚未创建内置角色：请先运行 anmin setup") from exc
        password = self.read_password(opts["password_stdin"])
        user = User(username=username, name=opts["name"], is_staff=True, must_change_password=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        with transaction.atomic():
            org, _ = OrgUnit.objects.get_or_create(
                code="city-it",
                defaults={"name": f"{city.name}{opts['org_name']}", "kind": OrgKind.IT_OPERATIONS, "region": city},
            )
            user.org_unit = org
            user.set_password(password)
            user.save()
            user.roles.add(role)
            audit.record(actor=None, action="create", obj=user, actor_username="anmin createadmin",
                         after={"username": user.username, "roles": [role.code], "org_unit": org.name})
        self.stdout.write(self.style.SUCCESS(f"已创建系统管理员 {username}（{org.name}）"))

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            import sys

            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        return first
