// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Show server-side conflict/validation messages that htmx would otherwise drop (409, 422).
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 409 || status === 422 || status === 400) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  // Filter bars are folded on a phone (the records come first) and open on a wide screen.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia && window.matchMedia("(min-width: 50em)").matches) {
      document.querySelectorAll("details[data-fold-wide]").forEach(function (d) { d.open = true; });
    }
  });
})();
