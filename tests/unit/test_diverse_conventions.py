"""Conventions of the diverse layouts' training part that the caption rules now read."""

from __future__ import annotations

from stdnum import iso6346

from tradeverify.domain import PageText, Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.labels import line_labels
from tradeverify.extract.layout import build_layout
from tradeverify.extract.lines import group_lines


def _words(y: float, *cells: tuple[float, str]) -> list[Word]:
    """Words of one line: each cell starts at its x and its words follow at text spacing."""
    out = []
    for x, text in cells:
        for word in text.split():
            out.append(Word(word, x, y, x + 0.0095 * len(word), y + 0.011, 1))
            x += 0.0095 * len(word) + 0.006
    return out


def test_space_groups_are_a_document_convention() -> None:
    style = nz.infer_number_style(["Montant total 2 386 981,44", "Quantité 11 538 PCS"])
    assert style == nz.NumberStyle(decimal_comma=True, space_groups=True)
    assert nz.parse_quantity("1 416 676 PCS", **style.options()).value == (1416676.0, "PCS")
    assert nz.parse_weight_kg("713 621,044 kg", **style.options()).value == 713621.044
    assert nz.parse_amount("52 100 234.155", space_groups=True).value == 52100234.155
    # Without that evidence a space separates numbers ("100 200" in a table row).
    assert nz.infer_number_style(["Total 1,130,600.00"]) == nz.PLAIN_NUMBERS
    assert nz.parse_amount("100 200").value == 100.0


def test_a_hyphen_may_set_off_the_check_digit() -> None:
    code = "MSCU123456"
    full = code + str(iso6346.calc_check_digit(code))
    for printed in (f"MSCU 123456-{full[-1]}", f"MSCU-123456-{full[-1]}", full):
        assert nz.find_containers(printed) == [nz.Norm(full, True)], printed


def test_a_total_caption_may_run_into_its_currency_and_figure() -> None:
    printed = _words(0.5, (0.1, "Totaalbedrag USD 22.380.960,42")) + _words(0.6, (0.1, "Total 3 items"))
    lines = group_lines(printed)
    assert [h.field for h in line_labels(lines[0], 0)] == ["total_amount"]
    assert line_labels(lines[1], 1) == []


def test_german_columns_and_a_far_value_after_a_colon() -> None:
    header = _words(0.40, (0.08, "Beschreibung"), (0.40, "Menge"), (0.52, "Einheit"),
                    (0.64, "Einzelpreis"), (0.80, "Betrag"))
    row = _words(0.42, (0.08, "Copper cathodes"), (0.40, "124,500"), (0.52, "MT"),
                 (0.64, "9.250,75"), (0.80, "1.151.718,38"))
    total = _words(0.44, (0.64, "Gesamtbetrag"), (0.80, "1.151.718,38"))
    count = _words(0.20, (0.08, "ANZAHL:"), (0.50, "11.538 PCS"))
    page = PageText(1, tuple(count + header + row + total), False)
    fields = extract_fields(build_layout([page]), "commercial_invoice")
    assert fields["line_items"].value == [{"description": "Copper cathodes", "hs_code": None,
                                           "quantity": 124.5, "unit": "MT", "unit_price": 9250.75,
                                           "amount": 1151718.38}]
    assert fields["total_amount"].value == 1151718.38
    assert fields["quantity"].value == 11538.0
