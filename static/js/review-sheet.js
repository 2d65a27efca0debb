/* The review page's two parts, the entry and the score sheet. On a wide screen both show,
   side by side (CSS alone). On a phone they stack; without this file the sticky bar's
   links jump from one to the other, and with it the bar holds two toggle buttons that
   show one part at a time, the tab remembering the last one chosen. A link to something
   in the hidden part (the error summary's, the list of criteria's) shows that part first. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector("[data-review-switch]");
    var layout = document.querySelector("[data-review-layout]");
    if (!bar || !layout) {
      return;
    }
    // Side by side, the panes fill the window below what is above them on the page (the
    // stylesheet reads this): scrolling inside one then never scrolls the window, and the
    // total and the save status at the top of the sheet stay in sight.
    function fitPanes() {
      var top = layout.getBoundingClientRect().top + window.scrollY;
      layout.style.setProperty("--review-pane-top", Math.round(top) + "px");
    }
    fitPanes();
    window.addEventListener("resize", fitPanes);
    var group = document.createElement("div");
    group.className = "nav nav-pills nav-fill";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Show");
    var buttons = [];
    bar.querySelectorAll("a[data-pane]").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "nav-link flex-fill";
      button.textContent = link.textContent;
      button.setAttribute("data-pane", link.getAttribute("data-pane"));
      button.setAttribute("aria-controls", link.getAttribute("data-pane"));
      group.appendChild(button);
      buttons.push(button);
    });
    bar.replaceChildren(group);

    function paneOf(element) {
      return element ? element.closest(".review-pane") : null;
    }

    function show(id) {
      layout.setAttribute("data-showing", id);
      buttons.forEach(function (button) {
        var pressed = button.getAttribute("data-pane") === id;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
        button.classList.toggle("active", pressed);
      });
    }

    // The part last chosen on this page, for this tab: after "Save draft" or a reload the
    // reviewer is back where they were, not sent to the entry again.
    var memoryKey = "dz-review-part:" + window.location.pathname;

    function remember(id) {
      try {
        window.sessionStorage.setItem(memoryKey, id);
      } catch (e) { /* storage disabled: start on the entry */ }
    }

    function remembered() {
      try {
        return document.getElementById(window.sessionStorage.getItem(memoryKey) || "");
      } catch (e) {
        return null;
      }
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-pane");
        show(id);
        remember(id);
        // The part shown starts below the bar, wherever the page was scrolled to.
        if (window.getComputedStyle(bar).display !== "none") {
          document.getElementById(id).scrollIntoView({ block: "start" });
        }
      });
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link || link.getAttribute("href").length < 2) {
        return;
      }
      var pane = paneOf(document.getElementById(link.getAttribute("href").slice(1)));
      if (pane && layout.getAttribute("data-showing") !== pane.id) {
        show(pane.id);  // before the browser goes to the link's target
      }
    });

    // Answers refused (the error summary) or an address naming a place on the sheet:
    // start on the sheet. Otherwise on the part last chosen, or on the entry, read first.
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var start = paneOf(target);
    if (!start && document.querySelector("[data-error-summary]")) {
      start = document.getElementById("sheet-pane");
    }
    start = start || paneOf(remembered());
    show(start ? start.id : "entry-pane");
  });
})();
