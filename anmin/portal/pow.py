"""Proof of work when a network is over the portal's rate limit: no third-party service, works offline.

Hashcash-style: the page carries a challenge the server signed (random nonce, difficulty, bucket,
time; ``django.core.signing``, so nothing is stored when it is issued); ``static/portal/pow.js``
finds a counter such that SHA-256(``challenge:counter``) starts with ``difficulty`` zero bits
(WebCrypto) and posts both. The server checks the signature, the age (``MAX_AGE``), the bucket and the
hash, and accepts a challenge **once**: the cache keeps the SHA-256 of a used nonce until it expires
(no address, no time of the client). A page without a valid solution gets a fresh challenge.

``settings.ANMIN_PORTAL_POW_BITS`` sets the difficulty (default 18: about 260,000 hashes, a few
seconds on a cheap phone)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import caches

SALT, MAX_AGE = "anmin.portal.pow", 600
FIELD, SOLUTION = "pow_challenge", "pow_solution"


def bits() -> int:
    return int(getattr(settings, "ANMIN_PORTAL_POW_BITS", 18))


def issue(bucket: str) -> str:
    return signing.dumps({"n": secrets.token_hex(16), "d": bits(), "b": bucket}, salt=SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    n = 0
    for byte in digest:
        if byte == 0:
            n += 8
            continue
        return n + 8 - byte.bit_length()
    return n


def solve(challenge: str, difficulty: int) -> str:
    """What pow.js does, in Python (tests, scripted clients)."""
    counter = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{counter}".encode()).digest()) < difficulty:
        counter += 1
    return str(counter)


def difficulty_of(challenge: str) -> int:
    return signing.loads(challenge, salt=SALT, max_age=MAX_AGE)["d"]


def accepted(data, bucket: str) -> bool:
    """Whether ``data`` (the POST) carries a solved, fresh, unused challenge for ``bucket``."""
    challenge, solution = data.get(FIELD, ""), data.get(SOLUTION, "")
    if not challenge or not solution or len(solution) > 20 or not solution.isdigit():
        return False
    try:
        claim = signing.loads(challenge, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    if claim.get("b") != bucket or int(claim.get("d", 0)) < bits():
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    if leading_zero_bits(digest) < int(claim["d"]):
        return False
    used = "portal:pow:" + hashlib.sha256(claim["n"].encode()).hexdigest()
    return caches["shared"].add(used, 1, timeout=MAX_AGE + 60)  # False: already used once
