"""Ingest: hand edits are sacred, reruns change nothing, a kill or a second ingest never corrupts.

The kill test SIGKILLs ``briefings ingest`` at a seeded random briefing write (half-way through
the temporary file, or right after its rename; set ``BRIEFINGS_KILL_SEEDS=1,2,3`` to try others),
then checks that the folder holds only complete briefings and that a rerun reaches exactly the
uninterrupted result.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from build_tools.ingest import ingest
from build_tools.store.archive import load_archive
from build_tools.store.briefing import is_hand_edited
from build_tools.store.writer import FolderLock
from tests.conftest import INBOX, REPO

KILL_SEEDS = [int(s) for s in os.environ.get("BRIEFINGS_KILL_SEEDS", "7,19").split(",")]
SYNTHETIC_ARTICLES = 120
"""Enough briefings that the write phase (an fsync per file) lasts long enough to be interrupted."""


WORDS = ("water grain border budget tariff pipeline harvest election railway vaccine reservoir drought "
         "ceasefire refinery corridor subsidy pension airport customs fishery quota merger").split()


def article(n: int) -> str:
    """A distinct article (no two near-duplicates of each other), the same on every run."""
    rng = random.Random(n)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + f" number {n}." for _ in range(3)]
    return (f"ugc_banner\n\nCommittee {n} reviews {rng.choice(WORDS)} agreement in Dushanbe\n\nWION Web Team\n"
            f"World Updated: Jul {1 + n % 28:02d}, 2021, 04:31 PM IST\nmain img\nPhotograph:(Reuters)\n\n"
            "Story highlights\n\n" + "\n\n".join(sentences) + "\n\n(With inputs from Agencies)\n")


def cli(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", "-q", *args], capture_output=True, text=True,
                          timeout=300, cwd=REPO, **kw)  # type: ignore[call-overload,no-any-return]


def popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "build_tools", "-q", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True)


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every briefing file (hidden files and folders excluded)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for path in INBOX.iterdir():
        if path.is_file():
            shutil.copyfile(path, folder / path.name)
    for n in range(SYNTHETIC_ARTICLES):
        (folder / f"synthetic-{n:03d}.txt").write_text(article(n), "utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The briefings an uninterrupted ingest writes."""
    root = tmp_path_factory.mktemp("reference") / "briefings"
    result = cli("ingest", str(inbox), "--briefings", str(root))
    assert result.returncode == 0, result.stderr
    return snapshot(root)


def small_inbox(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(article(i), "utf-8")
    return folder


# --- hand edits ---------------------------------------------------------------------------------


def test_rerun_changes_nothing(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    first = ingest([inbox], root, None)
    before = snapshot(root)
    second = ingest([inbox], root, None)
    assert len(first.written) == 3 and second.written == [] and snapshot(root) == before


def test_hand_edited_briefing_is_never_rewritten(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    ingest([inbox], root, None)
    target = sorted(root.rglob("*.md"))[0]
    edited = target.read_bytes() + b"\nAn editor added this paragraph.\n"
    target.write_bytes(edited)
    report = ingest([inbox], root, None)
    assert target.read_bytes() == edited
    assert report.kept_edits == [] and report.written == []  # nothing new about it: nothing to say


def test_briefing_whose_front_matter_an_editor_broke_is_left_alone_and_not_duplicated(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    ingest([inbox], root, None)
    before = snapshot(root)
    target = sorted(root.rglob("*.md"))[0]
    broken = target.read_bytes().replace(b"\nauthor:", b"\nauthor: Editor: with a colon\nx:", 1)
    target.write_bytes(broken)
    ingest([inbox], root, None)
    assert target.read_bytes() == broken
    assert set(snapshot(root)) == set(before)  # no twin written under another name


def test_new_source_for_an_edited_briefing_is_reported_not_forced_in(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    ingest([inbox], root, None)
    target = next(p for p in root.rglob("*.md") if "committee-0-" in p.name)
    edited = target.read_bytes() + b"\nAn editor's note.\n"
    target.write_bytes(edited)
    shutil.copyfile(inbox / "a0.txt", inbox / "z-copy-of-a0.txt")
    report = ingest([inbox], root, None)
    assert target.read_bytes() == edited
    assert len(report.kept_edits) == 1
    assert "edited by hand" in report.kept_edits[0] and "z-copy-of-a0.txt" in report.kept_edits[0]


def test_force_overwrites_and_says_what_it_replaced(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    ingest([inbox], root, None)
    target = sorted(root.rglob("*.md"))[0]
    original = target.read_bytes()
    target.write_bytes(original + b"\nedit\n")
    report = ingest([inbox], root, None, force=True)
    assert target.read_bytes() == original
    assert len(report.replaced) == 1 and target.name in report.replaced[0] and "--force" in report.replaced[0]


def test_new_briefing_never_lands_on_an_editors_file(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path, 1), tmp_path / "briefings"
    ingest([inbox], tmp_path / "probe", None)
    (natural,) = (tmp_path / "probe").rglob("*.md")
    squatter = root / natural.relative_to(tmp_path / "probe")
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"---\ntitle: An editor's own page\n---\n\nHand written.\n")
    # The name with the id suffix is taken by an editor too (case differs: macOS would clash).
    suffixed = squatter.with_name(squatter.stem.upper() + ".md")
    suffixed.write_bytes(b"---\ntitle: Another\n---\n")
    ingest([inbox], root, None)
    before = snapshot(root)
    assert squatter.read_bytes().startswith(b"---\ntitle: An editor's own page")
    assert len(before) == 3
    ingest([inbox], root, None)
    assert snapshot(root) == before


def test_a_briefing_that_cannot_be_written_is_reported_and_the_rest_written(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "2021").mkdir(parents=True)
    (root / "2021" / "07").symlink_to(outside, target_is_directory=True)
    report = ingest([inbox], root, None)
    assert list(outside.iterdir()) == []
    assert report.rejected and all("symbolic link" in r.reason for r in report.rejected)


# --- kill and concurrency -------------------------------------------------------------------------


def assert_folder_valid(root: Path) -> None:
    archive = load_archive(root)
    assert archive.errors == []
    for path in root.rglob("*.md"):
        if not any(part.startswith(".") for part in path.relative_to(root).parts):
            assert not is_hand_edited(path.read_text("utf-8")), f"{path} is not a complete briefing"


KILLER = """
import os, signal, sys
from build_tools.store import writer
at, where = int(sys.argv[1]), sys.argv[2]
real, calls = writer.atomic_write, [0]

def atomic_write(path, data, durable=True):
    if path.suffix == ".md":
        calls[0] += 1
        if calls[0] == at and where == "mid-write":  # half the bytes in the temporary file, then killed
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.parent / ("." + path.name + ".killed" + writer.TEMP_SUFFIX)
            tmp.write_bytes(data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
    real(path, data, durable)
    if path.suffix == ".md" and calls[0] == at and where == "after-write":
        os.kill(os.getpid(), signal.SIGKILL)

real_move = writer._move_staged

def move_staged(staged, path, size):  # a draft the workers staged: the briefing's write is its rename
    if path.suffix == ".md":
        calls[0] += 1
        if calls[0] == at and where == "mid-write":  # its bytes in the staging folder, not yet in place
            os.kill(os.getpid(), signal.SIGKILL)
    moved = real_move(staged, path, size)
    if path.suffix == ".md" and calls[0] == at and where == "after-write":
        os.kill(os.getpid(), signal.SIGKILL)
    return moved

writer.atomic_write = atomic_write
writer._move_staged = move_staged
from build_tools.cli import main
sys.exit(main(sys.argv[3:]))
"""
"""``briefings`` in a process that kills itself (SIGKILL: no handler, no cleanup) at its n-th briefing
write, either half-way through writing the temporary file (or with a worker's staged copy not yet
renamed into place) or right after the rename."""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["mid-write", "after-write"])
@pytest.mark.parametrize("seed", KILL_SEEDS)
def test_kill_during_ingest_then_rerun_completes(seed: int, where: str, inbox: Path, reference: dict[str, str],
                                                  tmp_path: Path) -> None:
    at = random.Random(seed).randint(1, len(reference) - 1)  # which write is the last: always mid-run
    root = tmp_path / "briefings"
    killed = subprocess.run([sys.executable, "-c", KILLER, str(at), where, "-q", "ingest", str(inbox),
                             "--briefings", str(root)], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert_folder_valid(root)
    written = snapshot(root)
    assert len(written) == (at if where == "after-write" else at - 1)
    assert all(reference.get(rel) == digest for rel, digest in written.items())  # complete, not half files
    rerun = cli("ingest", str(inbox), "--briefings", str(root))
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert snapshot(root) == reference
    assert not [p for p in root.rglob("*.tmp") if ".briefings-cache" not in p.parts]


def test_second_ingest_waits_for_nothing_and_says_why(tmp_path: Path) -> None:
    inbox, root = small_inbox(tmp_path), tmp_path / "briefings"
    with FolderLock(root):
        result = cli("ingest", str(inbox), "--briefings", str(root))
    assert result.returncode == 1
    assert "another ingest is running on this folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(root.rglob("*.md"))


@pytest.mark.slow
def test_two_ingests_at_once_do_not_corrupt(inbox: Path, reference: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "briefings"
    procs = [popen("ingest", str(inbox), "--briefings", str(root)) for _ in range(2)]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, stderr in results:
        assert "Traceback" not in stderr
        assert code == 0 or (code == 1 and "another ingest is running" in stderr), stderr
    assert any(code == 0 for code, _ in results)
    assert_folder_valid(root)
    assert snapshot(root) == reference


# --- hostile file systems: every odd entry is one line, the other inputs are still ingested ---------


def _loop(inbox: Path) -> list[str]:
    (inbox / "loop_a.txt").symlink_to("loop_b.txt")
    (inbox / "loop_b.txt").symlink_to("loop_a.txt")
    (inbox / "self.txt").symlink_to("self.txt")
    return ["loop_a.txt", "loop_b.txt", "self.txt"]


def _dangling(inbox: Path) -> list[str]:
    (inbox / "gone.txt").symlink_to("nowhere.txt")
    return ["gone.txt"]


def _outside(inbox: Path) -> list[str]:
    secret = inbox.parent / "secret.txt"
    secret.write_text(article(900))
    (inbox / "secret.txt").symlink_to(secret)
    return ["secret.txt"]


def _fifo(inbox: Path) -> list[str]:
    os.mkfifo(inbox / "pipe.txt")
    return ["pipe.txt"]


def _socket(inbox: Path) -> list[str]:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "sock.txt"))
    sock.close()
    return ["sock.txt"]


def _folder_named_like_a_file(inbox: Path) -> list[str]:
    (inbox / "folder.txt").mkdir()
    return []  # walked into: a folder is never an input, and an empty one needs no line


FAMILY = {"symlink-loop": (_loop, "loop"), "dangling-link": (_dangling, "dangling"),
          "link-out-of-the-inbox": (_outside, "outside the input folder"),
          "fifo": (_fifo, "not a regular file"), "socket": (_socket, "not a regular file"),
          "folder-named-like-a-file": (_folder_named_like_a_file, "")}


@pytest.mark.parametrize("case", sorted(FAMILY), ids=sorted(FAMILY))
def test_odd_inbox_entries_are_one_line_each_and_the_rest_is_ingested(case: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(article(1))
    make, reason = FAMILY[case]
    names = make(inbox)
    report = ingest([inbox], tmp_path / "briefings", None)
    assert len(report.written) == 1, report.rejected
    messages = [r.message() for r in report.rejected]
    assert len(messages) == len(names), messages
    for name in names:
        (line,) = [m for m in messages if f"inbox/{name}: " in m]
        assert reason in line and "Fix: " in line


def test_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 means nothing to root, so the refusal of the operating system is simulated."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(article(1))
    (inbox / "locked.txt").write_text(article(2))
    real_open = os.open

    def refusing_open(path: object, flags: int, *args: object, **kw: object) -> int:
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    report = ingest([inbox], tmp_path / "briefings", None)
    assert len(report.written) == 1
    (message,) = [r.message() for r in report.rejected]
    assert "locked.txt: cannot be read (Permission denied)." in message and "Fix: check its permissions" in message


@pytest.mark.parametrize("name", [b"caf\xe9.txt", b"-rf.txt", b"--help.txt", b"new\nline.txt"],
                         ids=["latin1-name", "dash-rf", "dash-dash-help", "newline"])
def test_odd_file_names_are_ingested(name: bytes, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(os.path.join(os.fsencode(inbox), name), "w") as fh:
        fh.write(article(3))
    report = ingest([inbox], tmp_path / "briefings", None)
    assert report.rejected == [] and len(report.written) == 1


def _racing_discover(change: Callable[[Path], None]) -> Callable[[list[Path]], Iterator[object]]:
    """``discover`` that changes the inbox once it has listed it (before anything is read)."""
    from build_tools.read import files

    def discover(paths: list[Path]) -> Iterator[object]:
        found = list(files.discover(paths))
        change(paths[0])
        yield from found
    return discover


def _delete(inbox: Path) -> None:
    (inbox / "racy.txt").unlink()


def _replace_by_fifo(inbox: Path) -> None:
    (inbox / "racy.txt").unlink()
    os.mkfifo(inbox / "racy.txt")


def _replace_by_folder(inbox: Path) -> None:
    (inbox / "racy.txt").unlink()
    (inbox / "racy.txt").mkdir()


def _replace_by_loop(inbox: Path) -> None:
    (inbox / "racy.txt").unlink()
    (inbox / "racy.txt").symlink_to("racy.txt")


RACES = {"deleted": (_delete, "disappeared"), "replaced-by-fifo": (_replace_by_fifo, "not a regular file"),
         "replaced-by-folder": (_replace_by_folder, "folder"), "replaced-by-link-loop": (_replace_by_loop, "loop")}


@pytest.mark.parametrize("race", sorted(RACES), ids=sorted(RACES))
def test_file_changed_between_listing_and_reading(race: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(article(1))
    (inbox / "racy.txt").write_text(article(2))
    change, reason = RACES[race]
    monkeypatch.setattr("build_tools.ingest.discover", _racing_discover(change))
    report = ingest([inbox], tmp_path / "briefings", None)
    assert len(report.written) == 1
    (message,) = [r.message() for r in report.rejected]
    assert "racy.txt: " in message and reason in message and "Fix: " in message


def test_subfolder_removed_mid_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk is lazy: the subfolder goes after the first file was found, before it is listed."""
    from build_tools.read import files

    inbox = tmp_path / "inbox"
    (inbox / "z-sub").mkdir(parents=True)
    (inbox / "a.txt").write_text(article(1))
    (inbox / "z-sub" / "b.txt").write_text(article(2))

    def discover(paths: list[Path]) -> Iterator[object]:
        for found in files.discover(paths):
            if isinstance(found, Path) and found.name == "a.txt":
                shutil.rmtree(inbox / "z-sub")
            yield found

    monkeypatch.setattr("build_tools.ingest.discover", discover)
    report = ingest([inbox], tmp_path / "briefings", None)
    assert len(report.written) == 1
    (message,) = [r.message() for r in report.rejected]
    assert "z-sub: folder cannot be listed (No such file or directory)" in message and "Fix: " in message


@pytest.mark.parametrize("argv", [["--", "-weird.txt"], ["./-weird.txt"]], ids=["after-dash-dash", "dot-slash"])
def test_input_named_like_an_option_is_usable(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from build_tools import cli as command

    (tmp_path / "-weird.txt").write_text(article(4))
    monkeypatch.chdir(tmp_path)
    code = command.main(["-q", "ingest", "--briefings", "b", "--vocabulary", str(REPO / "vocabulary"), *argv])
    assert code == 0, capsys.readouterr().err
    assert len(list((tmp_path / "b").rglob("*.md"))) == 1


def test_cli_exit_status_is_1_when_an_inbox_entry_is_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(article(1))
    _loop(inbox)
    done = cli("ingest", str(inbox), "--briefings", str(tmp_path / "b"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("is a symbolic link loop") == 3 and " 1 written" in done.stderr


def test_huge_input_is_cut_and_its_briefing_bounded(tmp_path: Path) -> None:
    """A 5 MB page (the sample article repeated) becomes one bounded briefing and a warning saying
    where it was cut; the run goes on."""
    from build_tools.read.bounds import MAX_TEXT_CHARS

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sample = (INBOX / "fullpage-style-germany-election-scholz-merkel.txt").read_text("utf-8")
    (inbox / "huge.txt").write_text(sample * (5_000_000 // len(sample) + 1))
    (inbox / "good.txt").write_text(article(1))
    report = ingest([inbox], tmp_path / "briefings", None)
    assert report.rejected == [] and len(report.written) == 2
    (warning,) = [w for w in report.warnings if "huge.txt: " in w and "cut at line" in w]
    assert "over the 300,000 read for one article" in warning
    sizes = [p.stat().st_size for p in (tmp_path / "briefings").rglob("*.md")]
    assert max(sizes) < MAX_TEXT_CHARS + 10_000  # the body, plus the front matter


# --- library log lines: never unlabelled on the terminal, shown against their input with -v -------

JSON_LD_INT = ("<html><head><title>Port strike enters third day</title>"
               '<script type="application/ld+json">[5]</script></head><body><article>'
               "<h1>Port strike enters third day</h1><p>Dock workers stayed out again on Wednesday as talks "
               "between the union and the port operator stalled over pay and hours.</p></article></body></html>")
"""JSON-LD holding a number where trafilatura expects an object: it logs 'error in JSON metadata
extraction: 'int' object has no attribute 'get''."""


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_library_log_lines_are_labelled_with_their_input(verbose: bool, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "jsonld.html").write_text(JSON_LD_INT)
    done = cli(*(["-v"] if verbose else []), "ingest", str(inbox), "--briefings", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    if not verbose:
        assert len(lines) == 1 and lines[0].startswith("ingest: 1 written"), lines
        return
    (line,) = [ln for ln in lines if "JSON metadata" in ln]
    assert line.startswith(f"debug: {inbox}/jsonld.html: trafilatura") and "'int' object has no attribute" in line
    assert not [ln for ln in lines if ln.startswith(("WARNING", "DEBUG", "INFO", "ERROR"))], lines


def test_library_log_lines_come_back_from_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools import parallel
    from build_tools.ingest import process_one
    from build_tools.read.sources import read

    (tmp_path / "jsonld.html").write_text(JSON_LD_INT)
    (item,) = read(tmp_path / "jsonld.html")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)
    results = parallel.map_ordered(process_one, [item, item], None, workers=2)  # type: ignore[list-item]
    for done in results:
        assert any(line.startswith(f"{tmp_path}/jsonld.html: trafilatura") for line in done.library_log), done


def test_drafts_staged_by_the_workers_are_the_bytes_the_writer_writes(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools import ingest as ingest_module
    from build_tools.store.ingest_cache import CACHE_DIR

    inbox = small_inbox(tmp_path, 5)
    moved: list[str] = []
    real = ingest_module.Writer.write

    def write(self: ingest_module.Writer, rel: object, text: str, staged: str | None = None) -> bool:
        if staged is not None:
            moved.append(str(rel))
        return real(self, rel, text, staged)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module.Writer, "write", write)
    staged = ingest([inbox], tmp_path / "staged", None)
    assert len(moved) == len(staged.written) == 5
    assert not (tmp_path / "staged" / CACHE_DIR / ingest_module.STAGING).exists()
    monkeypatch.setattr(ingest_module, "stage", lambda *_args: None)  # the writer writes every briefing
    written = ingest([inbox], tmp_path / "written", None)
    assert len(moved) == 5 and len(written.written) == 5
    assert snapshot(tmp_path / "staged") == snapshot(tmp_path / "written")
