"""The render cache: its fingerprint sees every change however soon it follows a build, and a page's
HTML is kept only when its key and its output file are what was recorded."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from mkdocs.config import load_config

from build_tools.site import render_cache, sitebuild
from build_tools.site.render_cache import Rendered, SiteState, Source
from build_tools.store import stamps
from tests.site.test_sitebuild import make_docs


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return make_docs(tmp_path)


def config(config_file: Path):  # type: ignore[no-untyped-def]
    return load_config(str(config_file), site_dir=str(config_file.parent / "site"))


def test_the_fingerprint_is_stable_when_nothing_changed(config_file: Path) -> None:
    first = render_cache.inputs_fingerprint(config(config_file), {})
    again = render_cache.inputs_fingerprint(config(config_file), first.digests)
    assert first.fingerprint == again.fingerprint


@pytest.mark.parametrize("edit", [
    pytest.param(lambda p: p.write_text(p.read_text("utf-8").replace("Note 3", "Note Z"), "utf-8"), id="same-size"),
    pytest.param(lambda p: p.write_text(p.read_text("utf-8") + "more", "utf-8"), id="grown"),
    pytest.param(lambda p: p.unlink(), id="deleted"),
])
def test_an_edit_right_after_the_fingerprint_changes_it(config_file: Path, edit) -> None:  # type: ignore[no-untyped-def]
    """Every docs file was written a moment ago, so no stamp can be trusted: the bytes decide."""
    first = render_cache.inputs_fingerprint(config(config_file), {})
    page = config_file.parent / "docs" / "notes" / "n03.md"
    info = page.stat()
    edit(page)
    if page.exists():
        os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))  # as if saved within the same clock tick
    assert render_cache.inputs_fingerprint(config(config_file), first.digests).fingerprint != first.fingerprint


def test_a_trusted_stamp_reuses_the_recorded_digest(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last build's digests are used while the file keeps a trusted stamp (no reading)."""
    monkeypatch.setattr(stamps, "RACY_SECONDS", -1e9)  # every stamp trusted
    first = render_cache.inputs_fingerprint(config(config_file), {})
    forged = {path: d._replace(digest=b"\0" * 32) for path, d in first.digests.items()}
    assert render_cache.inputs_fingerprint(config(config_file), forged).fingerprint != first.fingerprint
    monkeypatch.setattr(stamps, "RACY_SECONDS", 1e9)  # no stamp trusted: the forged digests are not used
    assert render_cache.inputs_fingerprint(config(config_file), forged).fingerprint == first.fingerprint


def entry_for(path: Path, data: bytes, key: str = "k", trusted: bool = False) -> Rendered:
    path.write_bytes(data)
    now = stamps.stamp(path)
    assert now is not None
    stamp = stamps.Stamp(*now.fields(), trusted)
    return Rendered(key=key, anchors=None, links_to_anchors=None, records=(), stamp=stamp,
                    source=Source(None, "d", ()), dest=path.name, digest=hashlib.sha256(data).digest())


class FakeFile:
    def __init__(self, path: Path) -> None:
        self.abs_dest_path = str(path)


def test_kept_needs_the_same_key_and_the_same_output(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    entry = entry_for(out, b"<p>hello</p>")
    assert render_cache.kept(entry, "k", FakeFile(out)) is not None  # type: ignore[arg-type]
    assert render_cache.kept(entry, "other", FakeFile(out)) is None  # type: ignore[arg-type]
    assert render_cache.kept(None, "k", FakeFile(out)) is None  # type: ignore[arg-type]
    out.write_bytes(b"<p>jello</p>")  # same size, right after: the stamp may be the same
    assert render_cache.kept(entry, "k", FakeFile(out)) is None  # type: ignore[arg-type]
    out.unlink()
    assert render_cache.kept(entry, "k", FakeFile(out)) is None  # type: ignore[arg-type]


def test_a_forged_trusted_entry_is_believed_by_its_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other side of the rule: with a trusted stamp the output is not read (what makes it fast)."""
    out = tmp_path / "page.html"
    entry = entry_for(out, b"<p>hello</p>", trusted=True)
    entry = Rendered(**{**entry.__dict__, "digest": b"\0" * 32})
    monkeypatch.setattr(stamps, "RACY_SECONDS", -1e9)
    assert render_cache.kept(entry, "k", FakeFile(out)) is not None  # type: ignore[arg-type]
    monkeypatch.setattr(stamps, "RACY_SECONDS", 2.0)
    entry = Rendered(**{**entry.__dict__, "stamp": stamps.Stamp(*entry.stamp.fields(), False)})  # type: ignore[union-attr]
    assert render_cache.kept(entry, "k", FakeFile(out)) is None  # type: ignore[arg-type]


def test_outputs_intact_checks_every_page_and_every_output(tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    (tmp_path / "sitemap.xml").write_text("x")
    state = SiteState(pages={"a.md": entry_for(a, b"A"), "b.md": entry_for(b, b"B")}, outputs={"sitemap.xml"})
    assert render_cache.outputs_intact(tmp_path, state) is not None
    b.write_bytes(b"C")
    assert render_cache.outputs_intact(tmp_path, state) is None
    b.write_bytes(b"B")
    (tmp_path / "sitemap.xml").unlink()
    assert render_cache.outputs_intact(tmp_path, state) is None


def test_a_save_right_after_a_site_build_is_rendered(config_file: Path, tmp_path: Path) -> None:
    """The defect this module had: an untrusted stamp hashed as 'None' made two fingerprints equal."""
    cache = tmp_path / "render.pickle"
    sitebuild.build_site(config(config_file), cache)
    page = config_file.parent / "docs" / "notes" / "n05.md"
    page.write_text(page.read_text("utf-8").replace("# Note 5", "# Note 5, edited"), "utf-8")
    report = sitebuild.build_site(config(config_file), cache)
    assert report.rendered and "notes/n05.md" in report.rendered
    assert "Note 5, edited" in (tmp_path / "site" / "notes" / "n05" / "index.html").read_text("utf-8")
    nothing = sitebuild.build_site(config(config_file), cache)
    assert nothing.rendered == [] and nothing.reused > 0
