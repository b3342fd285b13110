"""``anmin antifraud generate|score|evaluate`` — the mule-account generator, the scorer and its quality.

    anmin antifraud generate --out DIR [--accounts N] [--seed S] [--mix base|layering|farms]
    anmin antifraud score --transactions FILE [--accounts FILE] --out FILE [--threshold T]
    anmin antifraud evaluate [--accounts N]
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "涉诈“两卡”研判：生成模拟交易、给账户打分、评估质量"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        g = sub.add_parser("generate", help="生成带标注的模拟交易（transactions.csv、accounts.csv、labels.csv）")
        g.add_argument("--out", required=True)
        g.add_argument("--accounts", type=int, default=100_000)
        g.add_argument("--seed", type=int, default=1)
        g.add_argument("--mix", default="base")
        s = sub.add_parser("score", help="读入交易与账户，输出可疑账户（account,score,reasons），高分在前")
        s.add_argument("--transactions", required=True)
        s.add_argument("--accounts", default=None)
        s.add_argument("--out", required=True)
        s.add_argument("--threshold", type=float, default=None)
        e = sub.add_parser("evaluate", help="在留出的种子和不同类型组合上测量精确率、召回率、F1")
        e.add_argument("--accounts", type=int, default=50_000)

    def handle(self, *args, **opts):
        from anmin.antifraud.mules import evaluate, generator
        from anmin.antifraud.mules import io as mule_io
        from anmin.antifraud.mules.score import THRESHOLD, score

        if opts["what"] == "generate":
            if opts["mix"] not in generator.MIXES:
                raise CommandError(f"--mix 须为 {', '.join(generator.MIXES)} 之一")
            t0 = time.perf_counter()
            world = generator.generate(opts["accounts"], seed=opts["seed"], mix=opts["mix"])
            paths = generator.write(world, Path(opts["out"]))
            self.stdout.write(f"{len(world.ts)} 笔交易、{world.n_accounts} 个账户（其中涉诈 {int(world.mule.sum())} 个），"
                              f"用时 {time.perf_counter() - t0:.1f} 秒：{', '.join(str(p) for p in paths.values())}")
        elif opts["what"] == "score":
            t0 = time.perf_counter()
            try:
                loaded = mule_io.load(Path(opts["transactions"]), Path(opts["accounts"]) if opts["accounts"] else None)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            t1 = time.perf_counter()
            scores = score(loaded.ledger)
            t2 = time.perf_counter()
            n = mule_io.write_flagged(loaded, scores, Path(opts["out"]), opts["threshold"] or THRESHOLD)
            for e in loaded.errors[:20]:
                self.stderr.write(e.message)
            m = len(loaded.ledger.ts)
            self.stdout.write(f"读入 {m} 笔（错误行 {loaded.error_count}）用时 {t1 - t0:.1f} 秒；打分用时 {t2 - t1:.2f} 秒"
                              f"（{m / max(t2 - t1, 1e-9):,.0f} 笔/秒）；可疑账户 {n} 个 → {opts['out']}")
        else:
            for q in evaluate.report(opts["accounts"]):
                self.stdout.write(q.line())
