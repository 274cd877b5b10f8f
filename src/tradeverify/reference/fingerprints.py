"""Keyed fingerprints of documents, so banks can share a duplicate-financing registry.

A fingerprint is HMAC-SHA256 under a key the participating banks share: equal documents give equal
fingerprints, but the registry holds no number, vessel, date or container a reader could recover
without the key (and a guess of the value). Each part is normalized first, so that "OSL B 123"
and "oslb123" are one document.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
# Public, for demos and generated worlds only; a consortium sets its own (Settings.registry_key).
DEMO_REGISTRY_KEY = "tradeverify-demo-registry-key"


def normalize(text: str) -> str:
    """Upper-case letters and digits only."""
    return _NOT_ALNUM.sub("", text.upper())


def keyed_hash(key: str, kind: str, *parts: str) -> str:
    """Return the hex HMAC-SHA256 (128 bits kept) of a kind and its normalized parts."""
    message = "\x1f".join([kind, *(normalize(p) for p in parts)]).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class BillFingerprint:
    """The fingerprints of one bill of lading (number, voyage, cargo, containers)."""

    number: str
    voyage: str | None
    cargo: str | None
    containers: tuple[str, ...]


def bill_fingerprint(
    key: str, number: str, imo: str | None, on_board: str | None,
    gross_kg: float | None, containers: list[str] | tuple[str, ...],
) -> BillFingerprint:
    """Fingerprint a B/L: its number, its voyage (IMO + on-board date), its cargo on that voyage."""
    voyage = keyed_hash(key, "voyage", imo, on_board) if imo and on_board else None
    cargo = None
    if voyage and gross_kg:
        cargo = keyed_hash(key, "cargo", imo or "", on_board or "", str(round(float(gross_kg))))
    return BillFingerprint(
        keyed_hash(key, "bl", number), voyage, cargo,
        tuple(sorted(keyed_hash(key, "container", c) for c in containers)),
    )


def invoice_fingerprint(key: str, issuer: str, number: str) -> str:
    """Fingerprint an invoice: its issuer and number."""
    return keyed_hash(key, "invoice", issuer, number)


def party_fingerprint(key: str, name: str) -> str:
    """Fingerprint a company name (normalized: case, spaces and punctuation do not matter)."""
    return keyed_hash(key, "party", name)


def goods_fingerprint(key: str, hs_code: str) -> str:
    """Fingerprint the goods of a trade leg by their HS heading (first 4 digits)."""
    return keyed_hash(key, "goods", str(hs_code)[:4])


def contract_fingerprint(key: str, seller: str, number: str) -> str:
    """Fingerprint a sales contract: its seller and number."""
    return keyed_hash(key, "contract", seller, number)


def leg_fingerprints(
    key: str, seller: str | None, buyer: str | None, hs_code: str | None
) -> dict[str, str | None]:
    """Return the seller/buyer/goods fingerprints of a trade leg (None for a missing part)."""
    return {"seller_fp": party_fingerprint(key, seller) if seller else None,
            "buyer_fp": party_fingerprint(key, buyer) if buyer else None,
            "goods_fp": goods_fingerprint(key, hs_code) if hs_code else None}
