/* The review form: live counters under the justifications and the overall comment, and
   a question before leaving with answers not yet saved (both from forms.js). The form
   has no autosave: Save draft and Submit are ordinary submissions. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("review-form");
    if (!form) {
      return;
    }
    window.DZForms.counters(form);
    window.DZForms.trackChanges(form);
  });
})();
