/* The nomination form: autosave, the copy kept in this browser, and the progress of
   each section. Progressive enhancement: the page works without this file (Save draft
   is an ordinary form). The counters, the question before leaving and the status line
   come from forms.js; the background save and the copy kept in this browser from
   autosave.js. */
(function () {
  "use strict";

  function updateProgress(progress) {
    (progress || []).forEach(function (section) {
      var el = document.querySelector("[data-progress='" + section.key + "']");
      if (el) {
        el.textContent = section.complete ? "Complete" : section.done + " of " + section.total + " answered";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("nomination-form");
    if (!form) {
      return;
    }
    window.DZForms.counters(form);
    window.DZAutosave.start(form, {
      status: document.getElementById("autosave-status"),
      lockedText: "This nomination can no longer be changed.",
      // Per person and nomination; kept a day at most, and cleared on sign-out.
      backupKey: "dz-nomination-" + form.getAttribute("data-user") + "-" +
        form.getAttribute("data-nomination"),
      backupOf: "this nomination",
      savedNote: function (data) {
        var problems = Object.keys(data.errors || {}).length;
        return problems ? " Some answers could not be saved: use Save draft to see which." : "";
      },
      onSaved: function (data) {
        updateProgress(data.progress);
      }
    });
  });
})();
