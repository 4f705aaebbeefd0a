(function () {
  "use strict";
  var table = document.getElementById("cpts-table");
  var form = document.getElementById("filters");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];

  function apply() {
    var f = form.elements, shown = 0;
    var text = f.q.value.trim().toLowerCase();
    rows.forEach(function (tr) {
      var d = tr.dataset;
      var ok = (!f.region.value || d.region === f.region.value) &&
        (!f.departement.value || (" " + d.deps + " ").indexOf(" " + f.departement.value + " ") >= 0) &&
        (!f.year.value || d.year === f.year.value) &&
        (!f.warnings.value || (f.warnings.value === "1") === (d.warnings !== "0")) &&
        (f.copies.checked || !d.copy) &&
        (!text || d.search.indexOf(text) >= 0);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById("shown-count").textContent = shown;
  }

  function empty(value) { return value === undefined || value === ""; }

  function sortBy(th, ascending) {
    var col = th.cellIndex, numeric = th.dataset.type === "num";
    var body = th.closest("table").tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
      if (empty(x) || empty(y)) return empty(x) - empty(y);
      var r = numeric ? Number(x) - Number(y) : x.localeCompare(y, "fr");
      return ascending ? r : -r;
    });
    rows.forEach(function (tr) { body.appendChild(tr); });
  }

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var p = target.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
    target.scrollIntoView({ block: "center" });
  }

  if (table && form) {
    form.hidden = false;
    var params = new URLSearchParams(location.search);
    ["region", "departement", "year", "warnings", "q"].forEach(function (name) {
      if (params.has(name)) form.elements[name].value = params.get(name);
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    var first = params.get("sort") && table.querySelector('th[data-key="' + params.get("sort") + '"]');
    if (first) sortBy(first, params.get("order") !== "desc");
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (sortable) {
    sortable.tHead.addEventListener("click", function (event) {
      var th = event.target.closest("th[data-key]");
      if (th) sortBy(th, th.getAttribute("aria-sort") !== "ascending");
    });
  });
  window.addEventListener("hashchange", reveal);
  reveal();
  document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
})();
