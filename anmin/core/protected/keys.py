"""The data key ring: the keys that encrypt protected personal data, and the blind-index key.

The ring is kept apart from ``SECRET_KEY`` (a leaked session secret must not open the registers of
people) and comes from, in this order:

1. the environment variable ``ANMIN_DATA_KEYS`` (the key file's JSON, for secret stores that inject
   environment variables), or
2. the key file at ``settings.DATA_KEY_FILE``.

The key file::

    {"format": 1,
     "active": "k2",
     "keys": {"k1": {"cipher": "aes-gcm", "key": "<base64>", "created": "2026-03-01T09:00:00+08:00"},
              "k2": {"cipher": "aes-gcm", "key": "<base64>", "created": "2026-09-01T09:00:00+08:00"}},
     "index_key": "<base64>", "index_algorithm": "hmac-sha256",
     "retired": {"k0": "2026-03-02T10:00:00+08:00"}}

Encryption keys rotate (``anmin keys rotate``); every ciphertext names the key that made it, so old
keys stay until ``anmin keys retire`` removes them. The blind-index key never rotates with them:
a new index key would change every index value, which needs a full reindex of every protected column.

Outside production a missing key file is created with fresh keys (0600, directory 0700) so a
newcomer's ``make demo`` just works; in production a missing ring is a configuration error, because
a silently generated key would encrypt data that no backup can ever decrypt.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils import timezone

from .ciphers import CipherError, get_cipher

logger = logging.getLogger("anmin.protected")

ENV_VAR = "ANMIN_DATA_KEYS"
FILE_FORMAT = 1
DEFAULT_CIPHER = "aes-gcm"
INDEX_KEY_SIZE = 32
INDEX_ALGORITHMS = ("hmac-sha256", "hmac-sm3")
KEY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")  # lower case: key ids are matched with LIKE
_NUMBERED_ID_RE = re.compile(r"^k(\d+)$")


class KeyConfigurationError(ImproperlyConfigured):
    """The key ring is missing, unreadable or inconsistent. Messages never contain key material."""


class UnknownKeyError(LookupError):
    """A ciphertext names a key that is not (or no longer) in the key ring."""


@dataclass(frozen=True)
class DataKey:
    """One encryption key. ``secret`` is excluded from ``repr`` so it cannot land in a log or traceback."""

    key_id: str
    cipher: str
    secret: bytes = field(repr=False)
    created: str = ""

    @classmethod
    def generate(cls, key_id: str, cipher: str = DEFAULT_CIPHER) -> DataKey:
        spec = get_cipher(cipher)
        return cls(key_id, cipher, secrets.token_bytes(spec.key_size), _now())


@dataclass(frozen=True)
class KeyRing:
    """An immutable snapshot of the keys. Changes produce a new ring that is then written out."""

    active_id: str
    keys: Mapping[str, DataKey]
    index_key: bytes = field(repr=False)
    index_algorithm: str = "hmac-sha256"
    retired: Mapping[str, str] = field(default_factory=dict)
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))
        object.__setattr__(self, "retired", MappingProxyType(dict(self.retired)))

    @property
    def active(self) -> DataKey:
        return self.keys[self.active_id]

    def get(self, key_id: str) -> DataKey:
        try:
            return self.keys[key_id]
        except KeyError:
            state = "已停用（retired）" if key_id in self.retired else "不在密钥环中"
            raise UnknownKeyError(f"数据密钥 {key_id} {state}") from None

    def next_key_id(self) -> str:
        numbers = [int(m.group(1)) for k in [*self.keys, *self.retired] if (m := _NUMBERED_ID_RE.match(k))]
        return f"k{max(numbers, default=0) + 1}"

    def with_new_active_key(self, cipher: str | None = None) -> KeyRing:
        """A ring with one more key, made active. Old keys stay so existing values still decrypt."""
        key = DataKey.generate(self.next_key_id(), cipher or self.active.cipher)
        return replace(self, active_id=key.key_id, keys={**self.keys, key.key_id: key})

    def without_key(self, key_id: str) -> KeyRing:
        """A ring with ``key_id``'s material removed; its id is remembered so it is never reused."""
        if key_id == self.active_id:
            raise KeyConfigurationError(f"不能停用当前启用的密钥 {key_id}，请先轮换")
        self.get(key_id)
        keys = {k: v for k, v in self.keys.items() if k != key_id}
        return replace(self, keys=keys, retired={**self.retired, key_id: _now()})

    @classmethod
    def generate(cls, cipher: str | None = None) -> KeyRing:
        cipher = cipher or getattr(settings, "ANMIN_DATA_CIPHER", DEFAULT_CIPHER)
        key = DataKey.generate("k1", cipher)
        # A deployment that chose SM4 for 商用密码 reasons gets SM3 for the index too.
        algorithm = "hmac-sm3" if cipher.startswith("sm4") else "hmac-sha256"
        return cls(key.key_id, {key.key_id: key}, secrets.token_bytes(INDEX_KEY_SIZE), algorithm)

    def to_dict(self) -> dict:
        return {
            "format": FILE_FORMAT,
            "active": self.active_id,
            "keys": {
                k.key_id: {"cipher": k.cipher, "key": _b64(k.secret), "created": k.created} for k in self.keys.values()
            },
            "index_key": _b64(self.index_key),
            "index_algorithm": self.index_algorithm,
            "retired": dict(self.retired),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: object, *, source: str) -> KeyRing:
        """Parse and check a ring. Every error names the problem and the source, never a key."""

        def fail(problem: str) -> KeyConfigurationError:
            return KeyConfigurationError(f"数据密钥配置无效（{source}）：{problem}")

        if not isinstance(data, dict):
            raise fail("顶层应为 JSON 对象")
        if data.get("format", FILE_FORMAT) != FILE_FORMAT:
            raise fail(f"不支持的格式版本 {data.get('format')!r}")
        raw_keys = data.get("keys")
        if not isinstance(raw_keys, dict) or not raw_keys:
            raise fail("缺少 keys")
        keys = {}
        for key_id, entry in raw_keys.items():
            if not isinstance(key_id, str) or not KEY_ID_RE.match(key_id):
                raise fail(f"密钥标识 {key_id!r} 不合规（小写字母、数字、-、_，最长32位）")
            if not isinstance(entry, dict):
                raise fail(f"密钥 {key_id} 应为对象")
            cipher = entry.get("cipher", DEFAULT_CIPHER)
            try:
                spec = get_cipher(cipher)
                secret = _unb64(entry.get("key"))
                spec.check_key(secret)
            except (CipherError, ValueError) as exc:
                raise fail(f"密钥 {key_id}：{exc}") from None
            keys[key_id] = DataKey(key_id, cipher, secret, str(entry.get("created", "")))
        active = data.get("active")
        if active not in keys:
            raise fail(f"active 应为 keys 中的一个密钥标识，当前为 {active!r}")
        try:
            index_key = _unb64(data.get("index_key"))
        except ValueError as exc:
            raise fail(f"index_key：{exc}") from None
        if len(index_key) < INDEX_KEY_SIZE:
            raise fail(f"index_key 至少 {INDEX_KEY_SIZE} 字节")
        algorithm = data.get("index_algorithm", "hmac-sha256")
        if algorithm not in INDEX_ALGORITHMS:
            raise fail(f"index_algorithm 应为 {' 或 '.join(INDEX_ALGORITHMS)}")
        retired = data.get("retired") or {}
        if not isinstance(retired, dict) or set(retired) & set(keys):
            raise fail("retired 应为对象，且不能包含仍在 keys 中的密钥")
        return cls(active, keys, index_key, algorithm, retired, source)


def _now() -> str:
    return timezone.localtime().isoformat(timespec="seconds") if settings.configured else ""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object) -> bytes:
    if not isinstance(value, str) or not value:
        raise ValueError("缺少 base64 编码的密钥")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("不是有效的 base64") from None


# --- where the ring lives ---------------------------------------------------------------------------


def key_file_path() -> Path:
    configured = getattr(settings, "DATA_KEY_FILE", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", "var")) / "keys" / "data-keys.json"


def keys_from_environment() -> bool:
    return bool(os.environ.get(ENV_VAR))


def read_key_file(path: Path) -> KeyRing:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyConfigurationError(f"无法读取数据密钥文件 {path}：{exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyConfigurationError(f"数据密钥文件 {path} 不是有效的 JSON（第{exc.lineno}行）") from None
    return KeyRing.from_dict(data, source=str(path))


def load_keyring(*, create_missing: bool | None = None) -> KeyRing:
    """Load the ring from the environment or the key file, uncached.

    ``create_missing`` defaults to "not in production": only then is a missing key file generated.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        try:
            data = json.loads(env)
        except json.JSONDecodeError as exc:
            raise KeyConfigurationError(f"环境变量 {ENV_VAR} 不是有效的 JSON（第{exc.lineno}行）") from None
        return KeyRing.from_dict(data, source=f"${ENV_VAR}")
    path = key_file_path()
    if path.exists():
        return read_key_file(path)
    if create_missing is None:
        create_missing = not getattr(settings, "PRODUCTION", False)
    if not create_missing:
        raise KeyConfigurationError(
            f"数据密钥文件 {path} 不存在，生产环境不会自动生成密钥。"
            f"请运行 `anmin keys init` 生成并妥善备份，或通过环境变量 {ENV_VAR} 提供密钥环。"
        )
    try:
        created = create_key_file(path, KeyRing.generate())
    except OSError as exc:
        raise KeyConfigurationError(f"无法创建数据密钥文件 {path}：{exc.strerror}") from None
    if created:
        logger.warning("protected.key_file_created path=%s (outside production; back it up)", path)
    return read_key_file(path)


def _write_temp(path: Path, ring: KeyRing) -> Path:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    with os.fdopen(fd, "wb") as f:
        f.write(ring.to_json().encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())
    return tmp


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def create_key_file(path: Path, ring: KeyRing) -> bool:
    """Write a new key file unless one exists. Returns False when another process got there first.

    The web process and the task worker may start together on a fresh machine; each generating its
    own key would leave half the data unreadable. Linking a finished temporary file into place is
    atomic and fails if the name exists, so exactly one ring wins and everyone reads that one.
    """
    tmp = _write_temp(path, ring)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    _fsync_dir(path.parent)
    return True


def write_key_file(path: Path, ring: KeyRing) -> None:
    """Atomically replace the key file (readers see the old or the new ring, never half of one)."""
    tmp = _write_temp(path, ring)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


@contextlib.contextmanager
def key_file_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write of the key file between ``keys`` commands on this machine."""
    import fcntl

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def update_key_file(change: Callable[[KeyRing], KeyRing]) -> KeyRing:
    """Apply ``change`` to the ring on disk under the lock, write it, and use it in this process."""
    if keys_from_environment():
        raise KeyConfigurationError(
            f"密钥环来自环境变量 {ENV_VAR}，无法写回。请更新密钥托管处的密钥环"
            "（`anmin keys rotate --print` 打印加入新密钥后的密钥环）。"
        )
    path = key_file_path()
    with key_file_lock(path):
        current = read_key_file(path) if path.exists() else load_keyring()
        new = change(current)
        write_key_file(path, new)
    reset_keyring_cache()
    return get_keyring()


# --- the process-wide cached ring --------------------------------------------------------------------


@dataclass
class _Cached:
    ring: KeyRing
    env: str | None
    configured: object  # settings.DATA_KEY_FILE as it was when loaded (compared by identity: cheap)
    path: Path
    stamp: tuple[int, int, int] | None
    checked: float
    forced: float = 0.0


_cache: _Cached | None = None
_cache_lock = threading.Lock()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _reload_interval() -> float:
    return float(getattr(settings, "ANMIN_DATA_KEY_RELOAD_SECONDS", 10))


def get_keyring() -> KeyRing:
    """The ring for this process, cached; a changed key file is picked up within a few seconds.

    ``keys rotate`` runs in its own process while the platform keeps serving. Re-reading the file when
    it changes lets every web and worker process start writing under the new key soon after, and
    :func:`get_keyring_for` re-reads at once when a value names a key this process has not seen yet.
    """
    global _cache
    # This runs for every value sealed or opened: the fast path compares by identity, no Path objects.
    cached, env, configured = _cache, os.environ.get(ENV_VAR), getattr(settings, "DATA_KEY_FILE", None)
    now = time.monotonic()
    same_source = cached is not None and cached.env == env and cached.configured is configured
    if same_source:
        if env or now - cached.checked < _reload_interval():
            return cached.ring
        if _stamp(cached.path) == cached.stamp:
            cached.checked = now
            return cached.ring
    with _cache_lock:
        current = _cache
        if current is not None and current is not cached and current.env == env and current.configured is configured:
            return current.ring  # another thread reloaded meanwhile
        path = key_file_path()
        try:
            ring = load_keyring()
        except KeyConfigurationError:
            if not same_source:
                raise
            # A broken file mid-flight must not take the platform down: keep the ring we have.
            logger.exception("protected.key_file_reload_failed path=%s", path)
            cached.checked = now
            return cached.ring
        _cache = _Cached(ring, env, configured, path, None if env else _stamp(path), now)
        return ring


def get_keyring_for(key_id: str) -> KeyRing:
    """The ring, re-read at once (at most once a second) if it lacks ``key_id``."""
    ring = get_keyring()
    cached = _cache
    if key_id in ring.keys or cached is None or cached.env:
        return ring
    now = time.monotonic()
    if now - cached.forced < 1.0:
        return ring
    cached.forced = now
    cached.checked = -1e9  # make get_keyring() look at the file
    cached.stamp = None
    return get_keyring()


def reset_keyring_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None


def _on_setting_changed(*, setting: str, **kwargs) -> None:
    if setting in {"DATA_KEY_FILE", "VAR_DIR", "PRODUCTION", "ANMIN_DATA_KEY_RELOAD_SECONDS"}:
        reset_keyring_cache()


setting_changed.connect(_on_setting_changed, dispatch_uid="anmin.protected.keys.reset")
