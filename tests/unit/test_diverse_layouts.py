"""Diverse layouts: a lexicon whose held-out part the extractor never saw, a layout space split in two."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from tests.unit.test_extract_rendered import FIELDS, make_spec, wrong_fields
from tradeverify.extract.document import extract_document
from tradeverify.extract.labels import vocabulary
from tradeverify.extract.tables import TABLE_HEADERS
from tradeverify.extract.vocab import all_titles
from tradeverify_train.extraction.evaluation import layout_family
from tradeverify_train.synth import diverse
from tradeverify_train.synth.docspec import LAYOUT_SETS
from tradeverify_train.synth.formats import format_number
from tradeverify_train.synth.render import render_pdf


def _key(caption: str) -> str:
    """Fold a caption as label matching does: case, spaces and trailing punctuation ignored."""
    return re.sub(r"[\s:.#]+", "", caption.casefold())


def _captions(kind: str, key: str, part: str) -> list[str]:
    return [c for texts in diverse.lexicon()[kind][key][part].values() for c in texts]


def test_every_field_title_and_column_has_ten_captions_five_held_out() -> None:
    for kind in ("titles", "fields", "columns"):
        for key, parts in diverse.lexicon()[kind].items():
            train, holdout = set(_captions(kind, key, "train")), set(_captions(kind, key, "holdout"))
            assert len(train | holdout) >= 10, (kind, key)
            assert len(holdout) >= 5 and "en" in parts["holdout"] and "en" in parts["train"], (kind, key)
            assert set(parts["train"]) | set(parts["holdout"]) <= set(diverse.LANGS), (kind, key)


def test_no_held_out_caption_is_in_the_extractors_vocabulary() -> None:
    known = {_key(label.text) for label in vocabulary()} | {_key(t) for t in all_titles()}
    known |= {_key(" ".join(tokens)) for variants in TABLE_HEADERS.values() for tokens in variants}
    leaked = sorted(
        (kind, key, caption)
        for kind in ("titles", "fields", "columns")
        for key in diverse.lexicon()[kind]
        for caption in _captions(kind, key, "holdout")
        if _key(caption) in known
    )
    assert leaked == []


def test_the_two_parts_share_no_grid_and_no_issuer_position() -> None:
    train = [diverse.style_of(name) for name in LAYOUT_SETS["diverse"][:200]]
    holdout = [diverse.style_of(name) for name in LAYOUT_SETS["diverse-holdout"][:200]]
    assert {(s.grid, s.columns) for s in train}.isdisjoint({(s.grid, s.columns) for s in holdout})
    assert {s.issuer_at for s in train}.isdisjoint({s.issuer_at for s in holdout})
    assert {s.part for s in train} == {"train"} and {s.part for s in holdout} == {"holdout"}
    # The space is actually spread: every language, number and date convention appears.
    assert {s.lang for s in train} == set(diverse.LANGS) == {s.lang for s in holdout}
    assert len({s.numbers for s in train}) == 4 and len({s.dates for s in train}) >= 6
    assert diverse.style_of("X7") == diverse.style_of("X7")


def test_a_diverse_layout_is_reported_by_its_part() -> None:
    assert [layout_family(name) for name in ("R123", "X7", "E", "R")] == ["R", "X", "E", "R"]


@pytest.mark.parametrize(("convention", "printed"), [
    ("1,234.56", "1,234,567.89"), ("1.234,56", "1.234.567,89"), ("1 234,56", "1 234 567,89"),
    ("1'234.56", "1'234'567.89"),
])  # fmt: skip
def test_number_conventions(convention: str, printed: str) -> None:
    assert format_number(1234567.891, 2, convention) == printed


def test_dates_follow_the_style(tmp_path: Path) -> None:
    base = diverse.style_of("R1")
    cases = {"iso": "2025-09-30", "dotted": "30.09.2025", "stamp-caps": "30. SEP. 2022",
             "zh": "2025年9月30日"}  # fmt: skip
    for dates, printed in cases.items():
        style = replace(base, dates=dates)
        day = "2022-09-30" if dates == "stamp-caps" else "2025-09-30"
        assert diverse.format_day(style, day, month_first=False) == printed
    slashed = replace(base, dates="slashed")
    assert diverse.format_day(slashed, "2025-09-03", month_first=True) == "09/03/2025"


@pytest.mark.parametrize("doc_type", sorted(FIELDS))
@pytest.mark.parametrize("layout", ["R3", "X3", "R11", "X11"])
def test_renders_every_type_reproducibly_with_captions_of_its_part(
    tmp_path: Path, doc_type: str, layout: str
) -> None:
    spec = make_spec(doc_type, layout)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_pdf(spec, first)
    render_pdf(spec, second)
    assert first.read_bytes() == second.read_bytes()
    with pdfplumber.open(first) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    style = diverse.style_of(layout)
    assert diverse.title_text(spec) in text
    printed = {
        diverse.label_text(style, doc_type, name).rstrip(":")
        for name in FIELDS[doc_type]
        if name not in ("unit", "line_items", "total_amount", "shipped_on_board_date")
    }
    assert all(caption in text for caption in printed), [c for c in printed if c not in text]
    other = "holdout" if style.part == "train" else "train"
    assert diverse.title_text(spec) not in _captions("titles", doc_type, other)


def test_the_training_part_is_read(tmp_path: Path) -> None:
    """Measured, not tuned: a training-part invoice in English reads whole (the figure is in the notes)."""
    layout = next(
        name
        for name in LAYOUT_SETS["diverse"]
        if diverse.style_of(name).lang == "en" and diverse.style_of(name).grid == "rows"
    )
    spec = make_spec("commercial_invoice", layout)
    render_pdf(spec, tmp_path / "inv.pdf")
    result = extract_document(tmp_path / "inv.pdf")
    assert result.doc_type == "commercial_invoice"
    assert wrong_fields(result, spec) == {}
