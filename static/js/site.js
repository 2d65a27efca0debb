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

  // A form marked `submit-once` sends one request however often it is submitted while
  // the next page loads. The server would take a second "Submit the nomination" for
  // nothing more to do, and a second "Save draft" for a stale copy: both answers read
  // like a failure of the first.
  //
  // Its buttons are marked aria-disabled, not disabled: a disabled button is left out
  // of the request (its name and value say which action was pressed) and drops the
  // keyboard focus. The listener is on the document, so a form's own script may hold a
  // submission back first (the autosave waits for the save in flight, then submits
  // again); a submission held back does not count.
  var SUBMIT_BUTTONS = "button:not([type]), button[type=submit], input[type=submit]";
  var SENDING_TEXT = "Sending… please wait for the next page.";

  function submitStatus(form) {
    return form.querySelector(".submit-status");
  }

  // The status line exists, empty, from the start: text put into a live region that
  // was just created is not reliably announced. Beside the buttons when there is room,
  // on a line of its own on a phone.
  function addSubmitStatus(form) {
    var button = form.querySelector(SUBMIT_BUTTONS);
    if (!button || submitStatus(form)) {
      return;
    }
    var status = document.createElement("span");
    status.className = "submit-status small d-inline-block align-self-center";
    status.setAttribute("role", "status");
    button.parentNode.appendChild(status);
  }

  function markSending(form, pressed) {
    form.setAttribute("data-sending", "");
    form.querySelectorAll(SUBMIT_BUTTONS).forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
    if (pressed && pressed.tagName === "BUTTON") {
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-2 submit-spinner";
      spinner.setAttribute("aria-hidden", "true");
      pressed.insertBefore(spinner, pressed.firstChild);
    }
    var status = submitStatus(form);
    if (status) {
      status.textContent = SENDING_TEXT;
    }
  }

  function markReady(form) {
    form.removeAttribute("data-sending");
    form.querySelectorAll(SUBMIT_BUTTONS).forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
    form.querySelectorAll(".submit-spinner").forEach(function (spinner) {
      spinner.remove();
    });
    var status = submitStatus(form);
    if (status) {
      status.textContent = "";
    }
  }

  function guardSubmitOnce() {
    document.querySelectorAll("form.submit-once").forEach(addSubmitStatus);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("submit-once") || event.defaultPrevented) {
        return;
      }
      if (form.hasAttribute("data-sending")) {
        event.preventDefault();
        return;
      }
      markSending(form, event.submitter);
    });
    // Back on this page as it was left (the back/forward cache): the request went,
    // whatever its answer was (an error page too), and the person may try again.
    // A page loaded afresh starts ready anyway.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        document.querySelectorAll("form.submit-once[data-sending]").forEach(markReady);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    guardSubmitOnce();
    updateCountdowns();
    window.setInterval(updateCountdowns, 30000);
    announceMessages();
    focusErrorSummary();
  });
})();
