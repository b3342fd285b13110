"""``anmin check --deploy`` warnings about how the application connects to the database.

The audit log is only tamper-evident when the application's role can neither alter its table nor
switch its triggers off: it must not be a superuser nor the owner of the tables (docs/security.md,
"Append-only"). These checks connect to PostgreSQL and say so when it is.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections


@register(Tags.security, deploy=True)
def check_database_role(app_configs=None, **kwargs):
    conn = connections["default"]
    if conn.vendor != "postgresql":
        return []
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            superuser = bool(row and row[0])
            cursor.execute("SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'core_auditentry'")
            row = cursor.fetchone()
            owner = bool(row and row[0])
    except DatabaseError as exc:
        return [Warning(f"无法核对数据库角色：{type(exc).__name__}", id="anmin.deploy.W103")]
    out = []
    if superuser:
        out.append(Warning(
            "应用以 PostgreSQL 超级用户连接数据库：它可以关闭审计日志的只追加触发器并改写日志。",
            hint="为应用建一个普通角色（只能读写业务表、只能追加审计日志），见 docs/security.md「Append-only」。",
            id="anmin.deploy.W101"))
    if owner:
        out.append(Warning(
            "应用以数据表的所有者连接数据库：所有者可以关闭审计日志的触发器（改写、删除、清空日志）。",
            hint="迁移用所有者角色执行，运行时用另一个没有所有权的角色，见 docs/security.md「Append-only」。",
            id="anmin.deploy.W102"))
    return out


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Several app servers (a replica or a task broker configured says so) need a cache they share:
    the read-your-writes pin of an API client and anything else kept in the cache are per process in
    Django's local memory cache (docs/scaling-out.md)."""
    from django.conf import settings

    several = bool(getattr(settings, "ANMIN_DB_REPLICAS", None) or getattr(settings, "ANMIN_TASK_BROKER_URL", ""))
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if several and backend.endswith(("LocMemCache", "DummyCache")):
        return [Warning(
            "已配置只读副本或任务代理（多台应用服务器），但缓存仍是各进程本地内存：写后读的固定、会话等不在服务器间共享。",
            hint="配置共享缓存（Redis），见 docs/scaling-out.md。", id="anmin.deploy.W104")]
    return []
