"""NER: the packaged model, the code rules, the corpus builder and the model's typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from stdnum import iso6346

from tradeverify.config import PROJECT_DIR, Settings
from tradeverify.domain import Word
from tradeverify.extract.lines import group_lines
from tradeverify.nlp.entities import Entity, NerModelError, find_entities, find_line_entities, load_pipeline
from tradeverify.nlp.rules import build_matcher, find_codes
from tradeverify.nlp.text import lay_out
from tradeverify_train.nlp.corpus import (
    Target,
    annotate,
    build_corpus,
    document_targets,
    find_occurrences,
    load_addresses,
    split_submissions,
    world_docs,
)
from tradeverify_train.synth.entities import imo_check_digit
from tradeverify_train.synth.generate import WorldConfig, generate_world

MODEL = PROJECT_DIR / "models" / "ner"
CW, H = 0.01, 0.012  # one character's width and a line's height, in page fractions


def row(y: float, *cells: tuple[float, str]) -> list[Word]:
    """Words of one printed line: each cell's text starts at x; words are half a char apart."""
    words = []
    for x, text in cells:
        cx = x
        for token in text.split():
            words.append(Word(token, cx, y, cx + len(token) * CW, y + H, 1))
            cx += (len(token) + 0.5) * CW
    return words


def spans(entities: list[Entity], source: str | None = None) -> set[tuple[str, str]]:
    return {(e.label, e.text) for e in entities if source is None or e.source == source}


# --- text layout ----------------------------------------------------------------------------------


def test_lay_out_joins_segments_with_tabs_and_lines_with_newlines() -> None:
    lines = group_lines(
        row(0.1, (0.05, "Seller:"), (0.3, "Aurora Metals Ltd")) + row(0.13, (0.3, "1 Dock Lane"))
    )
    laid = lay_out(lines)
    assert laid.text == "Seller:\tAurora Metals Ltd\n1 Dock Lane"
    start = laid.text.index("Aurora")
    assert [w.text for w in laid.words_between(start, start + len("Aurora Metals"))] == ["Aurora", "Metals"]
    assert all(laid.text[a:b] == w.text for w, (a, b) in zip(laid.words, laid.offsets, strict=True))


# --- alignment ------------------------------------------------------------------------------------


def test_find_occurrences_follows_a_value_wrapped_onto_an_aligned_line() -> None:
    lines = group_lines(
        row(0.10, (0.05, "Goods"), (0.30, "Synthetic tanning substances for"), (0.70, "320290"))
        + row(0.12, (0.30, "leather"))
    )
    found = find_occurrences(lines, "Synthetic tanning substances for leather".split())
    assert len(found) == 1
    assert [(f.line, f.start, f.end) for f in found[0]] == [(0, 1, 5), (1, 0, 1)]


def test_find_occurrences_follows_a_name_broken_across_lines_of_running_text() -> None:
    lines = group_lines(
        row(0.10, (0.05, "1. The Seller, Ningbo Coral Commodities"))
        + row(0.12, (0.05, "Co., Ltd., shall deliver"))
    )
    found = find_occurrences(lines, "Ningbo Coral Commodities Co., Ltd.".split())
    assert [[(f.line, f.start, f.end, f.cut) for f in pieces] for pieces in found] == [
        [(0, 3, 6, 0), (1, 0, 2, 1)]
    ]


def test_annotate_lets_longer_targets_claim_words_and_reports_misses() -> None:
    lines = group_lines(row(0.1, (0.05, "Buyer:"), (0.3, "Delta Metals Ltd")))
    spans_, missed = annotate(lines, [Target("PARTY", ("Delta", "Metals", "Ltd")),
                                      Target("GOODS", ("Metals",)), Target("GOODS", ("Copper",))])
    assert [(f.start, f.end, label) for f, label in spans_] == [(1, 4, "PARTY")]
    assert {t.tokens for t in missed} == {("Metals",), ("Copper",)}


def test_document_targets_add_printed_addresses_of_the_parties() -> None:
    fields = {"seller_name": "A Ltd", "buyer_name": "B GmbH", "goods_description": "Iron ore",
              "line_items": [{"description": "Iron ore"}, {"description": "Coke"}]}
    targets = document_targets(fields, {"A Ltd": "1 Dock Lane, Santos, Brazil"})
    assert [(t.label, " ".join(t.tokens)) for t in targets] == [
        ("PARTY", "A Ltd"), ("ADDRESS", "1 Dock Lane, Santos, Brazil"), ("PARTY", "B GmbH"),
        ("GOODS", "Iron ore"), ("GOODS", "Coke"),
    ]


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ner-world")
    generate_world(out, WorldConfig(n=3, seed=77, scanned_rate=0.0))
    return out


def test_corpus_spans_are_the_printed_truth_strings(tiny_world: Path) -> None:
    by_submission, stats = world_docs(tiny_world, seed=1)
    assert stats.documents == 15 and not stats.unaligned and stats.misaligned == 0
    addresses = load_addresses(tiny_world)
    for sid, docs in by_submission.items():
        truths = [json.loads(p.read_text())["fields"] for p in (tiny_world / "truth" / sid).glob("*.json")]
        names = {t[k] for t in truths for k in ("seller_name", "buyer_name", "shipper_name",
                                                "consignee_name", "notify_party", "carrier_name") if k in t}
        goods = {t["goods_description"] for t in truths if "goods_description" in t}
        found = {(e.label_, e.text) for d in docs for e in d.ents}
        # Every party name is printed whole at least once (a box or a row), so found whole.
        assert names <= {text for label, text in found if label == "PARTY"}
        for label, text in found:
            printed = {addresses[n] for n in names if n in addresses}
            pool = {"PARTY": names, "GOODS": goods, "ADDRESS": printed}
            assert any(text in whole for whole in pool[label]), (label, text)
        assert {label for label, _ in found} == {"PARTY", "ADDRESS", "GOODS"}


def test_same_seed_gives_the_same_docbin_bytes(tiny_world: Path, tmp_path: Path) -> None:
    build_corpus(tiny_world, tmp_path / "a", seed=5)
    build_corpus(tiny_world, tmp_path / "b", seed=5)
    build_corpus(tiny_world, tmp_path / "c", seed=6)
    for name in ("train.spacy", "dev.spacy"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "train.spacy").read_bytes() != (tmp_path / "c" / "train.spacy").read_bytes()


def test_split_is_by_submission_and_seeded() -> None:
    ids = [f"S{i:03d}" for i in range(20)]
    assert split_submissions(ids, 3) == split_submissions(list(reversed(ids)), 3)
    assert len(split_submissions(ids, 3)) == 4
    assert split_submissions(["S1"], 3) == {"S1"}


def test_case_augmenter_keeps_entity_offsets() -> None:
    from spacy.training import Example

    from tradeverify_train.nlp.augment import case_variants

    nlp = spacy.blank("en")
    doc = nlp.make_doc("Seller:\tAurora Metals Pte. Ltd.\n14 Dock Lane, Santos, Brazil")
    doc.ents = [doc.char_span(8, 31, "PARTY"), doc.char_span(32, 60, "ADDRESS")]
    examples = list(case_variants(upper=1.0, lower=0.0)(nlp, Example(nlp.make_doc(doc.text), doc)))
    assert len(examples) == 2
    assert [(e.label_, e.text) for e in examples[1].reference.ents] == [
        ("PARTY", "AURORA METALS PTE. LTD."), ("ADDRESS", "14 DOCK LANE, SANTOS, BRAZIL"),
    ]


# --- rules ----------------------------------------------------------------------------------------


def _codes(text: str) -> set[tuple[str, str, str, bool | None]]:
    nlp = spacy.blank("en")
    doc = nlp(text)
    return {(c.label, c.span.text, c.value, c.valid) for c in find_codes(doc, build_matcher(nlp.vocab))}


IMO = "920642" + imo_check_digit("920642")
CONTAINER = "MSCU123456" + str(iso6346.calc_check_digit("MSCU123456"))


def test_rules_find_valid_imo_container_hs_locode_and_incoterm() -> None:
    text = (f"Vessel: OSL ANNA IMO {IMO}\tContainers: MSCU 123456 {CONTAINER[-1]}, TGHU1234560\n"
            "HS Code: 740311\tCommodity code 7403.11\nDelivery: CIF CNSHA (Shanghai, CHINA)")
    assert _codes(text) == {
        ("IMO", f"IMO {IMO}", IMO, True),
        ("CONTAINER", f"MSCU 123456 {CONTAINER[-1]}", CONTAINER, True),
        ("CONTAINER", "TGHU1234560", "TGHU1234560", iso6346.is_valid("TGHU1234560")),
        ("HS_CODE", "740311", "740311", None),
        ("HS_CODE", "7403.11", "740311", None),
        ("INCOTERM", "CIF", "CIF", True),
        ("LOCODE", "CNSHA", "CNSHA", True),
    }


def test_rules_flag_bad_check_digits_and_skip_unlabelled_numbers() -> None:
    bad_imo = IMO[:6] + str((int(IMO[6]) + 1) % 10)
    found = _codes(f"IMO No.: {bad_imo} Ref 740311 and 9206425 GRADE")
    assert found == {("IMO", bad_imo, bad_imo, False)}


# --- the packaged model ---------------------------------------------------------------------------


def test_packaged_model_finds_party_address_and_goods() -> None:
    text = ("Seller:\tAurora Metals Pte. Ltd.\n"
            "14 Marina Boulevard, Singapore, Singapore\n"
            "Buyer:\tNingbo Cedar Trading Co., Ltd.\n"
            "518 Industrial Avenue, Ningbo, China\n"
            "Goods Description:\tRefined copper cathodes Grade A\n"
            "Port of Loading:\tSingapore, Singapore")
    found = find_entities(text, MODEL)
    assert spans(found, "model") == {
        ("PARTY", "Aurora Metals Pte. Ltd."),
        ("ADDRESS", "14 Marina Boulevard, Singapore, Singapore"),
        ("PARTY", "Ningbo Cedar Trading Co., Ltd."),
        ("ADDRESS", "518 Industrial Avenue, Ningbo, China"),
        ("GOODS", "Refined copper cathodes Grade A"),
    }
    party = next(e for e in found if e.label == "PARTY")
    assert text[party.start : party.end] == party.text == party.value


def test_packaged_model_reads_documents_typed_in_capitals() -> None:
    text = "SHIPPER:\tAURORA METALS PTE. LTD.\n14 MARINA BOULEVARD, SINGAPORE, SINGAPORE"
    assert spans(find_entities(text, MODEL)) == {
        ("PARTY", "AURORA METALS PTE. LTD."), ("ADDRESS", "14 MARINA BOULEVARD, SINGAPORE, SINGAPORE"),
    }


def test_model_and_rules_together_on_extractor_lines() -> None:
    lines = group_lines(
        row(0.10, (0.05, "SHIPPER"), (0.52, "VESSEL / IMO"))
        + row(0.12, (0.05, "Summit Resources S.A."), (0.52, f"CAPE ORION IMO {IMO}"))
        + row(0.14, (0.05, "77 Dock Lane, Santos, Brazil"))
    )
    found = find_line_entities(lines, MODEL)
    by_label = {e.entity.label: e for e in found}
    assert by_label["IMO"].entity.value == IMO and by_label["IMO"].entity.source == "rule"
    assert [w.text for w in by_label["IMO"].words] == ["IMO", IMO]
    assert by_label["PARTY"].entity.text == "Summit Resources S.A."
    assert by_label["ADDRESS"].entity.text == "77 Dock Lane, Santos, Brazil"


def test_pipeline_is_loaded_once() -> None:
    assert load_pipeline(MODEL) is load_pipeline(MODEL)


def test_missing_model_dir_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(NerModelError, match="not found") as err:
        load_pipeline(tmp_path / "nowhere")
    assert err.value.code == "ner_model_unavailable"


def test_corrupt_model_dir_is_a_typed_error(tmp_path: Path) -> None:
    (tmp_path / "config.cfg").write_text("[nlp\nthis is not a config")
    (tmp_path / "meta.json").write_text("{}")
    with pytest.raises(NerModelError, match="cannot be loaded"):
        find_entities("Seller: Aurora Metals Ltd", tmp_path)


def test_model_dir_comes_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings().ner_model_dir == MODEL
    monkeypatch.setenv("TRADEVERIFY_NER_MODEL_DIR", str(tmp_path))
    assert Settings().ner_model_dir == tmp_path


@pytest.mark.slow
def test_retrain_end_to_end(tmp_path: Path) -> None:
    from tradeverify_train.nlp.train import main

    out = tmp_path / "model"
    args = ["--out", str(out), "--work", str(tmp_path / "work"), "--n", "6", "--eval-n", "2",
            "--seed", "4", "--max-steps", "60", "--no-mlflow"]
    assert main(args) == 0
    assert load_pipeline(out).nlp.get_pipe("ner").labels
    heldout = json.loads((out / "evaluation.json").read_text())["heldout"]
    assert set(heldout) == {"PARTY", "ADDRESS", "GOODS", "ALL"}
