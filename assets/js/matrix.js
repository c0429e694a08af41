/* Matrix page: a column filter, so that a reader facing 350 platforms can show only the ones they choose.
   The table is complete in the HTML; this script only hides columns. The choice lives in the URL query
   (?p=alpha&p=beta), so a filtered matrix can be shared; with no p, every platform is shown. */
(function () {
  "use strict";
  var form = document.getElementById("matrix-filter");
  var table = document.getElementById("matrix");
  if (!form || !table) { return; }
  var headers = Array.prototype.slice.call(table.querySelectorAll("thead th[data-platform]"));
  var ids = headers.map(function (th) { return th.getAttribute("data-platform"); });
  var list = document.getElementById("matrix-choices");
  var count = document.getElementById("matrix-count");
  var find = document.getElementById("matrix-find");
  var boxes = {};

  function chosenFromUrl() {
    var wanted = new URLSearchParams(window.location.search).getAll("p").filter(function (id) { return ids.indexOf(id) >= 0; });
    return wanted.length ? wanted : ids.slice();
  }

  function chosen() {
    return ids.filter(function (id) { return boxes[id].checked; });
  }

  // Column i of the table is cell i + 1 of every row (cell 0 is the clause type); category rows span them all.
  function apply(shown) {
    var visible = {};
    shown.forEach(function (id) { visible[id] = true; });
    var rows = table.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      if (cells.length !== ids.length + 1) { continue; }
      for (var i = 0; i < ids.length; i++) { cells[i + 1].hidden = !visible[ids[i]]; }
    }
    count.textContent = "Showing " + shown.length + " of " + ids.length + " platforms.";
  }

  function remember(shown) {
    var params = new URLSearchParams(window.location.search);
    params.delete("p");
    if (shown.length !== ids.length) { shown.forEach(function (id) { params.append("p", id); }); }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function update() {
    var shown = chosen();
    apply(shown);
    remember(shown);
  }

  var initial = chosenFromUrl();
  headers.forEach(function (th, i) {
    var item = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.value = ids[i];
    box.checked = initial.indexOf(ids[i]) >= 0;
    box.addEventListener("change", update);
    boxes[ids[i]] = box;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + th.textContent));
    item.appendChild(label);
    item.setAttribute("data-name", th.textContent.toLowerCase());
    list.appendChild(item);
  });

  find.addEventListener("input", function () {
    var needle = find.value.trim().toLowerCase();
    Array.prototype.forEach.call(list.children, function (item) {
      item.hidden = needle !== "" && item.getAttribute("data-name").indexOf(needle) < 0;
    });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("click", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("data-action");
    if (!action) { return; }
    ids.forEach(function (id) {
      var item = boxes[id].closest("li");
      // "Show all" and "Show none" act on the platforms the search box lists (all of them when it is empty).
      if (!item.hidden) { boxes[id].checked = action === "all"; }
    });
    update();
  });

  form.hidden = false;
  apply(initial);
})();
