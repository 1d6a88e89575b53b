"""``map_ordered`` past one machine: the same order-preserving map, on a Dask distributed cluster.

``Cluster.connect("tcp://HOST:8786").map_ordered(fn, items, context)`` returns
``[fn(item, context) for item in items]``, exactly what ``parallel.map_ordered`` returns, computed
by the cluster's workers in chunks of items (one task per chunk, as the process pool does):

* ``context`` (for ingest: the vocabulary, with the gazetteers in it) is pickled once here and
  reaches each worker once, in a worker plugin (:class:`SharedContext`) that the scheduler also
  hands to workers joining later; a worker unpickles it on its first task. The shipped models are
  package data, loaded once per worker process as in the pool.
* A task whose worker dies is re-run by the scheduler on another worker (and the results that
  worker held, not yet sent here, are computed again); a task that raises is retried
  ``TASK_RETRIES`` times. Results come back here in input order, so whatever ran the map, and
  however often a task ran, the caller sees the same list.
* A worker running another version of the pipeline refuses the work (the output must not depend
  on which machine processed an article): install the same ``briefing-archive`` everywhere.

Dask is an optional extra (``pip install 'briefing-archive[dask]'``): only this module imports it,
and the pipeline imports this module only when a scheduler is asked for (``connect`` in the CLI).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import uuid
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from dask.distributed import Client, WorkerPlugin, as_completed, get_worker

from build_tools.errors import ClusterError
from build_tools.parallel import chunk_size
from build_tools.store.ingest_cache import pipeline_version

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

TASK_RETRIES = 2
"""Times a task that raised is run again (a task whose worker died is re-run anyway, up to the
scheduler's ``distributed.scheduler.allowed-failures``, 3 by default)."""

CONNECT_SECONDS = 20
"""How long to try reaching the scheduler before saying it cannot be reached."""

WORKER_WAIT_SECONDS = 60
"""How long to wait for a first worker to join the scheduler before saying there is none."""


class SharedContext(WorkerPlugin):
    """The map's shared argument on every worker: pickled bytes, unpickled on first use (in a
    task's thread, not the worker's event loop), after checking the worker's pipeline."""

    def __init__(self, data: bytes, version: str) -> None:
        self.data: bytes | None = data
        self.version = version
        """``pipeline_version()`` of the client: the worker's must be the same."""
        self.address = ""
        self._value: Any = None
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self.address = str(worker.address)
        self._lock = threading.Lock()

    def value(self) -> Any:
        assert self._lock is not None, "SharedContext used before setup"
        with self._lock:
            if self.data is not None:
                theirs = pipeline_version()
                if theirs != self.version:
                    raise ClusterError(
                        f"worker {self.address} runs another version of the pipeline (build_tools {theirs}; "
                        f"the client runs {self.version}): install the same briefing-archive on every worker")
                self._value, self.data = pickle.loads(self.data), None
            return self._value


def _run_chunk(fn: Callable[[Any, Any], Any], chunk: Sequence[Any], plugin: str) -> list[Any]:
    """One task, on a worker: ``fn`` over a chunk of items with the shared context."""
    shared = get_worker().plugins.get(plugin)
    if not isinstance(shared, SharedContext):
        raise ClusterError(f"worker has no shared context {plugin!r} (it joined while the run started); retried")
    context = shared.value()
    return [fn(item, context) for item in chunk]


class Cluster:
    """A connection to a Dask scheduler, as a :class:`build_tools.parallel.Executor`."""

    def __init__(self, client: Client, retries: int = TASK_RETRIES) -> None:
        self.client = client
        self.retries = retries

    def __str__(self) -> str:
        return str(self.client.scheduler.address if self.client.scheduler else "(not connected)")

    @classmethod
    def connect(cls, address: str) -> Cluster:
        """A client of the scheduler at ``address`` (``tcp://HOST:8786``); ClusterError when it
        cannot be reached."""
        try:
            client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                               "'dask scheduler' and its workers with 'dask worker ADDRESS', or check the "
                               "address (--scheduler or DASK_SCHEDULER_ADDRESS)") from exc
        return cls(client)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def threads(self) -> int:
        """Worker threads the cluster has now (waits for a first worker)."""
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError as exc:
            raise ClusterError(f"no worker joined the Dask scheduler at {self} in {WORKER_WAIT_SECONDS} s: "
                               f"start workers with 'dask worker {self} --nworkers N --nthreads 1'") from exc
        return max(1, sum(self.client.nthreads().values()))

    def map_ordered(self, fn: Callable[[T, C], R], items: Sequence[T], context: C, *,
                    progress: Callable[[int, int], None] | None = None) -> list[R]:
        """``[fn(item, context) for item in items]`` on the cluster's workers, in input order.
        ``fn`` must be a module-level function the workers can import (it is sent by name)."""
        total = len(items)
        if not total:
            return []
        size = chunk_size(total, self.threads())
        chunks = [items[i:i + size] for i in range(0, total, size)]
        data = pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL)
        run = f"{hashlib.sha256(data).hexdigest()[:12]}-{uuid.uuid4().hex[:8]}"
        plugin = f"briefings-context-{run}"
        self.client.register_plugin(SharedContext(data, pipeline_version()), name=plugin)
        try:
            futures = [self.client.submit(_run_chunk, fn, chunk, plugin, key=f"briefings-chunk-{run}-{k}",
                                          pure=False, retries=self.retries) for k, chunk in enumerate(chunks)]
            position = {f.key: k for k, f in enumerate(futures)}
            results: list[list[R]] = [[] for _ in chunks]
            done = 0
            try:
                for future, value in as_completed(futures, loop=self.client.loop, with_results=True):
                    results[position[future.key]] = value
                    future.release()  # the worker may drop it: it is here now
                    done += len(value)
                    if progress:
                        progress(done, total)
            except ClusterError:
                raise
            except Exception as exc:  # KilledWorker (a task lost too often), a task's own error, a lost scheduler
                raise ClusterError(f"the Dask cluster at {self} failed the run ({type(exc).__name__}: "
                                   f"{str(exc)[:300]}); nothing was written, run the same command again") from exc
            finally:
                self.client.cancel([f for f in futures if not f.done()])
        finally:
            self.client.unregister_worker_plugin(plugin)
        return [r for chunk in results for r in chunk]
