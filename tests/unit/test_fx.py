"""FX conversion at ECB rates, and the matchers that compare amounts across currencies."""

import math
from datetime import date
from pathlib import Path

import pytest

from tradeverify.config import Settings
from tradeverify.features.builder import build_evidence
from tradeverify.reference.fx import to_usd, usd_per_unit
from tradeverify.reference.store import ReferenceStore

from ..conftest import make_document


@pytest.fixture()
def store(tmp_path: Path) -> ReferenceStore:
    (tmp_path / "price_benchmarks.csv").write_text(
        "hs_code,month,unit,median_usd,p10_usd,p90_usd\n740311,2025-03,MT,9000,8000,10125\n")
    return ReferenceStore.open(tmp_path)


def test_ecb_rates_are_real_and_weekends_use_the_last_fixing() -> None:
    # ECB reference rate on 5 March 2025: 1 EUR = 1.0694 USD.
    assert usd_per_unit("EUR", date(2025, 3, 5)) == pytest.approx(1.0694, abs=1e-4)
    assert usd_per_unit("EUR", date(2025, 3, 15)) == usd_per_unit("EUR", date(2025, 3, 14))
    assert usd_per_unit("USD", date(2025, 3, 15)) == 1.0


@pytest.mark.parametrize(("amount", "currency", "on", "expected"), [
    (100.0, "USD", None, 100.0), (100.0, None, "2025-03-05", 100.0), (None, "EUR", "2025-03-05", None),
    (100.0, "EUR", None, None), (100.0, "XYZ", "2025-03-05", None)])
def test_to_usd_unknowns(amount: float | None, currency: str | None, on: str | None,
                         expected: float | None) -> None:
    assert to_usd(amount, currency, on) == expected


def test_price_check_converts_a_euro_invoice(store: ReferenceStore) -> None:
    invoice = make_document("commercial_invoice", unit_price=9000.0, currency="EUR", hs_code="740311",
                            invoice_date="2025-03-05")
    ev = build_evidence({"submission_id": "S1"}, [invoice], store, Settings())
    spread = math.log(10125 / 8000) / (2 * 1.2816)
    assert ev.features["price_robust_z"] == pytest.approx(math.log(9000 * 1.0694 / 9000) / spread, abs=1e-3)
    assert ev.facts["unit_price"] == pytest.approx(9624.6, abs=0.1)


def test_margin_compares_legs_in_different_currencies(store: ReferenceStore) -> None:
    common = {"quantity": 100.0, "hs_code": "740311", "contract_date": "2025-03-05"}
    buy = make_document("sales_contract", seller_name="Andes Metals S.A.", buyer_name="Huaxin Trading",
                        unit_price=9000.0, currency="EUR", **common)
    sell = make_document("sales_contract", seller_name="Huaxin Trading", buyer_name="Nordic Resources B.V.",
                         unit_price=9820.0, currency="USD", **common)
    ev = build_evidence({"applicant": "Huaxin Trading"}, [buy, sell], store, Settings())
    assert ev.features["resale_margin"] == pytest.approx(9820 / (9000 * 1.0694) - 1, abs=1e-4)


def test_rates_equal_the_converters_on_every_kind_of_day() -> None:
    # The reader must give the very floats CurrencyConverter gave (the generator's bytes depend
    # on them): fixing days, weekends, holidays, days before and after a currency's history.
    from currency_converter import CurrencyConverter
    reference = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_missing_rate_method="last_known",
                                  fallback_on_wrong_date=True)
    days = [date(1998, 6, 1), date(2001, 2, 3), date(2008, 12, 25), date(2016, 2, 29), date(2024, 12, 31),
            date(2025, 3, 15), date(2025, 4, 18), date(2040, 1, 1)]
    for code in ["EUR", "JPY", "CNY", "GBP", "CHF", "BRL", "RUB", "TRY", "ISK", "HKD"]:
        for day in days:
            assert usd_per_unit(code, day) == reference.convert(1.0, code, "USD", date=day), (code, day)
