"""The order-preserving process-pool map used by ingest."""

from __future__ import annotations

import os

import pytest

from build_tools import parallel


def scale(item: int, factor: int) -> tuple[int, int]:
    return item * factor, os.getpid()


def fail_on_seven(item: int, _context: None) -> int:
    if item == 7:
        raise ValueError("seven")
    return item


@pytest.mark.parametrize("workers", [1, 2, 3], ids=["serial", "two-workers", "three-workers"])
def test_results_keep_input_order(workers: int) -> None:
    items = list(range(500))
    results = parallel.map_ordered(scale, items, 3, workers=workers)
    assert [r for r, _ in results] == [i * 3 for i in items]


def test_large_inputs_use_worker_processes() -> None:
    results = parallel.map_ordered(scale, list(range(200)), 1, workers=2)
    assert os.getpid() not in {pid for _, pid in results}


def test_small_inputs_run_in_this_process() -> None:
    items = list(range(parallel.MIN_PARALLEL_ITEMS - 1))
    results = parallel.map_ordered(scale, items, 1, workers=2)
    assert {pid for _, pid in results} == {os.getpid()}


def test_progress_reaches_the_total() -> None:
    seen: list[tuple[int, int]] = []
    parallel.map_ordered(scale, list(range(300)), 1, workers=2, progress=lambda n, t: seen.append((n, t)))
    assert seen[-1] == (300, 300)
    assert [n for n, _ in seen] == sorted(n for n, _ in seen)


def test_a_worker_exception_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        parallel.map_ordered(fail_on_seven, list(range(100)), None, workers=2)


@pytest.mark.parametrize(("items", "workers", "expected"), [(100, 2, 13), (10_000, 2, 32), (1, 2, 1)],
                         ids=["small", "large-capped", "one"])
def test_chunk_size(items: int, workers: int, expected: int) -> None:
    assert parallel.chunk_size(items, workers) == expected


@pytest.mark.parametrize(("items", "workers"), [(2938, 2), (40, 2), (1000, 4), (1, 2)],
                         ids=["reuters", "smallest-parallel", "four-workers", "one"])
def test_chunks_cover_the_items_in_order_and_shrink_towards_the_end(items: int, workers: int) -> None:
    bounds = parallel.chunk_bounds(items, workers)
    assert [s for s, _ in bounds] == [0, *(e for _, e in bounds[:-1])] and bounds[-1][1] == items
    sizes = [e - s for s, e in bounds]
    assert sizes[0] == parallel.chunk_size(items, workers) and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)


def test_beside_runs_the_job_in_another_process_and_here_in_this_one() -> None:
    there, here = parallel.beside(os.getpid, os.getpid)
    assert here == os.getpid()
    assert there != here


def test_beside_runs_the_job_here_when_its_process_dies() -> None:
    here = os.getpid()

    def job() -> int:
        if os.getpid() != here:
            os._exit(3)  # the forked process dies without an answer
        return 7

    assert parallel.beside(job, lambda: 5) == (7, 5)


@pytest.mark.parametrize(("load", "forks"), [(0.5, True), (1.0, True), (1.5, False), (12.0, False)],
                         ids=["idle", "one-core-free", "busy", "saturated"])
def test_a_job_forks_only_while_a_core_is_free(load: float, forks: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    assert parallel.can_fork() is forks
