/* The 大屏: polls the dashboard data endpoint every data-refresh seconds, draws large figures and
   dark charts, and scrolls the lists of new and overdue cases. */
(function () {
  "use strict";
  var body = document.body;
  function q(name) { return document.querySelector("[data-bs=" + name + "]"); }

  function stats(list) {
    var box = q("stats");
    box.textContent = "";
    list.forEach(function (s) {
      var card = document.createElement("a");
      card.className = "bs-stat";
      card.href = s.link || "#";
      var label = document.createElement("span"); label.className = "bs-stat-label"; label.textContent = s.title;
      var value = document.createElement("span"); value.className = "bs-stat-value"; value.textContent = s.text + (s.unit || "");
      var change = document.createElement("span"); change.className = "bs-stat-change"; change.textContent = s.current ? (s.note || "") : (s.change || "");
      card.append(label, value, change);
      box.append(card);
    });
  }

  function charts(list) {
    var left = q("charts-left"), right = q("charts-right");
    list.forEach(function (c, i) {
      var holder = i % 2 ? right : left;
      var el = holder.querySelector("[data-bs-chart='" + c.key + "']");
      if (!el) {
        var h = document.createElement("h2"); h.textContent = c.title;
        el = document.createElement("div"); el.className = "bs-chart"; el.setAttribute("data-bs-chart", c.key);
        holder.append(h, el);
      }
      window.AnminCharts.draw(el, c, true);
    });
  }

  function rows(name, items) {
    var ul = q(name);
    ul.textContent = "";
    items.forEach(function (c) {
      var li = document.createElement("li");
      var a = document.createElement("a"); a.href = c.url; a.textContent = c.number + " " + c.title;
      var meta = document.createElement("span"); meta.className = "roll-meta";
      meta.textContent = c.region + " " + (name === "overdue" ? c.due : c.opened);
      li.append(a, meta);
      ul.append(li);
    });
  }

  function load() {
    fetch(body.getAttribute("data-src"), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        stats(data.stats);
        charts(data.charts);
        rows("newest", data.lists.newest);
        rows("overdue", data.lists.overdue);
        var gettext = window.gettext || String;
        q("updated").textContent = gettext("数据更新：%(time)s").replace("%(time)s", data.generated_at);
        body.setAttribute("data-loaded", "1");
      });
  }

  function roll() {
    document.querySelectorAll("ul.roll").forEach(function (ul) {
      if (ul.children.length > 6) { ul.append(ul.firstElementChild); }
    });
  }

  // The business clock (a shift from the real one, 0 in production) in the city's time zone.
  var shift = parseInt(body.getAttribute("data-clock-shift"), 10) || 0;
  var zone = body.getAttribute("data-time-zone") || undefined;
  function tick() {
    var options = {hour12: false};
    if (zone) { options.timeZone = zone; }
    q("clock").textContent = new Date(Date.now() + shift).toLocaleString("zh-CN", options);
  }

  document.addEventListener("DOMContentLoaded", function () {
    load();
    tick();
    var every = Math.max(parseInt(body.getAttribute("data-refresh"), 10) || 60, 10);
    setInterval(load, every * 1000);
    setInterval(roll, 3000);
    setInterval(tick, 1000);
    q("fullscreen").addEventListener("click", function () {
      if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    });
  });
})();
