"""The 警务活动月报 as an Excel ledger (anmin.core.ledgers): one row per station and month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from anmin.core import ledgers

from . import actions
from .models import PoliceActivity

FIGURE = ledgers.integer(min_value=0, max_value=10_000_000)


def month(value: Any) -> dt.date:
    """A month as 2020-03, 2020年3月 or any date in it."""
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    text = ledgers.text()(value).replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    try:
        y, m = (int(p) for p in text.split("-")[:2])
        return dt.date(y, m, 1)
    except (ValueError, TypeError):
        raise ValidationError(f"“{text}”不是月份（如 2020-03）") from None


class PoliceLedger(ledgers.Ledger):
    key = "prevention.police"
    title = "警务活动月报"
    model = PoliceActivity
    columns = (
        ledgers.Column("乡镇(街道)", "township", ledgers.text(), required=True, export="region.name"),
        ledgers.Column("派出所", "station", ledgers.text(max_length=64), required=True,
                       aliases=("所属派出所", "派出所名称", "单位", "单位名称")),
        ledgers.Column("月份", "month", month, required=True, export=lambda o: f"{o.month:%Y-%m}",
                       aliases=("统计月份", "年月", "月度")),
        ledgers.Column("走访群众(人)", "visits", FIGURE, default=0),
        ledgers.Column("化解矛盾纠纷(起)", "disputes_resolved", FIGURE, default=0),
        ledgers.Column("抓获违法犯罪嫌疑人(人)", "suspects_caught", FIGURE, default=0),
        ledgers.Column("服务群众(人次)", "people_served", FIGURE, default=0),
    )
    unique = (("station", "month"),)

    def prepare(self) -> None:
        from anmin.core.models import Region

        prefixes = self.user.scope.prefixes if self.user is not None else ("",)
        from anmin.core.regions_io import township_short_names

        self.townships = {t.name: t.code for t in Region.objects.townships()
                          if any(t.code.startswith(p) or p.startswith(t.prefix) for p in prefixes)}
        for name, code in list(self.townships.items()):  # 古城 for 古城镇, as offices write it
            for short in township_short_names(name):
                self.townships.setdefault(short, code)

    def check_row(self, values: dict[str, Any], row: ledgers.LedgerRow) -> None:
        code = self.townships.get(values.get("township") or "")
        if code is None:
            raise ValidationError({"township": f"乡镇(街道)：“{values.get('township')}”不是您辖区内的乡镇(街道)"})
        values["region"] = code

    def find_existing(self, rows: Sequence[ledgers.LedgerRow]) -> Iterable[ledgers.RowError]:
        have = set(PoliceActivity.objects.values_list("station", "month"))
        for r in rows:
            if r.ok and (r.values.get("station"), r.values.get("month")) in have:
                r.existing = True
        return ()

    def save(self, rows: Sequence[ledgers.LedgerRow]) -> int:
        fields = ("region", "station", "month", *actions.POLICE_FIGURES)
        return actions.import_police_months(actor=self.user, records=[{k: r.values.get(k) for k in fields}
                                                                      for r in rows], note=f"台账导入：{self.title}")
