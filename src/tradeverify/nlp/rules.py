"""Rule-based matchers for trade codes: IMO, ISO 6346 containers, HS codes, UN/LOCODEs, Incoterms.

Codes have fixed shapes and check digits, so rules beat a learned model on them. Patterns run on
spaCy tokens (a ``Matcher``); each match is trimmed to the code itself, normalized, and given a
verdict: the check digit for IMO and container numbers, "a known port" for UN/LOCODEs.
Shapes that are too common to trust alone (a bare 6-digit number, a bare 7-digit number) only
count after their label ("HS Code", "IMO").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab
from stdnum import iso6346

from tradeverify.extract.normalize import INCOTERMS_2020, imo_check_ok
from tradeverify.reference.sea import port_table

RULE_LABELS = ("IMO", "CONTAINER", "HS_CODE", "LOCODE", "INCOTERM")
_LABEL_WORDS = {"no", "no.", "nr", "nr.", "number", ":", ".", "#", "code", "-"}
_HS_LABEL = {"hs", "h.s.", "h.s", "hts", "hs:", "h.s.:"}
_OWNER = r"^[A-Z]{3}[UJZ]$"

PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "IMO": [
        [{"TEXT": {"REGEX": r"^IMO[-:]?\d{7}$"}}],
        [{"ORTH": {"IN": ["IMO", "Imo"]}}, {"LOWER": {"IN": sorted(_LABEL_WORDS)}, "OP": "*"},
         {"TEXT": {"REGEX": r"^\d{7}$"}}],
    ],
    "CONTAINER": [
        [{"TEXT": {"REGEX": r"^[A-Z]{3}[UJZ]\d{7}$"}}],
        [{"TEXT": {"REGEX": _OWNER}}, {"TEXT": {"REGEX": r"^\d{6}$"}}, {"TEXT": {"REGEX": r"^\d$"}}],
        [{"TEXT": {"REGEX": _OWNER}}, {"TEXT": {"REGEX": r"^\d{7}$"}}],
        [{"TEXT": {"REGEX": r"^[A-Z]{3}[UJZ]\d{6}$"}}, {"ORTH": "-"}, {"TEXT": {"REGEX": r"^\d$"}}],
    ],
    "HS_CODE": [
        [{"TEXT": {"REGEX": r"^\d{4}\.\d{2}(\.\d{2}){0,2}$"}}],
        [{"LOWER": {"IN": sorted(_HS_LABEL)}}, {"LOWER": {"IN": sorted(_LABEL_WORDS)}, "OP": "*"},
         {"TEXT": {"REGEX": r"^\d{6}(\d{2}){0,2}$"}}],
        [{"TEXT": {"REGEX": r"^(?i:hs|hts):\d{6}(\d{2}){0,2}$"}}],
    ],
    "LOCODE": [
        [{"TEXT": {"REGEX": r"^[A-Z]{2}[A-Z2-9]{3}$"}}],
        [{"TEXT": {"REGEX": r"^[A-Z]{2}$"}}, {"TEXT": {"REGEX": r"^[A-Z2-9]{3}$"}}],
    ],
    "INCOTERM": [[{"ORTH": {"IN": list(INCOTERMS_2020)}}]],
}  # fmt: skip


@dataclass(frozen=True)
class CodeMatch:
    """A code found by the rules: token span, normalized value and check verdict."""

    span: Span
    label: str
    value: str
    valid: bool | None  # None: the code has no check to make


@lru_cache(maxsize=1)
def known_locodes() -> frozenset[str]:
    """Return the UN/LOCODEs of the ports the project knows (searoute's port list)."""
    return frozenset(port_table())


def build_matcher(vocab: Vocab) -> Matcher:
    """Return a Matcher holding every code pattern, keyed by label."""
    matcher = Matcher(vocab)
    for label, patterns in PATTERNS.items():
        matcher.add(label, patterns)
    return matcher


def _code_tokens(span: Span, label: str) -> Span:
    """Trim a labelled match to its code ("HS Code: 740311" -> "740311"); "IMO 9xxxxxx" stays."""
    if label == "HS_CODE" and len(span) > 1:
        return span[-1:]
    if label == "IMO" and len(span) > 2:
        return span[-1:]  # "IMO No.: 9xxxxxx": the label words are not the number
    return span


def _normalize(label: str, text: str) -> str:
    """Return the canonical form: digits for IMO and HS codes, compact upper case otherwise."""
    if label == "IMO":
        return re.sub(r"\D", "", text)
    if label == "HS_CODE":
        return re.sub(r"\D", "", text.split(":")[-1])
    return re.sub(r"[\s\-]", "", text).upper()


def _verdict(label: str, value: str) -> bool | None:
    """Return the check verdict of a normalized code (None when the code has no check)."""
    if label == "IMO":
        return imo_check_ok(value)
    if label == "CONTAINER":
        return bool(iso6346.is_valid(value))
    if label == "LOCODE":
        return value in known_locodes()
    return True if label == "INCOTERM" else None


def _plausible_locode(value: str) -> bool:
    """Keep known ports, and unknown codes only with a digit and a real country prefix.

    Five capitals are common in documents ("CHINA", "GRADE"); a list of real ports is what
    tells a LOCODE from a shouted word.
    """
    if value in known_locodes():
        return True
    return any(c.isdigit() for c in value) and pycountry.countries.get(alpha_2=value[:2]) is not None


def find_codes(doc: Doc, matcher: Matcher) -> list[CodeMatch]:
    """Return the codes in ``doc``, longest match first on overlaps, in text order."""
    found: list[CodeMatch] = []
    taken: set[int] = set()
    matches = sorted(matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    for match_id, start, end in matches:
        label = doc.vocab.strings[match_id]
        span = _code_tokens(doc[start:end], label)
        if any(i in taken for i in range(span.start, span.end)):
            continue
        value = _normalize(label, span.text)
        if label == "LOCODE" and not _plausible_locode(value):
            continue
        taken.update(range(span.start, span.end))
        found.append(CodeMatch(Span(doc, span.start, span.end, label=label), label, value,
                               _verdict(label, value)))  # fmt: skip
    return sorted(found, key=lambda c: c.span.start)
