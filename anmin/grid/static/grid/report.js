// The report form's "获取当前位置" button: fills latitude/longitude from the phone's location.
// The form works without it (coordinates are optional and can be typed). The accuracy goes with the
// report (gps_accuracy); a report kept offline carries the time it was recorded (offline.js).
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !("geolocation" in navigator)) { return; }
  var status = document.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      var accuracy = document.getElementById("id_gps_accuracy");
      if (accuracy) { accuracy.value = Math.round(pos.coords.accuracy); }
      status.textContent = "已获取位置（精度约 " + Math.round(pos.coords.accuracy) + " 米）";
    }, function (err) {
      status.textContent = "无法获取位置：" + err.message;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
