"""The small exception hierarchy. The CLI turns these into one clean line and an exit code."""

from __future__ import annotations


class BriefingsError(Exception):
    """Base class: an expected failure with a message written for users."""


class InputRejected(BriefingsError):
    """An input cannot become a briefing. The message says why and what to do."""

    def __init__(self, source: str, reason: str, fix: str = "") -> None:
        self.source = source
        self.reason = reason
        self.fix = fix
        super().__init__(f"{source}: {reason}" + (f" ({fix})" if fix else ""))


class FrontMatterError(BriefingsError):
    """A briefing file whose front matter cannot be read or fails the schema."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("; ".join(f"{path}: {p}" for p in problems))


class WriteRefused(BriefingsError):
    """The writer refused a path (outside the output folder, written twice, symlink)."""


class LockHeld(BriefingsError):
    """Another ingest holds the briefings folder."""
