// The search page: Pagefind's UI, started with the header's query (?q=) and restarted when
// the reader changes the order. Sorting uses the `date` sort key of briefing pages.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var select = document.getElementById("bp-sort");
  var ui = null;

  function currentQuery() {
    var input = document.querySelector("#bp-search-results input");
    return input && input.value ? input.value : params.get("q") || "";
  }

  function start(order, query) {
    if (ui) {
      ui.destroy();
    }
    // The bundle lives in assets/pagefind/: tell Pagefind where the site's root is, so result
    // URLs are not taken relative to the bundle's folder.
    var root = document.getElementById("bp-search-results").getAttribute("data-site-root") || "./";
    var options = {
      baseUrl: new URL(root, window.location.href).pathname,
      element: "#bp-search-results",
      showSubResults: false,
      showImages: false,
      excerptLength: 30,
      autofocus: !query,
      translations: { placeholder: "Search briefings" },
    };
    if (order) {
      options.sort = { date: order };
    }
    ui = new PagefindUI(options);
    if (query) {
      ui.triggerSearch(query);
    }
  }

  select.value = params.get("order") || "";
  select.addEventListener("change", function () {
    var query = currentQuery();
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    if (select.value) { url.searchParams.set("order", select.value); } else { url.searchParams.delete("order"); }
    window.history.replaceState(null, "", url);
    start(select.value, query);
  });
  start(select.value, params.get("q") || "");
})();
