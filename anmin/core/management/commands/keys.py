"""anmin keys status|init|rotate|reencrypt|retire: manage the keys of protected personal data.

A rotation, end to end::

    anmin keys rotate        # new key k2 becomes active; every value is re-encrypted under it, batch by batch
    anmin keys status        # k1: 0 values left
    anmin keys retire k1     # k1's key material leaves the key file (refused while any value still uses it)

``rotate`` is safe to interrupt and rerun: while values under an older key remain, it continues the
unfinished rotation instead of adding yet another key (``--new-key`` forces one, e.g. after a
suspected compromise). See docs/security-protected-data.md.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from anmin.core.protected import rotation
from anmin.core.protected.ciphers import cipher_names
from anmin.core.protected.keys import (
    ENV_VAR,
    KeyConfigurationError,
    KeyRing,
    create_key_file,
    get_keyring,
    key_file_path,
    keys_from_environment,
    update_key_file,
)


class Command(BaseCommand):
    help = "管理受保护个人数据的加密密钥（status / init / rotate / reencrypt / retire）"
    # This is the tool that fixes a missing key ring, which the system checks report as an error.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")
        sub = parser.add_subparsers(dest="action", required=True)

        sub.add_parser("status", help="列出密钥，并统计每个密钥加密的数据条数")

        init = sub.add_parser("init", help="生成新的密钥文件（生产环境部署时运行一次）")
        init.add_argument(
            "--cipher", choices=cipher_names(), help="加密算法（默认 settings.ANMIN_DATA_CIPHER 或 aes-gcm）"
        )
        init.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="只打印密钥环 JSON（用于环境变量或密钥托管），不写文件",
        )

        rotate = sub.add_parser("rotate", help="生成并启用新密钥，再把所有数据重新加密")
        rotate.add_argument("--cipher", choices=cipher_names(), help="新密钥的算法（默认沿用当前启用密钥的算法）")
        rotate.add_argument("--new-key", action="store_true", help="即使上次轮换未完成也生成新密钥")
        rotate.add_argument("--batch-size", type=int, default=500)
        rotate.add_argument("--no-wait", action="store_true", help="不等待其他进程载入新密钥")
        rotate.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="只打印加入新密钥后的密钥环 JSON（密钥来自环境变量时使用），不改数据",
        )

        reencrypt = sub.add_parser("reencrypt", help="把仍使用旧密钥的数据重新加密到当前启用的密钥")
        reencrypt.add_argument("--batch-size", type=int, default=500)

        retire = sub.add_parser("retire", help="停用一个已不再使用的旧密钥（从密钥文件中删除其密钥材料）")
        retire.add_argument("key_id")

    def handle(self, *args, **opts):
        self.database = opts["database"]
        try:
            getattr(self, "handle_" + opts["action"])(**opts)
        except KeyConfigurationError as exc:
            raise CommandError(str(exc)) from exc

    # --- status ------------------------------------------------------------------------------------------

    def handle_status(self, **opts):
        ring = get_keyring()
        self.stdout.write(f"密钥环：{ring.source}（当前启用 {ring.active_id}，盲索引 {ring.index_algorithm}）")
        usage = rotation.key_usage(using=self.database, ring=ring)
        for key in ring.keys.values():
            marker = "  ← 启用中" if key.key_id == ring.active_id else ""
            count = rotation.values_under(key.key_id, usage)
            self.stdout.write(f"  {key.key_id:<6} {key.cipher:<8} {key.created:<26} {count:>10} 条{marker}")
        for key_id, when in ring.retired.items():
            self.stdout.write(f"  {key_id:<6} 已停用 {when}")
        if not usage:
            self.stdout.write("尚无受保护字段。")
        for label, counts in usage.items():
            detail = "，".join(f"{k}: {n}" for k, n in sorted(counts.items()) if n) or "无数据"
            self.stdout.write(f"  {label}：{detail}")
        unknown = rotation.values_under(rotation.UNKNOWN_KEY, usage)
        if unknown:
            self.stderr.write(f"有 {unknown} 条数据使用密钥环中没有的密钥，无法解密。")
        for key_id in ring.keys:
            if key_id != ring.active_id and not rotation.values_under(key_id, usage):
                self.stdout.write(f"密钥 {key_id} 已无数据使用，可停用：anmin keys retire {key_id}")

    # --- init --------------------------------------------------------------------------------------------

    def handle_init(self, *, cipher=None, print_only=False, **opts):
        ring = KeyRing.generate(cipher)
        if print_only:
            self.stdout.write(ring.to_json(), ending="")
            return
        if keys_from_environment():
            raise CommandError(f"已通过环境变量 {ENV_VAR} 提供密钥环，不再生成密钥文件。")
        path = key_file_path()
        if path.exists() or not create_key_file(path, ring):
            raise CommandError(f"密钥文件 {path} 已存在，拒绝覆盖（覆盖会使已加密的数据永久无法解密）。")
        self.stdout.write(f"已生成密钥文件 {path}（{ring.active.cipher}，权限 600）。")
        self.stdout.write("请立即把它备份到与数据库备份分开保存的离线介质上：丢失密钥即丢失数据。")

    # --- rotate / reencrypt ------------------------------------------------------------------------------

    def handle_rotate(self, *, cipher=None, new_key=False, batch_size=500, no_wait=False, print_only=False, **opts):
        if print_only:
            self.stdout.write(get_keyring().with_new_active_key(cipher).to_json(), ending="")
            return
        ring = get_keyring()
        if ring.source == f"${ENV_VAR}":
            # Nothing can be written back to an environment variable: say so before touching data.
            raise CommandError(
                f"密钥环来自环境变量 {ENV_VAR}，无法写回。"
                "请用 --print 生成新的密钥环，更新密钥托管处后再运行 reencrypt。"
            )
        behind = rotation.values_behind(rotation.key_usage(using=self.database, ring=ring), ring.active_id)
        if behind and not new_key:
            self.stdout.write(f"上次轮换尚未完成（{behind} 条数据仍用旧密钥），继续重新加密到 {ring.active_id}。")
        else:
            ring = update_key_file(lambda current: current.with_new_active_key(cipher))
            self.stdout.write(f"已生成新密钥 {ring.active_id}（{ring.active.cipher}）并启用；旧密钥保留用于解密。")
            self.stdout.write("请立即备份新的密钥文件。")
            if not no_wait:
                self._wait_for_other_processes()
        self._reencrypt(batch_size)

    def handle_reencrypt(self, *, batch_size=500, **opts):
        self._reencrypt(batch_size)

    def _wait_for_other_processes(self) -> None:
        # Web and worker processes re-read a changed key file within this interval; waiting means
        # hardly any of them still write under the old key once the re-encryption pass has begun.
        seconds = float(getattr(settings, "ANMIN_DATA_KEY_RELOAD_SECONDS", 10)) + 1
        if seconds > 1:
            self.stdout.write(f"等待 {seconds:.0f} 秒，让运行中的进程载入新密钥……")
            time.sleep(seconds)

    def _reencrypt(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数")

        def progress(label: str, done: int) -> None:
            self.stdout.write(f"  {label}：已重新加密 {done} 条")

        report = rotation.reencrypt(using=self.database, batch_size=batch_size, progress=progress)
        ring = get_keyring()
        if ring.source == f"${ENV_VAR}":
            # Nothing can be written back to an environment variable: say so before touching data.
            raise CommandError(
                f"密钥环来自环境变量 {ENV_VAR}，无法写回。"
                "请用 --print 生成新的密钥环，更新密钥托管处后再运行 reencrypt。"
            )
        behind = rotation.values_behind(rotation.key_usage(using=self.database, ring=ring), ring.active_id)
        self.stdout.write(f"重新加密 {report.rewritten} 条；当前启用密钥 {ring.active_id}。")
        if report.unreadable:
            listed = "；".join(f"{label} pk={pk}" for label, pk in report.unreadable[:20])
            raise CommandError(f"{len(report.unreadable)} 条数据无法解密，未能重新加密：{listed}")
        if behind:
            self.stdout.write(f"仍有 {behind} 条数据使用旧密钥（其他进程在切换前写入），请稍后再次运行本命令。")
        else:
            old = [k for k in ring.keys if k != ring.active_id]
            if old:
                self.stdout.write(f"全部数据已使用 {ring.active_id}。备份后可停用旧密钥：anmin keys retire {old[0]}")

    # --- retire ------------------------------------------------------------------------------------------

    def handle_retire(self, *, key_id, **opts):
        ring = get_keyring()
        if key_id == ring.active_id:
            raise CommandError(f"{key_id} 是当前启用的密钥，不能停用；请先运行 anmin keys rotate。")
        if key_id not in ring.keys:
            raise CommandError(f"密钥环中没有密钥 {key_id}。")
        remaining = rotation.values_under(key_id, rotation.key_usage(using=self.database, ring=ring))
        if remaining:
            raise CommandError(f"仍有 {remaining} 条数据使用密钥 {key_id}，请先运行 anmin keys reencrypt。")
        update_key_file(lambda current: current.without_key(key_id))
        self.stdout.write(f"已停用密钥 {key_id}。仍保存有用它加密的数据库旧备份时，请把旧密钥文件的备份一并离线保存。")
