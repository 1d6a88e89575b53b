"""Bytes to text: byte-order marks, sniffed UTF-16, UTF-8 with a per-line Windows-1252 fallback,
binary content refused, and the text normalised (line endings, NFC, forbidden characters)."""

from __future__ import annotations

import codecs
import unicodedata
from typing import NamedTuple

from build_tools.text import CONTROL_RE, STRAY_JOINER_RE

BINARY_CONTROL_SHARE = 0.05
"""Share of NUL/C0 control bytes above which a file is treated as binary, not text. Real text
dumps have none; c006-style files with stray NULs have well under 1%."""

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

UTF16_NUL_SHARE = 0.3
"""Share of NUL bytes at odd (or even) offsets above which BOM-less bytes are read as UTF-16 LE
(or BE): text in any Latin script has a NUL in almost every high byte; other files almost never."""


def _cp1252_or_latin1(err: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as Latin-1."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("briefings-latin1", _cp1252_or_latin1)


def sniff_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 (NULs in every other byte), else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    odd = sample[1::2].count(0) / (len(sample) // 2)
    even = sample[0::2].count(0) / (len(sample) // 2)
    if odd > UTF16_NUL_SHARE and even == 0:
        return "utf-16-le"
    if even > UTF16_NUL_SHARE and odd == 0:
        return "utf-16-be"
    return None


class Decoded(NamedTuple):
    text: str
    warnings: list[str]
    """What was repaired or guessed (encoding fallback, no byte-order mark...)."""


def decode(data: bytes) -> Decoded:
    """Bytes to text: BOMs honoured, UTF-16 sniffed, UTF-8 preferred, and lines that are not
    UTF-8 read as Windows-1252 (Latin-1 for its five undefined bytes), with a warning."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        # The BOM says UTF-8 for its first export; a file concatenated from several may still
        # hold Latin-1 lines further on, read by the per-line fallback below.
        data = data[len(codecs.BOM_UTF8):]
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"invalid {enc.upper()} bytes replaced with U+FFFD; re-save the file as UTF-8")
            return Decoded(text, warnings)
    utf16 = sniff_utf16(data)
    if utf16:
        warnings.append(f"no byte-order mark: read as {utf16.upper()}; save the file as UTF-8 to silence this")
        return Decoded(data.decode(utf16, errors="replace"), warnings)
    try:
        return Decoded(data.decode("utf-8"), warnings)
    except UnicodeDecodeError:
        pass
    out = []
    fallback_lines = 0
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="briefings-latin1"))
            fallback_lines += 1
    warnings.append(f"not valid UTF-8: read {fallback_lines} line(s) as Windows-1252/Latin-1; "
                    "save the file as UTF-8 to silence this")
    return Decoded("\n".join(out), warnings)


def looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or sniff_utf16(data):
        return False
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:4] in (b"%PDF", b"PK\x03\x04", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        return True
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / len(sample) > BINARY_CONTROL_SHARE


class Normalised(NamedTuple):
    text: str
    removed: int
    """How many forbidden characters were removed."""


def normalise_text(text: str) -> Normalised:
    """LF line endings, NFC, controls/bidi/zero-width removed, trailing blanks stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    cleaned, removed = CONTROL_RE.subn("", text)
    cleaned, joiners = STRAY_JOINER_RE.subn("", cleaned)
    removed += joiners
    lines = [line.rstrip() for line in cleaned.split("\n")]
    return Normalised("\n".join(lines).strip("\n"), removed)
