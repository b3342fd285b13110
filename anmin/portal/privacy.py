"""The portal's privacy rules in one place: codes, hashes and a rate limit that keeps no address.

* A receipt code is 16 random digits; only its SHA-256 is stored.
* The rate limit counts per network (an IPv4 /24 or an IPv6 /48) under a keyed hash whose key lives in
  this process's memory only and changes every day: the cache holds counters nobody can map back to
  an address, and yesterday's can no longer be recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from django.core.cache import cache

from anmin.core import clock
from anmin.core.audit import client_address

_DAY_KEYS: dict[str, bytes] = {}
LIMIT_PER_HOUR = 10
# Ten wrong passphrases in a row lock a receipt for an hour.
MAX_WRONG_PASSPHRASES = 10
LOCK_MINUTES = 60


def new_receipt_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(16))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _day_key() -> bytes:
    day = clock.today().isoformat()
    if day not in _DAY_KEYS:
        _DAY_KEYS.clear()
        _DAY_KEYS[day] = secrets.token_bytes(32)
    return _DAY_KEYS[day]


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def over_limit(request, bucket: str, limit: int = LIMIT_PER_HOUR) -> bool:
    """Count this request against its network's hourly budget; True when over it."""
    network = _network(client_address(request))  # behind the trusted proxies: the client's own
    hour = clock.now().strftime("%Y%m%d%H")
    key = "portal:" + hmac.new(_day_key(), f"{bucket}|{network}|{hour}".encode(), "sha256").hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit
