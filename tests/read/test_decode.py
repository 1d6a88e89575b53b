"""Bytes to text: every encoding an input comes in decodes, and binary content is told apart."""

from __future__ import annotations

import codecs

import pytest

from build_tools.read.decode import decode, looks_binary

ARTICLE = "ugc_banner\n\nCafé owners protest card fees\n\nWION Web Team\n\nThe owners said fees had risen again this year.\n"


@pytest.mark.parametrize(("data", "expected"), [
    (codecs.BOM_UTF8 + ARTICLE.encode(), ARTICLE),
    (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), ARTICLE),
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), ARTICLE),
    (ARTICLE.encode("utf-16-le"), ARTICLE),  # no BOM: sniffed from the NUL pattern
    (ARTICLE.encode("latin-1"), ARTICLE),
    (b"caf\xe9 \x81\x8d", "café \x81\x8d"),  # bytes cp1252 leaves undefined read as Latin-1, never U+FFFD
], ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-sniffed", "latin1", "cp1252-gaps"])
def test_decode(data: bytes, expected: str) -> None:
    text, _warnings = decode(data)
    assert text == expected


def test_latin1_fallback_warns() -> None:
    _, warnings = decode("Málaga".encode("latin-1"))
    assert warnings and "Latin-1" in warnings[0]


def test_utf16_is_not_binary_but_png_is() -> None:
    assert not looks_binary(ARTICLE.encode("utf-16-le"))
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
