/* Folds a <details> marked `data-fold-on-narrow` on a narrow screen.
 *
 * The page sends it open, so that without this script (and on a wide screen)
 * everything in it is on view; on a phone it would push what follows a screen
 * or two down. Closed here once, as the page loads: the person opens it again
 * with its summary, which the browser makes keyboard-operable.
 */
(function () {
  "use strict";

  var NARROW = "(max-width: 991.98px)";

  function fold() {
    if (!window.matchMedia(NARROW).matches) {
      return;
    }
    document.querySelectorAll("details[data-fold-on-narrow]").forEach(function (details) {
      details.open = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
})();
