"""``serve``'s first look: an edited briefing's own page, shown before the build that follows.

A rebuild after a save re-links the archive, makes the pages the edit touches and renders them:
seconds at thousands of briefings, while the editor waits to see the one page they changed. So
when a save changes only briefings the preview already shows, ``serve`` first makes their own
pages from what it holds in memory (``build.Held``: the archive and links of the last build, and
the MkDocs files, theme and navigation it rendered with), writes and renders just those, and
reloads the browsers; then the build runs as always and reloads them again.

The first look shows the briefing as saved (title, text, tags, dates) with the related,
backlinks and story of the last build: the build that follows brings those up to date, and
what it publishes is exactly what a build without a first look publishes (it makes and renders
the page again: its inputs changed). Anything the first look cannot show as the build would
(a new or deleted briefing, a file that does not parse, a tag no entity page has yet, a change
to anything but briefings) leaves it to the build alone.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from build_tools.build import Held
from build_tools.model import Briefing
from build_tools.site import pages, sitebuild
from build_tools.store.archive import MAX_BRIEFING_BYTES, Archive, ParseCache, parse_file
from build_tools.store.writer import atomic_write

log = logging.getLogger(__name__)

FIRST_LOOK_MAX_FILES = 3
"""A save of more briefings than this at once (a ``git checkout``, a search and replace) is left
to the build: the first look is for the page an editor is looking at, and each page it makes
delays the build that brings every page up to date."""


class Edited(NamedTuple):
    archive: Archive
    """The held archive with the edited briefings in place of their last versions."""
    briefings: list[Briefing]
    """The edited briefings, as saved."""
    parses: ParseCache
    """Their files' parses (docs-relative path -> parse), for the build that follows (``Held.looked``)."""


def edited_briefings(held: Held, briefings_dir: Path, changed: Collection[Path]) -> Edited | None:
    """The held archive with the briefings of ``changed`` (absolute paths) as they are now, or None
    when a first look cannot show them: a changed path that is not one of the held briefings'
    files, too many of them, a file that does not parse cleanly, an id that changed."""
    if held.gathered is None or not changed or len(changed) > FIRST_LOOK_MAX_FILES:
        return None
    archive = held.gathered.archive
    by_path = {str(b.path): b for b in archive.briefings}
    root = briefings_dir.resolve()
    now: dict[str, Briefing] = {}
    parses: ParseCache = {}
    for path in changed:
        try:
            rel = PurePosixPath(path.resolve().relative_to(root).as_posix())
        except ValueError:
            return None
        old = by_path.get(str(rel))
        if old is None or path.suffix != ".md" or not path.is_file() or path.stat().st_size > MAX_BRIEFING_BYTES:
            return None
        parsed = parse_file(path.read_bytes(), rel, None)
        if parsed.briefing is None or parsed.errors or parsed.briefing.id != old.id:
            return None
        now[old.id] = parsed.briefing
        parses[rel.as_posix()] = parsed
    briefings = [now.get(b.id, b) for b in archive.briefings]
    return Edited(replace(archive, briefings=briefings, by_id={b.id: b for b in briefings}), list(now.values()),
                  parses)


def first_look(held: Held, briefings_dir: Path, changed: Collection[Path]) -> list[str]:
    """Write and render the pages of the briefings in ``changed`` (absolute paths) from what
    ``held`` keeps; the docs-relative paths of the pages shown, [] when the build must do it all."""
    if held.gathered is None or held.site is None or held.docs is None:
        return []
    try:
        edited = edited_briefings(held, briefings_dir, changed)
        if edited is None:
            return []
        made = [pages.briefing_page(b, edited.archive, held.gathered.links, held.trusted_html)
                for b in edited.briefings]
        held.looked.update(edited.parses)  # shown, so the newest good version (see ``Held.looked``)
    except (OSError, UnicodeDecodeError, KeyError) as exc:  # a tag with no entity page yet: the build shows it
        log.debug("serve: no first look (%s: %s)", type(exc).__name__, exc)
        return []
    shown = []
    for page in made:
        atomic_write(held.docs / page.path, page.text.encode("utf-8"), durable=False)
        if not sitebuild.render_one(held.site, page.path):
            break
        shown.append(page.path)
    return shown


__all__ = ["FIRST_LOOK_MAX_FILES", "edited_briefings", "first_look"]
