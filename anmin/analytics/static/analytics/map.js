/* Anmin map: Leaflet with a configurable basemap (天地图, XYZ, local tiles, or none — a plain
   background) and the data layers of the map_layers registry, clustered; region heat as circles at
   the areas' places (or polygons when boundaries are loaded). Config from data-map (JSON). */
(function () {
  "use strict";
  function colourFor(value, max) {
    if (value === null || value === undefined || !max) { return "#adb5bd"; }
    var t = Math.min(value / max, 1);
    var r = Math.round(255), g = Math.round(220 - 170 * t), b = Math.round(120 - 110 * t);
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  function heatLayer(map, conf) {
    if (!conf.heat) { return; }
    fetch(conf.heat.url + "?kpi=" + encodeURIComponent(conf.heat.kpi), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var values = data.areas.map(function (a) { return a.value || 0; });
        var max = Math.max.apply(null, values.concat([1]));
        var group = L.featureGroup();
        data.areas.forEach(function (a) {
          var style = {color: "#495057", weight: 1, fillColor: colourFor(a.value, max), fillOpacity: 0.55};
          var shape = null;
          if (a.boundary) { shape = L.geoJSON(a.boundary, {style: function () { return style; }}); }
          else if (a.lat !== null) { shape = L.circleMarker([a.lat, a.lng], Object.assign({radius: 10 + 16 * (a.value || 0) / max}, style)); }
          if (shape) {
            shape.bindTooltip(a.name + "：" + (a.value === null ? "—" : a.value));
            if (a.link) { shape.on("click", function () { window.location.href = a.link; }); }
            group.addLayer(shape);
          }
        });
        group.addTo(map);
      });
  }

  function init(el) {
    var conf = JSON.parse(el.getAttribute("data-map"));
    var map = L.map(el, {zoomControl: true, attributionControl: true, preferCanvas: true, maxZoom: 18, minZoom: 6}).setView(conf.centre, conf.zoom);
    el.classList.add(conf.basemap.kind === "none" ? "map-plain" : "map-tiled");
    if (conf.basemap.kind === "tiles") {
      conf.basemap.layers.forEach(function (t) {
        L.tileLayer(t.url, {subdomains: t.subdomains || "abc", attribution: conf.basemap.attribution || "", maxZoom: 18}).addTo(map);
      });
    }
    var overlays = {};
    conf.layers.forEach(function (layer) {
      var group = L.markerClusterGroup ? L.markerClusterGroup({chunkedLoading: true}) : L.layerGroup();
      overlays[layer.label] = group;
      if (layer.on) { group.addTo(map); }
      fetch(layer.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
        data.points.forEach(function (p) {
          var solid = p.group === "open" || p.group === "attention";  // an open case, a record needing attention
          var m = L.circleMarker([p.lat, p.lng], {radius: 5, color: layer.colour, weight: 1, fillOpacity: solid ? 0.9 : 0.4});
          m.bindTooltip(p.label);
          if (p.url) { m.on("click", function () { window.location.href = p.url; }); }
          group.addLayer(m);
        });
        el.setAttribute("data-loaded-" + layer.key.replace(/\W/g, "-"), String(data.points.length));
      });
    });
    L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    window.AnminLeafletWords(map);
    heatLayer(map, conf);
    el.setAttribute("data-ready", "1");
    return map;
  }

  window.AnminMap = {init: init};
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(function (el) { if (window.L) { init(el); } });
  });
})();
