"""Parties a contract names only in its running text, by the role it designates them."""

from __future__ import annotations

import pytest

from tests.unit.test_layout import pages_of, row
from tradeverify.extract.fields import extract_fields
from tradeverify.extract.layout import build_layout
from tradeverify.extract.parties import designated_parties


def _parties(*lines: str) -> dict[str, str]:
    layout = build_layout(pages_of(*(row(0.1 + 0.02 * i, (0.05, text)) for i, text in enumerate(lines))))
    return {field: norm.value for field, (norm, _) in designated_parties(layout).items()}


@pytest.mark.parametrize(("lines", "seller", "buyer"), [
    (("This Contract is made by and between SELANGOR PALM REFINERS SDN BHD, Lot 7, Jalan",
      'Pelabuhan, Port Klang, Malaysia (hereinafter called "the Seller") and AL NOOR FOOD',
      'INDUSTRIES LLC, Plot S30412, Trinidad and Tobago (hereinafter called "the Buyer"), whereby'),
     "SELANGOR PALM REFINERS SDN BHD", "AL NOOR FOOD INDUSTRIES LLC"),
    (("zwischen", "Hanseatische Metallhandel GmbH",
      "Brandstwiete 3, 20457 Hamburg – nachstehend „Verkäufer“ –", "und",
      "Baltic Knitwear GmbH & Co. KG", "Kiel – nachstehend „Käufer“ –"),
     "Hanseatische Metallhandel GmbH", "Baltic Knitwear GmbH & Co. KG"),
    (("En Santiago de Chile, a 12 de septiembre de 2025. De una parte, VIÑA LOS AROMOS S.A., con",
      "domicilio en Buin, Chile, en adelante «el Vendedor»; y de otra, VINOS IMPORTADOS DEL ISTMO",
      "S.A. DE C.V., con domicilio en Av. Insurgentes Sur 1602, en adelante «el Comprador», acuerdan"),
     "VIÑA LOS AROMOS S.A.", "VINOS IMPORTADOS DEL ISTMO S.A. DE C.V."),
    (("Entre Maison Bréval SARL, 12 rue du Port, Nantes, ci-après dénommée « le Vendeur », et",
      "Nordic Wine Imports AB, Göteborg, ci-après dénommée « l'Acheteur »"),
     "Maison Bréval SARL", "Nordic Wine Imports AB"),
])
def test_parties_designated_in_the_text(lines: tuple[str, ...], seller: str, buyer: str) -> None:
    assert _parties(*lines) == {"seller_name": seller, "buyer_name": buyer}


def test_no_designation_or_no_name_gives_nothing() -> None:
    assert _parties("The Seller shall ship the goods from Port Klang not later than 30 October.") == {}
    # a designation whose stretch opens no name (lower-case words only) is not guessed at
    assert _parties("the goods hereinafter called the Seller's goods are sold") == {}


def test_a_designated_party_fills_a_contract_without_captions() -> None:
    pages = pages_of(
        row(0.05, (0.40, "SALES CONTRACT")),
        row(0.10, (0.05, "This Contract is made between Zenith Resources Pte. Ltd., Singapore")),
        row(0.12, (0.05, '(hereinafter "the Seller") and Karnaphuli Edible Oils Ltd., Chattogram')),
        row(0.14, (0.05, '(hereinafter "the Buyer").')),
    )
    fields = extract_fields(pages, "sales_contract")
    assert fields["seller_name"].value == "Zenith Resources Pte. Ltd."
    assert fields["buyer_name"].value == "Karnaphuli Edible Oils Ltd."
    assert fields["seller_name"].confidence < 0.9  # no caption: it asks for review


def _invoice(*rows_: list) -> dict:
    return extract_fields(pages_of(*rows_), "commercial_invoice")


def test_an_invoice_without_a_buyer_caption_is_sent_to_its_address_block() -> None:
    fields = _invoice(
        row(0.04, (0.05, "Jurafräs Werkzeuge AG")),
        row(0.06, (0.05, "Bözingenstrasse 112, 2504 Biel")),
        row(0.12, (0.05, "Kunz Mechanik GmbH")),
        row(0.14, (0.05, "Industriering 5")),
        row(0.16, (0.05, "6330 Cham")),
        row(0.22, (0.05, "Rechnung Nr. 25-4471"), (0.55, "Datum: 12.09.2025")),
        row(0.30, (0.05, "Total CHF"), (0.60, "9'610.65")),
    )
    assert fields["seller_name"].value == "Jurafräs Werkzeuge AG"  # its own block is not the buyer's
    assert fields["buyer_name"].value == "Kunz Mechanik GmbH"
    assert fields["buyer_name"].confidence < 0.9


@pytest.mark.parametrize("between", [
    ("Wir danken Ihnen herzlich für Ihren Auftrag und die angenehme Zusammenarbeit",),  # a sentence
    ("Einkauf", "Halle 3", "Industriering 5"),  # the postal line is a fourth line below: too far
])
def test_a_name_is_an_addressee_only_with_its_postal_line_close_below(between: tuple[str, ...]) -> None:
    lines = ("Jurafräs Werkzeuge AG", "Kunz Mechanik GmbH", *between, "6330 Cham")
    assert "buyer_name" not in _invoice(*(row(0.04 + 0.02 * i, (0.05, t)) for i, t in enumerate(lines)))


@pytest.mark.parametrize(("above", "name"), [
    ("LIAN CHI PU TIAN VEGETARIAN", "LIAN CHI PU TIAN VEGETARIAN RESTAURANT SDN BHD"),  # wrapped name
    ("INVOICE", "RESTAURANT SDN BHD"),  # a title is not part of it
    ("Fine food since 1998", "RESTAURANT SDN BHD"),  # nor a tagline
])
def test_a_letterhead_name_wrapped_over_two_lines(above: str, name: str) -> None:
    fields = _invoice(row(0.04, (0.30, above)), row(0.06, (0.33, "RESTAURANT SDN BHD")),
                      row(0.20, (0.05, "Date 06/01/18")), row(0.30, (0.05, "TOTAL: 53.55")))
    assert fields["seller_name"].value == name


def test_the_issuer_from_a_one_line_sender_a_footer_or_a_chinese_letterhead() -> None:
    body = [row(0.30, (0.05, "Rechnungsnummer"), (0.40, "RE-2025-00917")),
            row(0.50, (0.05, "Total EUR 11.996,39"))]
    sender = row(0.10, (0.05, "Feldberg Präzisionsteile GmbH · Industriestraße 14 · 78112 St. Georgen"))
    assert _invoice(sender, *body)["seller_name"].value == "Feldberg Präzisionsteile GmbH"
    footer = row(0.92, (0.05, "Van Dijk Bloembollen B.V. · Zandweg 41 · 2161 AB Lisse · KvK 34127789"))
    assert _invoice(*body, footer)["seller_name"].value == "Van Dijk Bloembollen B.V."
    sentence = row(0.92, (0.05, "Goods remain the property of Van Dijk Bloembollen B.V. until paid"))
    assert "seller_name" not in _invoice(*body, sentence)  # a sentence in the footer names nobody
    chinese = row(0.05, (0.30, "宁波海晟五金制品有限公司"))
    assert _invoice(chinese, *body)["seller_name"].value == "宁波海晟五金制品有限公司"


def test_an_address_line_is_not_an_addressee() -> None:
    lines = ("Jurafräs Werkzeuge AG", "Dataran Glomac, Kelana Jaya", "Jalan SS6/5A", "47301 Petaling Jaya")
    assert "buyer_name" not in _invoice(*(row(0.04 + 0.02 * i, (0.05, t)) for i, t in enumerate(lines)))


@pytest.mark.parametrize(("lines", "name"), [
    # a company number in brackets after the legal form hides neither the form nor the name
    (("Dasa Park City", "Golden Scoop Sdn Bhd (169669-A)", "A-16-1, Tower A, Northpoint Office"),
     "Golden Scoop Sdn Bhd"),
    (("ACCOUNT'S COPY", "GARDENIA BAKERIES (KL) SDN BHD (139386 X)", "Lot 3, Jalan Pelabur 23/1,"),
     "GARDENIA BAKERIES (KL) SDN BHD"),
    # Malaysia's "S/B" is a legal form
    (("(4) POSTEL", "99 SPEED MART S/B", "LOT P.T. 2811, JALAN ANGSA,"), "99 SPEED MART S/B"),
    # a name without a legal form over a line that is only its company number
    (("31802.01.6", "SYARIKAT PERNIAGAAN GIN KEE", "(81109-A)", "NO 290, JALAN AIR PANAS.", "SETAPAK,"),
     "SYARIKAT PERNIAGAAN GIN KEE"),
    # a till number heads the page; the first line of words is the first line
    (("A06", "KEDAI RUNCIT ZBH", "NO. 17. JALAN PERNAS 1/7.", "BANDAR BARU PERMAS JAYA."),
     "KEDAI RUNCIT ZBH"),
])
def test_a_receipt_letterhead_with_a_company_number(lines: tuple[str, ...], name: str) -> None:
    fields = _invoice(*(row(0.04 + 0.02 * i, (0.20, t)) for i, t in enumerate(lines)),
                      row(0.20, (0.05, "Date 06/01/18")), row(0.30, (0.05, "TOTAL: 53.55")))
    assert fields["seller_name"].value == name
