/* Search page: Pagefind's UI, with result links made to work under any base path. */
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") { return; }
  var siteRoot = new URL(root.getAttribute("data-site-root") || "./", window.location.href).pathname;
  var bundle = new URL(root.getAttribute("data-bundle") || "pagefind/", window.location.href).pathname;
  // Order of results, from the URL (?sort=newest or ?sort=oldest), so that a sorted search can be shared.
  // Pagefind UI takes a sort only when it is created, and re-creating it on a live page races with its shared
  // worker, so a new choice reloads the page with the term and the order in the URL. Only provision pages carry
  // data-pagefind-sort="date" (their last verification), so a sorted search lists provisions.
  var ORDERS = { "": ["Best match", null], newest: ["Provisions, most recently verified first", "desc"],
                 oldest: ["Provisions, least recently verified first", "asc"] };
  var params = new URLSearchParams(window.location.search);
  var order = ORDERS.hasOwnProperty(params.get("sort") || "") ? (params.get("sort") || "") : "";
  var options = {
    element: "#search",
    bundlePath: bundle,
    baseUrl: siteRoot,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search provisions, platforms, regulations" }
  };
  if (ORDERS[order][1]) { options.sort = { date: ORDERS[order][1] }; }
  var ui = new PagefindUI(options);
  // Pagefind's input is named only by its title attribute; give it an accessible name of its own.
  var input = root.querySelector("input.pagefind-ui__search-input");
  if (input) { input.setAttribute("aria-label", "Search the atlas"); }
  var query = params.get("q");
  if (query) { ui.triggerSearch(query); }

  var term = query || "";
  root.addEventListener("input", function (event) {
    if (event.target.tagName === "INPUT" && event.target.type !== "checkbox") { term = event.target.value; }
  });
  var label = document.createElement("label");
  var sort = document.createElement("select");
  sort.id = "search-sort";
  label.htmlFor = sort.id;
  label.textContent = "Order results ";
  Object.keys(ORDERS).forEach(function (key) { sort.appendChild(new Option(ORDERS[key][0], key, false, key === order)); });
  var row = document.createElement("p");
  row.className = "search-sort";
  row.appendChild(label);
  row.appendChild(sort);
  root.parentNode.insertBefore(row, root);
  sort.addEventListener("change", function () {
    var next = new URLSearchParams();
    if (term) { next.set("q", term); }
    if (sort.value) { next.set("sort", sort.value); }
    var search = next.toString();
    window.location.assign(window.location.pathname + (search ? "?" + search : ""));
  });
})();
