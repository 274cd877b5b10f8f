"""The learned document-type classifier: features, its JSON file, its place in classify, training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_extract_rendered import make_spec
from tradeverify.config import get_settings
from tradeverify.domain import PageText, Word
from tradeverify.errors import ModelError
from tradeverify.extract.classify import classify
from tradeverify.extract.doctype import FEATURE_VERSION, DoctypeModel, load_model, page_features
from tradeverify.extract.document import extract_document
from tradeverify.extract.layout import build_layout
from tradeverify.extract.linear import model_to_json
from tradeverify.ingest.readers import read_pages
from tradeverify_train.nlp import doctype_train
from tradeverify_train.synth.render import render_pdf


def _line(y: float, *texts: str, height: float = 0.012) -> list[Word]:
    words, x = [], 0.08
    for text in texts:
        width = 0.012 * len(text)
        words.append(Word(text, x, y, x + width, y + height, 1))
        x += width + 0.01
    return words


def _layout(*lines: list[Word]):  # type: ignore[no-untyped-def]
    return build_layout([PageText(1, tuple(w for line in lines for w in line), False)])


def _model(weights: dict[str, tuple[float, ...]]) -> DoctypeModel:
    classes = ("bill_of_lading", "commercial_invoice", "packing_list", "sales_contract")
    return DoctypeModel(classes, (0.0, 0.0, 0.0, 0.0), weights, FEATURE_VERSION)


def test_features_are_bounded_reproducible_and_leave_running_text_out(tmp_path: Path) -> None:
    spec = make_spec("bill_of_lading", "A")
    render_pdf(spec, tmp_path / "bl.pdf")
    pages, _ = read_pages(tmp_path / "bl.pdf", get_settings(), None)
    features = page_features(build_layout(pages))
    assert features == page_features(build_layout(pages))
    assert all(0.0 <= v <= 1.0 for v in features.values())
    assert features["w:lading"] == features["t:^lad"] == 1.0 and features["s:containers"] > 0
    clause = _layout(_line(0.1, "PACKING", "LIST", height=0.03),
                     _line(0.5, *("The seller shall deliver the goods in sound condition "
                                  "and the buyer shall pay within thirty days of arrival").split()),
                     _line(0.52, *("Any dispute arising hereunder shall be settled by "
                                   "arbitration under the rules then in force").split()))
    assert clause.prose and "w:arbitration" not in page_features(clause)


def test_a_model_round_trips_through_json_and_another_version_is_refused(tmp_path: Path) -> None:
    model = _model({"w:pakbon": (0.0, 0.0, 3.0, 0.0), "s:table": (0.0, 1.5, 0.0, -1.0)})
    path = tmp_path / "model.json"
    path.write_text(model_to_json(model, {"seed": 1}), encoding="utf-8")
    loaded = load_model(path)
    assert loaded is not None
    features = {"w:pakbon": 1.0, "s:table": 1.0, "w:unseen": 1.0}
    assert loaded.probabilities(features) == pytest.approx(model.probabilities(features))
    assert max(model.probabilities(features).items(), key=lambda kv: kv[1])[0] == "packing_list"
    assert load_model(tmp_path / "absent.json") is None
    body = json.loads(path.read_text(encoding="utf-8")) | {"feature_version": FEATURE_VERSION + 1}
    (tmp_path / "old.json").write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(ModelError, match="feature version"):
        load_model(tmp_path / "old.json")


def test_the_model_decides_only_where_titles_and_captions_do_not() -> None:
    model = _model({"w:pakbon": (0.0, 0.0, 6.0, 0.0), "w:factuur": (0.0, 6.0, 0.0, 0.0)})
    heading = _line(0.05, "PAKBON", height=0.03)
    quoted = _line(0.2, "INVOICE")  # a box caption at body size, not the heading
    body = [_line(0.3 + 0.02 * i, "Gewicht", str(100 + i)) for i in range(4)]
    assert classify(_layout(heading, *body)) == ("unknown", 0.0)
    assert classify(_layout(heading, *body), model)[0] == "packing_list"
    assert classify(_layout(heading, quoted, *body))[0] == "commercial_invoice"
    assert classify(_layout(heading, quoted, *body), model)[0] == "packing_list"
    # A known title printed as the heading keeps precedence over the model.
    assert classify(_layout(_line(0.05, "INVOICE", height=0.03), *body), model)[0] == "commercial_invoice"
    # An unsure model names nothing.
    unsure = _model({"w:pakbon": (0.0, 0.0, 0.5, 0.0)})
    assert classify(_layout(heading, *body), unsure) == ("unknown", 0.0)


TYPES = ["bill_of_lading", "commercial_invoice", "packing_list", "sales_contract"]


@pytest.mark.parametrize("doc_type", TYPES)
def test_the_packaged_model_names_held_out_layouts(tmp_path: Path, doc_type: str) -> None:
    """Held-out captions and titles (X layouts): the rules alone leave most of these unknown."""
    for layout in ("X3", "X11", "X42"):
        render_pdf(make_spec(doc_type, layout), tmp_path / f"{layout}.pdf")
        assert extract_document(tmp_path / f"{layout}.pdf").doc_type == doc_type, layout


def test_training_is_seeded_and_its_model_reads_a_new_world(tmp_path: Path) -> None:
    # A small world: far above chance (0.25), not the 1.000 of the full-size training (make doctype).
    args = ["--n", "12", "--n-fixed", "4", "--eval-n", "4", "--seed", "5"]
    meta = doctype_train.run(doctype_train.parse_args([*args, "--out", str(tmp_path / "a.json"),
                                                       "--work", str(tmp_path / "w")]))
    doctype_train.run(doctype_train.parse_args([*args, "--out", str(tmp_path / "b.json"),
                                                "--work", str(tmp_path / "w")]))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert meta["eval_documents"] >= 16 and meta["eval_accuracy"] >= 0.9
    model = load_model(tmp_path / "a.json")
    assert model is not None and set(model.classes) == {
        "bill_of_lading", "commercial_invoice", "packing_list", "sales_contract"}
