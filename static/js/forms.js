/* What the nomination form and the review form share: live character counters, the
   question before leaving with changes the server does not have, and the status line
   that says what became of a save. Progressive enhancement: both forms work without it.
   Loaded before the script of the page, which calls it as `DZForms`. */
window.DZForms = (function () {
  "use strict";

  function formatCount(n) {
    return n.toLocaleString("en-US");
  }

  // Live character counters: a field with a limit (`data-limit`, or the browser's own
  // `maxlength`) and a counter with the id `<field id>_count`, which the server fills in
  // for the page as loaded. A nomination draft may go over its limit (its fields have no
  // maxlength): the counter says so, and submission lists it as a problem.
  function counters(root) {
    root.querySelectorAll("[data-limit], [maxlength]").forEach(function (input) {
      var counter = document.getElementById(input.id + "_count");
      if (!counter) {
        return;
      }
      var limit = parseInt(input.getAttribute("data-limit") || input.getAttribute("maxlength"), 10);
      function update() {
        var used = input.value.length;
        var text = formatCount(used) + " of " + formatCount(limit) + " characters";
        if (used > limit) {
          text += ": " + formatCount(used - limit) + " over the limit";
        }
        counter.textContent = text;
        counter.classList.toggle("over-limit", used > limit);
      }
      input.addEventListener("input", update);
      update();
    });
  }

  // Counts the changes made in `form` and asks before the page is left while the server
  // lacks some of them. A form that saves in the background reports how many of the
  // changes a save carried (`changes.saved = ...`); a submission that goes ahead needs no
  // question, since the next page is the server's answer to it. That is known only once
  // every listener of the form has had its say (one may hold the submission back), so the
  // listener sits on the document, which the submit event reaches last.
  function trackChanges(form) {
    var changes = { made: 0, saved: 0, submitting: false };
    function changed() {
      changes.made += 1;
    }
    changes.unsaved = function () {
      return !changes.submitting && changes.made !== changes.saved;
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    document.addEventListener("submit", function (event) {
      if (event.target === form && !event.defaultPrevented) {
        changes.submitting = true;
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (changes.unsaved()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    return changes;
  }

  // The status line of a form (a live region in the page): a sentence, and an optional
  // link after it ({href, text, newTab}). Returns the function that writes it.
  function statusLine(element) {
    return function say(text, link) {
      element.textContent = text + (link ? " " : "");
      if (link) {
        var a = document.createElement("a");
        a.href = link.href;
        a.textContent = link.text;
        if (link.newTab) {
          a.target = "_blank";
          a.rel = "noopener";
        }
        element.appendChild(a);
      }
    };
  }

  return { counters: counters, trackChanges: trackChanges, statusLine: statusLine };
})();
