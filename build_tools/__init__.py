"""Briefing Archive: scraped news articles in, a cross-linked archive of Markdown briefings out.

The pipeline, one module per stage:

    model     Article, Briefing and the one table of metadata fields (Metadata, FIELDS)
    read      find input files, decode bytes, bound text, JSON records -> Article (read.sources.read)
    clean     split lines, keep the article paragraphs
    headline  where the headline is (trained ranker, header block)
    metadata  title, dates, byline, outlet, summary...
    language  the page's language (the cleaner's stop list and the front matter's code)
    entities  countries, places, people, organisations, topics
    briefing  Article -> front matter + Markdown; parse and validate briefings
    ingest    the ingest run: read, extract, dedupe, write briefings
    archive   load every briefing into one registry
    links     related briefings, backlinks, story threads (from the whole archive)
    pages     generated Markdown pages (briefing, entity, timeline, home)
    writer    atomic writes inside one output folder
    build     the build run: archive -> pages -> MkDocs -> search
    cli       the `briefings` command

Shared helpers: ``text`` (one-line values, forbidden characters, safe cuts), ``components``
(union-find), ``slugs`` (ids, slugs and URLs).
"""

__version__ = "0.1.0"
