// The search page: a small UI on Pagefind's JS API.
// - The query comes from the header box (?q=) or this page's box; ?order=desc|asc sorts by date.
// - Results show title, date and excerpt, ten at a time.
// - Filters (country, person, organisation, topic) load only when the panel is opened: Pagefind's
//   default UI downloads every filter file before the first result (over 150 KB at 10,000 briefings).
// Everything from the index is put on the page as text (excerpts keep only their <mark> tags).
(function () {
  "use strict";
  var FILTER_KINDS = ["country", "person", "organisation", "topic"];
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
  var results = [];
  var shown = 0;
  var generation = 0;
  var pagefindReady = import(new URL("assets/pagefind/pagefind.js", base).href).then(function (pagefind) {
    return pagefind.options({ baseUrl: base.pathname, excerptLength: 30 }).then(function () { return pagefind; });
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

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    var filters = {};
    Object.keys(chosen).forEach(function (k) { if (chosen[k]) { filters[k] = chosen[k]; } });
    if (!query && !Object.keys(filters).length) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    pagefindReady.then(function (pagefind) {
      var options = { filters: filters };
      if (sortSelect.value) { options.sort = { date: sortSelect.value }; }
      return pagefind.search(query || null, options);
    }).then(function (search) {
      if (mine !== generation || !search) { return; }
      results = search.results;
      status.textContent = results.length === 1 ? "1 briefing" : results.length + " briefings";
      return showMore();
    }).catch(function () {
      status.textContent = "Search is not available (the index is missing; run 'briefings build').";
    });
  }

  function loadFilters() {
    pagefindReady.then(function (pagefind) { return pagefind.filters(); }).then(function (all) {
      panel.textContent = "";
      FILTER_KINDS.forEach(function (kind) {
        var values = all[kind] || {};
        var names = Object.keys(values).sort(function (a, b) { return values[b] - values[a] || a.localeCompare(b); });
        if (!names.length) { return; }
        var label = text("label", kind + " ", "bp-filter");
        var select = document.createElement("select");
        select.setAttribute("data-filter", kind);
        select.appendChild(text("option", "any"));
        select.firstChild.value = "";
        names.forEach(function (name) {
          var option = text("option", name + " (" + values[name] + ")");
          option.value = name;
          select.appendChild(option);
        });
        select.addEventListener("change", function () { chosen[kind] = select.value; run(); });
        label.appendChild(select);
        panel.appendChild(label);
      });
    });
  }

  details.addEventListener("toggle", function once() {
    if (details.open) { details.removeEventListener("toggle", once); loadFilters(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { run(); });
  sortSelect.addEventListener("change", run);
  more.addEventListener("click", showMore);
  input.value = params.get("q") || "";
  sortSelect.value = params.get("order") || "";
  run();
})();
