/* Anmin analytics: ECharts charts from JSON in data-chart attributes (no inline script: strict CSP).
   A chart's data: {kind, chart: "bar"|"line"|"pie", labels, series: [{name, unit, values, links}], links}.
   Clicking a bar or a slice opens the ledger behind it (links[i]). Tooltips render on the canvas
   (richText), so no inline style is ever set from HTML. */
(function () {
  "use strict";
  var PALETTE = ["#1f6feb", "#d9480f", "#2f9e44", "#7048e8", "#e67700", "#0c8599", "#c2255c", "#5c940d"];
  // Between the legend and the plot: the value axis's unit (件, %), NAME_GAP above the axis's top, 14 px
  // high, with a few pixels to spare on each side.
  var NAME_GAP = 8, UNIT_ROOM = NAME_GAP + 14 + 10;
  var drawn = new WeakMap();

  function option(data, dark, scroll) {
    var text = dark ? "#d0e4ff" : "#333";
    var base = {
      color: PALETTE,
      animation: false,
      textStyle: {color: text},
      tooltip: {trigger: data.chart === "pie" ? "item" : "axis", renderMode: "richText", confine: true},
      legend: {type: scroll ? "scroll" : "plain", top: 0, textStyle: {color: text}},
      grid: {left: 48, right: 16, top: UNIT_ROOM + 24, bottom: 56}
    };
    if (data.chart === "pie") {
      var s = data.series[0] || {values: []};
      base.series = [{type: "pie", radius: ["35%", "65%"], top: 24,
        label: {color: text}, data: data.labels.map(function (l, i) { return {name: l, value: s.values[i]}; })}];
      base.legend.show = false;
      return base;
    }
    base.xAxis = {type: "category", data: data.labels, axisLabel: {rotate: data.labels.length > 8 ? 45 : 0, color: text, interval: 0}};
    var units = [];
    (data.series || []).forEach(function (s) { if (units.indexOf(s.unit) < 0) { units.push(s.unit); } });
    base.yAxis = units.slice(0, 2).map(function (u) {
      return {type: "value", name: u, nameGap: NAME_GAP, axisLabel: {color: text},
              nameTextStyle: {color: text, fontSize: 12, lineHeight: 14}};
    });
    if (!base.yAxis.length) { base.yAxis = [{type: "value"}]; }
    base.series = (data.series || []).map(function (s) {
      var axis = Math.min(units.indexOf(s.unit), 1);
      return {name: s.name, type: data.chart === "line" || (axis === 1) ? "line" : "bar", yAxisIndex: axis < 0 ? 0 : axis,
              data: s.values, smooth: data.chart === "line"};
    });
    return base;
  }

  // The legend wraps onto as many lines as the chart's width needs (a county's dozen kinds of case take
  // three on a desktop's half-width card, four or five on a phone): the plot starts below the legend as
  // drawn, with room for the axis's unit between them, so the legend never covers the unit or the
  // lines. A legend that would take more than a third of the chart scrolls instead (one line, pages).
  // Where the legend ends is taken after each update through ECharts' extension API (registerPostUpdate
  // hands the hook the global model and the ExtensionAPI, whose getViewOfComponentModel gives the
  // legend's view and its group as laid out), not through the chart instance's internals.
  var legendBottoms = new WeakMap();
  if (window.echarts) {
    window.echarts.registerPostUpdate(function (ecModel, api) {
      var model = ecModel.getComponent("legend"), bottom = 0;
      var view = model && model.get("show") ? api.getViewOfComponentModel(model) : null;
      if (view) {
        var box = view.group.getBoundingRect();
        bottom = view.group.y + box.y + box.height;
      }
      legendBottoms.set(api.getDom(), bottom);
    });
  }

  function legendBottom(chart) {
    return legendBottoms.get(chart.getDom()) || 0;
  }

  function fitToLegend(chart, el) {
    if (!chart.getOption().yAxis) { return; }  // a pie: no legend, no axis
    var top = Math.ceil(legendBottom(chart)) + UNIT_ROOM;
    chart.setOption({grid: {top: top}});
  }

  function draw(el, data, dark) {
    if (!window.echarts || !el) { return null; }
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, dark ? "dark" : null, {renderer: "canvas"});
    chart.setOption(option(data, dark, false), true);
    if (legendBottom(chart) + UNIT_ROOM > el.clientHeight / 3) { chart.setOption(option(data, dark, true), true); }
    fitToLegend(chart, el);
    drawn.set(el, {data: data, dark: dark});
    chart.off("click");
    chart.on("click", function (p) {
      var series = (data.series || [])[p.seriesIndex] || {};
      var links = series.links || data.links || [];
      var url = links[p.dataIndex];
      if (url) { window.location.href = url; }
    });
    return chart;
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      try { draw(el, JSON.parse(el.getAttribute("data-chart")), false); } catch (e) { el.textContent = String(e); }
    });
  }

  window.AnminCharts = {draw: draw, drawAll: drawAll};
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // A window dragged wider or a phone turned fires dozens of resize events: the charts are redrawn
  // once it has settled (each redraw lays out every chart and its legend again).
  var settling = null;
  window.addEventListener("resize", function () {
    if (settling) { window.clearTimeout(settling); }
    settling = window.setTimeout(function () {
      settling = null;
      document.querySelectorAll("[data-chart], [data-bs-chart]").forEach(function (el) {
        var c = window.echarts && window.echarts.getInstanceByDom(el);
        var last = drawn.get(el);
        if (c) { c.resize(); }
        if (c && last) { draw(el, last.data, last.dark); }  // the legend wraps anew at the new width
      });
    }, 150);
  });
})();
