/* The background save of a draft, shared by the nomination form and the review's score
   sheet. Progressive enhancement: both forms work without it (Save draft is an ordinary
   form). Loaded after forms.js (the counters, the question before leaving and the status
   line) and before the script of the page, which calls `DZAutosave.start(form, options)`.

   The rules are the server's: each save carries the version the page holds, and a save
   made from an older version is answered with a conflict, never an overwrite. The page
   then keeps the text and stops saving until the person has dealt with it.

   The form carries `data-autosave-url` (GET: the saved version and a fresh CSRF token;
   POST: the save, answered in JSON with a `status`: saved, conflict, locked or invalid)
   and `data-login-url`; its status line (a live region) starts with "Not saved yet." when
   the page may hold answers the server does not have.

   Options:
   - status: the status line's element (required);
   - refusedPrefix: put before the server's message when a save is refused;
   - lockedText: what to say when a refusal comes without a message;
   - savedNote(data): a sentence added after "Saved at …";
   - onSaved(data): what else the page updates after a save;
   - backupKey, backupOf: keep a copy of the text in this browser under that key, and offer
     to put it back ("This browser holds text for <backupOf> that was never saved"). */
window.DZAutosave = (function () {
  "use strict";

  var AUTOSAVE_EVERY_MS = 30000;
  // Typing that pauses this long is saved: soon enough that a closed tab loses little,
  // late enough that a sentence is one save, not one per key.
  var SAVE_AFTER_PAUSE_MS = 1500;
  var UNSAVED = "Unsaved changes.";
  // A copy kept in this browser is offered back for a day at most.
  var BACKUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

  function start(form, options) {
    var url = form.getAttribute("data-autosave-url");
    var loginUrl = form.getAttribute("data-login-url");
    var statusElement = options.status;
    var prefix = options.refusedPrefix || "";
    var backupKey = options.backupKey || "";
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
      if (!backupKey) {
        return;
      }
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
      if (!backupKey) {
        return;
      }
      try {
        window.localStorage.removeItem(backupKey);
      } catch (e) { /* nothing to clear */ }
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

    function saved(data, sending, sent) {
      versionInput.value = data.version;
      changes.saved = sending;
      lastSaved = sent;
      signedOut = false;
      if (changes.made === changes.saved) {
        clearBackup();
      }
      if (differs()) {
        // Typed while this save was on its way: that text is not on the server yet.
        say(UNSAVED);
      } else {
        say("Saved at " + data.saved_at + "." + (options.savedNote ? options.savedNote(data) : ""));
      }
      if (options.onSaved) {
        options.onSaved(data);
      }
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
            saved(data, sending, sent);
          } else if (data.status === "conflict") {
            stopped = true;
            say(prefix + data.message,
              data.conflict_url ? { href: data.conflict_url, text: "Compare the versions" } : null);
          } else if (data.status === "invalid") {
            // Nothing saved, nothing stopped: the next change is tried again.
            say(prefix + data.message);
          } else {
            stopped = true;
            say(prefix + (data.message || options.lockedText));
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
      var different = Object.keys(kept.data || {}).some(function (name) {
        var field = form.elements.namedItem(name);
        return field && field.type !== "radio" && field.type !== "checkbox" && name !== "version" &&
          field.value !== kept.data[name];
      });
      if (!different) {
        clearBackup();
        return;
      }
      var notice = document.createElement("div");
      notice.className = "alert alert-warning";
      notice.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.textContent = "This browser holds text for " + options.backupOf + " that was never saved (typed " +
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
    if (backupKey) {
      offerRestore();
    }
    return { save: save, changes: changes };
  }

  return { start: start };
})();
