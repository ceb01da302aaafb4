// ACH matrix: hovering or focusing a cell shows its evidence in a panel under the matrix
// (the cell's title attribute already says the same without JavaScript).
(function () {
  "use strict";
  var panel = document.querySelector(".ach-detail");
  if (!panel) { return; }
  function show(cell) {
    panel.hidden = false;
    panel.textContent = "";
    var head = document.createElement("strong");
    head.textContent = cell.getAttribute("data-hypothesis") + ": " + (cell.getAttribute("data-rating") || "no rating");
    panel.appendChild(head);
    panel.appendChild(document.createTextNode(" — " + cell.getAttribute("data-evidence")));
  }
  document.querySelectorAll(".ach td.cell").forEach(function (cell) {
    cell.addEventListener("mouseenter", function () { show(cell); });
    cell.addEventListener("focus", function () { show(cell); });
  });
})();
