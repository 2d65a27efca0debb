/* The nomination form: autosave, the copy kept in this browser, and the progress of
   each section. Progressive enhancement: the page works without this file (Save draft
   is an ordinary form). The counters, the question before leaving and the status line
   come from forms.js. */
(function () {
  "use strict";

  var AUTOSAVE_EVERY_MS = 30000;
  // Typing that pauses this long is saved: soon enough that a closed tab loses little,
  // late enough that a sentence is one save, not one per key.
  var SAVE_AFTER_PAUSE_MS = 1500;
  var UNSAVED = "Unsaved changes.";

  function setUpAutosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var loginUrl = form.getAttribute("data-login-url");
    // Per person and nomination; kept a day at most, and cleared on sign-out.
    var backupKey = "dz-nomination-" + form.getAttribute("data-user") + "-" +
      form.getAttribute("data-nomination");
    var BACKUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;
    var statusElement = document.getElementById("autosave-status");
    var say = window.DZForms.statusLine(statusElement);
    var changes = window.DZForms.trackChanges(form);
    var versionInput = form.querySelector("input[name=version]");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    var inFlight = false;
    var inFlightSave = Promise.resolve();  // settles once the save in flight is answered
    var saveAgain = false;  // asked to save while a save was in flight
    var stopped = false;    // after a conflict or a lock: saving again would be wrong
    var signedOut = false;
    var pauseTimer = null;

    // The answers as the form holds them, to compare with what the server last saved.
    function answers() {
      var parts = [];
      new FormData(form).forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken" && key !== "version" && typeof value === "string") {
          parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
        }
      });
      return parts.join("&");
    }
    // The page as loaded is what the server has, unless it says it is not saved yet.
    var lastSaved = /^Not saved yet/.test(statusElement.textContent) ? null : answers();

    function differs() {
      return answers() !== lastSaved;
    }

    function backup() {
      try {
        var data = {};
        new FormData(form).forEach(function (value, key) {
          if (key !== "csrfmiddlewaretoken") {
            data[key] = value;
          }
        });
        window.localStorage.setItem(backupKey, JSON.stringify({ at: Date.now(), data: data }));
      } catch (e) {
        // Storage full or disabled: the server copy is still the one that counts.
      }
    }

    function clearBackup() {
      try {
        window.localStorage.removeItem(backupKey);
      } catch (e) { /* nothing to clear */ }
    }

    function updateProgress(progress) {
      (progress || []).forEach(function (section) {
        var el = document.querySelector("[data-progress='" + section.key + "']");
        if (el) {
          el.textContent = section.complete ? "Complete" : section.done + " of " + section.total + " answered";
        }
      });
    }

    function refreshToken() {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          tokenInput.value = data.csrf_token;
          signedOut = false;
        });
    }

    function showSignedOut() {
      signedOut = true;
      say("Your session has ended, so changes are not being saved. Your text stays on this page.",
        { href: loginUrl, text: "Sign in again in a new tab", newTab: true });
    }

    function save() {
      if (inFlight) {
        // Text typed since that save went out would wait for the next timer, while the
        // status said "Saved": save it as soon as the first answer is in.
        saveAgain = true;
        return inFlightSave;
      }
      if (stopped || !changes.unsaved()) {
        return Promise.resolve();
      }
      inFlight = true;
      var sending = changes.made;
      var sent = answers();
      var body = new URLSearchParams(new FormData(form));
      body.set("next", "autosave");
      say("Saving…");
      inFlightSave = fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": tokenInput.value }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 403 && type.indexOf("application/json") === -1) {
          // The CSRF token changed (signed in again elsewhere): fetch the new one, try again.
          return refreshToken().then(function () {
            inFlight = false;
            return save();
          }, showSignedOut);
        }
        return response.json().then(function (data) {
          if (response.status === 401) {
            showSignedOut();
          } else if (data.status === "saved") {
            versionInput.value = data.version;
            changes.saved = sending;
            lastSaved = sent;
            signedOut = false;
            if (changes.made === changes.saved) {
              clearBackup();
            }
            var problems = Object.keys(data.errors || {}).length;
            if (differs()) {
              // Typed while this save was on its way: that text is not on the server yet.
              say(UNSAVED);
            } else {
              say("Saved at " + data.saved_at + "." + (problems ? " Some answers could not be saved: use Save draft to see which." : ""));
            }
            updateProgress(data.progress);
          } else if (data.status === "conflict") {
            stopped = true;
            say(data.message, { href: data.conflict_url, text: "Compare the versions" });
          } else {
            stopped = true;
            say(data.message || "This nomination can no longer be changed.");
          }
        });
      }).catch(function () {
        say("Could not reach the server; your text is kept on this page and will be saved when the connection is back.");
      }).then(function () {
        inFlight = false;
        if (saveAgain) {
          saveAgain = false;
          return save();
        }
      });
      return inFlightSave;
    }

    function offerRestore() {
      var raw;
      try {
        raw = window.localStorage.getItem(backupKey);
      } catch (e) {
        return;
      }
      if (!raw) {
        return;
      }
      var kept;
      try {
        kept = JSON.parse(raw);
      } catch (e) {
        clearBackup();
        return;
      }
      if (!kept.at || Date.now() - kept.at > BACKUP_MAX_AGE_MS) {
        clearBackup();
        return;
      }
      var differs = Object.keys(kept.data || {}).some(function (name) {
        var field = form.elements.namedItem(name);
        return field && field.type !== "radio" && field.type !== "checkbox" && name !== "version" &&
          field.value !== kept.data[name];
      });
      if (!differs) {
        clearBackup();
        return;
      }
      var notice = document.createElement("div");
      notice.className = "alert alert-warning";
      notice.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.textContent = "This browser holds text for this nomination that was never saved (typed " +
        new Date(kept.at).toLocaleString("en-US") + ").";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "btn btn-warning me-2";
      restore.textContent = "Put that text back in the form";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-outline-secondary";
      discard.textContent = "Discard it";
      notice.appendChild(text);
      notice.appendChild(restore);
      notice.appendChild(discard);
      form.parentNode.insertBefore(notice, form);
      restore.addEventListener("click", function () {
        Object.keys(kept.data).forEach(function (name) {
          var field = form.elements.namedItem(name);
          if (field && name !== "version" && field.type !== "radio" && field.type !== "checkbox") {
            field.value = kept.data[name];
            field.dispatchEvent(new Event("input", { bubbles: true }));
          }
        });
        // Saved against the version it was typed on: if that is stale, a conflict, not a loss.
        if (kept.data.version) {
          versionInput.value = kept.data.version;
        }
        notice.remove();
        save();
      });
      discard.addEventListener("click", function () {
        clearBackup();
        notice.remove();
      });
    }

    // As soon as the answers differ from the server's copy the status says so, and a
    // pause in typing saves them. After a conflict, a lock or a sign-out the status keeps
    // saying that instead, and nothing is saved until it is resolved.
    function edited() {
      backup();
      if (stopped || signedOut) {
        return;
      }
      if (differs()) {
        if (statusElement.textContent !== UNSAVED) {
          say(UNSAVED);
        }
      }
      window.clearTimeout(pauseTimer);
      pauseTimer = window.setTimeout(save, SAVE_AFTER_PAUSE_MS);
    }

    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("focusout", function () {
      save();
    });
    form.addEventListener("submit", function (event) {
      if (inFlight) {
        // Leaving a field for a Save button starts a background save with this page's
        // version. Posted alongside it, the form would carry the same version and the
        // server, finding it saved meanwhile, would take it for a stale copy: post it
        // once the background save has answered, with the version it returned.
        event.preventDefault();
        var button = event.submitter;
        inFlightSave.then(function () {
          form.requestSubmit(button);
        });
      }
    });
    window.setInterval(function () {
      if (signedOut) {
        refreshToken().then(function () {
          say("You are signed in again.");
          save();
        }, function () { /* still signed out */ });
        return;
      }
      save();
    }, AUTOSAVE_EVERY_MS);
    offerRestore();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("nomination-form");
    if (form) {
      window.DZForms.counters(form);
      setUpAutosave(form);
    }
  });
})();
