"""Library log lines, held per input: what trafilatura, htmldate, lxml & co. log or warn while one
input is processed is collected, never printed unlabelled, and reported against that input.

``with library_log() as lines:`` swaps the root logger's handlers for a collector for the
duration (restoring them after), so a record from any library, under any logger name, lands in
``lines`` as ``logger: LEVEL message``; Python warnings (``warnings.warn``) are collected too.
The lines are plain strings, so they travel back from a worker process with the result.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

LIBRARY_LOG_LEVEL = logging.WARNING
"""Library records kept: warnings and errors. Their info and debug chatter (trafilatura logs
several debug lines per page) is dropped, so ``--verbose`` shows what may explain a bad result."""

MAX_LINES_PER_INPUT = 20
"""At most this many library lines are kept per input; a page that makes a library log in a
loop must not flood the report (the count of the rest is kept)."""


class _Collector(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(LIBRARY_LOG_LEVEL)
        self.lines = lines
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.lines) >= MAX_LINES_PER_INPUT:
            self.dropped += 1
            return
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string must not escape either
            message = str(record.msg)
        self.lines.append(f"{record.name}: {record.levelname} {message}")


@contextlib.contextmanager
def library_log() -> Iterator[list[str]]:
    """Collect every log record and warning raised inside the block (see the module docstring)."""
    lines: list[str] = []
    collector = _Collector(lines)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers[:] = [collector]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            yield lines
    finally:
        root.handlers[:] = saved
        for w in caught:
            collector.emit(logging.LogRecord(getattr(w.category, "__module__", "warnings"), logging.WARNING,
                                             w.filename, w.lineno, f"{w.category.__name__}: {w.message}", None, None))
        if collector.dropped:
            lines.append(f"(and {collector.dropped} more library log line(s))")
