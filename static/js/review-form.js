/* The score sheet: live counters under the comments and the question before leaving with
   answers not yet saved (forms.js); the background save of a draft (autosave.js; a
   submitted review changes only through "Update submitted review"); and, as scores
   change, the running weighted total and each criterion's status in the list at the top.
   Progressive enhancement: without this file the sheet is an ordinary form, and the
   total shown is the one of the answers as the page was loaded. */
(function () {
  "use strict";

  // The total (a polite live region) changes once the scores rest for a moment, so that
  // moving through a criterion's levels with the arrow keys is not read out level by level.
  var ANNOUNCE_AFTER_MS = 600;

  // A weight as written by the server ("1.50"), in hundredths (150): a whole number, so
  // that the total below is worked out exactly, as the server works it out.
  function hundredths(text) {
    var parts = String(text).trim().split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0] || "0", 10) * 100 + parseInt(fraction, 10);
  }

  // sum(weight * score) / sum(weight), rounded half up to two decimals, as text ("3.40").
  // Both sums are whole numbers (weights in hundredths), so the rounding is exact: the same
  // figure the server prints for `scoring.weighted_total` of the same scores.
  function twoDecimals(weighted, weights) {
    var cents = Math.floor((weighted * 200 + weights) / (2 * weights));
    var whole = Math.floor(cents / 100);
    var rest = cents % 100;
    return whole + "." + (rest < 10 ? "0" : "") + rest;
  }

  function runningTotal(form) {
    var total = document.getElementById("running-total");
    if (!total) {
      return;
    }
    var scaleText = " on " + form.getAttribute("data-scale-min") + " to " + form.getAttribute("data-scale-max");
    var criteria = form.querySelectorAll("[data-criterion]");
    var timer = null;
    var shown = total.textContent;

    function update() {
      var weighted = 0;
      var weights = 0;
      var scored = 0;
      criteria.forEach(function (criterion) {
        var pk = criterion.getAttribute("data-criterion");
        var checked = criterion.querySelector("input[name='score_" + pk + "']:checked");
        var status = document.querySelector("[data-criterion-status='" + pk + "']");
        if (status) {
          status.textContent = checked ? "scored " + checked.value : "not scored";
        }
        if (!checked) {
          return;
        }
        var weight = hundredths(criterion.getAttribute("data-weight"));
        weighted += weight * parseInt(checked.value, 10);
        weights += weight;
        scored += 1;
      });
      var figure = scored ? twoDecimals(weighted, weights) : "none yet";
      var text = "Weighted total so far: " + figure + scaleText + ", " + scored + " of " +
        criteria.length + " criteria scored.";
      if (text === shown) {
        return;
      }
      shown = text;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        total.replaceChildren("Weighted total so far: ");
        var strong = document.createElement("strong");
        strong.textContent = figure;
        total.appendChild(strong);
        total.appendChild(document.createTextNode(text.slice(("Weighted total so far: " + figure).length)));
      }, ANNOUNCE_AFTER_MS);
    }

    form.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        update();
      }
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("review-form");
    if (!form) {
      return;
    }
    window.DZForms.counters(form);
    if (form.hasAttribute("data-autosave-url")) {
      window.DZAutosave.start(form, {
        status: document.getElementById("autosave-status"),
        refusedPrefix: "Could not save: ",
        lockedText: "This review can no longer be changed here."
      });
    } else {
      window.DZForms.trackChanges(form);
    }
    runningTotal(form);
  });
})();
