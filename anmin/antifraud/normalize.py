"""Normalising what people type for a number, an account or a link, so that one fraudulent value is
one blacklist entry however it was written: phones lose +86 / 0086, spaces, dashes and full-width
digits; bank cards lose their spacing; URLs keep only the lower-cased host (IDNA/punycode) and the
path, without scheme, "www.", default port, query, fragment or a trailing slash.

Each function raises ``ValueError`` with a Chinese message on a malformed value.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_SEP = re.compile(r"[\s\-()（）.·]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_FIXED = re.compile(r"^0\d{9,11}$")
_SERVICE = re.compile(r"^(95\d{3,6}|400\d{7}|800\d{7}|10\d{3,5}|1[0-2]\d{3})$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def normalize_phone(value: str) -> str:
    raw = _SEP.sub("", _nfkc(value))
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    elif raw.startswith("86") and len(raw) == 13:
        raw = raw[2:]
    if not raw:
        raise ValueError("请填写电话号码")
    if not raw.isdigit():
        raise ValueError("电话号码只能包含数字（可带 +86、空格或短横线）")
    if _MOBILE.match(raw) or _FIXED.match(raw) or _SERVICE.match(raw):
        return raw
    raise ValueError("电话号码格式不正确：应为11位手机号、带区号的固定电话或服务号码")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def normalize_account(value: str) -> str:
    raw = _SEP.sub("", _nfkc(value))
    if not raw:
        raise ValueError("请填写银行账户")
    if not raw.isdigit():
        raise ValueError("银行账户只能包含数字（可带空格）")
    if not 12 <= len(raw) <= 30:
        raise ValueError("银行账户应为12到30位数字")
    return raw


def normalize_url(value: str) -> str:
    raw = _nfkc(value)
    if not raw:
        raise ValueError("请填写网址")
    if len(raw) > 2000:
        raise ValueError("网址过长")
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError as exc:
        raise ValueError("网址格式不正确") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("只支持 http/https 网址")
    try:
        host = host.encode("idna").decode("ascii").lower() if host else ""
    except UnicodeError as exc:
        raise ValueError("网址的域名不正确") from exc
    if host.startswith("www."):
        host = host[4:]
    if not (_HOST.match(host) or _IPV4.match(host)):
        raise ValueError("网址的域名不正确")
    path = re.sub(r"/{2,}", "/", parts.path or "").rstrip("/")
    hostport = host if port in (None, 80, 443) else f"{host}:{port}"
    out = hostport + path
    if len(out) > 300:
        raise ValueError("网址过长（域名和路径不超过300个字符）")
    return out


NORMALIZERS = {"phone": normalize_phone, "account": normalize_account, "url": normalize_url}


def normalize(kind: str, value: str) -> str:
    try:
        fn = NORMALIZERS[kind]
    except KeyError:
        raise ValueError("类型须为 phone（电话）、account（银行账户）或 url（网址）") from None
    return fn(value)
