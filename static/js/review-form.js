/* The review form. Progressive enhancement: the page works without this file. */
(function () {
  "use strict";

  function formatCount(n) {
    return n.toLocaleString("en-US");
  }

  // Live character counters under the justifications and the overall comment.
  // The server renders the count on load; this keeps it current while typing.
  function setUpCounters(root) {
    root.querySelectorAll("textarea[maxlength]").forEach(function (input) {
      var counter = document.getElementById(input.id + "_count");
      if (!counter) {
        return;
      }
      var limit = parseInt(input.getAttribute("maxlength"), 10);
      function update() {
        counter.textContent = formatCount(input.value.length) + " of " + formatCount(limit) + " characters";
      }
      input.addEventListener("input", update);
      update();
    });
  }

  // Leaving the page with unsaved answers asks first; saving or submitting does not.
  function guardUnsaved(form) {
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("change", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (changed) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("review-form");
    if (!form) {
      return;
    }
    setUpCounters(form);
    guardUnsaved(form);
  });
})();
