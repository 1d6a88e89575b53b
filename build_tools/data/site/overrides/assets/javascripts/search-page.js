// The search page: a small UI on Pagefind's JS API.
// - The query, the order and the filters live in the page's URL (?q=oil&order=desc&country=Iran&
//   from=2021-03&to=2021-09), so a search can be shared, bookmarked and reloaded; the header box
//   sends ?q= here.
// - Results show title, date and excerpt, ten at a time.
// - Filters (country, place, person, organisation, topic, outlet, and a date range by month) load
//   only when the panel is opened or the URL names one: Pagefind's default UI downloads every
//   filter file before the first result (over 150 KB at 10,000 briefings). Once a query has run,
//   each value shows how many of the current results carry it.
// Everything from the index is put on the page as text (excerpts keep only their <mark> tags).
(function () {
  "use strict";
  var FILTER_KINDS = ["country", "place", "person", "organisation", "topic", "outlet"];
  var LABELS = { country: "Country", place: "Place", person: "Person", organisation: "Organisation",
                 topic: "Topic", outlet: "Outlet" };
  var RANGE = ["from", "to"];
  var PAGE_SIZE = 10;
  var form = document.getElementById("bp-search-form");
  var input = document.getElementById("bp-query");
  var sortSelect = document.getElementById("bp-sort");
  var details = document.getElementById("bp-filters");
  var panel = document.getElementById("bp-filter-panel");
  var status = document.getElementById("bp-status");
  var list = document.getElementById("bp-results");
  var more = document.getElementById("bp-more");
  if (!form) { return; }

  var base = new URL(form.getAttribute("data-site-root") || "./", window.location.href);
  var params = new URLSearchParams(window.location.search);
  var chosen = {};
  var months = [];           // every "YYYY-MM" in the index, oldest first (from the month filter)
  var selects = {};          // kind -> <select>, once the panel is loaded
  var totals = {};           // kind -> {value: count in the whole archive}
  var counts = null;         // kind -> {value: count among the current results}
  var results = [];
  var shown = 0;
  var generation = 0;
  var filtersLoaded = null;
  // Every shard of the index, merged (search-index.js).
  var pagefindReady = import(new URL("assets/javascripts/search-index.js", base).href).then(function (index) {
    return index.open(base, { baseUrl: base.pathname, excerptLength: 30 });
  });

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }

  // Pagefind's excerpt is HTML with <mark> around hits: rebuild it from text and <mark> only.
  function excerpt(html) {
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        p.appendChild(text("mark", node.textContent));
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function safeUrl(url) {
    var resolved = new URL(url, window.location.href);
    return resolved.origin === window.location.origin ? resolved.href : "#";
  }

  // The months between the chosen "from" and "to" (either may be open), as Pagefind's "any" filter.
  function monthFilter() {
    if (!chosen.from && !chosen.to) { return null; }
    var inRange = months.filter(function (m) {
      return (!chosen.from || m >= chosen.from) && (!chosen.to || m <= chosen.to);
    });
    return { any: inRange.length ? inRange : ["none"] };
  }

  function activeFilters() {
    var filters = {};
    FILTER_KINDS.forEach(function (k) { if (chosen[k]) { filters[k] = chosen[k]; } });
    var range = monthFilter();
    if (range) { filters.month = range; }
    return filters;
  }

  // The search in the address bar: ?q=...&order=...&country=...&from=...&to=...
  function saveState() {
    var next = new URLSearchParams();
    if (input.value.trim()) { next.set("q", input.value.trim()); }
    if (sortSelect.value) { next.set("order", sortSelect.value); }
    FILTER_KINDS.concat(RANGE).forEach(function (k) { if (chosen[k]) { next.set(k, chosen[k]); } });
    var query = next.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, "", url);
    }
  }

  function describeFilters() {
    var parts = [];
    FILTER_KINDS.forEach(function (k) { if (chosen[k]) { parts.push(LABELS[k].toLowerCase() + " " + chosen[k]); } });
    if (chosen.from || chosen.to) { parts.push("dates " + (chosen.from || "…") + " to " + (chosen.to || "…")); }
    return parts.join(", ");
  }

  function showMore() {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    var mine = generation;
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== generation) { return; }
      data.forEach(function (d) {
        var li = document.createElement("li");
        var a = text("a", (d.meta && d.meta.title) || d.url);
        a.href = safeUrl(d.url);
        a.className = "bp-result-link";
        li.appendChild(a);
        if (d.meta && d.meta.date) { li.appendChild(text("span", " · " + d.meta.date, "bp-result-date")); }
        li.appendChild(excerpt(d.excerpt || ""));
        list.appendChild(li);
      });
    });
  }

  function noResults(query) {
    var what = query ? "“" + query + "”" : "these filters";
    var hint = describeFilters() ? " Remove a filter (" + describeFilters() + "), or try fewer or other words."
                                 : " Check the spelling, or try fewer or more general words.";
    status.textContent = "No briefing matches " + what + "." + hint;
  }

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    saveState();
    var filters = activeFilters();
    if (!query && !Object.keys(filters).length) { status.textContent = ""; counts = null; relabel(); return; }
    status.textContent = "Searching…";
    var ready = Object.keys(filters).length ? loadFilters() : Promise.resolve();
    ready.then(function () { return pagefindReady; }).then(function (pagefind) {
      var options = { filters: activeFilters() };
      if (sortSelect.value) { options.sort = { date: sortSelect.value }; }
      return pagefind.search(query || null, options);
    }).then(function (search) {
      if (mine !== generation || !search) { return; }
      results = search.results;
      counts = search.filters || null;
      relabel();
      if (!results.length) { noResults(query); return; }
      var filtered = describeFilters();
      status.textContent = (results.length === 1 ? "1 briefing" : results.length + " briefings") +
        (filtered ? " (" + filtered + ")" : "");
      return showMore();
    }).catch(function () {
      status.textContent = "Search is not available (the index is missing; run 'briefings build').";
    });
  }

  // Option labels: a value's count among the current results when a query ran, else in the archive.
  function relabel() {
    Object.keys(selects).forEach(function (kind) {
      var current = counts && counts[kind];
      Array.prototype.forEach.call(selects[kind].options, function (option) {
        if (!option.value) { return; }
        var n = current ? (current[option.value] || 0) : (totals[kind] || {})[option.value];
        option.textContent = option.value + " (" + n + ")";
      });
    });
  }

  function addSelect(kind, label, names) {
    var wrap = text("label", label + " ", "bp-filter");
    var select = document.createElement("select");
    select.setAttribute("data-filter", kind);
    select.appendChild(text("option", "any"));
    select.firstChild.value = "";
    names.forEach(function (name) {
      var option = text("option", name);
      option.value = name;
      select.appendChild(option);
    });
    select.value = chosen[kind] || "";
    select.addEventListener("change", function () { chosen[kind] = select.value; run(); });
    wrap.appendChild(select);
    panel.appendChild(wrap);
    selects[kind] = select;
  }

  function loadFilters() {
    if (filtersLoaded) { return filtersLoaded; }
    filtersLoaded = pagefindReady.then(function (pagefind) { return pagefind.filters(); }).then(function (all) {
      panel.textContent = "";
      totals = all;
      FILTER_KINDS.forEach(function (kind) {
        var values = all[kind] || {};
        var names = Object.keys(values).sort(function (a, b) { return values[b] - values[a] || a.localeCompare(b); });
        if (names.length) { addSelect(kind, LABELS[kind], names); }
      });
      months = Object.keys(all.month || {}).sort();
      if (months.length) {
        addSelect("from", "From", months);
        addSelect("to", "To", months.slice().reverse());
      }
      relabel();
    });
    return filtersLoaded;
  }

  details.addEventListener("toggle", function () { if (details.open) { loadFilters(); } });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { run(); });
  sortSelect.addEventListener("change", run);
  more.addEventListener("click", showMore);
  input.value = params.get("q") || "";
  sortSelect.value = params.get("order") || "";
  FILTER_KINDS.concat(RANGE).forEach(function (k) { if (params.get(k)) { chosen[k] = params.get(k); } });
  if (Object.keys(chosen).length) { details.open = true; }
  run();
})();
