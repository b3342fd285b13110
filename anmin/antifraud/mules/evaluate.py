"""Quality of the mule score on generated worlds: precision, recall and F1 at ``THRESHOLD``, and
recall when alerting on the top 0.5% of accounts (the alert budget)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .generator import World, generate
from .score import THRESHOLD, Ledger, score

BUDGET = 0.005


def ledger_of(world: World) -> Ledger:
    return Ledger(ts=world.ts.astype("datetime64[s]").astype(np.int64), src=world.src, dst=world.dst,
                  amount=world.amount, device=world.device.astype(np.int64), n_accounts=world.n_accounts,
                  opened_day=world.opened.astype("datetime64[D]").astype(np.int64),
                  holder=world.holder.astype(np.int64), business=world.business)


@dataclass
class Quality:
    setting: str
    accounts: int
    transactions: int
    mules: int
    precision: float
    recall: float
    f1: float
    recall_at_budget: float
    seconds: float

    @property
    def txns_per_second(self) -> float:
        return self.transactions / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.setting}: {self.accounts} accounts, {self.transactions} txns, {self.mules} mules — "
                f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}, "
                f"recall@0.5% {self.recall_at_budget:.3f}, "
                f"scored in {self.seconds:.2f}s ({self.txns_per_second:,.0f} txns/s)")


def measure(world: World, setting: str, threshold: float = THRESHOLD) -> Quality:
    led = ledger_of(world)
    t0 = time.perf_counter()
    s = score(led).score
    seconds = time.perf_counter() - t0
    truth = world.mule
    flagged = s >= threshold
    tp = int((flagged & truth).sum())
    precision = tp / max(1, int(flagged.sum()))
    recall = tp / max(1, int(truth.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    k = max(1, round(world.n_accounts * BUDGET))
    top = np.argsort(-s, kind="stable")[:k]
    return Quality(setting, world.n_accounts, len(world.ts), int(truth.sum()), precision, recall, f1,
                   float(truth[top].sum() / max(1, truth.sum())), seconds)


SETTINGS = (("tuning: seed 1, base mix", 1, "base"), ("held out: seed 7, base mix", 7, "base"),
            ("held out: seed 11, layering mix", 11, "layering"), ("held out: seed 13, farms mix", 13, "farms"))


def report(n_accounts: int = 50_000) -> list[Quality]:
    return [measure(generate(n_accounts, seed=seed, mix=mix), name) for name, seed, mix in SETTINGS]
