"""Contract terms written as numbered clauses: "3. PRICE: USD 1,045.00 per metric ton CFR Jebel Ali".

Running text is never read by captions (:mod:`~tradeverify.extract.prose`): it quotes field
names and values of other documents. A contract, though, often prints its terms only there,
one clause per term, headed by the term's name. A clause starts at a numbered line
("5. SHIPMENT:", "§ 4 Lieferung.") and runs over the prose lines that follow it; its heading
says which terms it holds (the heading lexicon below, in the languages trade contracts use),
and typed readers take each value out of its body: the first date of the shipment clause, the
named place after the Incoterms rule of the price clause, and so on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout
from tradeverify.extract.lines import ALIGN_CHARS, Line
from tradeverify.extract.normalize import Norm
from tradeverify.extract.ports import resolve_port

# A clause's number and heading: "1. COMMODITY:", "§ 3 Preis.", "4) Total value -".
_ORDINAL = (r"(?:primer[ao]?|segund[ao]|tercer[ao]?|cuart[ao]|quint[ao]|sext[ao]|s[eé]ptim[ao]|octav[ao]|"
            r"noven[ao]|d[eé]cim[ao]|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\.?")
_START = re.compile(r"^(?:§\s*|(?:art(?:icle|[ií]culo|ikel)?\.?|clause|cl[aá]usula)\s*)?"
                    r"(?:\(?\d{1,2}[.)]?|" + _ORDINAL + r")\s*"
                    r"(?P<head>[^\W\d_][^\W\d_ /&'-]*(?:[ /&'-]+[^\W\d_]+){0,3})"
                    r"\s*[:.\-–]\s*(?P<body>.*)$", re.IGNORECASE)
HEADINGS: dict[str, tuple[str, ...]] = {
    "goods": ("commodity", "goods", "description", "product", "merchandise", "vertragsgegenstand",
              "ware", "gegenstand", "objet", "marchandise", "mercancia", "producto", "objeto",
              "goederen", "oggetto", "merce"),
    "quantity": ("quantity", "menge", "quantite", "cantidad", "hoeveelheid", "quantita", "qty"),
    "price": ("unit price", "price", "preis", "prix", "precio", "prijs", "prezzo"),
    "total": ("total value", "total amount", "total price", "contract value", "contract amount",
              "gesamtpreis", "gesamtwert", "vertragswert", "valeur totale", "montant total",
              "valor total", "importe total", "totale waarde", "valore totale"),
    "shipment": ("time of shipment", "shipment", "delivery", "loading", "laycan", "lieferung", "verladung",
                 "livraison", "expedition", "embarque", "entrega", "levering", "verscheping",
                 "consegna", "spedizione"),
    "payment": ("terms of payment", "payment", "zahlung", "zahlungsbedingungen", "paiement",
                "pago", "forma de pago", "betaling", "pagamento"),
}  # fmt: skip
# The named place after an Incoterms rule: its destination for C and D rules, else its origin.
_ORIGIN_RULES = frozenset({"EXW", "FCA", "FAS", "FOB"})
_ROUTE = re.compile(
    r"\b(?:from|ab|von|desde|de|van|da)\s+(?P<origin>[^\W\d][^;]*?)\s+(?:to|nach|hasta|a|à|naar|per)\s+"
    r"(?P<destination>[^\W\d][^;]*?)(?=\s+(?:not|no|by|bis|before|on|a|antes|avant|uiterlijk|within|entro)\b|[.;]|$)",
    re.IGNORECASE,
)
_TOTAL_WORDS = re.compile(r"total|gesamt\w*|montant|valor|importe|totale", re.IGNORECASE)
_HS = re.compile(r"(?:\bH\.?S\.?(?:\s*(?:code|no\.?|nr\.?))?|zolltarifnummer|warentarifnummer|"
                 r"c[oó]digo arancelario|partida arancelaria|code sh|tariff(?:\s+code)?)\s*:?\s*"
                 r"(\d{4}(?:[.\s]?\d{2}){0,3})", re.IGNORECASE)  # fmt: skip
# A value read from its clause: headed by the term's name, but out of running text.
CLAUSE_FACTOR = 0.7
# A port name shared by several countries' ports ("Hamburg") resolves at 0.6: in a clause
# that names a route, the first (the best-known) port is the one meant.
PORT_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Clause:
    """One numbered clause: its term (a HEADINGS key), body text and words."""

    term: str
    body: str
    words: tuple[Word, ...]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _term(heading: str) -> str | None:
    folded = _fold(heading).strip()
    for term, names in HEADINGS.items():
        if any(folded == name or folded.startswith(name + " ") for name in names):
            return term
    return None


# A section of standard conditions ("Terms and Conditions", "Allgemeine Geschäftsbedingungen"):
# its clauses restate captions in sentences and set no term of the deal.
_CONDITIONS = re.compile(r"^(?:general\s+|standard\s+)?(?:terms\s+(?:and|&)\s+conditions|conditions\s+of\s+"
                         r"(?:sale|contract|carriage)|general\s+conditions|allgemeine\s+gesch[aä]ftsbedingungen|"
                         r"conditions\s+g[ée]n[ée]rales|condiciones\s+generales|algemene\s+voorwaarden)\b",
                         re.IGNORECASE)  # fmt: skip


def _conditions_start(layout: Layout) -> int:
    """Return the line where a section of standard conditions starts (past the end if none)."""
    for index, line in enumerate(layout.lines):
        if index not in layout.prose and _CONDITIONS.match(" ".join(w.text for w in line.words)):
            return index
    return len(layout.lines)


def _clause_lines(layout: Layout) -> set[int]:
    """Return the running-text lines, and the lines whose first column opens a known clause.

    A contract printed in two language columns ("1. Commodity: ... | 1. 品名: ...") has lines too
    short to read as prose; its first column still holds the clauses, one heading each.
    """
    lines = set(layout.prose)
    opened, body_x = False, None
    for index, line in enumerate(layout.lines):
        if index in layout.prose:
            continue
        opening = _opening(line)
        match = _START.match(" ".join(w.text for w in opening))
        if match is not None and _term(match.group("head")) is not None:
            lines.add(index)
            opened, body_x = True, _body_start(opening)
        elif opened and (not layout.starts(index) and len(line.segments()) <= 2 or _under_body(line, body_x)):
            lines.add(index)  # the clause's wrapped line, in the same column
        else:
            opened = False
    return lines


def _opening(line: Line) -> tuple[Word, ...]:
    """Return a line's first column, with the value beside it when the heading's colon starts it.

    Telex-style recaps align their colons ("2. QUANTITY   : 300,000 BBL"), which sets the colon
    and the value apart as a column of their own; they still belong to the heading.
    """
    segments = line.segments()
    if len(segments) < 2 or not segments[1][0].text.startswith(":"):
        return segments[0]
    if segments[1][-1].text == ":" and len(segments) > 2:  # the colon alone, the value after it
        return segments[0] + segments[1] + segments[2]
    return segments[0] + segments[1]


def _body_start(opening: tuple[Word, ...]) -> float | None:
    """Return where a clause's text starts after its heading's colon, if a word follows it."""
    return next((b.x0 for a, b in zip(opening, opening[1:], strict=False) if a.text.endswith(":")), None)


def _under_body(line: Line, body_x: float | None) -> bool:
    """Return True when a line starts under the clause's text, not under its number: its wrap."""
    return body_x is not None and abs(line.words[0].x0 - body_x) <= ALIGN_CHARS * line.char_width


def find_clauses(layout: Layout) -> list[Clause]:
    """Return the numbered clauses of the running text whose heading names a known term.

    A clause runs until the next numbered line or a line that is no clause's (one under a
    heading not known ends it too). Clauses under a heading of standard conditions ("Terms and
    Conditions") are left out.
    """
    clauses: list[Clause] = []
    current: _Open | None = None
    clause_lines = _clause_lines(layout)
    for index in range(_conditions_start(layout)):
        if index not in clause_lines or _set_apart(layout, index):
            _close(current, clauses)
            current = None
            if index not in clause_lines:
                continue
        words = _opening(layout.lines[index]) if index not in layout.prose else layout.lines[index].words
        text = " ".join(w.text for w in words)
        match = _START.match(text)
        if match is not None:
            _close(current, clauses)
            current = (_term(match.group("head")), [match.group("body")], list(words))
        elif current is not None:
            current[1].append(text)
            current[2].extend(words)
    _close(current, clauses)
    return clauses


# A blank line of this many line heights between two lines of one page ends a clause.
CLAUSE_GAP_LINES = 1.5


def _set_apart(layout: Layout, index: int) -> bool:
    """Return True when a blank line parts ``index`` from the line above it on the same page."""
    if index == 0:
        return False
    above, line = layout.lines[index - 1], layout.lines[index]
    return line.page == above.page and line.y0 - above.y1 > CLAUSE_GAP_LINES * line.height


# A clause being read: its term (None when its heading is not known), body lines and words.
_Open = tuple[str | None, list[str], list[Word]]


def _close(current: _Open | None, clauses: list[Clause]) -> None:
    """Add the clause being read to ``clauses`` when its heading names a known term."""
    if current is not None and current[0] is not None:
        clauses.append(Clause(current[0], " ".join(current[1]), tuple(current[2])))


def clause_fields(layout: Layout, *, decimal_comma: bool) -> dict[str, tuple[Norm, tuple[Word, ...]]]:
    """Return field -> (normalized value, clause words) for the terms a contract's clauses print."""
    out: dict[str, tuple[Norm, tuple[Word, ...]]] = {}
    for clause in find_clauses(layout):
        for name, norm in _read(clause, decimal_comma).items():
            if norm.ok and norm.value not in (None, "", []) and name not in out:
                out[name] = (norm, clause.words)
    end = _conditions_start(layout)
    running = (" ".join(w.text for w in layout.lines[i].words) for i in sorted(layout.prose) if i < end)
    hs = hs_code_in(" ".join(running))
    if hs is not None and "hs_code" not in out:
        out["hs_code"] = (hs, ())
    return out


def _read(clause: Clause, decimal_comma: bool) -> dict[str, Norm]:
    """Return the typed values of one clause's body."""
    body, comma = clause.body, {"decimal_comma": decimal_comma}
    if clause.term == "goods":
        return {"goods_description": nz.parse_text(re.split(r"[,(;]", body, maxsplit=1)[0])}
    if clause.term == "quantity":
        return {"quantity": nz.parse_quantity(body, **comma)}  # (number, unit), split by the caller
    if clause.term == "price":
        return {"unit_price": nz.parse_amount(body, **comma), "currency": nz.parse_currency(body),
                **incoterm_place(body), **_total_in(body, decimal_comma)}  # fmt: skip
    if clause.term == "total":
        return {"total_amount": nz.parse_amount(body, **comma), "currency": nz.parse_currency(body)}
    if clause.term == "shipment":
        return {"latest_shipment_date": _latest_date(body), **_route(body)}
    if clause.term == "payment":
        first = re.split(r"(?<=[a-z\d)])\.\s", body, maxsplit=1)[0]
        return {"payment_terms": nz.parse_text(first.rstrip("."))}
    return {}


# "... not later than 25 OCT 2025": the deadline a shipment clause sets, wherever it stands in it.
_DEADLINE = re.compile(r"\b(?:(?:not|no)\s+later\s+than|at\s+the\s+latest|latest|sp[aä]testens|bis\s+zum|"
                       r"au\s+plus\s+tard|a\s+m[aá]s\s+tardar|uiterlijk)\b[\s:,]*", re.IGNORECASE)


def _latest_date(body: str) -> Norm:
    """Return the latest shipment date of a clause: the date after "not later than", else its first."""
    for match in _DEADLINE.finditer(body):
        norm = nz.parse_date(body[match.end():])
        if norm.ok:
            return norm
    return nz.parse_date(body)


def incoterm_place(body: str) -> dict[str, Norm]:
    """Return the Incoterms rule and the port it names ("CFR Jebel Ali, Incoterms 2020")."""
    rule = nz.parse_incoterm(body)
    if not rule.ok:
        return {}
    match = re.search(rf"\b{rule.value}\s+([^\W\d][^,.;]*)", body)
    out = {"incoterms": rule}
    if match:
        place = re.sub(r"\s*\(([^)]*)\)", r", \1", match.group(1))  # "Manzanillo (México)"
        code, confidence = resolve_port(place.replace("Incoterms", "").strip(" ,"))
        if code is not None and confidence >= PORT_CONFIDENCE:
            field = "port_of_loading" if rule.value in _ORIGIN_RULES else "port_of_discharge"
            out[field] = Norm(code, True)
    return out


def _total_in(body: str, decimal_comma: bool) -> dict[str, Norm]:
    """Return a total quoted inside another clause ("Der Gesamtpreis beläuft sich auf EUR ...")."""
    match = _TOTAL_WORDS.search(body)
    if match is None:
        return {}
    amount = nz.parse_amount(body[match.end():], decimal_comma=decimal_comma)
    return {"total_amount": amount} if amount.ok else {}


def _route(body: str) -> dict[str, Norm]:
    """Return the ports of "from Port Klang, Malaysia to Jebel Ali" in a shipment clause."""
    match = _ROUTE.search(body)
    if match is None:
        return {}
    out = {}
    for field, group in (("port_of_loading", "origin"), ("port_of_discharge", "destination")):
        code, confidence = resolve_port(match.group(group).strip(" ,"))
        if code is not None and confidence >= PORT_CONFIDENCE:
            out[field] = Norm(code, True)
    return out


def hs_code_in(text: str) -> Norm | None:
    """Return the HS code quoted anywhere in running text ("(HS code 1511.90)")."""
    match = _HS.search(text)
    if match is None:
        return None
    norm = nz.parse_hs_code(match.group(1))
    return norm if norm.ok else None
