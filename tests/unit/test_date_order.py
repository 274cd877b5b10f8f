"""Numeric dates (03/12/2025) read in the order the whole document uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_extract_rendered import make_spec, wrong_fields
from tests.unit.test_layout import pages_of, row
from tradeverify.extract.document import extract_document
from tradeverify.extract.fields import DATE_ORDER_FACTOR, extract_fields
from tradeverify_train.synth.docspec import PortInfo
from tradeverify_train.synth.formats import format_date
from tradeverify_train.synth.render import render_pdf


def bl_rows(on_board: str, issue: str, pol: str | None = "Shanghai, China") -> list[list]:
    rows = [
        row(0.10, (0.05, "B/L No.:"), (0.30, "COSU6123456")),
        row(0.12, (0.05, "Shipped on Board:"), (0.30, on_board)),
        row(0.14, (0.05, "Date of Issue:"), (0.30, issue)),
    ]
    if pol:
        rows.append(row(0.16, (0.05, "Port of Loading:"), (0.30, pol)))
    return rows


def test_a_date_with_a_day_over_12_fixes_the_order_of_the_others() -> None:
    fields = extract_fields(pages_of(*bl_rows("03/12/2025", "25/12/2025")), "bill_of_lading")
    assert fields["shipped_on_board_date"].value == "2025-12-03"
    assert fields["issue_date"].value == "2025-12-25"
    assert fields["shipped_on_board_date"].confidence == 1.0


def test_a_month_first_date_fixes_month_first_even_in_a_day_first_country() -> None:
    fields = extract_fields(pages_of(*bl_rows("03/12/2025", "12/25/2025")), "bill_of_lading")
    assert fields["shipped_on_board_date"].value == "2025-03-12"
    assert fields["shipped_on_board_date"].confidence == 1.0


@pytest.mark.parametrize(
    ("pol", "expected"),
    [("Houston, United States", "2025-03-12"), ("Shanghai, China", "2025-12-03")],
)
def test_country_of_loading_is_a_weak_prior(pol: str, expected: str) -> None:
    fields = extract_fields(pages_of(*bl_rows("03/12/2025", "04/12/2025", pol)), "bill_of_lading")
    assert fields["shipped_on_board_date"].value == expected
    assert fields["shipped_on_board_date"].confidence == pytest.approx(DATE_ORDER_FACTOR["country"])
    country = {"Houston": "US", "Shanghai": "CN"}[pol.split(",")[0]]
    reason = fields["shipped_on_board_date"].reason
    assert reason == f"day/month order taken from the issuer's country ({country})"


def test_ambiguous_without_any_hint_keeps_day_first_with_low_confidence() -> None:
    fields = extract_fields(pages_of(*bl_rows("03/12/2025", "04/12/2025", pol=None)), "bill_of_lading")
    assert fields["shipped_on_board_date"].value == "2025-12-03"
    assert fields["shipped_on_board_date"].confidence == pytest.approx(DATE_ORDER_FACTOR["default"])


def test_unambiguous_dates_keep_full_confidence() -> None:
    fields = extract_fields(pages_of(*bl_rows("12 Mar 2025", "2025-03-13", pol=None)), "bill_of_lading")
    assert (fields["shipped_on_board_date"].value, fields["issue_date"].value) == ("2025-03-12", "2025-03-13")
    assert fields["shipped_on_board_date"].confidence == fields["issue_date"].confidence == 1.0
    assert fields["shipped_on_board_date"].reason is None


def test_layout_d_prints_numeric_dates_in_the_issuers_order() -> None:
    assert format_date("2025-03-12", "D") == "12.03.2025"
    assert format_date("2025-03-12", "D", month_first=True) == "03/12/2025"


def test_month_first_issuer_round_trips(tmp_path: Path) -> None:
    ports = {"USHOU": PortInfo("USHOU", "Houston", "United States"),
             "CNTAO": PortInfo("CNTAO", "Qingdao", "China")}  # fmt: skip
    spec = make_spec("sales_contract", "D", port_of_loading="USHOU", contract_date="2025-03-04",
                     latest_shipment_date="2025-05-06")
    spec.ports = ports
    render_pdf(spec, tmp_path / "us.pdf")
    result = extract_document(tmp_path / "us.pdf")
    assert wrong_fields(result, spec) == {}
    # Both dates are ambiguous (04/03, 05/06): the issuer's country decided, with less confidence.
    assert result.fields["contract_date"].confidence == pytest.approx(DATE_ORDER_FACTOR["country"])
