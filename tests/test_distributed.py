"""Ingest's map on a Dask distributed cluster (``build_tools.distributed``): the same archive as the
process pool's, byte for byte, also when a worker dies mid-run; and the ``--scheduler`` CLI against
a real ``dask scheduler`` with two ``dask worker`` processes."""

from __future__ import annotations

import os
import pickle
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pytest
from dask.distributed import Client, LocalCluster

from build_tools.distributed import Cluster, SharedContext
from build_tools.errors import ClusterError
from build_tools.ingest import IngestReport, ingest
from build_tools.store.ingest_cache import pipeline_version
from build_tools.store.writer import Writer
from build_tools.tag.entities import Vocabulary, load_vocabulary
from tests.conftest import INBOX, REPO, require_shared
from tests.dask_kill import KILL_AFTER_ENV, KILL_DIR_ENV, KillOnce

DASK = Path(sys.executable).parent / "dask"
WAIT_SECONDS = 120
"""How long a fixture waits for its cluster to come up (a limit for a hang, not a speed assert)."""


# --- the map itself --------------------------------------------------------------------------

def scale(item: int, factor: int) -> tuple[int, int]:
    return item * factor, os.getpid()


def record_load(path: str, value: int) -> Counted:
    """Unpickling a :class:`Counted` (on a worker): one line per load in ``path``."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return Counted(path, value)


class Counted:
    """A context that notes every time it is unpickled."""

    def __init__(self, path: str, value: int) -> None:
        self.path, self.value = path, value

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return record_load, (self.path, self.value)


def times(item: int, context: Counted) -> int:
    return item * context.value


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Two worker processes of one thread each, on this machine."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, \
            Client(local, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=WAIT_SECONDS)
        yield Cluster(client)


@pytest.mark.slow
def test_results_keep_input_order_and_run_on_the_workers(cluster: Cluster) -> None:
    seen: list[tuple[int, int]] = []
    results = cluster.map_ordered(scale, list(range(300)), 3, progress=lambda n, total: seen.append((n, total)))
    assert [r for r, _ in results] == [i * 3 for i in range(300)]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 2
    assert [n for n, _ in seen] == sorted(n for n, _ in seen) and seen[-1] == (300, 300)


@pytest.mark.slow
def test_the_context_reaches_each_worker_once(cluster: Cluster, tmp_path: Path) -> None:
    loads = tmp_path / "loads"
    results = cluster.map_ordered(times, list(range(400)), Counted(str(loads), 7))
    assert results == [i * 7 for i in range(400)]
    # 400 items are 16 tasks on 2 workers: one load per worker process, not one per task.
    pids = loads.read_text("utf-8").split()
    assert len(pids) == len(set(pids)) <= 2


@pytest.mark.slow
def test_no_items_is_no_work(cluster: Cluster) -> None:
    assert cluster.map_ordered(scale, [], 3) == []


def test_a_worker_with_another_pipeline_refuses_the_work() -> None:
    shared = SharedContext(pickle.dumps({"a": 1}), "0000000000000000")
    shared.setup(SimpleNamespace(address="tcp://10.0.0.7:4000"))
    with pytest.raises(ClusterError, match=r"worker tcp://10\.0\.0\.7:4000 runs another version of the pipeline"):
        shared.value()
    same = SharedContext(pickle.dumps({"a": 1}), pipeline_version())
    same.setup(SimpleNamespace(address="tcp://10.0.0.7:4000"))
    assert same.value() == {"a": 1} and same.data is None  # unpickled once, bytes dropped


# --- ingest: the same archive whatever ran the map ---------------------------------------------

@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(REPO / "vocabulary")


def briefings(root: Path) -> dict[str, bytes]:
    """Every briefing file of an archive, by path: what must be byte-identical."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def same_run(pool: IngestReport, other: IngestReport, pool_root: Path, other_root: Path) -> None:
    """The two runs told the same: the report's every line, the written paths in their folder."""
    def norm(report: IngestReport, root: Path) -> dict[str, object]:
        return {k: [str(x).replace(str(root), "ROOT") for x in v] for k, v in asdict(report).items()}

    assert norm(other, other_root) == norm(pool, pool_root)


@pytest.mark.slow
def test_sample_inbox_gives_the_pool_s_archive(cluster: Cluster, vocabulary: Vocabulary, tmp_path: Path) -> None:
    pool = ingest([INBOX], tmp_path / "pool", vocabulary)
    dask = ingest([INBOX], tmp_path / "dask", vocabulary, executor=cluster)
    assert len(pool.written) >= 15
    assert briefings(tmp_path / "dask") == briefings(tmp_path / "pool")
    same_run(pool, dask, tmp_path / "pool", tmp_path / "dask")


@pytest.mark.slow
@pytest.mark.corpus
def test_500_reuters_stories_give_the_pool_s_archive(cluster: Cluster, vocabulary: Vocabulary,
                                                      tmp_path: Path) -> None:
    stories = sorted(require_shared("corpus", "reuters21578", "raw").glob("*.txt"))[:500]
    assert len(stories) == 500
    pool = ingest(stories, tmp_path / "pool", vocabulary)
    dask = ingest(stories, tmp_path / "dask", vocabulary, executor=cluster)
    assert len(pool.written) > 400
    assert briefings(tmp_path / "dask") == briefings(tmp_path / "pool")
    same_run(pool, dask, tmp_path / "pool", tmp_path / "dask")


@pytest.mark.slow
def test_a_worker_killed_mid_run_changes_nothing(cluster: Cluster, vocabulary: Vocabulary, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ingest([INBOX], tmp_path / "pool", vocabulary)
    writes: list[PurePosixPath] = []
    write = Writer.write

    def counted(self: Writer, rel: PurePosixPath, text: str, staged: str | None = None) -> bool:
        writes.append(rel)
        return write(self, rel, text, staged)

    monkeypatch.setattr(Writer, "write", counted)
    where = tmp_path / "kill"
    where.mkdir()
    (where / "armed").touch()
    pids = set(cluster.client.run(os.getpid).values())
    cluster.client.register_plugin(KillOnce(str(where), after=2))
    try:
        dask = ingest([INBOX], tmp_path / "dask", vocabulary, executor=cluster)
    finally:
        cluster.client.unregister_worker_plugin(KillOnce.name)
    killed = int((where / "killed").read_text("utf-8").split()[0])  # the kill happened...
    assert killed in pids
    cluster.client.wait_for_workers(2, timeout=WAIT_SECONDS)
    assert killed not in set(cluster.client.run(os.getpid).values())  # ...and its nanny started another
    assert briefings(tmp_path / "dask") == briefings(tmp_path / "pool")
    same_run(pool, dask, tmp_path / "pool", tmp_path / "dask")
    written = [rel for rel in writes if rel.parts[0] != ".briefings-cache"]  # the caches are written too
    assert len(written) == len(set(written)) == len(dask.written)  # each briefing written once, whole
    assert not [p for p in (tmp_path / "dask").rglob("*") if p.name.startswith(".") and p.suffix == ".tmp"]


# --- the CLI against a real scheduler and two `dask worker` processes --------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600, env=env)


def said(result: subprocess.CompletedProcess[str], root: Path) -> list[str]:
    """What a run printed, its own folder and its time left out."""
    return [re.sub(r" in [0-9.]+s$", "", line.replace(str(root), "ROOT")) for line in result.stderr.splitlines()]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(address, kill folder) of a `dask scheduler` and two `dask worker` processes on 127.0.0.1,
    started in a folder of their own (they never see the inputs); a worker kills itself when the
    kill folder is armed (tests/dask_kill.py)."""
    work = tmp_path_factory.mktemp("dask-cli")
    kill = work / "kill"
    kill.mkdir()
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, KILL_DIR_ENV: str(kill), KILL_AFTER_ENV: "2"}
    logs = [open(work / f"{name}.log", "w") for name in ("scheduler", "worker-1", "worker-2")]  # noqa: SIM115 closed below
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--no-dashboard"], cwd=work, stdout=logs[0], stderr=subprocess.STDOUT, env=env)]
    try:
        for log in logs[1:]:
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard", "--local-directory", str(work), "--preload", str(REPO / "tests" / "dask_kill.py")],
                cwd=work, stdout=log, stderr=subprocess.STDOUT, env=env))
        with Client(address, timeout=WAIT_SECONDS, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=WAIT_SECONDS)
        yield address, kill
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()


@pytest.mark.slow
def test_cli_on_a_dask_scheduler_writes_the_same_archive(scheduler: tuple[str, Path], tmp_path: Path) -> None:
    address, _ = scheduler
    pool = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "pool"))
    dask = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "dask"), "--scheduler", address)
    assert (dask.returncode, pool.returncode) == (0, 0), dask.stderr
    assert briefings(tmp_path / "dask") == briefings(tmp_path / "pool") != {}
    assert said(dask, tmp_path / "dask") == said(pool, tmp_path / "pool")
    # DASK_SCHEDULER_ADDRESS names the scheduler too
    env = {**os.environ, "DASK_SCHEDULER_ADDRESS": address}
    again = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "env"), env=env)
    assert again.returncode == 0, again.stderr
    assert briefings(tmp_path / "env") == briefings(tmp_path / "pool")


@pytest.mark.slow
def test_cli_run_with_a_worker_killed_mid_way_writes_the_same_archive(scheduler: tuple[str, Path],
                                                                      tmp_path: Path) -> None:
    address, kill = scheduler
    pool = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "pool"))
    (kill / "armed").touch()
    try:
        dask = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "dask"), "--scheduler", address)
    finally:
        (kill / "armed").unlink()
    assert (kill / "killed").exists(), "no worker was killed: the test proves nothing"
    assert dask.returncode == 0, dask.stderr
    assert briefings(tmp_path / "dask") == briefings(tmp_path / "pool")
    assert said(dask, tmp_path / "dask") == said(pool, tmp_path / "pool")


# --- errors a user meets -----------------------------------------------------------------------

def test_without_dask_scheduler_says_what_to_install(tmp_path: Path) -> None:
    blocked = ("import sys\nsys.modules['dask'] = sys.modules['dask.distributed'] = None\n"
               "from build_tools.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    result = subprocess.run([sys.executable, "-c", blocked, "ingest", str(INBOX), "--briefings", str(tmp_path / "b"),
                             "--scheduler", "tcp://127.0.0.1:8786"], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: --scheduler tcp://127.0.0.1:8786 needs Dask distributed, which is not installed (import of "
        "dask.distributed halted; None in sys.modules): pip install 'briefing-archive[dask]' (on every worker too)"]
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").rglob("*.md"))


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    result = cli("ingest", str(INBOX), "--briefings", str(tmp_path / "b"), "--scheduler", address)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the Dask scheduler at {address} (")
    assert lines[0].endswith("or check the address (--scheduler or DASK_SCHEDULER_ADDRESS)")
