/* Satisfy survey pages: optional niceties. Every page works without this file. */
(function () {
  "use strict";

  // After a failed submit, move the focus to the list of problems so that screen
  // readers announce it and the next Tab reaches its first link.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // Ignore a second submit while the first is on its way (double click, double tap).
  // The server copes with repeats anyway; this only saves a round trip.
  var sending = false;
  document.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
  });
  // Coming back through the browser's history restores the page as it was.
  window.addEventListener("pageshow", function () {
    sending = false;
  });
})();
