// The form kit's enhancements (anmin.core.formkit); every form works without this file.
//  - select[data-filter]: a box above a long picker; typing keeps the options (and groups) whose
//    name or group name contains the text.
//  - select[data-narrow-by=NAME]: a person picker grouped by unit (optgroup[data-group]) keeps only
//    the group of the unit chosen in the field NAME of the same form.
//  - input[data-location=lat] (with its pair named in data-location-lng): 获取当前位置 fills both from
//    the phone's GPS (and the accuracy field, data-location-accuracy); 在地图上选点 opens the vendored
//    Leaflet map (loaded only then) where a tap sets them. Typing or tapping clears the GPS accuracy.
(function () {
  "use strict";
  function setup(select) {
    var original = Array.prototype.map.call(select.children, function (n) { return n.cloneNode(true); });
    var state = { term: "", group: "" };
    function keep(option, groupLabel) {
      if (!option.value) return true;
      if (!state.term) return true;
      return (option.textContent + " " + (groupLabel || "")).toLowerCase().indexOf(state.term) >= 0;
    }
    function redraw() {
      var value = select.value;
      select.textContent = "";
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          if (state.group && node.getAttribute("data-group") !== state.group) return;
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (o) {
            if (keep(o, node.label) || o.value === value) group.appendChild(o.cloneNode(true));
          });
          if (group.children.length) select.appendChild(group);
        } else if (keep(node, "") || node.value === value) {
          select.appendChild(node.cloneNode(true));
        }
      });
      select.value = value;
      if (select.value !== value) select.value = "";
    }
    if (select.hasAttribute("data-filter")) {
      var box = document.createElement("input");
      box.type = "search";
      box.className = "select-filter";
      box.placeholder = select.getAttribute("data-filter");
      box.setAttribute("aria-label", select.getAttribute("data-filter"));
      box.addEventListener("input", function () {
        state.term = box.value.trim().toLowerCase();
        redraw();
        var first = select.querySelector("option[value]:not([value=''])");
        if (state.term && first && !select.value) select.value = first.value;
      });
      box.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
      select.parentNode.insertBefore(box, select);
    }
    var by = select.getAttribute("data-narrow-by");
    var unit = by && select.form && select.form.elements[by];
    if (unit) {
      var follow = function () { state.group = unit.value || ""; redraw(); };
      unit.addEventListener("change", follow);
      follow();
    }
  }

  function loadScript(src, marker, done, fail) {
    var script = document.querySelector("script[" + marker + "]");
    if (!script) {
      script = document.createElement("script");
      script.src = src;
      script.setAttribute(marker, "");
      document.head.appendChild(script);
    }
    script.addEventListener("load", done);
    script.addEventListener("error", fail);
  }

  function loadLeaflet(conf, done, fail) {
    var words = function () {  // Leaflet's words in the page's language (leaflet-words.js), after Leaflet
      if (window.AnminLeafletWords) { done(); } else { loadScript(conf.leaflet.words, "data-leaflet-words", done, fail); }
    };
    if (window.L) { words(); return; }
    if (!document.querySelector("link[data-leaflet]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = conf.leaflet.css;
      css.setAttribute("data-leaflet", "");
      document.head.appendChild(css);
    }
    loadScript(conf.leaflet.js, "data-leaflet", words, fail);
  }

  function setupLocation(lat) {
    var form = lat.form;
    var lng = form && form.elements[lat.getAttribute("data-location-lng")];
    if (!lng) return;
    var accuracy = form.elements[lat.getAttribute("data-location-accuracy") || ""] || null;
    var conf = JSON.parse(lat.getAttribute("data-location-map"));
    var text = conf.text;
    // The picker goes under whichever of the two comes last.
    var last = (lat.compareDocumentPosition(lng) & Node.DOCUMENT_POSITION_FOLLOWING) ? lng : lat;
    var anchor = last.closest(".form-row") || last;
    var box = document.createElement("div");
    box.className = "location-picker";
    box.setAttribute("data-location-picker", "");
    var actions = document.createElement("div");
    actions.className = "location-actions";
    var status = document.createElement("small");
    status.className = "help";
    status.setAttribute("role", "status");
    status.setAttribute("data-location-status", "");
    var canvas = document.createElement("div");
    canvas.className = "location-map";
    canvas.setAttribute("data-location-canvas", "");
    canvas.hidden = true;
    function button(label, key) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button";
      b.textContent = label;
      b.setAttribute(key, "");
      actions.appendChild(b);
      return b;
    }
    var gps = button(text.gps, "data-location-gps");
    var pick = button(text.map, "data-location-pick");
    box.appendChild(actions);
    box.appendChild(status);
    box.appendChild(canvas);
    anchor.parentNode.insertBefore(box, anchor.nextSibling);

    var map = null, marker = null, circle = null;
    function current() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (isNaN(a) || isNaN(b) || a < -90 || a > 90 || b < -180 || b > 180) return null;
      return [a, b];
    }
    function draw() {
      if (!map) return;
      var p = current();
      if (marker) { map.removeLayer(marker); marker = null; }
      if (circle) { map.removeLayer(circle); circle = null; }
      if (!p) return;
      marker = L.circleMarker(p, {radius: 8, color: "#c92a2a", weight: 2, fillOpacity: 0.7}).addTo(map);
      var metres = accuracy && parseFloat(accuracy.value);
      if (metres) circle = L.circle(p, {radius: metres, color: "#1c7ed6", weight: 1, fillOpacity: 0.1}).addTo(map);
    }
    function set(a, b, metres) {
      lat.value = a.toFixed(6);
      lng.value = b.toFixed(6);
      if (accuracy) accuracy.value = metres === null ? "" : String(Math.round(metres));
      [lat, lng].forEach(function (el) { el.dispatchEvent(new Event("change", {bubbles: true})); });
      draw();
    }
    [lat, lng].forEach(function (el) {
      el.addEventListener("input", function () { if (accuracy) accuracy.value = ""; draw(); });
    });
    if (!("geolocation" in navigator)) {
      gps.hidden = true;
    }
    gps.addEventListener("click", function () {
      status.textContent = text.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        set(pos.coords.latitude, pos.coords.longitude, pos.coords.accuracy);
        status.textContent = text.located.replace("%(m)s", String(Math.round(pos.coords.accuracy)));
        if (map) map.setView(current(), Math.max(map.getZoom(), 16));
      }, function (err) {
        status.textContent = text.failed + err.message;
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
    pick.addEventListener("click", function () {
      if (map) {
        canvas.hidden = !canvas.hidden;
        pick.textContent = canvas.hidden ? text.map : text.hide;
        if (!canvas.hidden) map.invalidateSize();
        return;
      }
      canvas.hidden = false;
      pick.textContent = text.hide;
      loadLeaflet(conf, function () {
        if (map) return;
        var p = current();
        map = L.map(canvas, {maxZoom: 18, minZoom: 5}).setView(p || conf.centre, p ? 16 : conf.zoom);
        window.AnminLeafletWords(map);
        if (conf.basemap.kind === "tiles") {
          conf.basemap.layers.forEach(function (t) {
            L.tileLayer(t.url, {subdomains: t.subdomains || "abc", attribution: conf.basemap.attribution || "",
                                maxZoom: 18}).addTo(map);
          });
          canvas.classList.add("map-tiled");
        } else {
          canvas.classList.add("map-plain");
          L.circleMarker(conf.centre, {radius: 4, color: "#495057", weight: 1, fillOpacity: 0.6}).addTo(map);
        }
        map.on("click", function (e) {
          set(e.latlng.lat, e.latlng.lng, null);
          status.textContent = text.tapped;
        });
        draw();
        status.textContent = conf.basemap.kind === "tiles" ? text.tap : text.plain;
        canvas.setAttribute("data-ready", "1");
      }, function () {
        status.textContent = text.map_failed;
        canvas.hidden = true;
        pick.hidden = true;
      });
    });
  }

  function start() {
    document.querySelectorAll("select[data-filter], select[data-narrow-by]").forEach(setup);
    document.querySelectorAll("input[data-location=lat]").forEach(setupLocation);
  }
  // Loaded by anmin.js only on a page that has such a field, after the page was parsed.
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
