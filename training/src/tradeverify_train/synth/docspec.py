"""What the renderer needs to print one document, and its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Issuer layouts the renderer knows. "A"-"D" are used in development (the extractor is tuned on
# them); "E" and "F" are held out: never used for training or tuning, only to measure how the
# extractor generalizes to layouts it has never seen.
LAYOUTS = ("A", "B", "C", "D", "E", "F")
# "diverse" and "diverse-holdout" draw a randomized layout per issuer (synth/diverse.py): R<n>
# from the training part of its layout space and caption lexicon, X<n> from the held-out part.
LAYOUT_SETS: dict[str, tuple[str, ...]] = {
    "train": ("A", "B", "C", "D"), "holdout": ("E", "F"),
    "diverse": tuple(f"R{i}" for i in range(500)), "diverse-holdout": tuple(f"X{i}" for i in range(500)),
}
# Languages a document is printed in: English, or bilingual English + Simplified Chinese
# (Chinese title beside the English one, labels "中文 English" or Chinese alone).
LANGS = ("en", "en+zh")


@dataclass(frozen=True)
class Party:
    """A company as printed on documents."""

    name: str
    address: str
    country: str


@dataclass(frozen=True)
class PortInfo:
    """A port: UN/LOCODE and its printed name."""

    locode: str
    name: str
    country: str

    @property
    def printed(self) -> str:
        """Return the form documents print, e.g. ``Shanghai, China``."""
        return f"{self.name}, {self.country}"


@dataclass
class DocSpec:
    """One document to render.

    ``fields`` holds the canonical, normalized values of shared/DESIGN §3 for ``doc_type``
    (dates ``YYYY-MM-DD``, numbers as numbers, ports as UN/LOCODE, containers without spaces).
    These are the ground truth the extractor is scored against. ``parties`` and ``ports`` give
    what is printed beside names and codes (addresses, port names).
    """

    doc_type: str
    layout: str
    fields: dict[str, Any]
    parties: dict[str, Party] = field(default_factory=dict)
    ports: dict[str, PortInfo] = field(default_factory=dict)
    contract_role: str | None = None
    # Free-text terms a contract prints after its fields (payment, inspection, law, arbitration).
    # Issuers word them in their own house style; they are not canonical fields.
    clauses: tuple[str, ...] = ()
    # "en" or "en+zh" (see LANGS). A bilingual document prints the fields of ``zh_only`` with
    # their Chinese label alone, and its dates as "2025年3月12日" when ``zh_dates`` is set.
    lang: str = "en"
    zh_only: frozenset[str] = frozenset()
    zh_dates: bool = False

    @property
    def bilingual(self) -> bool:
        """True when the document prints Chinese beside English."""
        return self.lang == "en+zh"

    def truth(self) -> dict[str, Any]:
        """Return the ground-truth JSON written beside the rendered file."""
        truth = {
            "doc_type": self.doc_type,
            "layout": self.layout,
            "contract_role": self.contract_role,
            "fields": self.fields,
        }
        # Only bilingual documents say so: English worlds keep their truth files byte for byte.
        return truth if self.lang == "en" else {**truth, "lang": self.lang}
