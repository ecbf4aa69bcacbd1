// Tables marked `stack` become one card per row on a narrow screen (site.css): each cell then
// shows its column's heading before its value, so the heading is copied into data-label here
// (the CSP allows no inline script). htmx.onLoad runs it on the page and on every swapped part.
"use strict";

function labelCells(root) {
  root.querySelectorAll("table.stack").forEach(function (table) {
    const headings = [];
    table.querySelectorAll(":scope > thead > tr:last-child > th").forEach(function (th) {
      for (let i = 0; i < th.colSpan; i++) {
        headings.push(th.textContent.trim());
      }
    });
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach(function (row) {
      if (row.cells.length === 1) {
        return; // a row of its own, such as "None.", needs no heading
      }
      let column = 0;
      Array.from(row.cells).forEach(function (cell) {
        if (!cell.hasAttribute("data-label") && headings[column]) {
          cell.setAttribute("data-label", headings[column]);
        }
        column += cell.colSpan;
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  labelCells(document);
  if (window.htmx) {
    window.htmx.onLoad(labelCells);
  }
});
