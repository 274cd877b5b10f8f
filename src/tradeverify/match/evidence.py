"""What a matcher returns, and the submission's documents grouped by role."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from tradeverify.domain import Check, DocumentResult
from tradeverify.reference.fx import to_usd

UNKNOWN = math.nan  # "unknown" is its own value: LightGBM routes missing values on purpose.
ROLES = ("purchase_contract", "sales_contract", "commercial_invoice", "bill_of_lading",
         "packing_list")


@dataclass
class Evidence:
    """Features (magnitudes), checks for the report and facts that reason messages quote."""

    features: dict[str, float] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def merge(self, other: Evidence) -> Evidence:
        """Add another matcher's evidence to this one."""
        self.features.update(other.features)
        self.checks.extend(other.checks)
        self.facts.update(other.facts)
        return self


@dataclass
class SubmissionDocs:
    """The documents of one submission, by role (None when absent or unreadable)."""

    docs: dict[str, DocumentResult | None]
    applicant: str | None = None

    def get(self, role: str, name: str) -> Any:
        """Return a field value of the document in a role, or None."""
        doc = self.docs.get(role)
        return None if doc is None else doc.value(name)

    def usd(self, role: str, name: str, date_field: str) -> float | None:
        """Return an amount field of a document in USD at the ECB rate of the document's date."""
        return to_usd(self.get(role, name), self.get(role, "currency"), self.get(role, date_field))

    def missing(self) -> list[str]:
        """Return the roles with no usable document."""
        return [r for r in ROLES if self.docs.get(r) is None]


def _contract_role(doc: DocumentResult, applicant: str | None) -> str:
    """Purchase contract when the applicant is the buyer, sales contract when it sells."""
    if applicant:
        buyer, seller = doc.value("buyer_name") or "", doc.value("seller_name") or ""
        if fuzz.token_sort_ratio(applicant, buyer) > fuzz.token_sort_ratio(applicant, seller):
            return "purchase_contract"
        return "sales_contract"
    return "purchase_contract" if doc.contract_role == "purchase" else "sales_contract"


def group_documents(documents: list[DocumentResult], applicant: str | None) -> SubmissionDocs:
    """Assign each readable document to a role; the first document of a role wins."""
    docs: dict[str, DocumentResult | None] = dict.fromkeys(ROLES)
    for doc in documents:
        if doc.errors and not doc.fields:
            continue
        role = _contract_role(doc, applicant) if doc.doc_type == "sales_contract" else doc.doc_type
        if role in docs and docs[role] is None:
            docs[role] = doc
    return SubmissionDocs(docs, applicant)


def ratio(a: float | None, b: float | None) -> float:
    """Return a / b - 1, or UNKNOWN when either is missing or b is zero."""
    if a is None or b is None or not b:
        return UNKNOWN
    return float(a) / float(b) - 1.0
