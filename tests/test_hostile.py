"""The shared hostile corpus (../shared/hostile): every case alone and all together.

Each case is copied byte for byte into a temporary folder at test time (never into the
repository); the file-system cases c046-c050 are made there by the corpus's own
``make_fs_cases.py``. A case alone runs ``briefings ingest`` twice in-process (fast: the
vocabulary is compiled once) plus the page generation; the all-together case runs the real
command line in subprocesses, builds the site with MkDocs once and scans it with
``../shared/tools/xss_probe.py``. What is asserted is what the corpus README requires:

* no traceback, exit status 0, or 1 when anything was refused;
* every input (every JSONL line) becomes a briefing or gets a message naming it, one message
  per line, with no raw control or bidi characters;
* hand-edited briefings stay byte-identical; the second run changes nothing;
* nothing is written outside the briefings folder (the inputs and the working directory are
  unchanged, no ``PWNED-XSS-CASE-*`` file anywhere);
* every briefing ingest wrote passes the schema, with a web-safe file name;
* the case's own expectations (titles, duplicates, collisions...);
* the site built from the whole corpus plus the sample inbox has no probe finding.

Regenerate nothing: the corpus is the fixture. Run just this module with
``.venv/bin/pytest tests/test_hostile.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from build_tools import cli
from build_tools.build import BuildReport, generate
from build_tools.model import TAG_TYPES
from build_tools.process import process
from build_tools.read.files import Rejected
from build_tools.read.sources import read
from build_tools.slugs import briefing_id, briefing_path
from build_tools.store.archive import load_archive
from build_tools.store.briefing import KNOWN_KEYS, split
from build_tools.text import clean_value, display_path
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, INBOX, REPO, SHARED, served

HOSTILE = SHARED / "hostile"
PROBE = SHARED / "tools" / "xss_probe.py"
README = HOSTILE / "README.md"

# How long a case takes (README: bounded resources) is measured by the benchmark
# ``python -m quality.bench_hostile ../shared``, as a ratio to an ordinary article in the same run.

MESSAGE_PREFIXES = ("rejected: ", "warning: ", "duplicate: ", "kept: ", "replaced: ", "skipped: ", "ingest: ",
                    "error: ", "check: ")
SAFE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}(\.md)?$")
FORBIDDEN_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u00ad\ufeff]"
                                "|[A-Za-z ][\u200c\u200d]|[\u200c\u200d][A-Za-z ]")
"""Controls, bidi overrides, zero-width space, soft hyphen; joiners only where they hide words
(emoji ZWJ sequences and Arabic/Indic joiners are legitimate)."""


def case_ids() -> list[str]:
    if not README.is_file():
        return ["c001"]  # the fixture below skips with a clear reason
    return re.findall(r"^\| (c\d{3}) \|", README.read_text("utf-8"), re.MULTILINE)


def readme_briefings() -> dict[str, list[str]]:
    """Hand-edited briefings each case lists in the README table (c045's is not prefixed)."""
    out: dict[str, list[str]] = {}
    if README.is_file():
        for case, files in re.findall(r"^\| (c\d{3}) \| (.*?) \|", README.read_text("utf-8"), re.MULTILINE):
            out[case] = re.findall(r"`briefings/([^`]+)`", files)
    return out


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Path:
    if not (HOSTILE / "raw").is_dir():
        pytest.skip(f"{HOSTILE} is absent: the shared corpus lives beside the repository in ../shared")
    return HOSTILE


@pytest.fixture(scope="module")
def generated(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """c046-c050, made by the corpus's own script (never stored: names git cannot carry)."""
    target = tmp_path_factory.mktemp("fs_cases")
    subprocess.run([sys.executable, str(hostile / "make_fs_cases.py"), str(target)], check=True,
                   capture_output=True, timeout=120)
    return target


@dataclass
class Case:
    """One hostile case laid out in a scratch folder, as an editor's repository would hold it."""

    name: str
    root: Path
    inputs: list[Path]
    hand_edited: dict[Path, str] = field(default_factory=dict)
    """Hand-edited briefing (placed in the briefings folder) -> sha256 before any run."""

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def briefings(self) -> Path:
        return self.root / "briefings"

    @property
    def work(self) -> Path:
        """The working directory of every run: must stay empty."""
        return self.root / "work"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name, hex of its bytes) -> sha256; the lock and the
    ingest cache (a dot-folder nothing publishes) excluded."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".briefings-cache"]
        for name in files:
            path = Path(dirpath) / name
            if name == ".briefings.lock" or path.is_symlink():
                continue
            out[os.fsdecode(path.relative_to(folder)).encode("utf-8", "surrogateescape").hex()] = sha256(path)
    return out


def copy_input(src: Path, dst_dir: Path) -> Path:
    dst = Path(os.path.join(os.fsencode(dst_dir), os.fsencode(src.name)).decode("utf-8", "surrogateescape"))
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copyfile(src, dst)
    return dst


def generated_path_for(raw_file: Path) -> Path | None:
    """Where our slug scheme puts the briefing of ``raw_file`` (README, c045: 'rename the
    hand-edited file to the name your tool would generate')."""
    for item in read(raw_file):
        if not isinstance(item, Rejected):
            article = process(item, None)
            return Path(briefing_path(article.title, article.date, briefing_id(article.input_hash)))
    return None


def lay_out(case: str, hostile: Path, generated: Path, root: Path) -> Case:
    c = Case(case, root, [])
    for folder in (c.raw, c.briefings, c.work):
        folder.mkdir(parents=True)
    for src in sorted((hostile / "raw").iterdir()):
        if src.name.startswith(case):
            c.inputs.append(copy_input(src, c.raw))
    for name in sorted(os.listdir(os.fsencode(generated))):
        if name.startswith(case.encode()):
            c.inputs.append(copy_input(generated / os.fsdecode(name), c.raw))
    edited = [p for p in sorted((hostile / "briefings").iterdir())
              if p.name.startswith(case) or p.name in readme_briefings().get(case, [])]
    for src in edited:
        dst = c.briefings / src.name
        if not src.name.startswith(case) and c.inputs:
            # Named like a generated briefing: put it where our scheme would write that article.
            target = generated_path_for(c.inputs[0])
            if target is not None:
                dst = c.briefings / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        dst.chmod(0o644)
        c.hand_edited[dst] = sha256(dst)
    for path in c.raw.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return c


@dataclass
class Run:
    code: int
    stderr: str


def run_cli(case: Case, *argv: str) -> Run:
    """``briefings ARGV`` in-process, from the case's empty working directory."""
    err, out = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(case.work)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = cli.main(["-q", *argv])  # any exception here is a traceback: the test fails
    finally:
        os.chdir(cwd)
    return Run(code, err.getvalue())


def ingest(case: Case) -> Run:
    return run_cli(case, "ingest", str(case.raw), "--briefings", str(case.briefings),
                   "--vocabulary", str(REPO / "vocabulary"))


def written_briefings(case: Case) -> dict[Path, dict[str, object]]:
    """Briefings ingest wrote (not the hand-edited ones) -> front matter, loaded safely."""
    out = {}
    for path in sorted(case.briefings.rglob("*.md")):
        if path in case.hand_edited:
            continue
        meta_text, _ = split(path.read_text("utf-8"))
        assert meta_text is not None, f"{path}: no front matter"
        meta = yaml.safe_load(meta_text)
        assert isinstance(meta, dict), path
        out[path] = meta
    return out


def pwned_files(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            found += [Path(dirpath) / f for f in files if f.startswith("PWNED-XSS-CASE")]
    return found


# --- what every case must satisfy -----------------------------------------------------------


def assert_clean_messages(stderr: str) -> None:
    assert "Traceback" not in stderr
    for line in stderr.splitlines():
        assert line.startswith(MESSAGE_PREFIXES), f"message split over lines or unprefixed: {line!r}"
        assert not FORBIDDEN_CHARS_RE.search(line), f"raw control/bidi character in message: {line!r}"


def input_names(case: Case) -> Iterator[tuple[str, Path]]:
    """(name as messages and origins show it, file) for every input file, folders walked."""
    for path in case.inputs:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            yield display_path(f.name), f


def assert_every_input_accounted(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    sources = {str(o.get("source")) for meta in briefings.values()
               for o in (meta.get("origins") or []) if isinstance(o, dict)}
    for shown, path in input_names(case):
        if path.suffix == ".jsonl":
            lines = path.read_bytes().decode("utf-8", "replace").splitlines()
            for n, line in enumerate(lines, 1):
                if line.strip():
                    ref = f"{shown}:{n}"
                    assert ref in sources or re.search(rf"{re.escape(ref)}\b", stderr), \
                        f"record {ref} neither became a briefing nor got a message"
        else:
            assert any(s == shown or s.startswith(shown + "#") for s in sources) or shown in stderr, \
                f"{shown} neither became a briefing nor got a message"


def assert_schema_and_names(case: Case, briefings: dict[Path, dict[str, object]]) -> None:
    for path, meta in briefings.items():
        rel = path.relative_to(case.briefings)
        assert all(SAFE_NAME_RE.match(part) or re.fullmatch(r"\d{4}|\d{2}|undated", part)
                   for part in rel.parts), f"unsafe briefing path {rel}"
        assert set(meta) <= set(KNOWN_KEYS), f"{rel}: unexpected keys {set(meta) - set(KNOWN_KEYS)}"
        assert isinstance(meta["title"], str) and meta["title"].strip()
        assert not FORBIDDEN_CHARS_RE.search(meta["title"])
        for kind in TAG_TYPES:
            assert isinstance(meta[kind], list) and all(isinstance(t, str) for t in meta[kind])
    archive = load_archive(case.briefings)
    edited_names = {display_path(f"{case.briefings.name}/{p.relative_to(case.briefings).as_posix()}")
                    for p in case.hand_edited}
    for error in archive.errors:
        assert error.split(":", 1)[0] in edited_names, f"a briefing ingest wrote fails the schema: {error}"


@pytest.mark.parametrize("case_name", case_ids())
def test_case_alone(case_name: str, hostile: Path, generated: Path, tmp_path: Path) -> None:
    case = lay_out(case_name, hostile, generated, tmp_path)
    inputs_before = snapshot(case.raw)

    first = ingest(case)
    assert_clean_messages(first.stderr)
    rejected = "rejected: " in first.stderr
    assert first.code == (1 if rejected else 0), first.stderr
    after_first = snapshot(case.briefings)
    for path, digest in case.hand_edited.items():
        assert sha256(path) == digest, f"hand-edited {path.name} was changed"

    second = ingest(case)
    assert_clean_messages(second.stderr)
    assert snapshot(case.briefings) == after_first, "the second run changed the briefings folder"
    assert " 0 written" in second.stderr.splitlines()[-1]

    briefings = written_briefings(case)
    assert_every_input_accounted(case, first.stderr, briefings)
    assert_schema_and_names(case, briefings)

    report = BuildReport()
    generate(case.briefings, case.root / "docs", report)  # the pages, without MkDocs (together builds)
    for path, digest in case.hand_edited.items():
        assert sha256(path) == digest, f"hand-edited {path.name} was changed by the build"

    assert snapshot(case.raw) == inputs_before, "inputs were changed"
    assert list(case.work.iterdir()) == [], "something was written into the working directory"
    assert pwned_files(case.root, REPO) == []
    expectations = EXPECT.get(case_name)
    if expectations:
        expectations(case, first.stderr, briefings)


# --- what the README says about particular cases -----------------------------------------------


# Expectations about extraction quality (titles, bylines, paragraphs) are figures of the gate
# ``quality/eval_hostile.py``, pinned in ``quality/baselines/hostile.json``: one that holds and
# stops holding fails ``tests/quality/test_eval_hostile.py``. What stays here is safety.


def titles(briefings: dict[Path, dict[str, object]]) -> list[str]:
    return [str(m["title"]) for m in briefings.values()]


def bodies(briefings: dict[Path, dict[str, object]]) -> str:
    return "\n".join(split(p.read_text("utf-8"))[1] for p in briefings)


def only(briefings: dict[Path, dict[str, object]]) -> dict[str, object]:
    assert len(briefings) == 1, f"expected one briefing, got {titles(briefings)}"
    return next(iter(briefings.values()))


def one_briefing(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    """An article with a headline and a body: it becomes exactly one briefing (its title: the gate)."""
    only(briefings)


def expect_refused(reason: str) -> Callable[[Case, str, dict[Path, dict[str, object]]], None]:
    def check(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
        assert briefings == {}
        shown = display_path(case.inputs[0].name)
        assert any(shown in line and re.search(reason, line, re.IGNORECASE) for line in stderr.splitlines()), stderr
    return check


def c001(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    only(briefings)
    assert re.search(r"c001_latin1_encoding\.txt: .*(Latin-1|1252)", stderr)


def c005(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    only(briefings)
    assert "naïve coöperation — “quoted”" in bodies(briefings)
    assert "c005_mixed_encoding.txt: " in stderr


def c011(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    path, meta = next(iter(briefings.items()))
    assert len(path.name) <= 104
    assert len(str(meta["title"])) <= 301 and len(str(meta.get("summary") or "")) <= 500
    assert max(len(w) for w in bodies(briefings).split()) >= 180_000, "c011: the 180,000-character line was lost"
    assert len(str(meta["title"])) > 100, f"c011: title cut to {meta['title']!r}"


def fallback_slug(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    only(briefings)
    path = next(iter(briefings))
    assert path.stem and not path.name.startswith((".", "-"))


def c014(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    assert len(briefings) == 2  # distinct paths: neither overwrote the other
    text = bodies(briefings)
    assert "XSS-CASE-014A" in text and "XSS-CASE-014B" in text, "c014: corpus marker lines dropped"


def c015(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    meta = only(briefings)
    assert re.search(r"c015b_exact_duplicate\.txt: duplicate of .*c015a_exact_duplicate\.txt", stderr)
    assert len(meta["origins"]) == 3  # type: ignore[arg-type]


def c017(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    path, meta = next(iter(briefings.items()))
    assert not FORBIDDEN_CHARS_RE.search(path.name + str(meta["title"]) + str(meta["author"]))
    assert meta["author"] == "WION Web Team"


def c018(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    wanted = {}
    for line in case.inputs[0].read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            wanted[record["body"]] = clean_value(record["title"])
    found = {}
    for path, meta in briefings.items():
        assert "second_key" not in meta
        found[split(path.read_text("utf-8"))[1].strip()] = meta["title"]
    for text, title in wanted.items():
        body = next((b for b in found if text.replace("_", "\\_") in b or text in b), None)
        assert body is not None, f"no briefing for {text!r}"
        assert found[body] == title, (found[body], title)


def c019(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    # The headline slot above the byline/date block is the title whatever its characters, read
    # back as the same string (the front matter quotes the tag).
    assert only(briefings)["title"] == '!!python/object/apply:builtins.open ["PWNED-XSS-CASE-019.txt", "w"]'


def c025(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    path, meta = next(iter(briefings.items()))
    assert not {"template", "hide", "search"} & set(meta)


def c027(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    assert len(briefings) == 2  # two articles, neither evaluated as a template (their titles: the gate)
    assert not any("PWNED" in t for t in titles(briefings))


def script_title(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    only(briefings)
    path = next(iter(briefings))
    assert path.stem and SAFE_NAME_RE.match(path.name)


def c036(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    meta = only(briefings)
    assert "Ã" not in str(meta["title"]) + bodies(briefings)


def c037(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    for meta in briefings.values():
        tags = [t for kind in TAG_TYPES for t in meta[kind]]  # type: ignore[attr-defined]
        assert all(len(str(t)) > 1 for t in tags), tags


def c038(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    found = titles(briefings)
    assert any(t.startswith("Valid record after the garbage") for t in found), found
    assert "Second valid record at the end" in found, found


def c039(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    assert len(briefings) == 2


def hand_edited_reported(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    check = run_cli(case, "check", "--briefings", str(case.briefings))
    assert check.code == 1
    assert_clean_messages(check.stderr)
    for path in case.hand_edited:
        assert re.search(rf"{re.escape(path.name)}:\d+: ", check.stderr), check.stderr


def c045(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    (edited,) = case.hand_edited
    assert edited.parent != case.briefings, "the hand-edited file was not put where our tool writes c045b"
    assert len(briefings) == 1 and next(iter(briefings)) != edited  # written under another name


def c046(case: Case, stderr: str, briefings: dict[Path, dict[str, object]]) -> None:
    assert briefings == {} and re.search(r"c046_huge_file\.txt: .*MiB", stderr) or len(briefings) == 1


EXPECT: dict[str, Callable[[Case, str, dict[Path, dict[str, object]]], None]] = {
    "c001": c001, "c002": one_briefing, "c003": one_briefing, "c004": one_briefing, "c005": c005,
    "c006": one_briefing, "c007": expect_refused("binary"),
    "c008": expect_refused("empty"), "c009": expect_refused("whitespace|empty|no visible text"),
    "c010": expect_refused("no headline|no article text|furniture|boilerplate"),
    "c011": c011, "c012": fallback_slug, "c013": fallback_slug, "c014": c014, "c015": c015, "c017": c017,
    "c018": c018, "c019": c019,
    "c025": c025, "c027": c027, "c031": script_title, "c032": script_title, "c033": script_title,
    "c034": one_briefing, "c036": c036, "c037": c037,
    "c038": c038, "c039": c039, "c041": hand_edited_reported, "c042": hand_edited_reported,
    "c043": hand_edited_reported, "c044": hand_edited_reported, "c045": c045, "c046": c046,
}


# --- all together, through the real command line, with the site built and probed ---------------


def briefings_cmd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", "-q", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})


@dataclass
class Together:
    root: Path
    hand_edited: dict[Path, str]
    ingest: subprocess.CompletedProcess[str]
    after_first: dict[str, str]
    second: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def together(hostile: Path, generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Together:
    root = tmp_path_factory.mktemp("together")
    hand_edited: dict[Path, str] = {}
    (root / "raw").mkdir()
    for case in case_ids():
        c = lay_out(case, hostile, generated, root / "cases" / case)
        for name in os.listdir(os.fsencode(c.raw)):
            os.rename(os.path.join(os.fsencode(c.raw), name), os.path.join(os.fsencode(root / "raw"), name))
        for path in c.briefings.rglob("*.md"):
            dst = root / "briefings" / path.relative_to(c.briefings)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst)
            hand_edited[dst] = sha256(dst)
    shutil.copytree(INBOX, root / "raw" / "sample-inbox")
    shutil.rmtree(root / "cases")
    work = root / "work"
    work.mkdir()
    args = ("ingest", str(root / "raw"), "--briefings", str(root / "briefings"),
            "--vocabulary", str(REPO / "vocabulary"))
    first = briefings_cmd(*args, cwd=work)
    after_first = snapshot(root / "briefings")
    second = briefings_cmd(*args, cwd=work)
    build = briefings_cmd("build", "--briefings", str(root / "briefings"), "--docs", str(root / "docs"),
                          "--site", str(root / "site"), "--config", str(REPO / "mkdocs.yml"), cwd=work)
    return Together(root, hand_edited, first, after_first, second, build)


def test_together_ingest_finishes_in_time_without_traceback(together: Together) -> None:
    assert together.ingest.returncode == 1  # the corpus has refused inputs: 'completed with warnings'
    assert_clean_messages(together.ingest.stderr)


def test_together_rerun_changes_nothing(together: Together) -> None:
    assert_clean_messages(together.second.stderr)
    assert snapshot(together.root / "briefings") == together.after_first
    assert " 0 written" in together.second.stderr.splitlines()[-1]


def test_together_hand_edited_briefings_byte_identical(together: Together) -> None:
    assert together.hand_edited
    for path, digest in together.hand_edited.items():
        assert sha256(path) == digest, path


def test_together_site_builds_and_reports_bad_briefings(together: Together) -> None:
    assert together.build.returncode == 1, together.build.stderr  # c041-c044 are reported, not published
    assert "Traceback" not in together.build.stderr
    assert (together.root / "site" / "index.html").is_file()
    for name in ("c041_unclosed_front_matter.md", "c042_yaml_syntax_error.md", "c043_yaml_billion_laughs.md",
                 "c044_yaml_python_tags.md"):
        assert re.search(rf"error: briefings/{re.escape(name)}:\d+: .*\(not published\)", together.build.stderr)


def test_together_nothing_outside_the_output_folders(together: Together) -> None:
    assert list((together.root / "work").iterdir()) == []
    assert pwned_files(together.root, REPO) == []
    expected = {"raw", "briefings", "docs", "site", "work"}
    assert {p.name for p in together.root.iterdir()} <= expected


def test_together_site_has_no_injection(together: Together) -> None:
    if not PROBE.is_file():
        pytest.skip(f"{PROBE} is absent")
    site = together.root / "site"
    result = subprocess.run([sys.executable, str(PROBE), str(site), "--json", "--pwned-root", str(together.root)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    findings = report.get("findings", report) if isinstance(report, dict) else report
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8", "replace")
        assert not re.search(r"XSS-CASE-\d+[A-Z]?-(EVALUATED|LEAKED-SECRET)", text), page
    assert findings == [], json.dumps(findings, indent=1)[:4000]
    assert result.returncode == 0


@pytest.mark.browser
@pytest.mark.slow
def test_together_site_runs_no_injected_script_in_chromium(together: Together) -> None:
    """Every page of the hostile site, opened in Debian's Chromium: no dialog, no script with a case
    token, no request leaving the machine, no -EVALUATED marker in the live DOM."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run 'make browser' (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    site = together.root / "site"
    problems: list[str] = []
    with served(site) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        current = {"url": ""}

        def on_dialog(dialog: object) -> None:
            problems.append(f"{current['url']}: a dialog opened ({getattr(dialog, 'message', '')!r})")
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)
        page.on("console", lambda msg: problems.append(f"{current['url']}: console {msg.text!r}")
                if "XSS-CASE" in msg.text else None)
        page.on("request", lambda req: problems.append(f"{current['url']}: request to {req.url}")
                if not req.url.startswith((base, "data:", "blob:", "about:")) else None)
        # Every page that shows text from the corpus (a case token), and the home page.
        shown = [h for h in sorted(site.rglob("*.html"))
                 if h.name == "index.html" and (h.parent == site or "XSS-CASE" in h.read_text("utf-8", "replace"))]
        assert len(shown) > 50
        for html in shown:
            current["url"] = base + html.relative_to(site).as_posix()
            page.goto(current["url"], wait_until="load", timeout=20_000)
            dom = page.content()
            if re.search(r"XSS-CASE-\d+[A-Z]?-(EVALUATED|LEAKED-SECRET)", dom):
                problems.append(f"{current['url']}: an -EVALUATED/-LEAKED marker is in the live page")
        browser.close()
    assert problems == [], "\n".join(problems[:40])
