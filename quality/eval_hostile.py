"""The hostile corpus's extraction expectations as a gate (python -m quality.eval_hostile ../shared).

``../shared/hostile/README.md`` expects, beside safety (which ``tests/test_hostile.py`` asserts on
every case), some extraction results: the headline of a Latin-1 page, the byline under control
characters, the title of an Arabic article... Each expectation is a figure here, 1 when it holds
and 0 when it does not, plus ``met``, the number that hold. The baseline
(``quality/baselines/hostile.json``) pins them through ``quality/gate.py``: an expectation that
held and no longer does fails the gate, as does a lower count; one that starts to hold is pinned
with ``--update``. The expectations are about extraction, so each input goes through the same
read and process stages as ingest, without writing anything.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_tools.model import Article
from build_tools.process import process
from build_tools.read.sources import read
from build_tools.store import briefing as bfile
from build_tools.tag.entities import load_vocabulary
from build_tools.text import clean_value
from quality import gate

REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "quality" / "baselines" / "hostile.json"
GROUP = "hostile extraction"
TOLERANCE = 0.0
"""Each figure is 0 or 1 (or a count): any drop is a regression."""

Articles = list[Article]


@dataclass(frozen=True)
class Expectation:
    """What the corpus README expects of the articles read from some of its inputs."""

    name: str
    inputs: tuple[str, ...]
    """File names under ``hostile/raw/``."""
    holds: Callable[[Articles, list[Path]], bool]


def title_is(title: str) -> Callable[[Articles, list[Path]], bool]:
    return lambda arts, paths: len(arts) == 1 and arts[0].title == title


def second_line(path: Path) -> str:
    """The input's headline slot: its second non-empty line (the first is the site's name)."""
    return [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()][1]


def title_is_second_line(arts: Articles, paths: list[Path]) -> bool:
    return len(arts) == 1 and arts[0].title == unicodedata.normalize("NFC", clean_value(second_line(paths[0])))


EXPECTATIONS = (
    Expectation("c001 title", ("c001_latin1_encoding.txt",),
                title_is("Café owners in Málaga and Zürich protest «unfair» card fees")),
    Expectation("c002 title", ("c002_utf16le_bom.txt",),
                title_is("Grain corridor talks resume in İstanbul as ships wait off Odesa")),
    Expectation("c003 title", ("c003_utf8_bom_crlf.txt",), title_is("Port strike enters third day as talks stall")),
    Expectation("c004 title", ("c004_cr_only_line_endings.txt",),
                title_is("Parliament approves emergency budget after all-night session")),
    Expectation("c004 paragraphs", ("c004_cr_only_line_endings.txt",),
                lambda arts, paths: len(arts) == 1 and bfile.article_body(arts[0]).count("\n\n") >= 2),
    Expectation("c005 title", ("c005_mixed_encoding.txt",), title_is("Mixed encodings: budget row deepens")),
    Expectation("c006 title", ("c006_nul_and_control_chars.txt",),
                lambda arts, paths: len(arts) == 1
                and " ".join(str(arts[0].title).split()) == "Budget talks stall as unions walk out"),
    Expectation("c006 author", ("c006_nul_and_control_chars.txt",),
                lambda arts, paths: len(arts) == 1 and arts[0].author == "Staff Reporter"),
    Expectation("c012 title", ("c012_title_punctuation_only.txt",), title_is_second_line),
    Expectation("c013 title", ("c013_title_emoji_only.txt",), title_is_second_line),
    Expectation("c025 title", ("c025_body_fake_front_matter.txt",),
                title_is("Court hears appeal in long-running land dispute")),
    Expectation("c027 titles", ("c027a_template_evaluation.txt", "c027b_template_malformed.txt"),
                lambda arts, paths: {a.title for a in arts} == {"Budget committee debates {{ spending }} plans",
                                                                "Budget committee {% cuts %} and {{ unbalanced"}),
    Expectation("c031 title", ("c031_arabic_rtl.txt",), title_is_second_line),
    Expectation("c032 title", ("c032_chinese.txt",), title_is_second_line),
    Expectation("c033 title", ("c033_russian_cyrillic.txt",), title_is_second_line),
    Expectation("c034 title", ("c034_html_script_noise.html",), title_is("Drought hits wheat harvest across the region")),
    Expectation("c036 title", ("c036_html_malformed_charset_lie.html",),
                lambda arts, paths: len(arts) == 1 and "Zürich" in str(arts[0].title)),
)


def evaluate(hostile: Path) -> tuple[gate.Figures, list[str]]:
    """Every expectation's figure, and a line for each one that does not hold."""
    vocabulary = load_vocabulary(REPO / "vocabulary")
    figures: dict[str, float] = {}
    misses: list[str] = []
    for exp in EXPECTATIONS:
        paths = [hostile / "raw" / name for name in exp.inputs]
        articles = [process(a, vocabulary) for p in paths for a in read(p) if isinstance(a, Article)]
        ok = exp.holds(articles, paths)
        figures[exp.name] = 1.0 if ok else 0.0
        if not ok:
            misses.append(f"not met: {exp.name}: titles {[a.title for a in articles]!r}, "
                          f"authors {[a.author for a in articles]!r}")
    figures["met"] = float(sum(1 for v in figures.values() if v == 1.0))
    return {GROUP: figures}, misses


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m quality.eval_hostile", description=__doc__.split("\n\n")[0])
    p.add_argument("shared", type=Path, help="the shared folder (holds hostile/)")
    gate.add_arguments(p, BASELINE)
    args = p.parse_args(argv)
    hostile = args.shared / "hostile"
    if not (hostile / "raw").is_dir():
        print(f"error: {hostile / 'raw'} not found; pass the shared folder (../shared)", file=sys.stderr)
        return 2
    figures, misses = evaluate(hostile)
    for line in misses:
        print(line)
    met = figures[GROUP]["met"]
    print(f"{GROUP}: {met:.0f} of {len(EXPECTATIONS)} expectations met")
    code = gate.run(figures, args, TOLERANCE)
    if code == 0:
        print("ok: no expectation that held has stopped holding")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
