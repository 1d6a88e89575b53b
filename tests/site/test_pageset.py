"""Pages made on every core are the pages one process makes, in the same order, and the body memo
the next build starts from holds what the workers rendered."""

from __future__ import annotations

import pytest

from build_tools import parallel
from build_tools.link.links import link_archive
from build_tools.site import pageset, render
from tests.link.test_links import AFGHAN, archive_of, make


@pytest.fixture
def archive():  # type: ignore[no-untyped-def]
    items = [make(f"b{i:02d}", i * 3, ["Tajikistan", "Afghanistan"][: 1 + i % 2],
                  ["Emomali Rahmon"] if i % 3 == 0 else [], AFGHAN + f" Report {i}.", title=f"Report {i}")
             for i in range(30)]
    return archive_of(*items)


def test_workers_make_the_same_pages_in_the_same_order(archive, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    links = link_archive(archive)
    render.remember_bodies({})
    one = pageset.all_pages(archive, links, workers=1)
    serial_bodies = render.bodies_used()
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 2)
    render.remember_bodies({})
    two = pageset.all_pages(archive, links, workers=2)
    assert [p.path for p in two] == [p.path for p in one]
    assert [p.text for p in two] == [p.text for p in one]
    assert render.bodies_used() == serial_bodies and len(serial_bodies) == 30


def test_every_page_has_a_job_and_paths_are_unique(archive) -> None:  # type: ignore[no-untyped-def]
    links = link_archive(archive)
    made = pageset.all_pages(archive, links, workers=1)
    paths = [p.path for p in made]
    assert len(paths) == len(set(paths))
    assert sum(1 for p in paths if p.startswith("briefings/")) == 30
    assert "index.md" in paths and "tags.md" in paths and any(p.startswith("feeds/") for p in paths)
    with pytest.raises(ValueError, match="unknown page job"):
        pageset.make(("nothing",), pageset.Context(archive, links, None, False, ""))
