// The report form's "获取当前位置" button: fills latitude/longitude from the phone's location.
// The form works without it (coordinates are optional and can be typed). The accuracy goes with the
// report (gps_accuracy); a report kept offline carries the time it was recorded (offline.js).
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  function fmt(s, values) { return s.replace(/%\((\w+)\)s/g, function (_, k) { return String(values[k]); }); }
  var button = document.querySelector("[data-locate]");
  if (!button || !("geolocation" in navigator)) { return; }
  var status = document.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = gettext("正在定位…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      var accuracy = document.getElementById("id_gps_accuracy");
      if (accuracy) { accuracy.value = Math.round(pos.coords.accuracy); }
      status.textContent = fmt(gettext("已获取位置（精度约 %(metres)s 米）"), { metres: Math.round(pos.coords.accuracy) });
    }, function (err) {
      status.textContent = fmt(gettext("无法获取位置：%(error)s"), { error: err.message });
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
