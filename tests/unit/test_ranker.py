"""The learned field scorer: candidates and their neighbourhood, the JSON file, its place in extraction."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_extract_rendered import make_spec
from tests.unit.words import words_at
from tradeverify.config import get_settings
from tradeverify.domain import ExtractedField, PageText
from tradeverify.extract import scored_fields
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.linear import LinearModel, load_linear, model_to_json
from tradeverify.extract.normalize import PLAIN_NUMBERS, Norm, parse_imo
from tradeverify.extract.ranker import (
    Ranked,
    candidate_features,
    candidates,
    load_ranker,
    rank_fields,
    reversed_fields,
)
from tradeverify.extract.scored_fields import RANKED_CHECKS, ranked_parsers
from tradeverify.ingest.readers import read_pages
from tradeverify_train.extraction.accuracy import same_value
from tradeverify_train.nlp import field_train
from tradeverify_train.synth.render import render_pdf


def test_a_candidate_knows_the_caption_beside_it_and_the_one_above_it() -> None:
    words = (words_at(0.08, 0.10, "Schiffsname: ANDES REEFER") + words_at(0.08, 0.20, "Abgangshafen")
             + words_at(0.50, 0.20, "Trip No.") + words_at(0.08, 0.215, "Hamburg")
             + words_at(0.50, 0.215, "214E"))
    found = {c.text: c for c in candidates(build_layout([PageText(1, tuple(words), False)]))}
    assert found["ANDES REEFER"].left == "Schiffsname:"
    assert (found["Hamburg"].above, found["214E"].above) == ("Abgangshafen", "Trip No.")


def test_a_sparse_model_file_loads_as_written(tmp_path: Path) -> None:
    model = LinearModel(("a", "b", "none"), (0.1, 0.0, -0.2), {"lw:port": (1.5, 0.0, -0.004)}, 1)
    (tmp_path / "m.json").write_text(model_to_json(model, {}, sparse_below=0.01), encoding="utf-8")
    loaded = load_linear(tmp_path / "m.json", 1)
    assert loaded is not None and loaded.weights == {"lw:port": (1.5, 0.0, 0.0)}
    assert loaded.best({"lw:port": 1.0})[0] == "a"


def test_the_packaged_scorer_reads_held_out_captions_the_rules_do_not(tmp_path: Path) -> None:
    """A held-out layout (captions no vocabulary holds): the scorer reads what the rules leave."""
    ranker = load_ranker(get_settings().field_model)
    assert ranker is not None
    spec = make_spec("bill_of_lading", "X7")
    render_pdf(spec, tmp_path / "bl.pdf")
    layout = build_layout(read_pages(tmp_path / "bl.pdf", get_settings(), None)[0])
    rules = extract_fields(layout, "bill_of_lading")
    scored = extract_fields(layout, "bill_of_lading", ranker=ranker)
    right = _right(scored, spec.fields)
    assert len(right) >= len(_right(rules, spec.fields)) + 5
    assert {"vessel_name", "imo_number", "voyage_number"} <= right
    chosen = [f for f in scored.values() if f.reason and "field scorer" in f.reason]
    assert chosen and all(f.confidence <= 0.85 for f in chosen)


def _right(fields: dict[str, ExtractedField], truth: dict[str, Any]) -> set[str]:
    return {name for name, fld in fields.items() if same_value(fld.value, truth.get(name))}


def test_an_invoice_price_quantity_or_hs_code_is_never_taken_from_an_unlabelled_figure() -> None:
    ranker = load_ranker(get_settings().field_model)
    words = (words_at(0.08, 0.05, "Acme Trading Ltd") + words_at(0.4, 0.1, "INVOICE")
             + words_at(0.08, 0.2, "Copper") + words_at(0.5, 0.2, "124.500 MT")
             + words_at(0.65, 0.2, "9,250.75") + words_at(0.8, 0.2, "1,151,718.38"))
    layout = build_layout([PageText(1, tuple(words), False)])
    rules = extract_fields(layout, "commercial_invoice")
    scored = extract_fields(layout, "commercial_invoice", ranker=ranker)
    assert {"unit_price", "quantity", "hs_code"} & (set(scored) - set(rules)) == set()
    assert {n: f.value for n, f in scored.items() if n in rules} == {n: f.value for n, f in rules.items()}


def test_training_is_seeded_and_learns_the_training_part(tmp_path: Path) -> None:
    args = ["--n", "8", "--n-fixed", "2", "--eval-n", "3", "--seed", "7", "--work", str(tmp_path / "w")]
    meta = field_train.run(field_train.parse_args([*args, "--out", str(tmp_path / "a.json")]))
    field_train.run(field_train.parse_args([*args, "--out", str(tmp_path / "b.json")]))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    # A small world, far from the full training's 0.98 recall, but well past reading nothing.
    assert meta["positives"] > 100 and meta["eval_precision"] >= 0.9 and meta["eval_recall"] >= 0.6


def test_a_reversing_prefix_turns_a_caption_word_into_its_opposite() -> None:
    """"Unloading" is no loading caption: its n-grams give way to a reversal feature."""
    assert reversed_fields("unloading") == ("port_of_loading",)
    assert reversed_fields("descarga") == ("port_of_loading",)
    assert reversed_fields("loading") == () and reversed_fields("departure") == ()
    words = words_at(0.08, 0.10, "Unloading Port: Valencia, Spain")
    layout = build_layout([PageText(1, tuple(words), False)])
    cand = next(c for c in candidates(layout) if "Valencia" in c.text)
    features = candidate_features(cand, ["port_of_discharge", "port_of_loading"], "sales_contract")
    assert features["lrev:port_of_loading"] == 1.0
    assert "lg:load" not in features and features["lw:unloading"] == 1.0


def test_an_uncaptioned_bl_number_or_vessel_must_be_shaped_like_one() -> None:
    """The scorer's choice is checked after scoring: a till number or a country is none."""
    bl, vessel = RANKED_CHECKS["bl_number"], RANKED_CHECKS["vessel_name"]
    for refused in ("HOL01", "000670224384", "Tel:07-8263254Fax:07-8266888", "54,JALANSS23/11."):
        assert not bl(Norm(refused, True)), refused
    assert all(bl(Norm(taken, True)) for taken in ("SMLMOB2509117", "NGC-BUN-25-4410", "ROS-2509-07"))
    assert not vessel(Norm("United States", True)) and not vessel(Norm("Santos, Brazil", True))
    assert vessel(Norm("CARIBBEAN TRADER", True))
    # the check applies to what the scorer chose: refused, the field stays unread
    words = (words_at(0.3, 0.05, "ACME TRADING LTD") + words_at(0.3, 0.08, "COMMERCIAL INVOICE")
             + words_at(0.1, 0.12, "Transport doc") + words_at(0.4, 0.12, "SMLMOB2509117"))
    layout = build_layout([PageText(1, tuple(words), False)])
    parsers = ranked_parsers("commercial_invoice", PLAIN_NUMBERS)
    ranker = load_ranker(get_settings().field_model)
    assert ranker is not None
    chosen = rank_fields(layout, "commercial_invoice", ["bl_number"], parsers, ranker, 0.5)
    assert chosen["bl_number"].norm.value == "SMLMOB2509117"
    refused = rank_fields(layout, "commercial_invoice", ["bl_number"], parsers, ranker, 0.5,
                          accept={"bl_number": lambda norm: False})
    assert refused == {}


def _port_model() -> LinearModel:
    """A scorer that knows 'destination' well and 'origin' only as 'more discharge than loading'."""
    weights = {"lw:destination": (6.0, 0.0, 0.0), "lw:origin": (1.0, 0.2, -5.0)}
    return LinearModel(("port_of_discharge", "port_of_loading", "none"), (0.0, 0.0, 0.0), weights, 2)


def test_a_field_given_to_one_candidate_is_no_other_candidates() -> None:
    """'Origin Port' leans to discharge (0.69 to 0.31); once Jeddah is the discharge port, Lagos loads."""
    words = (words_at(0.08, 0.10, "Destination Port: Jeddah, Saudi Arabia")
             + words_at(0.08, 0.20, "Origin Port: Lagos, Nigeria")
             + words_at(0.08, 0.30, "Destination: Jeddah"))  # a repeat of the discharge port
    layout = build_layout([PageText(1, tuple(words), False)])
    parsers = ranked_parsers("bill_of_lading", PLAIN_NUMBERS)
    ports = ["port_of_discharge", "port_of_loading"]
    chosen = rank_fields(layout, "bill_of_lading", ports, parsers, _port_model(), 0.5)
    assert {n: r.norm.value for n, r in chosen.items()} == {"port_of_discharge": "SAJED",
                                                            "port_of_loading": "NGLOS"}
    assert chosen["port_of_loading"].probability > 0.95
    # a field its caption gave counts the same: the candidate is not that field either
    alone = rank_fields(layout, "bill_of_lading", ["port_of_loading"], parsers, _port_model(), 0.5,
                        given={"port_of_discharge": "SAJED"})
    assert alone["port_of_loading"].norm.value == "NGLOS"
    # without either, or scored alone (the sure pass), 'Origin Port' is no field at 0.5
    assert rank_fields(layout, "bill_of_lading", ["port_of_loading"], parsers, _port_model(), 0.5) == {}
    alone_only = rank_fields(layout, "bill_of_lading", ports, parsers, _port_model(), 0.5, exclusive=False)
    assert set(alone_only) == {"port_of_discharge"}


def test_a_weak_own_reading_is_given_by_exclusion_but_not_a_negligible_one() -> None:
    """'Origin Port' at loading 0.17 loads once the other port discharges; a transit port at 0.009 never."""
    weights = {"lw:destination": (6.0, 0.0, 0.0), "lw:origin": (1.0, -0.6, -5.0),
               "lw:transit": (5.0, 0.3, -5.0)}
    model = LinearModel(("port_of_discharge", "port_of_loading", "none"), (0.0, 0.0, 0.0), weights, 2)
    parsers = ranked_parsers("commercial_invoice", PLAIN_NUMBERS)
    ports = ["port_of_discharge", "port_of_loading"]
    page = (words_at(0.08, 0.10, "Destination Port: Jeddah, Saudi Arabia")
            + words_at(0.08, 0.30, "Transit Port: Singapore"))
    origin = words_at(0.08, 0.20, "Origin Port: Genova, Italy")
    chosen = rank_fields(build_layout([PageText(1, tuple(page + origin), False)]), "commercial_invoice",
                         ports, parsers, model, 0.5)
    assert {n: r.norm.value for n, r in chosen.items()} == {"port_of_discharge": "SAJED",
                                                            "port_of_loading": "ITGOA"}
    # Conditioning would lift the transit port (all its mass on discharge) to 1.0; its own 0.009 is none.
    alone = rank_fields(build_layout([PageText(1, tuple(page), False)]), "commercial_invoice", ports,
                        parsers, model, 0.5)
    assert {n: r.norm.value for n, r in alone.items()} == {"port_of_discharge": "SAJED"}


def test_a_required_field_goes_to_the_candidate_that_holds_most_of_its_mass() -> None:
    """'Reederei: / Pacific Crest Shipping' is carrier 0.43: below the floor, yet the page's only carrier."""
    # nothing above: a caption itself, no carrier; under 'Reederei:' or 'Notes:' carrier 0.43
    weights = {"a:none": (-3.0, 0.0), "aw:reederei": (0.0, 0.28), "aw:notes": (0.0, 0.28)}
    model = LinearModel(("carrier_name", "none"), (0.0, 0.0), weights, 2)
    parsers = ranked_parsers("bill_of_lading", PLAIN_NUMBERS)
    carrier = words_at(0.08, 0.10, "Reederei:") + words_at(0.08, 0.115, "Pacific Crest Shipping")
    layout = build_layout([PageText(1, tuple(carrier), False)])
    required = frozenset({"carrier_name"})
    assert rank_fields(layout, "bill_of_lading", ["carrier_name"], parsers, model, 0.5) == {}
    chosen = rank_fields(layout, "bill_of_lading", ["carrier_name"], parsers, model, 0.5, required=required)
    assert chosen["carrier_name"].norm.value == "Pacific Crest Shipping"
    assert 0.4 < chosen["carrier_name"].probability < 0.5  # its own probability: low, so reviewed
    # two lines as likely share the mass: neither stands out, and none is taken
    rival = words_at(0.55, 0.10, "Notes:") + words_at(0.55, 0.115, "Harbour Master Office")
    shared = build_layout([PageText(1, tuple(carrier + rival), False)])
    assert rank_fields(shared, "bill_of_lading", ["carrier_name"], parsers, model, 0.5,
                       required=required) == {}


@pytest.mark.parametrize(("field", "printed", "conf", "value"), [
    ("voyage_number", "O66N", 0.8, "066N"),  # OCR read the zero as a letter O
    ("payment_terms", "UC at sight", 0.8, "L/C at sight"),
    ("voyage_number", "O66N", 1.0, "O66N"),  # a text layer is read as printed
])
def test_the_scorers_choice_gets_its_fields_ocr_repair(field: str, printed: str, conf: float,
                                                        value: str) -> None:
    words = tuple(replace(w, conf=conf) for w in words_at(0.1, 0.1, printed))
    parser = ranked_parsers("bill_of_lading" if field == "voyage_number" else "sales_contract",
                            PLAIN_NUMBERS)[field]
    top = Ranked(parser(printed), words, 0.7)
    assert scored_fields._repaired(field, top, parser).value == value


def test_an_imo_number_is_its_own_token() -> None:
    assert parse_imo("IMO 9362293").value == "9362293" and parse_imo("IMO9362293").ok
    assert not parse_imo("KFL884128").ok  # 'L884128' reads as a valid 1884128, but ends a code
