/* A report being generated: poll its progress and reload when it is done. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-progress]");
    if (!box || box.getAttribute("data-done") === "1") { return; }
    var bar = box.querySelector("progress"), msg = box.querySelector("[data-progress-message]");
    var timer = setInterval(function () {
      fetch(box.getAttribute("data-progress"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (p) {
          bar.value = p.progress; msg.textContent = p.message;
          if (p.done) { clearInterval(timer); window.location.reload(); }
        });
    }, 1000);
  });
})();
