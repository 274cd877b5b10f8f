"""Normalizers and validators: printed text -> canonical value, with (value, ok, reason)."""

from __future__ import annotations

import pytest

from tradeverify.extract import normalize as nz
from tradeverify.extract import ocr_repairs as ocr
from tradeverify.extract.ports import resolve_port, split_country


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Mar 2025", "2025-03-12"),
        ("2025-03-12", "2025-03-12"),
        ("12/03/2025", "2025-03-12"),
        ("12.03.2025", "2025-03-12"),
        ("March 12, 2025", "2025-03-12"),
        ("Mar 12, 2025", "2025-03-12"),
        ("12-Mar-2025", "2025-03-12"),
        ("12th March 2025", "2025-03-12"),
        ("03/25/2025", "2025-03-25"),  # only the month-first reading is a date
        ("2025/3/9", "2025-03-09"),
        ("Shanghai, 09 Apr 2025", "2025-04-09"),
        ("Sept 1, 2025", "2025-09-01"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert nz.parse_date(text) == (expected, True, None)


@pytest.mark.parametrize("text", ["31/02/2025", "no date here", "2025-13-40"])
def test_parse_date_rejects(text: str) -> None:
    value, ok, reason = nz.parse_date(text)
    assert value is None and not ok and reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234,567.89", 1234567.89),
        ("1.234.567,89", 1234567.89),
        ("USD 1,130,600.00", 1130600.0),
        ("9,081.12", 9081.12),
        ("9081.12", 9081.12),
        ("12,5", 12.5),
        ("1,250", 1250.0),
        ("25.000", 25.0),
        ("18,331 ,359.33", 18331359.33),  # OCR spacing around a grouping comma
        ("22,403,941 .82", 22403941.82),
        ("$ 912,550.00", 912550.0),
    ],
)
def test_parse_amount(text: str, expected: float) -> None:
    value, ok, _ = nz.parse_amount(text)
    assert ok and value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25,000.000 MT", (25000.0, "MT")),
        ("124.500 MT", (124.5, "MT")),
        ("50,000 PCS", (50000.0, "PCS")),
        ("858,063 BBLS", (858063.0, "BBL")),
        ("1,200.5 kgs", (1200.5, "KGS")),
        ("300 CBM", (300.0, "CBM")),
        ("12.5 tonnes", (12.5, "MT")),
        ("100.000", (100.0, None)),
    ],
)
def test_parse_quantity(text: str, expected: tuple[float, str | None]) -> None:
    assert nz.parse_quantity(text) == (expected, True, None)


@pytest.mark.parametrize("text", ["§,612.235 MT", "USD $,120.50", "*.450 KGS"])
def test_a_figure_that_lost_its_first_digits_is_unknown(text: str) -> None:
    # OCR read "5,612.235" as "§,612.235": 612.235 would be ten times too small.
    assert nz.parse_amount(text).value is None
    assert not nz.parse_quantity(text).ok


@pytest.mark.parametrize("text", ["No.1,000", "USD1,234.50", "(1,234.00)", "$1,200.00"])
def test_symbols_and_labels_before_a_whole_figure_still_read(text: str) -> None:
    assert nz.parse_amount(text).ok


@pytest.mark.parametrize("text", ["23rd A\\", "12th of May"])
def test_an_ordinal_is_no_quantity(text: str) -> None:
    assert nz.parse_quantity(text).value is None


def test_a_unit_glued_to_its_figure_still_reads() -> None:
    assert nz.parse_quantity("25,000MT") == ((25000.0, "MT"), True, None)


def test_two_figures_before_the_unit_are_a_guess() -> None:
    # "266,505 MT" scanned as "2 68,505 MT": the first figure is kept, flagged, for review.
    value, ok, reason = nz.parse_quantity("2 68,505 MT")
    assert value == (2.0, "MT") and not ok and reason and "two figures" in reason


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("25,125.500 KGS", 25125.5),
        ("125,125.5", 125125.5),
        ("25.1255 MT", 25125.5),
        ("1,000 LBS", 453.59237),
        # both units printed: the kilograms as printed, not the pounds converted (2062.938 kg)
        ("4,548 LBS / 2,062.9 KGS", 2062.9),
        ("2,062.9 KGS (4,548 LBS)", 2062.9),
    ],
)
def test_parse_weight(text: str, kg: float) -> None:
    value, ok, _ = nz.parse_weight_kg(text)
    assert ok and value == pytest.approx(kg)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("EUR 1,000.00", "EUR"),
        ("€ 1.000,00", "EUR"),
        ("US$ 5,000", "USD"),
        ("£", "GBP"),
        ("RMB", "CNY"),
        ("US Dollars", "USD"),
        ("Swiss Franc", "CHF"),
    ],
)
def test_parse_currency(text: str, code: str) -> None:
    assert nz.parse_currency(text) == (code, True, None)


def test_parse_currency_unknown() -> None:
    assert nz.parse_currency("Bananas").ok is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9312341", ("9312341", True, None)),
        ("IMO 9074729", ("9074729", True, None)),
        ("IMO No. 93I2341", ("9312341", True, None)),  # OCR I for 1
        ("9312345", ("9312345", False, "IMO check digit mismatch")),
        ("931234", (None, False, "no 7-digit IMO number")),
    ],
)
def test_parse_imo(text: str, expected: tuple[object, bool, str | None]) -> None:
    assert nz.parse_imo(text) == expected


@pytest.mark.parametrize(
    ("text", "codes", "ok"),
    [
        ("MSCU 123456 5", ["MSCU1234565"], False),  # 5 is not the check digit (6 is)
        ("MSCU 123456 6", ["MSCU1234566"], True),
        ("MSCU1234566, TGHU3337775", ["MSCU1234566", "TGHU3337775"], True),
        ("MSCU1234566, TGHU3337770", ["MSCU1234566", "TGHU3337770"], False),
        ("CSQU3054383\nMSKU9070323", ["CSQU3054383", "MSKU9070323"], True),
        ("CSQU 305438 3, MSKU 907032 3", ["CSQU3054383", "MSKU9070323"], True),
        ("CSQU3O54383", ["CSQU3054383"], True),  # OCR O for 0 in the serial
        ("OSLU76531 46 OSLU4966105", ["OSLU7653146", "OSLU4966105"], True),  # OCR split
    ],
)
def test_parse_containers(text: str, codes: list[str], ok: bool) -> None:
    value, valid, reason = nz.parse_containers(text)
    assert value == codes and valid is ok and (reason is None) is ok


def test_parse_containers_reason_names_the_bad_one() -> None:
    found = nz.find_containers("MSCU 123456 5, MSCU 123456 6")
    assert [n.ok for n in found] == [False, True]
    assert "MSCU1234565" in (found[0].reason or "")


def test_parse_containers_ignores_words() -> None:
    assert nz.parse_containers("ASIA SIDE LOTS 2025").value == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("740311", ("740311", True, None)),
        ("7403.11", ("740311", True, None)),
        ("1511.10.00", ("15111000", True, None)),
        ("HS 7403", ("7403", True, None)),
        ("74031", ("74031", False, "HS code has 5 digits")),
    ],
)
def test_parse_hs_code(text: str, expected: tuple[object, bool, str | None]) -> None:
    assert nz.parse_hs_code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CIF Hamburg", ("CIF", True, None)),
        ("FOB", ("FOB", True, None)),
        ("fca Shanghai Incoterms 2020", ("FCA", True, None)),
        ("C&F Rotterdam", ("CFR", True, None)),
        ("DAT Terminal", ("DAT", False, "DAT is not an Incoterms 2020 rule")),
        ("Ex works", (None, False, "no Incoterms rule")),
    ],
)
def test_parse_incoterm(text: str, expected: tuple[object, bool, str | None]) -> None:
    assert nz.parse_incoterm(text) == expected


@pytest.mark.parametrize(
    ("text", "count", "ok"), [("1,250", 1250, True), ("20 BUNDLES", 20, True), ("2.5", 2, False)]
)
def test_parse_count(text: str, count: int, ok: bool) -> None:
    value, valid, _ = nz.parse_count(text)
    assert (value, valid) == (count, ok)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UC at sight", "L/C at sight"),
        ("U/C at sight", "L/C at sight"),
        ("TIT 30 days after BIL date", "T/T 30 days after B/L date"),
        ("D/P at sight", "D/P at sight"),
    ],
)
def test_repair_payment_terms(text: str, expected: str) -> None:
    assert ocr.repair_payment_terms(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O36W", "036W"),
        ("INV25O1234", "INV2501234"),
        ("PO-1234", "PO-1234"),
        ("12I4", "1214"),
        ("MCLH1 90966955", "MCLH190966955"),
        ("OO9W", "009W"),
        ("—INV25000147", "INV25000147"),  # a speck before the value, read as a dash
        ("©OSLB123456789", "OSLB123456789"),
        ("SC-25-0147.", "SC-25-0147"),
        ("PO-1234 (A)", "PO-1234 (A)"),
    ],
)
def test_repair_code(text: str, expected: str) -> None:
    assert ocr.repair_code(text) == expected


def test_repair_voyage_is_upper_case() -> None:
    assert ocr.repair_voyage("048w") == "048W"


def test_repair_bl_number_joins_ocr_split() -> None:
    assert ocr.repair_bl_number("MCLE 165250O90") == "MCLE165250090"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lonic Resources Ltd.", "Ionic Resources Ltd."),
        ("Shanghai lonic Metals Co., Ltd.", "Shanghai Ionic Metals Co., Ltd."),
        ("Compania de los Andes", "Compania de los Andes"),
        ("Ningbo Andes Metals Co.., Ltd.", "Ningbo Andes Metals Co., Ltd."),  # a speck read as "."
    ],
)
def test_repair_name(text: str, expected: str) -> None:
    assert ocr.repair_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("lron ore fines", "Iron ore fines"), ("Copper lead alloy", "Copper lead alloy")],
)
def test_repair_description(text: str, expected: str) -> None:
    assert ocr.repair_description(text) == expected


# --- ports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "locode"),
    [
        ("Shanghai, China", "CNSHA"),
        ("San Antonio, Chile", "CLSAI"),
        ("Hamburg, Germany", "DEHAM"),
        ("Jebel Ali, United Arab Emirates", "AEJEA"),
        ("Hong Kong, Hong Kong", "HKHKG"),
        ("Rotterdam", "NLRTM"),
        ("CNSHA", "CNSHA"),
        ("CN SHA", "CNSHA"),
        ("Shanghai (CNSHA)", "CNSHA"),
        ("Ampenan, Bali, Indonesia", "IDAMP"),  # a comma inside the port name
    ],
)
def test_resolve_port_exact(printed: str, locode: str) -> None:
    assert resolve_port(printed) == (locode, 1.0)


@pytest.mark.parametrize(
    ("printed", "locode"),
    [
        ("Shangai, China", "CNSHA"),
        ("Rotterdarn, Netherlands", "NLRTM"),
        ("Busan, Korea, Republic of", "KRPUS"),  # searoute spells it "Pusan"
        ("Busan, South Korea", "KRPUS"),
    ],
)
def test_resolve_port_fuzzy(printed: str, locode: str) -> None:
    code, confidence = resolve_port(printed)
    assert code == locode and 0.5 < confidence < 1.0


@pytest.mark.parametrize("printed", ["", "Nowhere, Mars", "Atlantis"])
def test_resolve_port_unknown(printed: str) -> None:
    assert resolve_port(printed) == (None, 0.0)


@pytest.mark.parametrize(
    ("printed", "locode"),
    [
        ("中国宁波", "CNNGB"),  # country first, as Chinese prints it
        ("英国费利克斯托", "GBFXT"),
        ("宁波港", "CNNGB"),  # "port" after the name
        ("连云港", "CNLYG"),  # ... unless it is part of the name
        ("上海, 中国", "CNSHA"),
    ],
)
def test_resolve_a_port_printed_in_chinese(printed: str, locode: str) -> None:
    assert resolve_port(printed) == (locode, 1.0)


def test_every_chinese_port_name_is_a_known_port() -> None:
    from tradeverify.extract.ports import _by_locode, _chinese_names

    assert len(_chinese_names()) >= 80
    assert sorted(set(_chinese_names().values()) - set(_by_locode())) == []


def test_a_port_printed_in_two_languages_is_the_surer_reading() -> None:
    assert resolve_port("HAMBURGO / HAMBURG")[0] == "DEHAM"  # the whole string fuzzily is DEHBU
    assert resolve_port("火星") == (None, 0.0)


def test_split_country_uses_searoute_spellings() -> None:
    assert split_country("Abidjan, Ivory Coast") == ("Abidjan", "CI")
    assert split_country("Mumbai") == ("Mumbai", None)


# --- numeric date order across a document ---------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "country", "expected"),
    [
        (["Invoice Date: 03/12/2025", "Shipped: 25/11/2025"], None, (True, "dates")),
        (["Invoice Date: 03/12/2025", "Shipped: 11/25/2025"], "CN", (False, "dates")),
        (["03.12.2025", "On board 14.11.2025"], "US", (True, "dates")),  # dates beat the country
        (["Invoice Date: 03/12/2025"], "USHOU", (False, "country")),
        (["Invoice Date: 03/12/2025"], "CNSHA", (True, "country")),
        (["03/12/2025"], None, (True, "default")),
        (["25/11/2025", "11/25/2025"], "US", (True, "conflict")),
        (["2025-11-25", "12 Mar 2025"], "US", (False, "country")),  # unambiguous forms say nothing
    ],
)
def test_infer_date_order(texts: list[str], country: str | None, expected: tuple[bool, str]) -> None:
    assert tuple(nz.infer_date_order(texts, country)) == expected


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("03/12/2025", True, "2025-12-03"),
        ("03/12/2025", False, "2025-03-12"),
        ("25/11/2025", False, "2025-11-25"),  # only one reading is a date, whatever the order
        ("11/25/2025", True, "2025-11-25"),
        ("2025-03-12", False, "2025-03-12"),
    ],
)
def test_parse_date_in_a_given_order(text: str, day_first: bool, expected: str) -> None:
    assert nz.parse_date(text, day_first=day_first) == (expected, True, None)


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [("03/12/2025", True), ("03.12.2025", True), ("25/11/2025", False), ("05/05/2025", False),
     ("2025-03-12", False), ("12 Mar 2025", False), ("Hamburg, 03/12/2025", True)],
)  # fmt: skip
def test_ambiguous_date(text: str, ambiguous: bool) -> None:
    assert nz.ambiguous_date(text) is ambiguous
