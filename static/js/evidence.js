/* The evidence upload: progress while the file is sent, and the server's reasons when it
   is refused. Progressive enhancement: without this file Upload is an ordinary form. */
(function () {
  "use strict";

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

  document.addEventListener("DOMContentLoaded", function () {
    var upload = document.getElementById("evidence-form");
    if (upload) {
      setUpUpload(upload);
    }
  });
})();
