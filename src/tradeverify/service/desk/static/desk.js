// The desk's only script: a field box and its table row highlight each other. Without it the
// boxes are still links to the rows, so nothing needs the script to work.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const select = (id) => {
    document.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
    const row = document.getElementById(id);
    if (!row) return;
    row.classList.add("selected");
    document.querySelectorAll(`[data-field="${id}"]`).forEach((box) => box.classList.add("selected"));
  };
  document.querySelectorAll("a.box").forEach((box) => {
    box.addEventListener("click", () => select(box.dataset.field));
  });
  document.querySelectorAll("table.fields tbody tr").forEach((row) => {
    row.addEventListener("click", () => select(row.id));
  });
  if (location.hash.startsWith("#f-")) select(location.hash.slice(1));
});
