// Small progressive enhancements; every page works without this file. One file with the form kit's
// (below): every page loads both, and on a phone's slow link each request costs a round trip.
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
  // A full ID number or mobile number never goes into a URL: a search form (GET) holding one is
  // not sent; the server refuses such URLs anyway (PersonalNumbersInUrlMiddleware).
  var ID_OR_PHONE = /(^|[^0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/;
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    // (getAttribute: a form with a field named "method" shadows form.method)
    if (!form || !form.getAttribute || (form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    var fields = form.querySelectorAll("input[type=text], input[type=search], input:not([type])");
    for (var i = 0; i < fields.length; i++) {
      if (ID_OR_PHONE.test(fields[i].value.replace(/[\s-]/g, ""))) {
        evt.preventDefault();
        var gettext = window.gettext || String;
        fields[i].setCustomValidity(form.dataset.numberMessage ||
          gettext("身份证号码和手机号不能放在网址中，请用“按身份证号码/电话精确查找”。"));
        fields[i].reportValidity();
        fields[i].addEventListener("input", function () { this.setCustomValidity(""); }, { once: true });
        return;
      }
    }
  });
})();

// The form kit's enhancements (anmin.core.formkit); every form works without this file.
//  - select[data-filter]: a box above a long picker; typing keeps the options (and groups) whose
//    name or group name contains the text.
//  - select[data-narrow-by=NAME]: a person picker grouped by unit (optgroup[data-group]) keeps only
//    the group of the unit chosen in the field NAME of the same form.
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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-filter], select[data-narrow-by]").forEach(setup);
  });
})();
