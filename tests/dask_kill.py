"""A worker that dies mid-run, once: for the tests of ``build_tools.distributed``.

:class:`KillOnce` is a worker plugin: when the ``after``-th chunk of a run starts executing on a
worker while the folder ``where`` holds an ``armed`` file, that worker process kills itself
(SIGKILL: no goodbye to the scheduler, as when a machine goes away), after creating ``killed`` in
``where`` so that only one worker of the cluster dies, only once (its nanny starts a new one).

Registered by a test (``client.register_plugin(KillOnce(...))``), or given to ``dask worker`` as
``--preload tests/dask_kill.py`` with ``BRIEFINGS_KILL_DIR`` (and ``BRIEFINGS_KILL_AFTER``) set.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from dask.distributed import WorkerPlugin

KILL_DIR_ENV = "BRIEFINGS_KILL_DIR"
KILL_AFTER_ENV = "BRIEFINGS_KILL_AFTER"
CHUNK_PREFIX = "briefings-chunk-"
"""The keys of ``build_tools.distributed`` tasks."""


class KillOnce(WorkerPlugin):
    name = "briefings-test-kill-once"

    def __init__(self, where: str, after: int = 2) -> None:
        self.where = where
        self.after = after
        self.started = 0

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or not str(key).startswith(CHUNK_PREFIX):
            return
        self.started += 1
        where = Path(self.where)
        if self.started < self.after or not (where / "armed").exists():
            return
        try:
            fd = os.open(where / "killed", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:  # another worker (or this one before its restart) died already
            return
        os.write(fd, f"{os.getpid()} {key}\n".encode())
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)


async def dask_setup(worker: Any) -> None:
    """``dask worker --preload tests/dask_kill.py``: the plugin on this worker, from the environment."""
    where = os.environ.get(KILL_DIR_ENV)
    if where:
        await worker.plugin_add(KillOnce(where, int(os.environ.get(KILL_AFTER_ENV, "2"))))
