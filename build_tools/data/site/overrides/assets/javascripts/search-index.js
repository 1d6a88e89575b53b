// The archive's search index, as one: Pagefind's JS API over every shard of the index.
// The build writes one Pagefind bundle per shard (a year, a month, or a hash bucket of a large
// month) into assets/pagefind/<shard>/ and lists them in assets/pagefind/shards.json, so an edit
// re-indexes one shard (build_tools/site/search.py). open() loads the first shard with its own
// pagefind.js and merges the others into it with Pagefind's mergeIndex: a query runs on every
// shard; results, filter values and counts come back merged.
// Pagefind orders merged results by score, and with a sort a score is a page's position in its
// own shard, which says nothing across shards: so search() orders date-sorted results itself, by
// each shard's dates.json (page id -> date), loaded the first time a sort is asked for.
const BUNDLE = "assets/pagefind/";
let opened = null;

// Pagefind's script holds one index per page: the shards are merged into it once, whoever asks.
export function open(base, options) {
  if (!opened) { opened = merge(base, options); }
  return opened;
}

async function merge(base, options) {
  const root = new URL(BUNDLE, base);
  const response = await fetch(new URL("shards.json", root));
  if (!response.ok) { throw new Error("no search index: " + response.status); }
  const shards = (await response.json()).shards;
  if (!shards || !shards.length) { throw new Error("the search index has no shard"); }
  const folder = (name) => new URL(name + "/", root);
  const pagefind = await import(new URL("pagefind.js", folder(shards[0])).href);
  await pagefind.options(options);
  await Promise.all(shards.slice(1).map((name) => pagefind.mergeIndex(folder(name).pathname, options)));
  let dates = null;

  function loadDates() {
    if (!dates) {
      dates = Promise.all(shards.map((name) => fetch(new URL("dates.json", folder(name)))
        .then((r) => (r.ok ? r.json() : {})))).then((parts) => Object.assign({}, ...parts));
    }
    return dates;
  }

  async function search(query, searchOptions) {
    const found = await pagefind.search(query, searchOptions);
    const direction = searchOptions && searchOptions.sort && searchOptions.sort.date;
    if (!found || !direction || shards.length < 2) { return found; }
    const date = await loadDates();
    const sign = direction === "asc" ? 1 : -1;
    found.results = found.results.slice().sort((a, b) => {
      const da = date[a.id] || "", db = date[b.id] || "";
      return (da < db ? -1 : da > db ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * sign;
    });
    return found;
  }

  return {
    search: search,
    filters: () => pagefind.filters(),
    shards: shards,
  };
}
