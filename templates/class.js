(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    var k = cell.getAttribute("data-key");
    return k === null ? cell.textContent : k;
  }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var c = compare(key(a, col), key(b, col));
        if (descending) { c = -c; }
        return c !== 0 ? c : compare(key(a, 0), key(b, 0));
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  // The status filter and the search box: a row shows when it has the chosen status
  // and its learner id contains the search text (case-insensitive).
  var filter = document.getElementById("status-filter");
  var search = document.getElementById("search");
  function apply() {
    var status = filter ? filter.value : "";
    var text = search ? search.value.toLowerCase() : "";
    Array.prototype.forEach.call(body.rows, function (row) {
      var learner = row.cells[0] ? row.cells[0].textContent.toLowerCase() : "";
      var show = (status === "" || row.getAttribute("data-status") === status) &&
        learner.indexOf(text) !== -1;
      row.classList.toggle("hidden", !show);
    });
  }
  if (filter) { filter.addEventListener("change", apply); }
  if (search) { search.addEventListener("input", apply); }
  // A link may carry the filter: class.html?status=failed&q=kim.
  var query = new URLSearchParams(window.location.search);
  if (filter && query.get("status") !== null) { filter.value = query.get("status"); }
  if (search && query.get("q") !== null) { search.value = query.get("q"); }
  apply();
})();
