/* Side-by-side comparison: 2 to 4 platforms' provisions aligned by clause type, built in the browser from the
   static JSON API (api/v1/index.json and api/v1/platforms/<id>.json). Every URL is resolved against the
   page's own address, so the page works under any base path. The choice lives in the URL query
   (?p=alpha&p=beta[&diff=1]), so a comparison can be shared. Text from the data is only ever set with
   textContent, never parsed as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var status = document.getElementById("compare-status");
  var result = document.getElementById("compare-result");
  var onlyDiff = document.getElementById("compare-only-diff");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[name=p]"));
  var api = new URL(form.getAttribute("data-api"), window.location.href);
  var siteRoot = new URL(form.getAttribute("data-site-root"), window.location.href);
  var min = parseInt(form.getAttribute("data-min"), 10) || 2;
  var max = parseInt(form.getAttribute("data-max"), 10) || selects.length;
  var known = {};
  Array.prototype.forEach.call(selects[0].options, function (o) { if (o.value) { known[o.value] = o.textContent; } });
  var SEVERITY = { high: 0, medium: 1, low: 2 };
  var EXCERPT_LIMIT = 400;
  var cache = {};
  var current = null;  // {platforms: [...], index: {...}} of the comparison on screen

  function getJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, api).href).then(function (response) {
        if (!response.ok) { throw new Error(path + ": HTTP " + response.status); }
        return response.json();
      });
    }
    return cache[path];
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    var seen = {};
    var ids = params.getAll("p").filter(function (id) {
      var ok = known.hasOwnProperty(id) && !seen[id];
      seen[id] = true;
      return ok;
    }).slice(0, max);
    return { ids: ids, diff: params.get("diff") === "1" };
  }

  function fromForm() {
    var seen = {};
    var ids = selects.map(function (s) { return s.value; }).filter(function (id) {
      var ok = id && !seen[id];
      seen[id] = true;
      return ok;
    });
    return { ids: ids, diff: onlyDiff.checked };
  }

  function toUrl(choice) {
    var params = new URLSearchParams();
    choice.ids.forEach(function (id) { params.append("p", id); });
    if (choice.diff) { params.set("diff", "1"); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function showChoice(choice) {
    selects.forEach(function (s, i) { s.value = choice.ids[i] || ""; });
    onlyDiff.checked = choice.diff;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function link(path, text) {
    var a = el("a", "", text);
    a.href = new URL(path, siteRoot).href;
    return a;
  }

  function entryOrder(a, b) {
    return ((a.status !== "active") - (b.status !== "active")) || (SEVERITY[a.severity] - SEVERITY[b.severity])
      || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1);
  }

  // What a platform says on one clause type, for telling rows apart: its active positions and severities.
  function signature(entries, field) {
    var values = {};
    entries.forEach(function (e) { if (e.status === "active") { values[e[field]] = true; } });
    return Object.keys(values).sort().join(",");
  }

  function distinct(list) {
    var seen = {};
    list.forEach(function (v) { seen[v] = true; });
    return Object.keys(seen).length;
  }

  function rowsOf(index, platforms) {
    var rows = [];
    index.clause_types.forEach(function (t) {
      var cells = platforms.map(function (p) {
        return p.provisions.filter(function (x) { return x.clause_type === t.id; }).sort(entryOrder);
      });
      if (!cells.some(function (c) { return c.length; })) { return; }
      var positions = cells.map(function (c) { return signature(c, "position"); });
      var severities = cells.map(function (c) { return signature(c, "severity"); });
      var differs = distinct(positions) > 1;
      rows.push({ type: t, cells: cells, positions: positions, differs: differs,
                  severityDiffers: !differs && distinct(severities) > 1 });
    });
    return rows;
  }

  function entryNode(e) {
    var box = el("div", "compare-entry" + (e.status === "removed" ? " removed" : ""));
    var title = el("p", "compare-entry-title");
    title.appendChild(link(e.path, e.title));
    box.appendChild(title);
    var badges = el("p", "badges");
    badges.appendChild(el("span", "badge position", e.position_name));
    badges.appendChild(el("span", "badge severity-" + e.severity, e.severity.charAt(0).toUpperCase() + e.severity.slice(1) + " severity"));
    if (e.status === "removed") { badges.appendChild(el("span", "badge removed", "Removed")); }
    box.appendChild(badges);
    var text = e.excerpt.text.length > EXCERPT_LIMIT ? e.excerpt.text.slice(0, EXCERPT_LIMIT).replace(/\s+\S*$/, "") + "…" : e.excerpt.text;
    var quote = el("blockquote", "compare-excerpt");
    quote.appendChild(el("p", "", text));
    box.appendChild(quote);
    if (e.excerpt.status !== "verbatim") {
      box.appendChild(el("p", "muted", e.excerpt.status === "paraphrase" ? "Paraphrase, not the platform's wording." : "Text unavailable."));
    }
    return box;
  }

  function verdict(row) {
    if (row.differs) { return "Positions differ"; }
    if (row.severityDiffers) { return "Same position, severity differs"; }
    return "Same position";
  }

  function render() {
    var platforms = current.platforms;
    var index = current.index;
    var rows = rowsOf(index, platforms);
    var shown = onlyDiff.checked ? rows.filter(function (r) { return r.differs; }) : rows;
    var differing = rows.filter(function (r) { return r.differs; }).length;
    var names = platforms.map(function (p) { return p.name; });
    result.textContent = "";
    var wrap = el("div", "table-wrap");
    var table = el("table", "data-table compare-table");
    table.id = "compare-table";
    table.appendChild(el("caption", "visually-hidden", names.join(", ") + ": " + rows.length + " clause types recorded, "
      + differing + " where the positions differ."));
    var head = el("tr");
    head.appendChild(el("th", "compare-type-col", "Clause type")).scope = "col";
    head.appendChild(el("th", "compare-verdict-col", "Same or different")).scope = "col";
    platforms.forEach(function (p) {
      var th = el("th");
      th.scope = "col";
      th.setAttribute("data-platform", p.id);
      th.appendChild(link(p.path, p.name));
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    index.categories.forEach(function (category) {
      var inCategory = shown.filter(function (r) { return r.type.category === category.id; });
      if (!inCategory.length) { return; }
      var body = el("tbody");
      var groupRow = el("tr", "compare-category");
      var groupHead = el("th", "", category.name);
      groupHead.scope = "rowgroup";
      groupHead.colSpan = platforms.length + 2;
      groupRow.appendChild(groupHead);
      body.appendChild(groupRow);
      inCategory.forEach(function (row) {
        var tr = el("tr", row.differs ? "differs" : (row.severityDiffers ? "severity-differs" : "same"));
        tr.setAttribute("data-clause-type", row.type.id);
        var th = el("th");
        th.scope = "row";
        th.appendChild(link(row.type.path, row.type.name));
        tr.appendChild(th);
        tr.appendChild(el("td", "compare-verdict", verdict(row)));
        row.cells.forEach(function (entries, i) {
          var td = el("td");
          td.setAttribute("data-platform", platforms[i].id);
          td.setAttribute("data-positions", row.positions[i]);
          if (entries.length) {
            entries.forEach(function (e) { td.appendChild(entryNode(e)); });
          } else {
            td.className = "nr";
            td.textContent = "Not recorded";
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
    });
    wrap.appendChild(table);
    if (!shown.length) {
      result.appendChild(el("p", "", onlyDiff.checked ? "These platforms take the same positions on every clause type recorded for them."
        : "None of these platforms has a provision recorded yet."));
    } else {
      result.appendChild(wrap);
    }
    status.textContent = "Comparing " + names.join(", ") + ": " + rows.length + " clause types, " + differing
      + " where the positions differ.";
  }

  function run(choice) {
    showChoice(choice);
    if (choice.ids.length < min) {
      current = null;
      result.textContent = "";
      status.textContent = choice.ids.length ? "Choose at least " + min + " different platforms." : "";
      return;
    }
    status.textContent = "Loading…";
    var wanted = choice.ids.join(",");
    Promise.all([getJson("index.json")].concat(choice.ids.map(function (id) {
      return getJson("platforms/" + encodeURIComponent(id) + ".json");
    }))).then(function (data) {
      if (fromForm().ids.join(",") !== wanted) { return; }  // a newer choice was made while this one loaded
      current = { index: data[0], platforms: data.slice(1) };
      render();
    }).catch(function (error) {
      current = null;
      result.textContent = "";
      status.textContent = "The comparison could not be loaded (" + error.message + ").";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var choice = fromForm();
    window.history.pushState(null, "", toUrl(choice));
    run(choice);
  });
  onlyDiff.addEventListener("change", function () {
    var choice = fromForm();
    window.history.replaceState(null, "", toUrl(choice));
    if (current) { render(); }
  });
  window.addEventListener("popstate", function () { run(fromUrl()); });

  form.hidden = false;
  run(fromUrl());
})();
