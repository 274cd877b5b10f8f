"""An items table found by its rows' arithmetic when no column header is one we know.

An item row prints a quantity, a unit price and their product, the amount, side by side
("470321  Bleached softwood kraft pulp  692.308 MT  3'654.71  2'530'184.97"). That holds for
any issuer and any language of column names, so such a row names its own columns: the product
is the amount, its factors the quantity and the price, a code beside them the HS code, the
longest run of words the description.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tradeverify.domain import Word
from tradeverify.extract import normalize as nz
from tradeverify.extract.lines import Line

# A product within a cent, plus the rounding of a price to cents, capped at this share of the
# amount, is the amount.
PRODUCT_TOLERANCE = 0.001
CENT = 0.011
CELL_GAP = 1.2  # as the header-keyed table's cells (tables.CELL_GAP)
# The key of a cell the row does not name (an item number, a date, a part number, a tax rate):
# a column of its own, so that its words stay out of the description.
OTHER = "_other"
# Words an item row prints beside its quantity that are no unit a field keeps: packages and
# billing units ("960 BAG", "120 Stk", "1 psch", "1 LOT"), in the languages of trade paperwork.
COUNT_WORDS = frozenset(
    "BAG BAGS SACK SACKS BOX BOXES CASE CASES DRUM DRUMS PAIL PAILS ROLL ROLLS REEL REELS COIL COILS "
    "BALE BALES BUNDLE BUNDLES BDL PALLET PALLETS PLT PKG PKGS LOT LOTS SET EA EACH PR PAIR PAIRS UNIT "
    "M LM M2 SQM L LTR H HR HRS DAY DAYS STK ST STCK STÜCK PSCH PAUSCH PZ UDS UD STUKS "
    "件 个 只 套 台 箱".split()
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")


@dataclass(frozen=True)
class RowColumns:
    """The columns one item row names: (key, x0, x1) per cell, left to right."""

    line: int
    spans: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class _Cell:
    words: tuple[Word, ...]
    number: float | None  # the cell's figure when it is one ("692.308 MT", "USD 3,654.71")

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def item_row(line: Line, index: int, numbers: nz.NumberStyle) -> RowColumns | None:
    """Return the columns of ``line`` when it reads as an item row, else None."""
    cells = [_cell(words, numbers) for words in line.segments(CELL_GAP)]
    triple = _product_triple(cells)
    if triple is None:
        return None
    spans: list[tuple[str, float, float]] = []
    keys = _joined(cells, _keys(cells, triple), line.char_width)
    for i, key in sorted(keys.items()):
        words = cells[i].words
        # "470321 Bleached softwood kraft pulp": a code run into the description is its HS code.
        if key == "description" and "hs_code" not in keys.values() and len(words) > 1 \
                and _is_code(words[0].text):
            spans.append(("hs_code", words[0].x0, words[0].x1))
            words = words[1:]
        if spans and key == spans[-1][0] == "description":  # one description split by a wide gap
            spans[-1] = (key, spans[-1][1], words[-1].x1)
        else:
            spans.append((key, words[0].x0, words[-1].x1))
    return RowColumns(index, tuple(spans))


# Words this close to the description are part of it: OCR drops a dash and leaves its gap
# ("Cold-chain audit   Salem distribution center"); a marks or part-number column sits further.
JOIN_GAP_CHARS = 4.0


def _joined(cells: Sequence[_Cell], keys: dict[int, str], char_width: float) -> dict[int, str]:
    """Give the description the unnamed word cells right beside it (no digits, a narrow gap)."""
    named = [i for i, key in keys.items() if key == "description"]
    if not named:
        return keys
    joined = dict(keys)
    for step in (-1, 1):
        i = named[0]
        while 0 <= i + step < len(cells) and joined[i + step] == OTHER:
            near, here = sorted((i, i + step))
            gap = cells[here].words[0].x0 - cells[near].words[-1].x1
            if gap > JOIN_GAP_CHARS * char_width or _has_digit(cells[i + step].text):
                break
            i += step
            joined[i] = "description"
    return joined


def _is_code(text: str) -> bool:
    """Return True for a word of HS-code digits ("470321", "8471.30")."""
    return text.replace(".", "").isdigit() and nz.parse_hs_code(text).ok


def _cell(words: tuple[Word, ...], numbers: nz.NumberStyle) -> _Cell:
    """Type one cell: a figure is one number with at most a currency or a unit beside it."""
    core = list(words)
    # A currency before the figure or a unit after it ("USD 3,654.71", "692.308 MT").
    if len(core) > 1 and not _has_digit(core[0].text):
        core = core[1:]
    if len(core) > 1 and not _has_digit(core[-1].text):
        core = core[:-1]
    if len(core) > 4 or not all(_has_digit(w.text) for w in core):
        return _Cell(words, None)
    norm = nz.parse_figure(" ".join(w.text for w in core), **numbers.options())
    return _Cell(words, float(norm.value) if norm.ok else None)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _product_triple(cells: Sequence[_Cell]) -> tuple[int, int, int] | None:
    """Return (quantity, price, amount) cell indexes: two figures whose product is the third.

    The amount is the rightmost of the three, and only figures or a unit lie between them: a
    line of captions and their values ("Menge 692 MT  Preis 3.683,30  Wert 2.549.978,06") is no
    row, however its figures multiply.
    """
    figures = [i for i, c in enumerate(cells) if c.number is not None]
    for a, b, total in itertools.combinations(figures, 3):
        x, y, z = (cells[i].number or 0.0 for i in (a, b, total))
        if min(x, y) <= 0 or z <= 0:
            continue
        if abs(x * y - z) <= product_tolerance(x, y, z) and _adjacent(cells, a, total):
            return _order(cells, a, b, total)
    return None


def product_tolerance(x: float, y: float, z: float) -> float:
    """Return how far a row's product may miss its amount: cents, and a price rounded to cents.

    A factor of 1 proves nothing by rounding ("35'780'585 KGS  1  35'754'227 KGS" are two
    weights), so there the amount must be the other factor to the cent.
    """
    if min(x, y) == 1:
        return CENT
    return CENT + min(PRODUCT_TOLERANCE * z, 0.005 * max(x, y))


def _adjacent(cells: Sequence[_Cell], first: int, last: int) -> bool:
    """Return True when only figures, units and tax rates lie between cells ``first`` and ``last``."""
    return all(c.number is not None or _unit_like(c.text) or _PERCENT.fullmatch(c.text)
               for c in cells[first:last + 1])


def _unit_like(text: str) -> bool:
    """Return True for a unit a field keeps ("MT") or a package or billing word ("BAG", "Stk")."""
    return nz.parse_unit(text).ok or text.upper().rstrip(".") in COUNT_WORDS


def _order(cells: Sequence[_Cell], a: int, b: int, total: int) -> tuple[int, int, int]:
    """Tell the quantity from the price: the one with a unit, else the price's two decimals."""
    def has_unit(i: int) -> bool:
        neighbours = cells[i:i + 2] if i + 1 < len(cells) and cells[i + 1].number is None else cells[i:i + 1]
        return any(nz.parse_unit(c.text).ok for c in neighbours)

    if has_unit(b) and not has_unit(a):
        return b, a, total
    if _decimals(cells[a].text) == 2 and _decimals(cells[b].text) != 2:
        return b, a, total
    return a, b, total


def _decimals(text: str) -> int:
    """Return how many digits follow the last separator of a figure ("3'654.71" -> 2)."""
    digits = text.rstrip(" ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    for k, c in enumerate(reversed(digits)):
        if not c.isdigit():
            return k if c in ".," else 0
    return 0


def _keys(cells: Sequence[_Cell], triple: tuple[int, int, int]) -> dict[int, str]:
    """Name every cell of the row: the triple, then an HS code, a unit and the description."""
    quantity, price, amount = triple
    keys = {quantity: "quantity", price: "unit_price", amount: "amount"}
    rest = [i for i in range(len(cells)) if i not in keys]
    for i in rest:
        text = cells[i].text
        if "hs_code" not in keys.values() and _is_code(text):
            keys[i] = "hs_code"
        elif "unit" not in keys.values() and cells[i].number is None and nz.parse_unit(text).ok \
                and len(cells[i].words) == 1:
            keys[i] = "unit"
    words = [i for i in rest if i not in keys and cells[i].number is None]
    if words:
        keys[max(words, key=lambda i: len(cells[i].text))] = "description"
    return {i: keys.get(i, OTHER) for i in range(len(cells))}
