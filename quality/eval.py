"""Extraction quality gate: score the pipeline on the shared corpus and fail on any regression.

    python -m quality.eval ../shared/corpus            # score, compare with the baseline
    python -m quality.eval ../shared/corpus --update   # ratchet the baseline up
    python -m quality.eval ../shared/corpus --no-html  # text dumps only (faster)

Body scores follow the article-extraction-benchmark: 4-token shingles over lower-cased ``\\w+``
tokens; per document the true-positive, false-positive and false-negative shingle counts are
normalised to sum 1; those shares are averaged over the documents, and precision, recall and F1
come from the averages. trafilatura-eval has snippets instead of a body: a must-contain snippet
passes when the body holds it, a must-not-contain snippet when the body does not (snippets the
dump itself lacks, ``raw_check.must_contain_missing_from_raw``, are skipped).

Title is scored on the pages with a truth headline (an empty L3S headline means the assessors
marked none, not that the page has none). Date and author are scored on the pages whose truth
lists the field in ``truth_fields``, where a null truth means the annotators found none: a value
matches when both are null, or both normalise to the same words (case, whitespace and punctuation
ignored; an author list is compared as the multiset of its words, so order and separators do not
matter); a date matches on the same calendar day as printed. Null beats a wrong value, and this
scoring rewards exactly that.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

from build_tools.model import Article
from build_tools.process import process
from build_tools.read import sources

BASELINE = Path(__file__).parent / "baselines" / "extraction.json"
TOLERANCE = 0.002
"""A figure may fall this much below the baseline before the gate fails: float noise only (a
single page of 127 moves a mean by ~0.008, so a real regression always exceeds it)."""
SHINGLE = 4
WORKERS = 2
TEXT_SETS = ("aeb", "l3s-gn1", "trafilatura-eval", "reuters21578")
HTML_SETS = ("aeb", "l3s-gn1")


@dataclass(frozen=True)
class Job:
    set_name: str
    page_id: str
    input_path: Path
    truth_path: Path
    kind: str
    """``text`` for the dump, ``html`` for the original page."""


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if len(toks) < SHINGLE:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


def body_shares(predicted: str, truth: str) -> tuple[float, float, float]:
    """(tp, fp, fn) shares of one document, summing to 1."""
    pred, true = shingles(predicted), shingles(truth)
    if not pred and not true:
        return 1.0, 0.0, 0.0
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    return tp / total, fp / total, fn / total


def prf(shares: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    if not shares:
        return 0.0, 0.0, 0.0
    tp = sum(s[0] for s in shares) / len(shares)
    fp = sum(s[1] for s in shares) / len(shares)
    fn = sum(s[2] for s in shares) / len(shares)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def norm_words(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    words = re.findall(r"\w+", str(value).casefold().replace("_", " "))
    return " ".join(words) or None


def same_text(predicted: str | None, truth: object) -> bool:
    return norm_words(predicted) == norm_words(truth)


AUTHOR_JOINERS = frozenset({"and", "und", "et", "y"})


def same_author(predicted: str | None, truth: object) -> bool:
    """Same multiset of name words; 'and' between names and list separators do not count."""
    p, t = norm_words(predicted), norm_words(truth)
    if p is None or t is None:
        return p == t
    return sorted(w for w in p.split() if w not in AUTHOR_JOINERS) == \
        sorted(w for w in t.split() if w not in AUTHOR_JOINERS)


def squash(text: str) -> str:
    return " ".join(text.split())


def run_pipeline(path: Path) -> Article | None:
    for item in sources.read(path):
        if isinstance(item, Article):
            return process(item, None)
    return None


def score_job(job: Job) -> dict[str, object]:
    """Per-page scores: body shares, snippet counts, field matches."""
    truth = json.loads(job.truth_path.read_text("utf-8"))
    article = run_pipeline(job.input_path)
    body = "\n".join(article.body) if article else ""
    out: dict[str, object] = {"set": job.set_name, "kind": job.kind, "id": job.page_id}
    if truth.get("body") is not None:
        out["body"] = body_shares(body, truth["body"])
    if truth.get("body_must_contain") is not None:
        flat = squash(body)
        missing = set((truth.get("raw_check") or {}).get("must_contain_missing_from_raw") or [])
        must = [s for s in truth["body_must_contain"] if s not in missing]
        out["must_found"] = [squash(s) in flat for s in must]
        out["must_not_absent"] = [squash(s) not in flat for s in truth.get("body_must_not_contain") or []]
    # Reuters-21578 truth names no truth_fields: its title and wire timestamp are truth.
    fields = set(truth.get("truth_fields") or [k for k in ("title", "date") if truth.get(k)])
    if "title" in fields and truth.get("title"):
        out["title"] = same_text(article.title if article else None, truth["title"])
    if "date" in fields:
        when = article.date if article else None
        out["date"] = (when.date().isoformat() if when else None) == (str(truth["date"])[:10] if truth.get("date") else None)
    if "author" in fields:
        out["author"] = same_author(article.author if article else None, truth.get("author") or None)
    return out


def jobs(corpus: Path, with_html: bool) -> Iterator[Job]:
    for set_name in TEXT_SETS:
        for raw in sorted((corpus / set_name / "raw").glob("*.txt")):
            yield Job(set_name, raw.stem, raw, corpus / set_name / "truth" / f"{raw.stem}.json", "text")
    if with_html:
        for set_name in HTML_SETS:
            for page in sorted((corpus / set_name / "html").glob("*.html")):
                yield Job(set_name, page.stem, page, corpus / set_name / "truth" / f"{page.stem}.json", "html")


def summarise(results: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in results:
        groups[f"{r['set']} {r['kind']}"].append(r)
    table: dict[str, dict[str, float]] = {}
    for key in sorted(groups):
        rows = groups[key]
        figures: dict[str, float] = {"pages": float(len(rows))}
        shares = [r["body"] for r in rows if "body" in r]
        if shares:
            p, r_, f = prf(shares)  # type: ignore[arg-type]
            figures.update(body_precision=p, body_recall=r_, body_f1=f)
        for name in ("must_found", "must_not_absent"):
            flags = [flag for r in rows for flag in r.get(name, [])]  # type: ignore[attr-defined]
            if flags:
                figures[name] = sum(flags) / len(flags)
        for name in ("title", "date", "author"):
            flags = [r[name] for r in rows if name in r]
            if flags:
                figures[name] = sum(bool(f) for f in flags) / len(flags)
        table[key] = {k: round(v, 4) for k, v in figures.items()}
    return table


COLUMNS = ("pages", "body_precision", "body_recall", "body_f1", "must_found", "must_not_absent", "title", "date",
           "author")


def format_table(table: dict[str, dict[str, float]]) -> str:
    heads = ("set",) + tuple(c.replace("body_", "") for c in COLUMNS)
    width = max(len(k) for k in table) if table else 10
    lines = [f"{heads[0]:<{width}} " + " ".join(f"{h:>10}" for h in heads[1:])]
    for key, figures in table.items():
        cells = []
        for col in COLUMNS:
            v = figures.get(col)
            cells.append(f"{'-':>10}" if v is None else (f"{int(v):>10}" if col == "pages" else f"{v:>10.4f}"))
        lines.append(f"{key:<{width}} " + " ".join(cells))
    return "\n".join(lines)


def regressions(table: dict[str, dict[str, float]], baseline: dict[str, dict[str, float]]) -> list[str]:
    out = []
    for key, figures in baseline.items():
        if key not in table:
            continue
        for name, pinned in figures.items():
            if name == "pages":
                continue
            now = table[key].get(name)
            if now is None or now < pinned - TOLERANCE:
                out.append(f"{key} {name}: {now} < baseline {pinned}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quality.eval", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="the shared corpus folder (../shared/corpus)")
    parser.add_argument("--update", action="store_true", help="raise the baseline to the figures of this run")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML pages (trafilatura), text dumps only")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    args = parser.parse_args(argv)
    if not (args.corpus / "aeb").is_dir():
        print(f"{args.corpus}: not the shared corpus (no aeb/ folder). Fix: pass ../shared/corpus", file=sys.stderr)
        return 2
    started = time.perf_counter()
    todo = list(jobs(args.corpus, not args.no_html))
    if args.workers > 1:
        with Pool(args.workers) as pool:
            results = pool.map(score_job, todo, chunksize=8)
    else:
        results = [score_job(j) for j in todo]
    table = summarise(results)
    print(format_table(table))
    print(f"{len(todo)} pages in {time.perf_counter() - started:.1f}s")
    baseline = json.loads(args.baseline.read_text("utf-8")) if args.baseline.exists() else {}
    if args.update:
        merged = dict(baseline)
        for key, figures in table.items():
            old = merged.get(key, {})
            merged[key] = {k: max(v, old.get(k, 0.0)) if k != "pages" else v for k, v in figures.items()}
        args.baseline.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"baseline updated: {args.baseline}")
        return 0
    failed = regressions(table, baseline)
    for line in failed:
        print(f"REGRESSION {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
