"""Throw-away PostgreSQL clusters for tests: a primary and a streaming replica of it, in a temporary
directory, on free loopback ports — never the machine's own cluster, whose configuration is left as
it is (its pg_hba.conf need not allow replication).

``start_pair(root)`` runs ``initdb`` (trust on 127.0.0.1, replication allowed), starts the primary,
takes a ``pg_basebackup -R`` of it and starts that as a hot standby. As root, the server programs
run as the ``postgres`` account (``runuser``); as anyone else, as themselves.
``start_single(root)`` starts one such cluster alone (``make chaos`` restarts it under load with
``Cluster.restart()``; ``Cluster.destroy()`` stops it and removes its directory).
``unavailable()`` says why this machine cannot (no binaries, no account), for a clean skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def bindir() -> Path | None:
    """``ANMIN_PG_BINDIR``, else the newest /usr/lib/postgresql/<version>/bin with initdb."""
    configured = os.environ.get("ANMIN_PG_BINDIR")
    if configured:
        return Path(configured) if (Path(configured) / "initdb").exists() else None
    found = sorted((p / "bin" for p in PG_ROOT.glob("*") if (p / "bin" / "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def run_as() -> str | None:
    """The account the servers run as: ``postgres`` when we are root, else ourselves (None)."""
    return "postgres" if os.geteuid() == 0 else None


def unavailable() -> str | None:
    if bindir() is None:
        return "no PostgreSQL server binaries (initdb) under /usr/lib/postgresql or ANMIN_PG_BINDIR"
    if run_as():
        try:
            pwd.getpwnam(run_as())
        except KeyError:
            return "running as root and there is no 'postgres' account to run a cluster as"
        if shutil.which("runuser") is None:
            return "running as root without runuser to start a cluster as 'postgres'"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cmd(args: list[str]) -> list[str]:
    user = run_as()
    return ["runuser", "-u", user, "--", *args] if user else args


def _run(args: list[str], *, timeout: float = 120) -> str:
    done = subprocess.run(_cmd(args), capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done.stdout


@dataclass
class Cluster:
    datadir: Path
    port: int

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def pg(self, name: str) -> str:
        return str(bindir() / name)

    def start(self) -> None:
        log = self.datadir.parent / f"{self.datadir.name}.log"
        _run([self.pg("pg_ctl"), "-D", str(self.datadir), "-l", str(log), "-w", "-t", "60", "start"])

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            _run([self.pg("pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "-t", "30", "stop"])

    def restart(self) -> None:
        """A real restart: ``pg_ctl restart -m fast`` (every session ended, the server stopped and
        started again)."""
        log = self.datadir.parent / f"{self.datadir.name}.log"
        _run([self.pg("pg_ctl"), "-D", str(self.datadir), "-l", str(log), "-m", "fast", "-w", "-t", "60",
              "restart"])

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.datadir.parent, ignore_errors=True)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        return subprocess.run([self.pg("psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                               "-p", str(self.port), "-U", "postgres", "-d", dbname, "-c", sql],
                              capture_output=True, text=True, check=True, timeout=60).stdout.strip()


SERVER_CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
max_connections = 40
shared_buffers = 32MB
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
logging_collector = off
"""

HBA = """local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def _own(path: Path) -> None:
    user = run_as()
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def start_single(root: Path) -> Cluster:
    """Start one throw-away cluster under ``root`` (a fresh directory) on a free loopback port; stop
    it with ``Cluster.destroy()``. Takes a few seconds."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    _own(root)
    primary = Cluster(root / "primary", free_port())
    _run([primary.pg("initdb"), "-D", str(primary.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8", "--no-sync"])
    with open(primary.datadir / "postgresql.conf", "a") as conf:
        conf.write(SERVER_CONF.format(port=primary.port, sockets=root))
    (primary.datadir / "pg_hba.conf").write_text(HBA)
    primary.start()
    return primary


def start_pair(root: Path) -> tuple[Cluster, Cluster]:
    """Start a primary and its streaming replica under ``root`` (a fresh directory); stop them with
    ``stop_pair``. Takes a few seconds."""
    primary = start_single(root)
    replica = Cluster(root / "replica", free_port())
    try:
        _run([primary.pg("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
              "-D", str(replica.datadir), "-R", "-X", "stream", "--no-sync", "-c", "fast"])
        with open(replica.datadir / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {replica.port}\n")
        replica.start()
    except Exception:
        primary.stop()
        raise
    return primary, replica


def stop_pair(primary: Cluster, replica: Cluster) -> None:
    replica.stop()
    primary.stop()
    shutil.rmtree(primary.datadir.parent, ignore_errors=True)


def wait_replayed(primary: Cluster, replica: Cluster, dbname: str = "postgres", timeout: float = 30) -> float:
    """Wait until the replica has replayed everything the primary wrote so far; seconds waited."""
    lsn = primary.psql("SELECT pg_current_wal_insert_lsn()", dbname)
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", dbname) == "t":
            return time.monotonic() - start
        time.sleep(0.02)
    raise TimeoutError(f"the replica did not replay {lsn} within {timeout:g} s")
