/* Evidence uploads for people with many files: several chosen or dropped at once, each
   checked here against the limits the page states (its type by name and declared type,
   its size, the files and space left), then sent alone, with a progress bar and the
   server's own answer for it. The server checks every file again and stays the
   authority; this check only spares a wait for a file it would refuse anyway.

   Progressive enhancement: the drop zone feeds the page's real, labelled file input, and
   without this file the form posts every chosen file at once and the server answers for
   each. */
(function () {
  "use strict";

  var IMAGE = {
    extensions: [".jpg", ".jpeg", ".png", ".webp"],
    types: ["image/jpeg", "image/png", "image/webp"],
    refusal: "This file is not a JPEG, PNG or WebP image, judging by its name and type."
  };
  var PDF = {
    extensions: [".pdf"],
    types: ["application/pdf"],
    refusal: "This file is not a PDF, judging by its name and type. Save or print it as a PDF."
  };
  var ALT_TEXT_MISSING = "Describe the image in a sentence for people who cannot see it.";

  // Django's filesizeformat, so sizes read the same as the limits the page states.
  function sizeText(bytes) {
    var units = [["GB", 1073741824], ["MB", 1048576], ["KB", 1024]];
    for (var i = 0; i < units.length; i += 1) {
      if (bytes >= units[i][1]) {
        return (bytes / units[i][1]).toFixed(1) + "\u00a0" + units[i][0];
      }
    }
    return bytes + "\u00a0" + (bytes === 1 ? "byte" : "bytes");
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  function matches(file, type) {
    // An empty declared type says nothing (some systems send none): the name decides.
    return type.extensions.indexOf(extensionOf(file.name)) >= 0 &&
      (!file.type || type.types.indexOf(file.type) >= 0);
  }

  function setUpUpload(form) {
    var input = form.querySelector("input[type=file]");
    var fileBlock = document.getElementById("div_id_file");
    var altText = form.querySelector("[name=alt_text]");
    var button = form.querySelector("[type=submit]");
    var errors = document.getElementById("upload-errors");
    var box = document.getElementById("upload-files");
    var list = document.getElementById("upload-file-list");
    var status = document.getElementById("upload-progress-text");
    var entries = [];
    var sending = false;
    var counter = 0;

    function limit(name) {
      return parseInt(form.getAttribute("data-" + name), 10) || 0;
    }

    function kind() {
      var checked = form.querySelector("input[name=kind]:checked");
      return checked ? checked.value : "";
    }

    // The list of chosen files sits right under the input, in the drop zone's reach.
    fileBlock.parentNode.insertBefore(box, fileBlock.nextSibling);
    fileBlock.classList.add("drop-zone");
    var hint = document.createElement("p");
    hint.className = "drop-zone-hint small mb-0 mt-2";
    hint.textContent = "You may also drag files from your computer and drop them here.";
    fileBlock.appendChild(hint);

    // What is wrong with a file before it is sent, or "" when it may go.
    function problemOf(file, chosenKind) {
      var type = chosenKind === "image" ? IMAGE : PDF;
      if (!chosenKind) {
        type = matches(file, IMAGE) ? IMAGE : PDF;
      }
      if (!matches(file, type)) {
        return chosenKind || matches(file, PDF) ? type.refusal
          : "This file is not a JPEG, PNG or WebP image or a PDF, judging by its name and type.";
      }
      if (file.size === 0) {
        return "This file is empty.";
      }
      var most = limit(type === IMAGE ? "image-bytes" : "document-bytes");
      if (file.size > most) {
        return "This file is " + sizeText(file.size) + "; the most for this kind of file is " +
          sizeText(most) + ".";
      }
      return "";
    }

    function describe(entry) {
      entry.item.classList.toggle("upload-file-refused", entry.state === "refused");
      entry.item.classList.toggle("upload-file-done", entry.state === "done");
      entry.bar.classList.toggle("d-none", entry.state === "refused" || entry.state === "ready");
      entry.line.textContent = entry.state === "refused" ? "Not uploaded: " + entry.problem
        : entry.state === "done" ? "Uploaded. It is being checked and will be ready in a moment."
        : entry.state === "sending" ? "Sending…"
        : entry.state === "waiting" ? "Waiting for the files before it."
        : "Ready to upload.";
    }

    // Each file judged on its own, then in order against the files and space left.
    function judge() {
      var chosenKind = kind();
      var filesLeft = limit("files-left");
      var bytesLeft = limit("bytes-left");
      var taken = 0;
      var bytes = 0;
      entries.forEach(function (entry) {
        entry.problem = problemOf(entry.file, chosenKind);
        if (!entry.problem && taken >= filesLeft) {
          entry.problem = filesLeft === 0
            ? "This nomination already has the most files allowed. Delete one to add another."
            : "Only " + plural(filesLeft, "more file") + " can be added to this nomination.";
        }
        if (!entry.problem && bytes + entry.file.size > bytesLeft) {
          entry.problem = "This file is " + sizeText(entry.file.size) + " but only " +
            sizeText(Math.max(bytesLeft - bytes, 0)) + " of this nomination's space remain.";
        }
        if (!entry.problem) {
          taken += 1;
          bytes += entry.file.size;
        }
        entry.state = entry.problem ? "refused" : "ready";
        describe(entry);
      });
      return taken;
    }

    function newEntry(file) {
      counter += 1;
      var id = "upload-file-" + counter;
      var item = document.createElement("li");
      item.className = "upload-file";
      item.id = id;
      item.tabIndex = -1;
      var name = document.createElement("span");
      name.className = "upload-file-name";
      name.id = id + "-name";
      name.textContent = file.name;
      var size = document.createElement("span");
      size.className = "small";
      size.textContent = " (" + sizeText(file.size) + ")";
      var bar = document.createElement("progress");
      bar.className = "upload-file-bar d-block w-100";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-labelledby", id + "-name");
      bar.setAttribute("aria-describedby", id + "-status");
      var line = document.createElement("p");
      line.className = "upload-file-status small mb-0";
      line.id = id + "-status";
      item.appendChild(name);
      item.appendChild(size);
      item.appendChild(bar);
      item.appendChild(line);
      return { file: file, item: item, bar: bar, line: line, problem: "", state: "ready" };
    }

    function setButton(count) {
      if (button) {
        button.value = count > 1 ? "Upload " + count + " files" : "Upload file";
      }
    }

    function chosen() {
      if (sending) {
        return;
      }
      hideErrors();
      list.textContent = "";
      entries = Array.prototype.map.call(input.files, newEntry);
      entries.forEach(function (entry) {
        list.appendChild(entry.item);
      });
      box.classList.toggle("d-none", !entries.length);
      var ready = judge();
      setButton(ready);
      var refused = entries.length - ready;
      status.textContent = entries.length
        ? plural(entries.length, "file") + " chosen: " + ready + " ready to upload" +
          (refused ? ", " + refused + " will not be uploaded (the list says why)." : ".")
        : "";
    }

    function hideErrors() {
      errors.classList.add("d-none");
      errors.textContent = "";
    }

    // The error summary above the form: each problem links to the file or field it is about.
    function showErrors(heading, problems) {
      errors.textContent = "";
      var title = document.createElement("p");
      title.className = "mb-1";
      title.textContent = heading;
      var items = document.createElement("ul");
      items.className = "mb-0";
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + problem.target;
        link.textContent = problem.text;
        item.appendChild(link);
        items.appendChild(item);
      });
      errors.appendChild(title);
      errors.appendChild(items);
      errors.classList.remove("d-none");
      errors.focus();
    }

    function showRefused() {
      var refused = entries.filter(function (entry) { return entry.state === "refused"; });
      showErrors(
        refused.length === 1 ? "This file was not uploaded:"
          : refused.length + " of " + entries.length + " files were not uploaded:",
        refused.map(function (entry) {
          return { target: entry.item.id, text: entry.file.name + ": " + entry.problem };
        })
      );
    }

    // The list of the nomination's files and what they use, fetched again after the
    // files that passed are stored (the page stays, to keep the refused files' reasons).
    function refreshFiles() {
      if (!window.fetch || !window.DOMParser) {
        return;
      }
      window.fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (!html) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          ["evidence-files", "evidence-usage"].forEach(function (id) {
            var now = document.getElementById(id);
            var next = fresh.getElementById(id);
            if (now && next) {
              now.replaceWith(document.importNode(next, true));
            }
          });
          var freshForm = fresh.getElementById(form.id);
          if (freshForm) {
            ["data-files-left", "data-bytes-left"].forEach(function (name) {
              form.setAttribute(name, freshForm.getAttribute(name));
            });
          }
        })
        .catch(function () { /* the list is shown again on the next visit */ });
    }

    function finish(redirect) {
      sending = false;
      form.removeAttribute("data-sending");
      if (button) {
        button.removeAttribute("aria-disabled");
      }
      var done = entries.filter(function (entry) { return entry.state === "done"; }).length;
      if (done === entries.length && redirect) {
        status.textContent = plural(done, "file") + " uploaded. Showing the list…";
        window.location.assign(redirect);
        return;
      }
      status.textContent = done + " of " + plural(entries.length, "file") +
        " uploaded; the others were not (the list says why).";
      // The files that went are not sent twice: the next upload starts from a new choice.
      input.value = "";
      setButton(1);
      showRefused();
      entries = [];
      if (done) {
        refreshFiles();
      }
    }

    function stopAll(queue, from, message) {
      queue.slice(from).forEach(function (entry) {
        entry.state = "refused";
        entry.problem = message;
        describe(entry);
      });
    }

    function answerText(xhr, data) {
      if (data && data.errors && data.errors.length) {
        return data.errors.join(" ");
      }
      if (xhr.status === 401 || xhr.status === 403) {
        return "Your session has ended. Sign in again and upload the file again.";
      }
      return "The upload failed (error " + xhr.status + "). Try again.";
    }

    // One file per request, one after another: a refused file does not sink the others,
    // and each bar shows that file's own bytes going out.
    function send(queue, index, redirect) {
      if (index >= queue.length) {
        finish(redirect);
        return;
      }
      var entry = queue[index];
      var announced = -25;
      entry.state = "sending";
      describe(entry);
      var data = new FormData(form);
      data.delete(input.name);
      data.append(input.name, entry.file, entry.file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) {
          return;
        }
        var percent = Math.floor((event.loaded / event.total) * 100);
        entry.bar.value = percent;
        entry.line.textContent = "Sending: " + percent + "% sent.";
        // The polite status line speaks every quarter, not every percent.
        if (percent - announced >= 25) {
          announced = percent;
          status.textContent = "Uploading file " + (index + 1) + " of " + queue.length +
            ", " + entry.file.name + ": " + percent + "% sent.";
        }
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) { /* not JSON: an error page */ }
        if (answer && answer.status === "uploaded") {
          entry.state = "done";
          entry.bar.value = 100;
          describe(entry);
          send(queue, index + 1, answer.redirect);
          return;
        }
        entry.state = "refused";
        entry.problem = answerText(xhr, answer);
        describe(entry);
        if (xhr.status === 429 || xhr.status === 401 || xhr.status === 403) {
          // The next requests would get the same answer: say it for each file left.
          stopAll(queue, index + 1, entry.problem);
          finish(redirect);
          return;
        }
        send(queue, index + 1, redirect);
      });
      xhr.addEventListener("error", function () {
        entry.state = "refused";
        entry.problem = "The upload was interrupted. Check your connection and try again.";
        describe(entry);
        send(queue, index + 1, redirect);
      });
      xhr.send(data);
    }

    input.addEventListener("change", chosen);
    form.querySelectorAll("input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!sending && entries.length) {
          setButton(judge());
        }
      });
    });

    // Dropped files become the input's own files, as if chosen with it.
    function carriesFiles(event) {
      return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
    }
    ["dragenter", "dragover"].forEach(function (name) {
      fileBlock.addEventListener(name, function (event) {
        if (carriesFiles(event)) {
          event.preventDefault();
          fileBlock.classList.add("drop-zone-active");
        }
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      fileBlock.addEventListener(name, function () {
        fileBlock.classList.remove("drop-zone-active");
      });
    });
    fileBlock.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) {
        return;
      }
      event.preventDefault();
      if (sending) {
        return;
      }
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest || !FormData.prototype.delete) {
        return; // the whole form is posted; the server answers for each file
      }
      // Handled here, so the page's submit-once guard stands aside; a second press
      // while files are going is ignored below instead.
      event.preventDefault();
      if (sending) {
        return;
      }
      hideErrors();
      if (!entries.length) {
        showErrors("Please correct this problem:", [
          { target: input.id, text: "File: Choose a file to upload." }
        ]);
        return;
      }
      if (kind() === "image" && altText && !altText.value.trim()) {
        showErrors("Please correct this problem:", [
          { target: altText.id, text: "Alternative text (for images): " + ALT_TEXT_MISSING }
        ]);
        return;
      }
      judge();
      var queue = entries.filter(function (entry) { return entry.state === "ready"; });
      if (!queue.length) {
        showRefused();
        return;
      }
      sending = true;
      form.setAttribute("data-sending", "");
      if (button) {
        button.setAttribute("aria-disabled", "true");
      }
      queue.forEach(function (entry) {
        entry.state = "waiting";
        describe(entry);
      });
      send(queue, 0, "");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var upload = document.getElementById("evidence-form");
    if (upload && upload.querySelector("input[type=file]") && document.getElementById("div_id_file")) {
      setUpUpload(upload);
    }
  });
})();
