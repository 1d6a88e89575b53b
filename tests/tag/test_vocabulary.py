"""Vocabulary loading: safe, every problem reported with file and entry, missing folder tolerated."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.tag.entities import load_vocabulary
from build_tools.tag.vocabulary import VocabularyError, read_entries


def test_missing_folder_means_gazetteers_only(tmp_path: Path) -> None:
    vocab = load_vocabulary(tmp_path / "absent")
    assert "Russia" in vocab.known["countries"] and not vocab.known["people"]


def test_reads_every_yaml_file(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text("- {name: Ada Lovelace, type: person}\n", encoding="utf-8")
    (tmp_path / "organizations.yaml").write_text("entries:\n- {name: Acme Group, type: organization}\n",
                                                 encoding="utf-8")
    names = {e.name for e in read_entries(tmp_path).entries}
    assert names == {"Ada Lovelace", "Acme Group"}


@pytest.mark.parametrize(("content", "problem"), [
    ("- {name: X Y, type: robot}\n", "'type' is 'robot'"),
    ("- {type: person}\n", "'name' is missing"),
    ("- {name: X Y, type: person, aliases: 3}\n", "'aliases' must be a list"),
    ("- {name: X Y, type: person, colour: red}\n", "unknown key(s) colour"),
    ("- [oops\n", "is not valid YAML"),
    ("just text\n", "expected a list of entries"),
    ("- {name: ACME Corp., type: organization}\n- {name: Acme Corp, type: organization}\n", "same slug"),
], ids=["bad-type", "no-name", "bad-aliases", "unknown-key", "yaml-syntax", "not-a-list", "slug-collision"])
def test_bad_entries_are_reported(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError) as err:
        read_entries(tmp_path)
    assert problem in str(err.value) and "bad.yaml" in str(err.value)


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text("- !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(VocabularyError):
        read_entries(tmp_path)


def test_compiled_once_per_folder_state(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text("- {name: Ada Lovelace, type: person}\n", encoding="utf-8")
    assert load_vocabulary(tmp_path) is load_vocabulary(tmp_path)
