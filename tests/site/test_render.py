"""Rendering: front-matter values and hand-written bodies reach the page as text."""

from __future__ import annotations

import yaml

from build_tools.site.render import body_html, md_text, page_front_matter, text

HOSTILE = "</title><script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) {: onclick=x}"


def test_front_matter_values_are_html_escaped_and_emitted_by_yaml() -> None:
    fm = page_front_matter({"title": HOSTILE, "tags": ["<b>x</b>"], "description": "a\nb: c"})
    meta = yaml.safe_load(fm.strip().strip("-"))
    assert "<" not in meta["title"] and "&lt;/title&gt;" in meta["title"]
    assert meta["tags"] == ["&lt;b&gt;x&lt;/b&gt;"]
    assert set(meta) == {"title", "tags", "description"}
    assert text('"') == "&quot;"


def test_inline_markdown_is_escaped() -> None:
    out = md_text(HOSTILE)
    assert "<" not in out and "\\[" in out and "\\(" in out and "\\{" in out


def test_hand_written_body_is_sanitised() -> None:
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) "
        "[b](JaVaScRiPt:alert(1)) [c](data:text/html,x) [d](vbscript:x) [ok](https://example.org) [rel](../x.md)\n\n"
        "<iframe srcdoc='x'></iframe><object data=x></object><base href=//evil><form action=x>"
        "<input type=password></form><p style='background:url(javascript:x)'>s</p>\n\n{: onclick=alert(1) }\n\n"
        "<svg><animate attributeName=href to=javascript:alert(1) /></svg><!-- XSS-CASE-999 -->"
    )
    out = body_html(body, "briefings/2021/07/x.md").lower()
    for bad in ("<script", "onerror", "javascript:", "vbscript:", "data:text", "<iframe", "srcdoc", "<object",
                "<base", "<form", "password", "style=", "<svg", "<animate", "<!--"):
        assert bad not in out, bad
    assert 'href="https://example.org"' in out and 'href="../../x/"' in out
