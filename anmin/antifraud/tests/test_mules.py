"""Mule detection on a small generated world: it finds most mules within the alert budget, explains
each with reasons, groups rings, and reads a CSV with bad rows row by row."""

from __future__ import annotations

import numpy as np

from anmin.antifraud.mules import generator
from anmin.antifraud.mules import io as mule_io
from anmin.antifraud.mules.evaluate import ledger_of, measure
from anmin.antifraud.mules.score import THRESHOLD, rings, score


def test_the_score_finds_mules_on_a_held_out_seed_and_explains_them(tmp_path):
    world = generator.generate(20_000, seed=5, mix="layering")
    q = measure(world, "test")
    assert q.f1 >= 0.6
    assert q.recall_at_budget >= 0.6
    s = score(ledger_of(world))
    best = int(np.argmax(s.score))
    assert world.mule[best]
    assert any("快进快出" in r or "归集" in r for r in s.reasons(best))
    groups = rings(ledger_of(world), s.score >= THRESHOLD)
    assert groups
    assert world.mule[groups[0]].mean() > 0.8


def test_csv_in_and_out_with_per_row_errors(tmp_path):
    world = generator.generate(3_000, seed=2)
    paths = generator.write(world, tmp_path)
    with paths["transactions"].open("a", encoding="utf-8") as f:
        f.write("Tbad1,not-a-time,6200000000000001,6200000000000002,10.00,mobile,ABC,ABC,\n")
        f.write("Tbad2,2020-11-02T10:00:00,6200000000000001,6200000000000002,abc,mobile,ABC,ABC,\n")
    loaded = mule_io.load(paths["transactions"], paths["accounts"])
    assert loaded.error_count == 2
    assert "时间" in loaded.errors[0].message
    assert len(loaded.ledger.ts) == len(world.ts)
    out = tmp_path / "flagged.csv"
    n = mule_io.write_flagged(loaded, score(loaded.ledger), out, THRESHOLD)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "account,score,reasons"
    assert len(lines) == n + 1
    scores = [float(line.split(",")[1]) for line in lines[1:]]
    assert scores == sorted(scores, reverse=True)
