"""Reading transactions and accounts CSVs in chunks (a 1 GB file is never held whole: rows are parsed
``CHUNK`` at a time into compact arrays), with per-row errors — a bad row is reported with its line
number and the rest are scored — and writing the flagged accounts."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .score import Ledger, Scores, rings

CHUNK = 200_000
TXN_COLUMNS = ("txn_id", "ts", "from_account", "to_account", "amount", "channel", "from_bank", "to_bank")
MAX_ERRORS_KEPT = 1000


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class Loaded:
    ledger: Ledger
    names: list[str]
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0


def _ts(value: str) -> int:
    value = value.strip()
    if value.isdigit():
        return int(value)
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp())


def _chunks(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader, [])]
        yield 1, header
        yield from enumerate(reader, start=2)


def load(transactions: Path, accounts: Path | None = None) -> Loaded:
    ids: dict[str, int] = {}
    names: list[str] = []
    errors: list[RowError] = []
    count = 0

    def idx(name: str) -> int:
        i = ids.get(name)
        if i is None:
            i = ids[name] = len(names)
            names.append(name)
        return i

    def err(line: int, message: str) -> None:
        nonlocal count
        count += 1
        if len(errors) < MAX_ERRORS_KEPT:
            errors.append(RowError(line, message))

    ts_parts, src_parts, dst_parts, amt_parts, dev_parts = [], [], [], [], []
    ts_b, src_b, dst_b, amt_b, dev_b = [], [], [], [], []
    devices: dict[str, int] = {}
    rows = _chunks(transactions)
    _line, header = next(rows)
    missing = [c for c in TXN_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"交易文件缺少列：{', '.join(missing)}")
    col = {c: header.index(c) for c in (*TXN_COLUMNS, "device_id") if c in header}
    width = max(col.values()) + 1

    def flush():
        if ts_b:
            ts_parts.append(np.array(ts_b, np.int64))
            src_parts.append(np.array(src_b, np.int32))
            dst_parts.append(np.array(dst_b, np.int32))
            amt_parts.append(np.array(amt_b, np.float64))
            dev_parts.append(np.array(dev_b, np.int64))
            for b in (ts_b, src_b, dst_b, amt_b, dev_b):
                b.clear()

    for line, row in rows:
        if len(row) < width - ("device_id" in col and col["device_id"] == width - 1):
            err(line, f"第{line}行：列数不足")
            continue
        try:
            t = _ts(row[col["ts"]])
        except ValueError:
            err(line, f"第{line}行：时间 {row[col['ts']][:30]!r} 无法识别（应为 ISO 8601 或秒）")
            continue
        a, b = row[col["from_account"]].strip(), row[col["to_account"]].strip()
        if not a or not b or len(a) > 40 or len(b) > 40:
            err(line, f"第{line}行：转出或转入账户为空或过长")
            continue
        try:
            amount = float(row[col["amount"]])
        except ValueError:
            err(line, f"第{line}行：金额 {row[col['amount']][:20]!r} 不是数字")
            continue
        if not 0 < amount < 1e12:
            err(line, f"第{line}行：金额须大于0")
            continue
        d = row[col["device_id"]].strip() if "device_id" in col and len(row) > col["device_id"] else ""
        ts_b.append(t)
        src_b.append(idx(a))
        dst_b.append(idx(b))
        amt_b.append(amount)
        dev_b.append(devices.setdefault(d, len(devices)) if d else -1)
        if len(ts_b) >= CHUNK:
            flush()
    flush()
    n = len(names)
    opened = np.full(n, -1, np.int64)
    holder = np.full(n, -1, np.int64)
    business = np.zeros(n, bool)
    if accounts is not None:
        holders: dict[str, int] = {}
        rows = _chunks(accounts)
        _line, header = next(rows)
        need = ("account", "holder_id_number", "opened_on", "kind")
        if any(c not in header for c in need):
            raise ValueError(f"账户文件须有列：{', '.join(need)}")
        ac = {c: header.index(c) for c in need}
        for line, row in rows:
            try:
                i = ids.get(row[ac["account"]].strip())
                if i is None:
                    continue  # an account without transactions
                opened[i] = (dt.date.fromisoformat(row[ac["opened_on"]].strip()) - dt.date(1970, 1, 1)).days
                h = row[ac["holder_id_number"]].strip()
                holder[i] = holders.setdefault(h, len(holders)) if h else -1
                business[i] = row[ac["kind"]].strip().lower() in ("business", "对公", "company")
            except (ValueError, IndexError):
                err(line, f"账户文件第{line}行：开户日期或列数有误")
    def cat(parts, dt_):
        return np.concatenate(parts) if parts else np.zeros(0, dt_)

    ledger = Ledger(ts=cat(ts_parts, np.int64), src=cat(src_parts, np.int32), dst=cat(dst_parts, np.int32),
                    amount=cat(amt_parts, np.float64), device=cat(dev_parts, np.int64), n_accounts=n,
                    opened_day=opened, holder=holder, business=business)
    return Loaded(ledger, names, errors, count)


def write_flagged(loaded: Loaded, scores: Scores, out: Path, threshold: float) -> int:
    """``account,score,reasons`` for every account at or above the threshold, best first; and the
    rings (groups of flagged accounts that pass money among themselves) in ``<out>.rings.csv``."""
    flagged = scores.score >= threshold
    order = np.flatnonzero(flagged)[np.argsort(-scores.score[flagged], kind="stable")]
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account", "score", "reasons"])
        for i in order:
            w.writerow([loaded.names[i], f"{scores.score[i]:.3f}", "；".join(scores.reasons(int(i)))])
    groups = rings(loaded.ledger, flagged)
    with out.with_suffix(".rings.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ring", "accounts", "members"])
        for k, g in enumerate(groups, start=1):
            w.writerow([k, len(g), " ".join(loaded.names[i] for i in g[np.argsort(-scores.score[g])])])
    return len(order)
