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
