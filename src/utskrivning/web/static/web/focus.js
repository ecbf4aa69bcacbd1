// After an htmx action the page part it answered is swapped in: focus goes to its result (what
// happened, or what was refused) so a screen reader says it and the keyboard continues there,
// instead of falling to <body> with the form that was replaced. The CSP allows no inline script.
"use strict";

document.addEventListener("htmx:afterSettle", function (event) {
  const config = event.detail.requestConfig;
  if (!config || config.verb === "get") {
    return; // filters and polling keep the focus where the user is
  }
  const result = Array.from(document.querySelectorAll("[data-focus-after-action]")).find(
    function (element) { return element.textContent.trim() !== ""; }
  );
  if (result) {
    result.focus();
  }
});
