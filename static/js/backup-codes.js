/* Backup codes page: print and copy buttons. Without this file the codes can be selected and copied by hand. */
(function () {
  "use strict";

  function setUp() {
    var actions = document.querySelector("[data-backup-code-actions]");
    if (!actions) {
      return;
    }
    var status = document.querySelector("[data-copy-status]");
    actions.hidden = false;
    actions.querySelector("[data-print-page]").addEventListener("click", function () {
      window.print();
    });
    actions.querySelector("[data-copy-codes]").addEventListener("click", function (event) {
      var list = document.getElementById(event.currentTarget.getAttribute("data-copy-codes"));
      var codes = Array.prototype.map.call(list.querySelectorAll("li"), function (item) {
        return item.textContent.trim();
      });
      if (!navigator.clipboard) {
        status.textContent = "Copying is not available in this browser: select the codes in the box below.";
        return;
      }
      navigator.clipboard.writeText(codes.join("\n")).then(
        function () { status.textContent = "The codes are copied."; },
        function () { status.textContent = "Copying failed: select the codes in the box below."; }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
