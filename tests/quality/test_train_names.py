"""Training the name finder (python -m quality.train_names): CoNLL's IOB1 read as BIO, and the dev folds
whose models let the tagging gate score dev out of fold."""

from __future__ import annotations

from pathlib import Path

from quality import gate, train_names


def test_iob1_is_read_as_bio_per_document(tmp_path: Path) -> None:
    iob = tmp_path / "tokens.iob"
    iob.write_text("-DOCSTART- -X- O O\n\nBank NNP I-NP I-ORG\nof IN I-PP I-ORG\nJapan NNP I-NP I-ORG\n"
                   "Japan NNP I-NP I-LOC\nChina NNP I-NP B-LOC\n\n-DOCSTART- -X- O O\n\nSaid VBD O O\n", "utf-8")
    docs = train_names.read_iob(iob)
    assert [d.sentences for d in docs] == [[["Bank", "of", "Japan", "Japan", "China"]], [["Said"]]]
    assert docs[0].labels == [["B-ORG", "I-ORG", "I-ORG", "B-LOC", "B-LOC"]]


def test_dev_folds_are_the_gates_folds_of_the_document_ids() -> None:
    assert [train_names.dev_fold(i) for i in range(3)] == [gate.fold_of(f"conll-dev-{n:04d}") for n in (1, 2, 3)]


def test_held_sentences_index_the_flat_dev_list() -> None:
    docs: list[list[train_names.Sentence]] = [[([], [])] * 2, [([], [])] * 3, [([], [])]]
    assert train_names.held_sentences(docs, [1, 0, 1], 1) == [0, 1, 5]
    assert train_names.held_sentences(docs, [1, 0, 1], 0) == [2, 3, 4]
