"""Value objects passed between stages, and the RiskReport contract (shared/DESIGN §3).

Coordinates: every ``bbox`` is ``[x0, y0, x1, y1]`` as fractions of the page's width and height,
origin top-left, so that text-layer and OCR provenance are comparable whatever the DPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

DOC_TYPES = ("sales_contract", "commercial_invoice", "bill_of_lading", "packing_list")
TRADE_MODELS = (
    "offshore_resale",
    "global_procurement",
    "entrusted_processing",
    "contracted_project",
)
# The fraud typologies an officer can confirm (the generator injects the same ones).
TYPOLOGIES = (
    "VESSEL_NOT_AT_PORT", "PRICE_DEVIATION", "DUPLICATE_DOCUMENT", "QTY_WEIGHT_MISMATCH",
    "MARGIN_ANOMALY", "CHAIN_MISMATCH", "CONTAINER_INVALID", "VESSEL_IDENTITY",
    "VESSEL_CARGO_MISMATCH", "CHRONOLOGY", "WATCHLIST_HIT", "PARTY_PROFILE", "CUSTOMS_MISMATCH",
    "VOYAGE_IMPLAUSIBLE", "ROUTE_RISK", "CIRCULAR_TRADE", "TEMPLATE_CLONE",
)
BBox = tuple[float, float, float, float]
# The canonical fields of each document type (shared/DESIGN §3), in reading order.
CANONICAL_FIELDS: dict[str, tuple[str, ...]] = {
    "sales_contract": (
        "contract_number", "contract_date", "seller_name", "buyer_name", "goods_description",
        "hs_code", "quantity", "unit", "unit_price", "currency", "total_amount", "incoterms",
        "port_of_loading", "port_of_discharge", "latest_shipment_date", "payment_terms",
    ),
    "commercial_invoice": (
        "invoice_number", "invoice_date", "seller_name", "buyer_name", "contract_number",
        "currency", "total_amount", "incoterms", "port_of_loading", "port_of_discharge",
        "vessel_name", "bl_number", "goods_description", "hs_code", "quantity", "unit",
        "unit_price", "line_items",
    ),
    "bill_of_lading": (
        "bl_number", "shipper_name", "consignee_name", "notify_party", "carrier_name",
        "vessel_name", "imo_number", "voyage_number", "port_of_loading", "port_of_discharge",
        "shipped_on_board_date", "issue_date", "container_numbers", "number_of_packages",
        "gross_weight_kg", "goods_description", "hs_code",
    ),
    "packing_list": (
        "invoice_number", "number_of_packages", "gross_weight_kg", "net_weight_kg",
        "container_numbers",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its position (normalized bbox), OCR confidence (1.0 for a text layer), page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    conf: float = 1.0


@dataclass(frozen=True, slots=True)
class PageText:
    """The words of one page and whether they came from OCR."""

    number: int
    words: tuple[Word, ...]
    ocr: bool


class ExtractedField(BaseModel):
    """One canonical field: normalized value, printed text, confidence and provenance."""

    value: Any
    raw: str
    confidence: float = Field(ge=0.0, le=1.0)
    page: int | None = None
    bbox: BBox | None = None
    # Why the confidence is lowered: a failed check ("IMO check digit fails"), or how a
    # numeric date's day/month order was decided. None when nothing needs saying.
    reason: str | None = None


class ErrorInfo(BaseModel):
    """An error attached to a report or one of its documents."""

    code: str
    message: str
    file: str | None = None


class DocumentProfile(BaseModel):
    """MinHash signatures of a document's wording and of its words' positions.

    Two documents' signatures agree in about the share of shingles they have in common
    (Jaccard similarity), so contracts can be compared without keeping their text.
    """

    text: list[int]
    layout: list[int]
    # One short signature per sentence of the contract's terms (prose): clones keep every clause
    # word for word even where a bilingual rendering or an added clause moves the layout.
    clauses: list[list[int]] = []


class DocumentResult(BaseModel):
    """What extraction made of one file."""

    file: str
    doc_type: str = "unknown"
    contract_role: str | None = None
    ocr: bool = False
    pages: int = 0
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    errors: list[ErrorInfo] = Field(default_factory=list)
    # Contracts only; kept out of reports (an officer has no use for hashes) but cached for training.
    profile: DocumentProfile | None = Field(default=None, exclude=True)

    def dump_with_profile(self) -> dict[str, Any]:
        """Return the document as JSON data, with the profile that reports leave out."""
        data = self.model_dump(mode="json")
        data["profile"] = self.profile.model_dump() if self.profile else None
        return data

    def value(self, name: str) -> Any:
        """Return a field's normalized value, or None when the field was not found."""
        field = self.fields.get(name)
        return None if field is None else field.value


class ModelInfo(BaseModel):
    """Which model produced a score."""

    name: str
    version: str


class Risk(BaseModel):
    """Calibrated probability of risk and its band."""

    score: float | None
    band: Literal["low", "medium", "high"] | None
    model: ModelInfo


class Reason(BaseModel):
    """A model reason code: one feature's contribution to the score."""

    code: str
    message: str
    contribution: float


class RedFlag(BaseModel):
    """A hard-rule hit; forces the high band."""

    code: str
    severity: Literal["high", "medium"] = "high"
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class Check(BaseModel):
    """One verification check against reference data."""

    name: str
    status: Literal["pass", "fail", "unknown"]
    detail: str = ""

    @classmethod
    def verdict(cls, name: str, failed: bool, detail: str) -> Check:
        """Return a pass/fail check (``unknown`` is built explicitly, never inferred)."""
        return cls(name=name, status="fail" if failed else "pass", detail=detail)


class ReviewHint(BaseModel):
    """A field read with low confidence: what an officer should look at on the document."""

    file: str
    field: str
    raw: str
    confidence: float
    page: int | None = None
    bbox: BBox | None = None
    reason: str | None = None


class RiskReport(BaseModel):
    """The verification result of one submission (shared/DESIGN §3)."""

    submission_id: str
    # The caller's own id for the submission, when the server chose ``submission_id`` (REST API).
    client_reference: str | None = None
    status: Literal["scored", "incomplete", "failed"]
    risk: Risk
    reasons: list[Reason] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    documents: list[DocumentResult] = Field(default_factory=list)
    errors: list[ErrorInfo] = Field(default_factory=list)
    review: list[ReviewHint] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # Kept by the service beside the report, not part of the contract: the queue filters on the
    # trade model, and ``feedback export`` hands the scored feature row (spec order, None for
    # unknown) back to training with the officer's decision.
    trade_model: str | None = Field(default=None, exclude=True)
    features: dict[str, float | None] | None = Field(default=None, exclude=True)
