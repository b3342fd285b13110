"""Anmin's build of ECharts (frontend/echarts, decision 0028) holds only what the pages draw. A series type
or a component left out of it is not an error for ECharts: the option's part is dropped without a word
and the chart is drawn without it. So the charts the pages draw are drawn here with the vendored file and
the pages' own analytics.js, and the models and views ECharts made for them are counted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from anmin.core.registry import chart_sources

ANALYTICS = Path(__file__).resolve().parent.parent
STATIC = ANALYTICS / "static" / "analytics"
VENDOR = STATIC / "vendor"
BUILD = VENDOR / "echarts-6.1.0-anmin.min.js"
ROOT = ANALYTICS.parent.parent

# What the build holds (frontend/echarts/entry.js) and what the pages' charts need of it.
SERIES = {"bar", "line", "pie"}

MONTHS = [f"{m}月" for m in range(1, 13)]
KINDS = ["矛盾纠纷（上报）", "三书一函（上报）", "铁路沿线隐患（上报）", "网格事件（上报）", "预警线索（上报）",
         "电诈案件（上报）", "涉黑涉恶线索（上报）", "校园周边案件（上报）", "命案（上报）", "溺水事故（上报）",
         "酒驾醉驾（上报）", "精神障碍患者肇事（上报）"]
TOWNS = ["颍川街道", "夏都街道", "韩城街道", "钧台街道", "古城镇", "鸿畅镇"]

# As dashboard.py sends them: the trend of every kind of case (a long legend), a by-area chart with a
# count and a rate (the rate on a second value axis, drawn as a line), a dict-valued KPI as a pie.
CHARTS = {
    "trend": {"chart": "line", "labels": MONTHS,
              "series": [{"name": k, "unit": "件", "values": [(i * 37 + m * 11) % 90 for m in range(12)]}
                         for i, k in enumerate(KINDS)]},
    "trend5": {"chart": "line", "labels": MONTHS,
               "series": [{"name": k, "unit": "件", "values": [(i * 37 + m * 11) % 90 for m in range(12)]}
                          for i, k in enumerate(KINDS[:5])]},
    "areas": {"chart": "bar", "labels": TOWNS,
              "series": [{"name": "排查矛盾纠纷", "unit": "件", "values": [89, 54, 59, 74, 148, 179]},
                         {"name": "调解纠纷", "unit": "件", "values": [84, 49, 57, 69, 137, 167]},
                         {"name": "调成率", "unit": "%", "values": [94.4, 90.7, 96.6, 93.2, 92.6, 93.3]}],
              "links": [f"/cases/?region={i}" for i in range(6)]},
    "categories": {"chart": "pie", "labels": ["邻里纠纷", "婚姻家庭", "土地权属", "劳资纠纷"],
                   "series": [{"name": "网格事件", "unit": "件", "values": [120, 80, 45, 30]}]},
}
# Each box as wide as a card on the 统计分析 page (476 × 300) or on the 大屏 (336 × 240, dark).
BOXES = [("trend", 476, 300, False), ("trend5", 476, 300, False), ("areas", 476, 300, False),
         ("categories", 476, 300, False), ("trend", 336, 240, True), ("areas", 336, 240, True),
         ("categories", 336, 240, True)]

# After every update of every chart: the series and components ECharts made models for, and whether it
# made each a view (through its extension API, as analytics.js reads the legend).
HOOK = """() => { window.made = {};
  echarts.registerPostUpdate((ecModel, api) => {
    const comps = {};
    ['grid', 'xAxis', 'yAxis', 'legend', 'tooltip', 'axisPointer'].forEach(t => {
      const all = ecModel.getComponent(t) ? ecModel.queryComponents({mainType: t}) : [];
      comps[t] = all.map(m => ({type: m.type, view: !!api.getViewOfComponentModel(m)}));
    });
    window.made[api.getDom().id] = {
      series: ecModel.getSeries().map(s => ({type: s.subType, view: !!api.getViewOfSeriesModel(s)})),
      comps: comps, dark: ecModel.get('darkMode') === true};
  }); }"""

PIXELS = """(id) => { const c = document.querySelector('#' + id + ' canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let ink = 0, sum = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i + 3]) { ink++; } sum = (sum * 31 + d[i] + d[i + 1] + d[i + 2] + d[i + 3]) % 1000000007; }
  return {ink: ink, sum: sum}; }"""


def test_the_pages_load_the_vendored_build_and_its_licence_is_kept():
    pages = [ANALYTICS / "templates" / "analytics" / f"{name}.html" for name in ("dashboard", "bigscreen")]
    for page in pages:
        scripts = re.findall(r"analytics/vendor/(echarts[^'\"]*\.js)", page.read_text(encoding="utf-8"))
        assert scripts == [BUILD.name], (page.name, scripts)
    assert BUILD.exists()
    assert not (VENDOR / "echarts-6.1.0.min.js").exists()  # the full build is gone
    assert (VENDOR / "echarts-LICENSE.txt").exists() and (VENDOR / "echarts-NOTICE.txt").exists()
    head = BUILD.read_text(encoding="utf-8")[:2000]
    assert "Apache ECharts 6.1.0" in head and "Licensed to the Apache Software Foundation" in head
    # The recipe that made it, with its versions pinned.
    recipe = ROOT / "frontend" / "echarts"
    package = json.loads((recipe / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["echarts"] == "6.1.0"
    lock = json.loads((recipe / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/echarts"]["version"] == "6.1.0"
    entry = (recipe / "entry.js").read_text(encoding="utf-8")
    for part in ("BarChart", "LineChart", "PieChart", "GridComponent", "LegendComponent", "TooltipComponent",
                 "CanvasRenderer"):
        assert part in entry, part


def test_every_registered_chart_is_of_a_kind_the_build_draws():
    """A chart source of another kind (a scatter, a gauge, a map) needs analytics.js to draw it and the
    build to hold it: frontend/echarts/entry.js, then SERIES and CHARTS here."""
    kinds = {source.chart for source in chart_sources}
    assert kinds and kinds <= SERIES, kinds - SERIES
    assert {data["chart"] for data in CHARTS.values()} == SERIES


@pytest.mark.browser
def test_the_build_draws_every_series_and_component_the_pages_use(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    boxes = "".join(f'<div id="c{i}" style="width:{w}px;height:{h}px"></div>' for i, (_, w, h, _) in enumerate(BOXES))
    page.set_content(f"<!doctype html><html><body>{boxes}</body></html>")
    page.add_script_tag(path=str(BUILD))
    page.add_script_tag(path=str(STATIC / "analytics.js"))
    assert page.evaluate("echarts.version") == "6.1.0"
    page.evaluate(HOOK)
    for i, (key, _, _, dark) in enumerate(BOXES):
        page.evaluate("([id, data, dark]) => AnminCharts.draw(document.getElementById(id), data, dark)",
                      [f"c{i}", CHARTS[key], dark])
    made = page.evaluate("window.made")

    def component_types(box, main):
        return [m["type"] for m in made[box]["comps"][main] if m["view"]]

    for i, (key, _, _, dark) in enumerate(BOXES):
        box = f"c{i}"
        assert made[box]["dark"] is dark, box  # the 大屏's "dark" theme
        series = made[box]["series"]
        assert all(s["view"] for s in series), (key, series)
        assert component_types(box, "tooltip") == ["tooltip"], key
        if key == "categories":
            assert [s["type"] for s in series] == ["pie"]
            continue
        assert [s["type"] for s in series] == (["bar", "bar", "line"] if key == "areas" else ["line"] * len(
            CHARTS[key]["series"]))
        assert component_types(box, "grid") == ["grid"], key
        assert component_types(box, "xAxis") == ["xAxis.category"], key
        assert component_types(box, "yAxis") == ["yAxis.value"] * (2 if key == "areas" else 1), key
        assert component_types(box, "axisPointer") == ["axisPointer"], key  # the axis tooltip's
        # Twelve kinds would take more than a third of the chart: their legend scrolls; five wrap.
        assert component_types(box, "legend") == ["legend.scroll" if key == "trend" else "legend.plain"], key
    # The plot starts below the legend as drawn (analytics.js reads where it ends through the extension
    # API): five kinds wrap onto two lines on a card, a scrolling legend keeps to one.
    tops = page.evaluate("(ids) => ids.map(id => echarts.getInstanceByDom(document.getElementById(id)).getOption().grid[0].top)",
                         ["c1", "c2", "c4"])
    assert tops[0] > tops[1] == 56 and tops[2] < tops[0], tops

    for i, (key, _, _, _) in enumerate(BOXES):
        drawn = page.evaluate(PIXELS, f"c{i}")
        assert drawn["ink"] > 2000, (key, drawn)
        # A tooltip (an axis's on bars and lines, an item's on a pie) is drawn on the canvas (richText).
        page.evaluate("(id) => echarts.getInstanceByDom(document.getElementById(id))"
                      ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 1})", f"c{i}")
        page.wait_for_timeout(50)
        assert page.evaluate(PIXELS, f"c{i}")["sum"] != drawn["sum"], f"no tooltip on {key}"
    assert not errors, errors
    context.close()
