"""The editors' vocabulary: people and organisations, read from every ``*.yaml`` in a folder.

Each file holds a list of entries (or a mapping with an ``entries`` list)::

    - name: Xi Jinping
      type: person
      aliases: [Xi]
      country: China
      wikidata: Q15031
      role: President of China

Loading is safe (``yaml.safe_load``) and strict: every problem in every file is collected and
reported in one :class:`VocabularyError` naming file, entry and what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.errors import BriefingsError
from build_tools.extract.outlet import OutletNames, OutletsError, outlet_names
from build_tools.slugs import entity_slug

ENTRY_TYPES = {"person": "people", "organization": "organizations", "organisation": "organizations"}
KNOWN_KEYS = {"name", "type", "aliases", "country", "wikidata", "role", "kind", "notes", "note", "description",
              "url", "founded", "born", "died"}


class VocabularyError(BriefingsError):
    """One or more vocabulary entries cannot be used. Lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"vocabulary has {len(problems)} problem(s):\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    """people | organizations"""
    aliases: tuple[str, ...] = ()
    country: str | None = None
    source: str = ""
    """File and entry number, for messages."""
    role: str = ""
    """The entry's ``role`` ("King of Jordan"): tells a monarch's regnal number from a namesake's "III"."""


@dataclass
class Entries:
    entries: list[Entry] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _where(path: Path, index: int, raw: object) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"{path}: entry {index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")


def _entry(path: Path, index: int, raw: object, problems: list[str]) -> Entry | None:
    where = _where(path, index, raw)
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping with name and type, got {type(raw).__name__}")
        return None
    bad = len(problems)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'name' is missing or not text; write name: <canonical name>")
    kind = ENTRY_TYPES.get(str(raw.get("type", "")).lower())
    if kind is None:
        problems.append(f"{where}: 'type' is {raw.get('type')!r}; write type: person or type: organization")
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{where}: 'aliases' must be a list of names, e.g. aliases: [Xi, President Xi]")
        aliases = []
    country = raw.get("country")
    if country is not None and not isinstance(country, str):
        problems.append(f"{where}: 'country' must be a country name")
        country = None
    unknown = sorted(set(map(str, raw)) - KNOWN_KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(KNOWN_KEYS))}")
    if len(problems) > bad or kind is None or not isinstance(name, str):
        return None
    role = raw.get("role")
    return Entry(name.strip(), kind, tuple(a.strip() for a in aliases), country, where,
                 role if isinstance(role, str) else "")


SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the same data as ``yaml.safe_load``, six times faster
(the 850 KB vocabulary loads in 0.4 s instead of 2.2 s, once per ingest or build)."""


OUTLETS_FILE = "outlets.yaml"
"""The editors' outlet names (``extract.outlet.OutletNames``): not people or organisations to tag."""


def read_outlets(root: Path | None) -> OutletNames:
    """The outlet names of ``root/outlets.yaml`` (none when the file is missing); raises
    VocabularyError naming the file and every bad entry."""
    path = root / OUTLETS_FILE if root is not None else None
    if path is None or not path.is_file():
        return OutletNames()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        return outlet_names(data, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise VocabularyError([f"{path}:{line} is not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError([f"{path}: cannot be read ({exc})"]) from exc
    except OutletsError as exc:
        raise VocabularyError(str(exc).splitlines()) from exc


def entry_files(root: Path) -> list[Path]:
    """The files :func:`read_entries` reads, in its order."""
    return [p for p in sorted([*root.glob("*.yaml"), *root.glob("*.yml")]) if p.name != OUTLETS_FILE]


def load_yaml(path: Path) -> Any:
    """One vocabulary file's data (raises what reading or parsing it raises)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def read_entries(root: Path, parsed: Mapping[str, Any] | None = None) -> Entries:
    """Every entry of every ``*.yaml``/``*.yml`` file under ``root`` but ``outlets.yaml``; raises on
    any problem. ``parsed``: ``load_yaml`` of some of the files, done elsewhere (by file path; a file
    missing from it is loaded here, and every problem of a file is found here)."""
    found = Entries()
    problems: list[str] = []
    for path in entry_files(root):
        found.files.append(path)
        try:
            data = parsed[str(path)] if parsed is not None and str(path) in parsed else load_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            problems.append(f"{path}:{line} is not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read ({exc})")
            continue
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            data = data["entries"]
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(f"{path}: expected a list of entries (- name: ...), got {type(data).__name__}")
            continue
        for i, raw in enumerate(data):
            entry = _entry(path, i, raw, problems)
            if entry is not None:
                found.entries.append(entry)
    by_slug: dict[str, Entry] = {}
    for entry in found.entries:
        slug = entity_slug(entry.name)
        other = by_slug.get(slug)
        if other is not None and other.name != entry.name:
            problems.append(f"{entry.source}: {entry.name!r} has the same slug as {other.name!r} ({other.source}); "
                            "merge them or make the names differ")
        by_slug.setdefault(slug, entry)
    if problems:
        raise VocabularyError(problems)
    return found
