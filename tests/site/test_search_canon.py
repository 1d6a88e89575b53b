"""Pagefind's bundle in one order: the same filters in any order give the same files and names."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from build_tools.site import search_canon
from build_tools.site.search_canon import Cbor, canonicalise, decode, encode

PAGES: list[Cbor] = [["en_aaaaaaa", 330], ["en_bbbbbbb", 283]]
COUNTRY: list[Cbor] = [["Russia", [0, 1]], ["France", [1]], ["China", [0]]]
TOPIC: list[Cbor] = [["energy", [0]], ["diplomacy", [0, 1]]]


def write(path: Path, value: Cbor) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(encode(value), mtime=0))


def fake_bundle(root: Path, reverse: bool) -> Path:
    """A bundle as Pagefind writes it, its filters and values in one order or the reverse."""
    order = (lambda items: list(reversed(items))) if reverse else list
    tag = "r" if reverse else "f"
    write(root / "filter" / f"en_c{tag}.pf_filter", ["country", order(COUNTRY)])
    write(root / "filter" / f"en_t{tag}.pf_filter", ["topic", order(TOPIC)])
    filters: list[Cbor] = [["country", f"en_c{tag}"], ["topic", f"en_t{tag}"]]
    write(root / f"pagefind.en_m{tag}.pf_meta",
          ["1.5.2", PAGES, [["000", "zz", "en_1234567"]], order(filters), [["date", [1, 0]]], ["date", "title"]])
    (root / "pagefind-entry.json").write_text(json.dumps(
        {"version": "1.5.2", "languages": {"en": {"hash": f"en_m{tag}", "wasm": "en", "page_count": 2}}}), "utf-8")
    return root


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_filters_in_any_order_give_the_same_files(tmp_path: Path) -> None:
    one, other = fake_bundle(tmp_path / "a", reverse=False), fake_bundle(tmp_path / "b", reverse=True)
    assert contents(one) != contents(other)
    assert canonicalise(one) and canonicalise(other)
    assert contents(one) == contents(other)


def test_the_rewritten_bundle_points_at_its_files_and_keeps_every_value(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path, reverse=True)
    assert canonicalise(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    meta_hash = entry["languages"]["en"]["hash"]
    assert meta_hash.startswith("en_") and len(meta_hash) == 3 + search_canon.META_HASH_CHARS
    meta = decode(gzip.decompress((bundle / f"pagefind.{meta_hash}.pf_meta").read_bytes()))
    assert isinstance(meta, list) and isinstance(meta[3], list)
    assert [f[0] for f in meta[3] if isinstance(f, list)] == ["country", "topic"]
    assert meta[:3] == ["1.5.2", PAGES, [["000", "zz", "en_1234567"]]]  # pages and chunks untouched
    country_file = meta[3][0][1] if isinstance(meta[3][0], list) else None
    country = decode(gzip.decompress((bundle / "filter" / f"{country_file}.pf_filter").read_bytes()))
    assert country == ["country", sorted(COUNTRY, key=lambda v: str(v[0]) if isinstance(v, list) else "")]
    assert sorted(p.name for p in (bundle / "filter").iterdir()) == sorted(f"{f[1]}.pf_filter" for f in meta[3]
                                                                           if isinstance(f, list))
    assert len(list(bundle.glob("*.pf_meta"))) == 1


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65536, 2**32, -1, -25, "", "€750", "x" * 300,
                                   [], [1, ["a", [-2, 3]]], list(range(30))],
                         ids=lambda v: repr(v)[:20])
def test_encode_and_decode_round_trip(value: Cbor) -> None:
    assert decode(encode(value)) == value


def test_a_bundle_in_another_form_is_left_as_it_is(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path, reverse=True)
    (bundle / "filter" / "en_cr.pf_filter").write_bytes(gzip.compress(b"pagefind_dcd\xa1\x01\x02"))  # a CBOR map
    before = contents(bundle)
    assert canonicalise(bundle) is False
    assert contents(bundle) == before
