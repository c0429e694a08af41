// Live preview client, served by `python build.py serve` at /__atlas/live-reload.js and added to its HTML
// responses only (never to the built site). Reloads the page after a rebuild that changed it; while the content is broken,
// shows the build's problems over the last good page. Problem text comes from contributors' files, so it is
// only ever set with textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script ? Number(script.getAttribute("data-generation")) : NaN;
  var page = script ? script.getAttribute("data-page") : ""; // the site file shown; "" reloads on every rebuild
  var overlay = null;

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function show(data) {
    hide();
    var problems = Array.isArray(data.problems) ? data.problems : [];
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    overlay = element("div");
    overlay.id = "atlas-preview-problems";
    overlay.setAttribute("role", "alert");
    // CSSOM assignments, which the site's Content-Security-Policy (style-src 'self') allows.
    var s = overlay.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "2147483647";
    s.maxHeight = "70vh"; s.overflow = "auto"; s.padding = "1rem 1.25rem"; s.margin = "0";
    s.background = "#3b0a0a"; s.color = "#fff"; s.font = "14px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace";
    s.boxShadow = "0 4px 24px rgba(0,0,0,.5)"; s.borderBottom = "4px solid #e5484d";

    var close = element("button", "Hide");
    close.type = "button";
    close.style.float = "right";
    close.addEventListener("click", hide);
    overlay.appendChild(close);

    var title = element("strong", "The preview could not be rebuilt: " + errors.length + " error" +
      (errors.length === 1 ? "" : "s") + ". This page is the last good build; it reloads once the problems are fixed.");
    overlay.appendChild(title);
    var list = element("ul");
    list.style.margin = "0.75rem 0 0"; list.style.paddingLeft = "1.25rem";
    (errors.length ? errors : problems).forEach(function (p) {
      var item = element("li", p.text);
      item.style.whiteSpace = "pre-wrap"; item.style.overflowWrap = "anywhere";
      list.appendChild(item);
    });
    overlay.appendChild(list);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function refresh() {
    fetch("/__atlas/problems", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (data.ok) hide(); else show(data); })
      .catch(function () { /* the preview server stopped; EventSource retries */ });
  }

  if (!window.EventSource) return;
  // The page it shows, so that the preview lets it fetch a page rendered first before it rebuilds the rest.
  var source = new EventSource("/__atlas/events?since=" + (isNaN(served) ? "" : served) +
    (page ? "&page=" + encodeURIComponent(page) : ""));
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (!data.ok) refresh();
    else if (data.stale) window.location.reload(); // a build changed this page while it was loading
  });
  source.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    // A rebuild lists the files it changed (none listed: too many, reload); other pages stay as they are.
    if (!page || !Array.isArray(data.paths) || data.paths.indexOf(page) !== -1) window.location.reload();
    else served = data.generation;
  });
  source.addEventListener("problems", refresh);
})();
