"""A seeded generator of realistic bank transactions with injected typologies and ground truth.

Normal life: personal accounts pay merchants and friends (log-normal amounts, daytime hours),
receive a monthly salary and sometimes move it on to their own second account the same day;
merchants (business accounts) take many payments and pay suppliers in a few large batches; families
hold two or three accounts. These are the confounders a naive rule trips on (a merchant has a huge
fan-in; a salary sweep is a pass-through).

Typologies (every account that carries criminal money is labelled a mule; victims are not):

- ``fan``: fan-in from 5–15 victims, then fast fan-out (minutes) to 2–5 next-layer accounts;
- ``chain``: layering chains of 3–6 hops, each forwarding 97–99.5% within 2–20 minutes;
- ``cycle``: 3–5 accounts passing similar sums round a cycle 2–4 times within hours;
- ``scatter``: one source splits into 4–10 accounts that each forward to one gatherer within an hour;
- ``farm``: one holder opens 4–10 accounts within ten days (sharing a phone/device), recently, and
  each takes a burst of inbound transfers and sends it on.

``MIXES`` names typology mixes (rings per 10,000 accounts); the scorer is tuned on ``"base"`` and
seed 1 and measured on other seeds and on the other mixes.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

START = np.datetime64("2020-11-01T00:00:00", "s")
DAYS = 30
BANKS = np.array(["ABC", "ICBC", "CCB", "BOC", "PSBC", "HNNX", "CMB", "BOCOM"])
CHANNELS = np.array(["mobile", "online", "atm", "counter", "pos"])
MIXES = {
    "base": {"fan": 3.0, "chain": 2.0, "cycle": 1.0, "scatter": 1.5, "farm": 1.0},
    "layering": {"fan": 1.0, "chain": 5.0, "cycle": 2.0, "scatter": 1.0, "farm": 0.5},
    "farms": {"fan": 1.5, "chain": 1.0, "cycle": 0.5, "scatter": 1.0, "farm": 4.0},
}


@dataclass
class World:
    """Column arrays (one row per transaction / account) and the labels."""

    ts: np.ndarray  # datetime64[s]
    src: np.ndarray  # int32 account index
    dst: np.ndarray
    amount: np.ndarray  # float64 yuan
    channel: np.ndarray  # int8 index into CHANNELS
    device: np.ndarray  # int32 device id, -1 unknown
    opened: np.ndarray  # datetime64[D] per account
    holder: np.ndarray  # int32 holder id per account
    bank: np.ndarray  # int8 per account
    business: np.ndarray  # bool per account
    mule: np.ndarray  # bool per account (ground truth)
    typology: np.ndarray  # object per account: "" or the typology name

    @property
    def n_accounts(self) -> int:
        return len(self.opened)


class _Txns:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, ts, src, dst, amount, channel=None, device=None) -> None:
        n = max(np.size(v) for v in (ts, src, dst, amount))
        ts = np.broadcast_to(np.asarray(ts, dtype="datetime64[s]"), (n,))
        ch = np.zeros(n, np.int8) if channel is None else np.broadcast_to(np.asarray(channel, np.int8), (n,))
        dv = np.full(n, -1, np.int32) if device is None else np.broadcast_to(np.asarray(device, np.int32), (n,))
        self.parts.append((ts, np.broadcast_to(np.asarray(src, np.int32), (n,)),
                           np.broadcast_to(np.asarray(dst, np.int32), (n,)),
                           np.broadcast_to(np.asarray(amount, np.float64), (n,)), ch, dv))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(np.concatenate([p[i] for p in self.parts]) for i in range(6))


def _sec(rng, n, lo=0, hi=DAYS * 86400):
    return rng.integers(lo, hi, n).astype("timedelta64[s]")


def generate(n_accounts: int = 20_000, seed: int = 1, mix: str = "base", txns_per_account: float = 10.0) -> World:
    rng = np.random.default_rng(seed)
    mixes = MIXES[mix]
    n = n_accounts
    business = rng.random(n) < 0.04
    holder = np.arange(n, dtype=np.int32)
    fam = rng.random(n) < 0.12  # families: an account held by the previous account's holder
    holder[1:][fam[1:]] = holder[:-1][fam[1:]]
    opened = (np.datetime64("2020-10-31") - rng.integers(90, 3650, n).astype("timedelta64[D]"))
    recent = rng.random(n) < 0.02  # some honest accounts are new too
    opened[recent] = np.datetime64("2020-10-31") - rng.integers(0, 60, recent.sum()).astype("timedelta64[D]")
    bank = rng.integers(0, len(BANKS), n).astype(np.int8)
    device = rng.integers(0, int(n * 0.9), n).astype(np.int32)  # a person's phone; families share some
    device[1:][fam[1:]] = device[:-1][fam[1:]]
    mule = np.zeros(n, bool)
    typology = np.full(n, "", dtype=object)
    tx = _Txns()
    people = np.flatnonzero(~business)
    shops = np.flatnonzero(business)

    # -- Normal life ------------------------------------------------------------------------------
    m = int(n * txns_per_account * 0.8)
    src = rng.choice(people, m)
    to_shop = rng.random(m) < 0.6
    friends = (src + rng.integers(1, 40, m)) % n  # a small social neighbourhood
    dst = np.where(to_shop, rng.choice(shops, m), friends)
    hour = rng.choice(24, m, p=_day_profile())
    ts = START + (rng.integers(0, DAYS, m) * 86400 + hour * 3600 + rng.integers(0, 3600, m)).astype("timedelta64[s]")
    amount = np.round(np.exp(rng.normal(4.6, 1.3, m)), 2)
    tx.add(ts, src, dst, amount, rng.integers(0, 5, m), device[src])
    # Merchants pay suppliers in a few large batches (a big fan-in that is not a mule).
    k = len(shops) * 6
    s = np.repeat(shops, 6)
    tx.add(START + _sec(rng, k), s, rng.choice(n, k), np.round(np.exp(rng.normal(8.5, 1.0, k)), 2), 1, device[s])
    # Salaries on the 15th; a quarter sweep most of it to their own other account within hours.
    paid = rng.choice(people, len(people) // 2, replace=False)
    pay_ts = START + np.timedelta64(14 * 86400 + 9 * 3600, "s") + _sec(rng, len(paid), 0, 3600)
    salary = np.round(rng.normal(4500, 1500, len(paid)).clip(1800), 2)
    tx.add(pay_ts, rng.choice(shops, len(paid)), paid, salary, 1)
    sweep = rng.random(len(paid)) < 0.25
    own = (paid[sweep] + 1) % n
    holder[own] = holder[paid[sweep]]  # the holder's own second account
    tx.add(pay_ts[sweep] + _sec(rng, sweep.sum(), 600, 4 * 3600), paid[sweep], own,
           np.round(salary[sweep] * rng.uniform(0.7, 0.95, sweep.sum()), 2), 0, device[paid[sweep]])

    # -- Typologies -------------------------------------------------------------------------------
    free = np.ones(n, bool)
    free[business] = False

    def take(k: int) -> np.ndarray:
        pick = rng.choice(np.flatnonzero(free), k, replace=False)
        free[pick] = False
        return pick

    def label(ids, name):
        mule[ids] = True
        typology[ids] = name

    def rings(name):
        return rng.poisson(mixes[name] * n / 10_000)

    for _ in range(rings("fan")):
        hub, outs = take(1)[0], take(int(rng.integers(2, 6)))
        label([hub, *outs], "fan")
        victims = rng.choice(people, int(rng.integers(5, 16)))
        t0 = START + _sec(rng, 1, 0, (DAYS - 3) * 86400)[0]
        tin = t0 + _sec(rng, len(victims), 0, 36 * 3600)
        amt = np.round(rng.uniform(2000, 50000, len(victims)), 2)
        tx.add(tin, victims, hub, amt, 0)
        tout = tin + _sec(rng, len(victims), 60, 30 * 60)
        tx.add(tout, hub, rng.choice(outs, len(victims)), np.round(amt * rng.uniform(0.9, 0.99, len(amt)), 2), 0,
               device[hub])
        for o in outs:  # the next layer cashes out at an ATM or forwards on
            tx.add(t0 + np.timedelta64(40 * 3600, "s") + _sec(rng, 1, 0, 7200)[0], o, rng.choice(n),
                   np.round(rng.uniform(5000, 40000), 2), 2, device[o])
    for _ in range(rings("chain")):
        hops = take(int(rng.integers(3, 7)))
        label(hops, "chain")
        for _rep in range(int(rng.integers(1, 4))):
            t = START + _sec(rng, 1, 0, (DAYS - 2) * 86400)[0]
            x = float(np.round(rng.uniform(10000, 200000), 2))
            tx.add(t, rng.choice(people), hops[0], x, 0)
            for a, b in itertools.pairwise(hops):
                t = t + _sec(rng, 1, 120, 1200)[0]
                x = round(x * rng.uniform(0.97, 0.995), 2)
                tx.add(t, a, b, x, 0, device[a])
            tx.add(t + _sec(rng, 1, 120, 1200)[0], hops[-1], rng.choice(n), round(x * 0.98, 2), 2, device[hops[-1]])
    for _ in range(rings("cycle")):
        ring = take(int(rng.integers(3, 6)))
        label(ring, "cycle")
        t = START + _sec(rng, 1, 0, (DAYS - 2) * 86400)[0]
        x = float(np.round(rng.uniform(20000, 100000), 2))
        tx.add(t, rng.choice(people), ring[0], x, 0)
        for _rep in range(int(rng.integers(2, 5))):
            for a, b in zip(ring, np.roll(ring, -1), strict=True):
                t = t + _sec(rng, 1, 300, 3 * 3600)[0]
                x = round(x * rng.uniform(0.98, 1.0), 2)
                tx.add(t, a, b, x, 0, device[a])
    for _ in range(rings("scatter")):
        middle, gather = take(int(rng.integers(4, 11))), take(1)[0]
        label([*middle, gather], "scatter")
        t = START + _sec(rng, 1, 0, (DAYS - 2) * 86400)[0]
        total = rng.uniform(50000, 300000)
        parts = np.round(rng.dirichlet(np.ones(len(middle))) * total, 2)
        tin = t + _sec(rng, len(middle), 0, 1800)
        tx.add(tin, rng.choice(people), middle, parts, 0)
        tx.add(tin + _sec(rng, len(middle), 300, 3600), middle, gather, np.round(parts * 0.98, 2), 0, device[middle])
        tx.add(t + np.timedelta64(3 * 3600, "s"), gather, rng.choice(n), round(total * 0.95, 2), 2, device[gather])
    for _ in range(rings("farm")):
        accts = take(int(rng.integers(4, 11)))
        label(accts, "farm")
        holder[accts] = holder[accts[0]]
        device[accts] = device[accts[0]]
        opened[accts] = np.datetime64("2020-10-31") - rng.integers(0, 45) - rng.integers(0, 10, len(accts))
        for a in accts:
            k = int(rng.integers(3, 9))
            tin = START + _sec(rng, k, 0, DAYS * 86400)
            amt = np.round(rng.uniform(1000, 20000, k), 2)
            tx.add(tin, rng.choice(people, k), a, amt, 0)
            tx.add(tin + _sec(rng, k, 60, 3 * 3600), a, rng.choice(n, k), np.round(amt * 0.97, 2), 0, device[a])

    ts, src, dst, amount, channel, dev = tx.arrays()
    keep = src != dst
    order = np.argsort(ts[keep], kind="stable")
    return World(ts=ts[keep][order], src=src[keep][order], dst=dst[keep][order], amount=amount[keep][order],
                 channel=channel[keep][order], device=dev[keep][order], opened=opened, holder=holder, bank=bank,
                 business=business, mule=mule, typology=typology)


def _day_profile() -> np.ndarray:
    p = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 5, 6, 6, 6, 7, 6, 6, 6, 6, 6, 7, 7, 6, 5, 3, 2], float)
    return p / p.sum()


def account_name(i: np.ndarray | int) -> np.ndarray | str:
    return np.char.add("62", np.char.zfill(np.asarray(i).astype(str), 14)) if isinstance(i, np.ndarray) \
        else f"62{i:014d}"


def write(world: World, out: Path) -> dict[str, Path]:
    """transactions.csv, accounts.csv and labels.csv (streamed in chunks)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"transactions": out / "transactions.csv", "accounts": out / "accounts.csv", "labels": out / "labels.csv"}
    n = world.n_accounts
    names = account_name(np.arange(n))
    holders = np.char.add("HID", np.char.zfill(world.holder.astype(str), 10))
    with paths["transactions"].open("w", newline="", encoding="utf-8") as f:
        f.write("txn_id,ts,from_account,to_account,amount,channel,from_bank,to_bank,device_id\n")
        for lo in range(0, len(world.ts), 200_000):
            sl = slice(lo, lo + 200_000)
            src, dst = world.src[sl], world.dst[sl]
            dev = np.where(world.device[sl] >= 0, np.char.add("D", world.device[sl].astype(str)), "")
            cols = [np.char.add("T", np.arange(lo, lo + len(src)).astype(str)), world.ts[sl].astype(str),
                    names[src], names[dst], np.char.mod("%.2f", world.amount[sl]), CHANNELS[world.channel[sl]],
                    BANKS[world.bank[src]], BANKS[world.bank[dst]], dev]
            rows = cols[0]
            for c in cols[1:]:
                rows = np.char.add(np.char.add(rows, ","), c)
            f.write("\n".join(rows.tolist()))
            f.write("\n")
    with paths["accounts"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account", "bank", "holder_id_number", "holder_name", "opened_on", "kind"])
        for i in range(n):
            w.writerow([names[i], BANKS[world.bank[i]], holders[i], f"户主{world.holder[i]}",
                        str(world.opened[i]), "business" if world.business[i] else "personal"])
    with paths["labels"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account", "is_mule", "typology"])
        for i in range(n):
            w.writerow([names[i], int(world.mule[i]), world.typology[i]])
    return paths
