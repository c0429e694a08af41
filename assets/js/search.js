/* Search page: Pagefind's UI, with result links made to work under any base path. */
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") { return; }
  var siteRoot = new URL(root.getAttribute("data-site-root") || "./", window.location.href).pathname;
  var bundle = new URL(root.getAttribute("data-bundle") || "pagefind/", window.location.href).pathname;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundle,
    baseUrl: siteRoot,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search provisions, platforms, regulations" }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
