"""Load a jurisdiction tree from CSV (the shape of data/yuzhou_*.csv), for Yuzhou or any other city.

Two shapes are accepted, told apart by their header:
  code,name,kind                 — the city and its 乡镇(街道)
  code,name,township_code        — the 村(社区) of each township
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Region
from .models.regions import RegionLevel, level_of, prefix_for

DATA_DIR = Path(__file__).resolve().parent / "data"
YUZHOU_FILES = (DATA_DIR / "yuzhou_townships.csv", DATA_DIR / "yuzhou_villages.csv")


class RegionFileError(ValueError):
    """A row that cannot be loaded; the message names the file, the row and the rule."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _parse(paths: Iterable[Path]) -> list[tuple[str, str, int, str, str | None]]:
    """Rows as (code, name, level, kind, parent_code), checked, in parent-before-child order."""
    out: list[tuple[str, str, int, str, str | None]] = []
    for path in paths:
        header, rows = _rows(path)
        has_kind = header[:3] == ["code", "name", "kind"]
        has_township = header[:3] == ["code", "name", "township_code"]
        if not (has_kind or has_township):
            raise RegionFileError(f"{path.name}: 表头应为 code,name,kind 或 code,name,township_code，实际为 {header}")
        for lineno, row in enumerate(rows, start=2):
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            if len(code) != 12 or not code.isdigit():
                raise RegionFileError(f"{path.name} 第{lineno}行 code：区划代码须为12位数字（{code!r}）")
            if not name:
                raise RegionFileError(f"{path.name} 第{lineno}行 name：名称不能为空")
            level = level_of(code)
            if has_kind:
                kind = row["kind"].strip()
                parent = None if level == RegionLevel.CITY else code[:6] + "000000"
            else:
                kind = "community" if "社区" in name else "village"
                parent = (row.get("township_code") or "").strip()
                if level != RegionLevel.VILLAGE or not code.startswith(parent[:9]):
                    raise RegionFileError(
                        f"{path.name} 第{lineno}行 township_code：村(社区) {code} 不在乡镇 {parent} 之下"
                    )
            out.append((code, name, level, kind, parent))
    out.sort(key=lambda r: (r[2], r[0]))
    return out


@transaction.atomic
def load_regions(paths: Iterable[Path] = YUZHOU_FILES) -> LoadResult:
    """Create or update regions from CSV files; idempotent (a second load changes nothing)."""
    rows = _parse(paths)
    existing = {r.code: r for r in Region.objects.filter(code__in=[r[0] for r in rows])}
    known = set(existing) | set(Region.objects.filter(level__lte=RegionLevel.TOWNSHIP).values_list("code", flat=True))
    result = LoadResult()
    new, changed = [], []
    for code, name, level, kind, parent in rows:
        if parent is not None and parent not in known:
            raise RegionFileError(f"区划 {code} {name}：上级 {parent} 不存在，请先导入上级区划")
        known.add(code)
        region = existing.get(code)
        if region is None:
            new.append(
                Region(code=code, name=name, level=level, kind=kind, parent_id=parent, prefix=prefix_for(code, level))
            )
        elif (region.name, region.kind, region.parent_id) != (name, kind, parent):
            region.name, region.kind, region.parent_id = name, kind, parent
            changed.append(region)
        else:
            result.unchanged += 1
    # Parents come first in ``rows``, so one ordered bulk insert keeps foreign keys valid.
    Region.objects.bulk_create(new, batch_size=1000)
    if changed:
        Region.objects.bulk_update(changed, ["name", "kind", "parent"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    return result


VILLAGE_SUFFIXES = (("社区居民委员会", "社区"), ("村民委员会", "村"), ("社区居委会", "社区"), ("居民委员会", "社区"),
                   ("村委会", "村"), ("居委会", "社区"))
FORMER_NAMES_FILE = Path(__file__).resolve().parent / "data" / "region_former_names.csv"


def short_names(name: str) -> list[str]:
    """What offices write for a 村(社区): 古城村委会 → 古城村, 古城; 光明居委会 → 光明社区, 光明."""
    for suffix, kind in VILLAGE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            out = [stem + kind, stem]
            if stem.endswith(kind):  # 东村村委会: 东村村, 东村
                out.append(stem[: -len(kind)])
            return [n for n in dict.fromkeys(out) if len(n) >= 2]
    return []


TOWNSHIP_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")


def township_short_names(name: str) -> list[str]:
    """古城镇 → 古城; 韩城街道办事处 → 韩城街道, 韩城."""
    out = []
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            out += [stem + "街道"] if suffix == "街道办事处" else []
            out.append(stem)
            break
    return out


def former_names(path: Path | None = None) -> list[tuple[str, str]]:
    """(region code, former name) pairs kept as data: ``core/data/region_former_names.csv`` or the
    file ``settings.ANMIN_REGION_FORMER_NAMES_FILE`` names (rows ``code,former_name``)."""
    from django.conf import settings

    path = Path(path or getattr(settings, "ANMIN_REGION_FORMER_NAMES_FILE", None) or FORMER_NAMES_FILE)
    try:
        with path.open(encoding="utf-8") as f:
            return [(r["code"].strip(), r["former_name"].strip()) for r in csv.DictReader(f) if r.get("code")]
    except FileNotFoundError:
        return []


class PlaceResolver:
    """Finds the region a ledger row names: 乡镇(街道) + 村(社区) (+ 网格), by official name, short name
    (古城村 for 古城村委会, 光明社区 for 光明居委会), former name or code.

    Built once per import (a few thousand regions); ``resolve`` raises ``ValidationError`` keyed by
    the field at fault ("township", "village", "grid") with a Chinese message naming it — for a name
    that several villages share, naming them all.
    """

    def __init__(self) -> None:
        from collections import defaultdict

        rows = Region.objects.filter(level__gte=RegionLevel.TOWNSHIP).values_list("code", "name", "level", "parent_id")
        self.township_by_name: dict[str, str] = {}
        self.township_names: dict[str, str] = {}
        self.villages_by_name: dict[str, list[str]] = defaultdict(list)
        self.village_names: dict[str, str] = {}
        self.grids: dict[str, dict[str, str]] = defaultdict(dict)
        for code, name, level, parent in rows:
            if level == RegionLevel.TOWNSHIP:
                self.township_by_name[name] = code
                self.township_names[code] = name
            elif level == RegionLevel.VILLAGE:
                self.villages_by_name[name].append(code)
                self.village_names[code] = name
            elif parent:
                self.grids[parent][name] = code
                self.grids[parent][code] = code
        for code, name in list(self.township_names.items()):
            for short in township_short_names(name):
                self.township_by_name.setdefault(short, code)
        for code, name in list(self.village_names.items()):
            for short in short_names(name):
                if code not in self.villages_by_name[short]:
                    self.villages_by_name[short].append(code)
        for code, old in former_names():
            target = self.villages_by_name if code in self.village_names else None
            if target is not None and old and code not in target[old]:
                target[old].append(code)
            elif code in self.township_names and old:
                self.township_by_name.setdefault(old, code)

    def _full(self, code: str) -> str:
        return f"{self.township_names.get(code[:9] + '000', '')}{self.village_names.get(code, code)}"

    def resolve(self, *, township: str = "", village: str = "", grid: str = "", within: str = "") -> str:
        """The code of the place named; ``within`` (a region code prefix: the importing unit's area or
        the place a ledger's title names) narrows a village name given without its township."""
        from django.core.exceptions import ValidationError

        township, village, grid = (township or "").strip(), (village or "").strip(), (grid or "").strip()
        if not village and within and len(within) >= 12 and within[:12] in self.village_names:
            village = within[:12]  # a village's own register: every row is that village
        township_code = None
        if township:
            township_code = self.township_by_name.get(township) or (
                township if township in self.township_names else None
            )
            if township_code is None:
                raise ValidationError({"township": f"乡镇(街道)：“{township}”不是本市的乡镇(街道)"})
        if not village:
            raise ValidationError({"village": "村(社区)：必填"})
        candidates = [village] if village in self.village_names else list(self.villages_by_name.get(village, []))
        for other in () if candidates else short_names(village):  # 古城村村委会, 大北村民委员会 as typed
            candidates = list(self.villages_by_name.get(other, []))
            if candidates:
                break
        if township_code:
            inside = [c for c in candidates if c.startswith(township_code[:9])]
            if candidates and not inside:
                shown = self.village_names.get(village, village)  # a village taken from the ledger's title is a code
                raise ValidationError({"village": f"村(社区)：“{shown}”不在“{self.township_names[township_code]}”"})
            candidates = inside
        elif within and len(candidates) > 1:
            inside = [c for c in candidates if c.startswith(within[:9])]
            candidates = inside or candidates
        if not candidates:
            from .ledgers import suggest

            near = [n for n in self.villages_by_name if n[:1] == village[:1]] or list(self.villages_by_name)
            close = suggest(village, near)
            hint = f"，是不是“{'”“'.join(close)}”？" if close else ""
            raise ValidationError({"village": f"村(社区)：“{village}”不是本市的村(社区){hint}"})
        if len(candidates) > 1:
            names = "、".join(self._full(c) for c in candidates[:6])
            raise ValidationError(
                {"village": f"村(社区)：“{village}”有{len(candidates)}处（{names}），请填写乡镇(街道)"})
        code = candidates[0]
        if grid:
            grid_code = self.grids.get(code, {}).get(grid)
            if grid_code is None:
                raise ValidationError({"grid": f"网格：“{grid}”不是“{self.village_names[code]}”的网格"})
            code = grid_code
        return code

    def find_in_text(self, lines: Iterable[str], *, within: Iterable[str] = ("",)) -> str:
        """The place a ledger's title names (``XX镇XX村实有人口登记表``): the most specific unique
        village, else township, whose name (official or short, 2+ characters) appears in the text and
        lies inside one of the ``within`` prefixes; "" when none or several."""
        text = "".join(lines)
        if not text:
            return ""
        prefixes = tuple(within) or ("",)
        township = ""
        for name, code in sorted(self.township_by_name.items(), key=lambda kv: -len(kv[0])):
            if len(name) >= 2 and name in text:
                township = code
                if name.endswith(TOWNSHIP_SUFFIXES):
                    # 古城镇's own name holds 古城, the short name of 古城村委会: a 古城镇 ledger is not
                    # 古城村's register. Villages are looked for in what the township's name leaves.
                    text = text.replace(name, "\n")
                break
        found: set[str] = set()
        for name, codes in self.villages_by_name.items():
            if len(name) >= 2 and name in text:
                for c in codes:
                    if (not township or c.startswith(township[:9])) and (
                        any(c.startswith(p) for p in prefixes) or any(p.startswith(c) for p in prefixes)):
                        found.add(c)
        if len(found) > 1:  # 古城 and 古城村: keep the villages named by their longest matching name
            best = max(len(n) for n, cs in self.villages_by_name.items() if n in text and found & set(cs))
            found = {c for n, cs in self.villages_by_name.items() if len(n) == best and n in text for c in cs} & found
        if len(found) == 1:
            return found.pop()
        if township and any(township.startswith(p) or p.startswith(township[:9]) for p in prefixes):
            return township
        return ""
