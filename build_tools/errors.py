"""The small exception hierarchy. The CLI turns these into one clean line and an exit code."""

from __future__ import annotations


class BriefingsError(Exception):
    """Base class: an expected failure with a message written for users."""


class WriteRefused(BriefingsError):
    """The writer refused a path (outside the output folder, written twice, symlink)."""


class LockHeld(BriefingsError):
    """Another ingest holds the briefings folder."""


class ClusterError(BriefingsError):
    """The Dask cluster cannot run the work: not installed, not reachable, no workers, a lost task,
    or a worker with another version of the pipeline."""
