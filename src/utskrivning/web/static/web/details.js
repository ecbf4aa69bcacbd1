// A part of the page htmx swaps in (the episode's live part every minute, the whole episode
// after an action) comes as the server wrote it: a disclosure the user opened or closed would
// spring back. Each one with an id keeps the state the user left it in.
"use strict";

(function () {
  let kept = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    kept = {};
    event.detail.target.querySelectorAll("details[id]").forEach(function (details) {
      kept[details.id] = details.open;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    Object.keys(kept).forEach(function (id) {
      const details = document.getElementById(id);
      if (details && details.tagName === "DETAILS") {
        details.open = kept[id];
      }
    });
    kept = {};
  });
})();
