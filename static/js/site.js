/* Progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // Deadline countdowns: the server renders the time left; this keeps it current.
  // Not a live region on purpose: a screen reader should not be interrupted every minute.
  function updateCountdowns() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) {
        return;
      }
      var seconds = Math.floor((deadline - now) / 1000);
      if (seconds <= 0) {
        el.textContent = "The deadline has passed.";
        return;
      }
      var days = Math.floor(seconds / 86400);
      var hours = Math.floor((seconds % 86400) / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      var text;
      if (days > 0) {
        text = plural(days, "day") + ", " + plural(hours, "hour") + ", " + plural(minutes, "minute");
      } else if (hours > 0) {
        text = plural(hours, "hour") + ", " + plural(minutes, "minute");
      } else {
        text = plural(Math.max(minutes, 1), "minute");
      }
      el.textContent = text + " left";
    });
  }

  // Messages rendered with the page are re-inserted once loaded, so the
  // polite live region announces them to screen readers.
  function announceMessages() {
    document.querySelectorAll(".messages[aria-live]").forEach(function (region) {
      var items = Array.prototype.slice.call(region.children);
      if (!items.length) {
        return;
      }
      items.forEach(function (item) { region.removeChild(item); });
      window.setTimeout(function () {
        items.forEach(function (item) { region.appendChild(item); });
      }, 150);
    });
  }

  // A form whose submission came back with errors: move focus to its error summary.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    updateCountdowns();
    window.setInterval(updateCountdowns, 30000);
    announceMessages();
    focusErrorSummary();
  });
})();
