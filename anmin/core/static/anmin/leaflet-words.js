/* Leaflet's own words — the zoom buttons' titles, the layer switch's label, the attribution link's
   title — are English, and showed as such in the Chinese UI: AnminLeafletWords(map) puts them in the
   page's language. Loaded right after Leaflet wherever a map is drawn: the analytics map and the big
   screen by their templates, the location picker by forms.js (with Leaflet). */
(function () {
  "use strict";
  window.AnminLeafletWords = function (map) {
    var gettext = window.gettext || String;  // the page's language (jsi18n); Chinese without it
    if (map.zoomControl) {
      [[".leaflet-control-zoom-in", gettext("放大")], [".leaflet-control-zoom-out", gettext("缩小")]].forEach(function (b) {
        var el = map.zoomControl.getContainer().querySelector(b[0]);
        if (el) { el.title = b[1]; el.setAttribute("aria-label", b[1]); }
      });
    }
    var credit = map.attributionControl;
    if (credit && typeof credit.options.prefix === "string") {
      credit.setPrefix(credit.options.prefix.replace(/title="[^"]*"/, 'title="' + gettext("Leaflet 开源地图库") + '"'));
    }
    map.getContainer().querySelectorAll(".leaflet-control-layers-toggle").forEach(function (el) {
      el.title = gettext("图层"); el.setAttribute("aria-label", gettext("图层"));
    });
  };
})();
