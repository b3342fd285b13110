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
})();
