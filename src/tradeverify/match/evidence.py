"""What a matcher returns, and the submission's documents grouped by role."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from tradeverify.domain import Check, DocumentResult
from tradeverify.reference.fx import to_usd

UNKNOWN = math.nan  # "unknown" is its own value: LightGBM routes missing values on purpose.
# A document with no currency read takes that of a document priced within this factor of it.
SAME_PRICE = 1.5
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
        return to_usd(self.get(role, name), self.currency(role), self.get(role, date_field))

    def currency(self, role: str) -> str | None:
        """Return a document's currency; when it was not read, that of the deal's document priced alike.

        A scan that loses "JPY" would otherwise be read as USD (``to_usd``'s default for a
        document that prints none), and a price of 13,849 a tonne looks 140 times the benchmark.
        The stand-in is the document whose unit price is nearest, within ``SAME_PRICE`` times.
        """
        own = self.get(role, "currency")
        price = self.get(role, "unit_price")
        if own or not price or price <= 0:
            return own
        near = [(abs(math.log(other / price)), code) for r in ROLES if r != role
                if (code := self.get(r, "currency")) and (other := self.get(r, "unit_price")) and other > 0]
        best = min(near, default=None)
        return best[1] if best is not None and best[0] <= math.log(SAME_PRICE) else None

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


_TITLE_ROLE = {"purchase": "purchase_contract", "sale": "sales_contract"}


def _swapped_parties(doc: DocumentResult) -> DocumentResult:
    """Return a contract with its seller and buyer exchanged."""
    fields = dict(doc.fields)
    seller, buyer = fields.pop("seller_name", None), fields.pop("buyer_name", None)
    if buyer is not None:
        fields["seller_name"] = buyer
    if seller is not None:
        fields["buyer_name"] = seller
    return doc.model_copy(update={"fields": fields})


def _contract_roles(
    contracts: list[DocumentResult], applicant: str | None
) -> list[tuple[str, DocumentResult]]:
    """Return each contract's role: by the applicant's side in it, the title breaking a tie.

    When two contracts both put the applicant on one side, one of them was read with its parties
    the other way round (a scan, an unfamiliar layout): the one whose title names the other role
    ("PURCHASE CONTRACT") takes that role, its seller and buyer exchanged.
    """
    roles = [(_contract_role(d, applicant), d) for d in contracts]
    if applicant and len(roles) == 2 and roles[0][0] == roles[1][0]:
        other = "sales_contract" if roles[0][0] == "purchase_contract" else "purchase_contract"
        titled = [i for i, (_, d) in enumerate(roles) if _TITLE_ROLE.get(d.contract_role or "") == other]
        if len(titled) == 1:
            roles[titled[0]] = (other, _swapped_parties(roles[titled[0]][1]))
    return roles


def group_documents(documents: list[DocumentResult], applicant: str | None) -> SubmissionDocs:
    """Assign each readable document to a role; the first document of a role wins."""
    docs: dict[str, DocumentResult | None] = dict.fromkeys(ROLES)
    readable = [d for d in documents if d.fields or not d.errors]
    contracts = [d for d in readable if d.doc_type == "sales_contract"]
    others = [(d.doc_type, d) for d in readable if d.doc_type != "sales_contract"]
    for role, doc in [*others, *_contract_roles(contracts, applicant)]:
        if role in docs and docs[role] is None:
            docs[role] = doc
    return SubmissionDocs(docs, applicant)


# Figures printed to their last digit on one document and recomputed on another ("692.308 MT"
# against 692,308.5 kg) differ by rounding: below this relative gap they are the same figure.
ROUNDING_GAP = 1e-4


def ratio(a: float | None, b: float | None) -> float:
    """Return a / b - 1 (0 within rounding), or UNKNOWN when either is missing or b is zero."""
    if a is None or b is None or not b:
        return UNKNOWN
    gap = float(a) / float(b) - 1.0
    return 0.0 if abs(gap) < ROUNDING_GAP else gap
