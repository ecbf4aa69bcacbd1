// The import form's upload progress. htmx reports its request's progress events on the element
// that sent it; the CSP allows no inline script, so the listener lives here.
"use strict";

function uploadBar(event) {
  return event.target.id === "import-form" ? document.getElementById("upload-progress") : null;
}

document.addEventListener("htmx:xhr:loadstart", function (event) {
  const bar = uploadBar(event);
  if (bar) {
    bar.removeAttribute("value"); // indeterminate until the first progress event
  }
});

document.addEventListener("htmx:xhr:progress", function (event) {
  const bar = uploadBar(event);
  if (bar && event.detail.lengthComputable) {
    bar.max = event.detail.total;
    bar.value = event.detail.loaded;
  }
});
