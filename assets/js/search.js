/* Search page: Pagefind's UI, with result links made to work under any base path. */
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") { return; }
  var siteRoot = new URL(root.getAttribute("data-site-root") || "./", window.location.href).pathname;
  var bundle = new URL(root.getAttribute("data-bundle") || "pagefind/", window.location.href).pathname;
  // PagefindUI deletes the options it reads from the object it is given: each instance gets a fresh one.
  function options(sort) {
    var o = {
      element: "#search",
      bundlePath: bundle,
      baseUrl: siteRoot,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      translations: { placeholder: "Search provisions, platforms, regulations" }
    };
    if (sort) { o.sort = { date: sort }; }
    return o;
  }
  var ui = new PagefindUI(options(""));
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }

  // Order of results: Pagefind UI takes a sort only when it is created, so a new choice re-creates it and
  // repeats the search. Only provision pages carry data-pagefind-sort="date", so a sorted search lists provisions.
  var sortLabel = document.createElement("label");
  var sort = document.createElement("select");
  sort.id = "search-sort";
  sortLabel.htmlFor = sort.id;
  sortLabel.textContent = "Order results ";
  [["", "Best match"], ["desc", "Provisions, most recently verified first"], ["asc", "Provisions, least recently verified first"]]
    .forEach(function (choice) { sort.appendChild(new Option(choice[1], choice[0])); });
  var sortRow = document.createElement("p");
  sortRow.className = "search-sort";
  sortRow.appendChild(sortLabel);
  sortRow.appendChild(sort);
  root.parentNode.insertBefore(sortRow, root);
  sort.addEventListener("change", function () {
    var input = root.querySelector("input[type=text], input[type=search]");
    var term = input ? input.value : "";
    ui.destroy();
    ui = new PagefindUI(options(sort.value));
    if (term) { ui.triggerSearch(term); }
  });
})();
