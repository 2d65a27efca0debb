/* The nomination form and the evidence upload. Progressive enhancement: both
   pages work without this file (Save draft and Upload are ordinary forms). */
(function () {
  "use strict";

  var AUTOSAVE_EVERY_MS = 30000;

  function formatCount(n) {
    return n.toLocaleString("en-US");
  }

  // Live character counters. Over the limit is allowed while drafting; the
  // counter says so, and submission lists it as a problem.
  function setUpCounters(root) {
    root.querySelectorAll("[data-limit]").forEach(function (input) {
      var counter = document.getElementById(input.id + "_count");
      if (!counter) {
        return;
      }
      var limit = parseInt(input.getAttribute("data-limit"), 10);
      function update() {
        var used = input.value.length;
        if (used > limit) {
          counter.textContent = formatCount(used) + " of " + formatCount(limit) + " characters: " +
            formatCount(used - limit) + " over the limit";
          counter.classList.add("over-limit");
        } else {
          counter.textContent = formatCount(used) + " of " + formatCount(limit) + " characters";
          counter.classList.remove("over-limit");
        }
      }
      input.addEventListener("input", update);
      update();
    });
  }

  function setUpAutosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var loginUrl = form.getAttribute("data-login-url");
    // Per person and nomination; kept a day at most, and cleared on sign-out.
    var backupKey = "dz-nomination-" + form.getAttribute("data-user") + "-" +
      form.getAttribute("data-nomination");
    var BACKUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;
    var status = document.getElementById("autosave-status");
    var versionInput = form.querySelector("input[name=version]");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    var edits = 0;          // changes typed since the page loaded
    var savedEdits = 0;     // how many of those the server has
    var inFlight = false;
    var inFlightSave = Promise.resolve();  // settles once the save in flight is answered
    var saveAgain = false;  // asked to save while a save was in flight
    var stopped = false;    // after a conflict or a lock: saving again would be wrong
    var signedOut = false;
    var submitting = false;

    function say(text, link) {
      status.textContent = text + (link ? " " : "");
      if (link) {
        var a = document.createElement("a");
        a.href = link.href;
        a.textContent = link.text;
        if (link.newTab) {
          a.target = "_blank";
          a.rel = "noopener";
        }
        status.appendChild(a);
      }
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
      if (stopped || submitting || edits === savedEdits) {
        return Promise.resolve();
      }
      inFlight = true;
      var sending = edits;
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
            savedEdits = sending;
            signedOut = false;
            if (edits === savedEdits) {
              clearBackup();
            }
            var problems = Object.keys(data.errors || {}).length;
            say("Saved at " + data.saved_at + "." + (problems ? " Some answers could not be saved: use Save draft to see which." : ""));
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

    form.addEventListener("input", function () {
      edits += 1;
      backup();
    });
    form.addEventListener("change", function () {
      edits += 1;
      backup();
    });
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
        return;
      }
      submitting = true;
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
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && edits !== savedEdits) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    offerRestore();
  }

  function setUpUpload(form) {
    var errors = document.getElementById("upload-errors");
    var progress = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-progress-bar");
    var text = document.getElementById("upload-progress-text");
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return;
      }
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      var lastAnnounced = -25;
      errors.classList.add("d-none");
      progress.classList.remove("d-none");
      bar.value = 0;
      text.textContent = "Uploading…";
      if (button) {
        button.disabled = true;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) {
          return;
        }
        var percent = Math.floor((e.loaded / e.total) * 100);
        bar.value = percent;
        // Announce every quarter, not every percent.
        if (percent - lastAnnounced >= 25) {
          lastAnnounced = percent;
          text.textContent = "Uploading: " + percent + "% sent.";
        }
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (e) { /* not JSON */ }
        if (data && data.status === "uploaded") {
          text.textContent = "Uploaded. Checking the file…";
          window.location.assign(data.redirect);
          return;
        }
        if (button) {
          button.disabled = false;
        }
        progress.classList.add("d-none");
        errors.textContent = "";
        var list = document.createElement("ul");
        list.className = "mb-0";
        var messages = (data && data.errors) || [
          xhr.status === 401 || xhr.status === 403
            ? "Your session has ended. Sign in again and upload the file again."
            : "The upload failed (error " + xhr.status + "). Try again."
        ];
        messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        errors.appendChild(list);
        errors.classList.remove("d-none");
        errors.focus();
      });
      xhr.addEventListener("error", function () {
        if (button) {
          button.disabled = false;
        }
        progress.classList.add("d-none");
        errors.textContent = "The upload was interrupted. Check your connection and try again.";
        errors.classList.remove("d-none");
        errors.focus();
      });
      xhr.send(new FormData(form));
    });
  }

  // A submit button pressed twice sends one request (the server is idempotent anyway).
  function setUpSubmitOnce() {
    document.querySelectorAll("form.submit-once").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-sent", "1");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("nomination-form");
    if (form) {
      setUpCounters(form);
      setUpAutosave(form);
    }
    var upload = document.getElementById("evidence-form");
    if (upload) {
      setUpUpload(upload);
    }
    setUpSubmitOnce();
  });
})();
