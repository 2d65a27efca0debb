/* The staff list: a "select all on this page" box above the row boxes.
   Progressive: without this file each row is ticked on its own, or the form's
   "All N matching this filter" box chooses every matching row. */
(function () {
  "use strict";

  function setUp(form) {
    var header = form.querySelector("[data-select-all]");
    var rows = Array.prototype.slice.call(form.querySelectorAll("input[data-select-row]"));
    if (!header || !rows.length) {
      return;
    }
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input";
    box.id = "select-all-on-page";
    box.setAttribute("aria-label", "Choose every nomination on this page");
    header.textContent = "";
    header.appendChild(box);

    function sync() {
      var ticked = rows.filter(function (row) { return row.checked; }).length;
      box.checked = ticked === rows.length;
      box.indeterminate = ticked > 0 && ticked < rows.length;
    }

    box.addEventListener("change", function () {
      rows.forEach(function (row) { row.checked = box.checked; });
      sync();
    });
    rows.forEach(function (row) { row.addEventListener("change", sync); });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form#bulk-form").forEach(setUp);
  });
})();
