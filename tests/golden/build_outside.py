"""Build the hand-authored golden set of trade documents in ``tests/golden/outside/``.

Run ``.venv/bin/python tests/golden/build_outside.py``. Nothing here comes from ``tradeverify_train.synth``:
issuers, names, captions, layouts and figures are written by hand in this file, one function per
document, and each function returns the truth it printed (the same Python values feed the page and
the JSON, so they cannot disagree). The output is byte-reproducible: reportlab runs with
``invariant=1``, every random choice has a fixed seed, the scans use a seeded noise generator.

Outputs per document: ``NAME.pdf`` + ``NAME.json``; for the scans ``NAME_scan.png`` +
``NAME_scan.json`` (first page only, truth = what page 1 prints); six public SROIE receipts are
copied as ``receipt_NNN.jpg`` + ``receipt_NNN.json``. See ``outside/README.md``.
"""

from __future__ import annotations

import json
import random
import shutil
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

OUT = Path(__file__).with_name("outside")
RECEIPT_SRC = Path("/work/shared/outside-dev/receipts")
CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

FAMILIES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times": ("Times-Roman", "Times-Bold", "Times-Italic"),
    "Courier": ("Courier", "Courier-Bold", "Courier-Oblique"),
}

# ----------------------------------------------------------------------------------------------
# Normal forms: numbers, dates, identifiers
# ----------------------------------------------------------------------------------------------


def dec(v: str | int) -> Decimal:
    return Decimal(str(v))


def cents(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def num(v: Decimal | int | float, places: int = 2, th: str = ",", dp: str = ".") -> str:
    """Format ``v`` with ``places`` decimals, ``th`` between thousands and ``dp`` as the point."""
    s = format(Decimal(str(v)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP),
               f",.{places}f")
    return s.replace(",", "\x00").replace(".", dp).replace("\x00", th)


def en(v: Decimal | int | float, places: int = 2) -> str:
    return num(v, places)


def de(v: Decimal | int | float, places: int = 2) -> str:
    return num(v, places, ".", ",")


def fr(v: Decimal | int | float, places: int = 2) -> str:
    return num(v, places, " ", ",")


def ch(v: Decimal | int | float, places: int = 2) -> str:
    return num(v, places, "'", ".")


def f(v: Decimal | int | float) -> float:
    """The JSON number of a printed amount."""
    return float(v)


MONTHS_EN = ("January February March April May June July August September October November "
             "December").split()
MONTHS_FR = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()
MONTHS_ES = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
             "diciembre").split()


def iso(d: date) -> str:
    return d.isoformat()


def dmy(d: date, sep: str = "/") -> str:
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def mdy(d: date, sep: str = "/") -> str:
    return f"{d.month:02d}{sep}{d.day:02d}{sep}{d.year}"


def long_en(d: date) -> str:
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def us_long(d: date) -> str:
    return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"


def us_abbr(d: date) -> str:
    return f"{MONTHS_EN[d.month - 1][:3]} {d.day}, {d.year}"


def abbr(d: date, upper: bool = False) -> str:
    s = f"{d.day:02d} {MONTHS_EN[d.month - 1][:3]} {d.year}"
    return s.upper() if upper else s


def sept(d: date) -> str:
    """'12 Sept 2025' (British four-letter September, three letters otherwise)."""
    mon = "Sept" if d.month == 9 else MONTHS_EN[d.month - 1][:3]
    return f"{d.day} {mon} {d.year}"


def fr_abbr(d: date) -> str:
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}"


def es_long(d: date) -> str:
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def stamp_date(d: date) -> str:
    """'30. SEP. 2022' as a carrier's rubber date stamp prints it."""
    return f"{d.day:02d}. {MONTHS_EN[d.month - 1][:3].upper()}. {d.year}"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_ISO6346_VALUES: dict[str, int] = {}
_v = 10
for _ch in string.ascii_uppercase:
    if _v % 11 == 0:
        _v += 1
    _ISO6346_VALUES[_ch] = _v
    _v += 1


def container(owner: str, serial: str) -> str:
    """Return the 11-character ISO 6346 number of ``owner`` (4 letters) + ``serial`` (6 digits)."""
    body = owner + serial
    assert len(owner) == 4 and owner.isalpha() and len(serial) == 6 and serial.isdigit(), body
    total = sum((_ISO6346_VALUES[c] if c.isalpha() else int(c)) * 2 ** i for i, c in enumerate(body))
    rem = total % 11
    assert rem != 10, f"{body}: serial gives check value 10, pick another"
    return body + str(rem)


def spaced(code: str) -> str:
    """'ABCU 123456 7'."""
    return f"{code[:4]} {code[4:10]} {code[10]}"


def dashed(code: str) -> str:
    """'ABCU 123456-7'."""
    return f"{code[:4]} {code[4:10]}-{code[10]}"


def imo(six: str) -> str:
    """Return a 7-digit IMO number: six digits plus their check digit."""
    return six + str(sum(int(c) * w for c, w in zip(six, range(7, 1, -1), strict=True)) % 10)


@dataclass
class Truth:
    """What a careful reader takes off the printed page."""

    doc_type: str
    source: str
    fields: dict[str, Any]
    after_page1: tuple[str, ...] = ()  # fields printed only after page 1 (left out of a scan)
    page1_items: int | None = None  # line_items rows printed on page 1 (None: all of them)


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------


class Doc:
    """A reportlab canvas with y measured down from the top edge."""

    def __init__(self, path: Path, size: tuple[float, float] = A4, family: str = "Helvetica") -> None:
        self.c = Canvas(str(path), pagesize=size, invariant=1)
        self.w, self.h = size
        self.reg, self.bold, self.ital = FAMILIES[family]
        self.pages = 1

    def _font(self, bold: bool, italic: bool, font: str | None) -> str:
        if font:
            return font
        return self.bold if bold else self.ital if italic else self.reg

    def text(self, x: float, y: float, s: str, size: float = 9, bold: bool = False,
             font: str | None = None, italic: bool = False) -> None:
        self.c.setFont(self._font(bold, italic, font), size)
        self.c.drawString(x, self.h - y, s)

    def right(self, x: float, y: float, s: str, size: float = 9, bold: bool = False,
              font: str | None = None, italic: bool = False) -> None:
        self.c.setFont(self._font(bold, italic, font), size)
        self.c.drawRightString(x, self.h - y, s)

    def center(self, x: float, y: float, s: str, size: float = 9, bold: bool = False,
               font: str | None = None, italic: bool = False) -> None:
        self.c.setFont(self._font(bold, italic, font), size)
        self.c.drawCentredString(x, self.h - y, s)

    def lines(self, x: float, y: float, rows: Sequence[str], size: float = 9, lead: float | None = None,
              bold: bool = False, font: str | None = None) -> float:
        """Draw ``rows`` one under another; return the y of the line after the last."""
        lead = lead or size * 1.25
        for i, row in enumerate(rows):
            self.text(x, y + i * lead, row, size, bold, font)
        return y + len(rows) * lead

    def para(self, x: float, y: float, width: float, s: str, size: float = 9, lead: float | None = None,
             bold: bool = False, font: str | None = None, italic: bool = False) -> float:
        """Wrap ``s`` into ``width`` points; return the y of the line after the last."""
        name = self._font(bold, italic, font)
        return self.lines(x, y, simpleSplit(s, name, size, width), size, lead, font=name)

    def width(self, s: str, size: float, bold: bool = False, font: str | None = None) -> float:
        return pdfmetrics.stringWidth(s, self._font(bold, False, font), size)

    def box(self, x0: float, y0: float, x1: float, y1: float, lw: float = 0.6) -> None:
        self.c.setLineWidth(lw)
        self.c.rect(x0, self.h - y1, x1 - x0, y1 - y0)

    def shade(self, x0: float, y0: float, x1: float, y1: float, gray: float = 0.88) -> None:
        self.c.setFillGray(gray)
        self.c.rect(x0, self.h - y1, x1 - x0, y1 - y0, stroke=0, fill=1)
        self.c.setFillGray(0)

    def rule(self, x0: float, x1: float, y: float, lw: float = 0.5, dash: bool = False) -> None:
        self.c.setLineWidth(lw)
        if dash:
            self.c.setDash(2, 2)
        self.c.line(x0, self.h - y, x1, self.h - y)
        self.c.setDash()

    def vline(self, x: float, y0: float, y1: float, lw: float = 0.5) -> None:
        self.c.setLineWidth(lw)
        self.c.line(x, self.h - y0, x, self.h - y1)

    def captioned(self, x0: float, y0: float, x1: float, y1: float, caption: str, body: Sequence[str],
                  size: float = 8.5, cap_size: float = 6.5, cap_font: str | None = None,
                  bold_first: bool = False) -> None:
        """A ruled box with a small caption in its top-left corner and the body under it."""
        self.box(x0, y0, x1, y1)
        self.text(x0 + 3, y0 + 8, caption, cap_size, font=cap_font)
        for i, row in enumerate(body):
            self.text(x0 + 6, y0 + 19 + i * size * 1.2, row, size, bold=bold_first and i == 0)

    def logo(self, x: float, y: float, shape: str, initials: str, size: float = 30,
             gray: float = 0.2) -> None:
        """A simple mark: a filled shape (top-left at x, y) with white initials inside."""
        c, s = self.c, size
        cx, cy = x + s / 2, self.h - y - s / 2
        c.setFillGray(gray)
        if shape == "circle":
            c.circle(cx, cy, s / 2, stroke=0, fill=1)
        elif shape == "square":
            c.roundRect(x, self.h - y - s, s, s, s / 8, stroke=0, fill=1)
        else:
            path = c.beginPath()
            if shape == "diamond":
                pts = [(cx, cy + s / 2), (cx + s / 2, cy), (cx, cy - s / 2), (cx - s / 2, cy)]
            elif shape == "triangle":
                pts = [(cx, cy + s / 2), (cx + s / 2, cy - s / 2), (cx - s / 2, cy - s / 2)]
            else:  # hexagon
                pts = [(cx - s / 4, cy + s / 2), (cx + s / 4, cy + s / 2), (cx + s / 2, cy),
                       (cx + s / 4, cy - s / 2), (cx - s / 4, cy - s / 2), (cx - s / 2, cy)]
            path.moveTo(*pts[0])
            for pt in pts[1:]:
                path.lineTo(*pt)
            path.close()
            c.drawPath(path, stroke=0, fill=1)
        c.setFillGray(1)
        fs = s * (0.42 if len(initials) <= 2 else 0.3) * (0.62 if shape in ("triangle", "diamond") else 1)
        c.setFont("Helvetica-Bold", fs)
        dy = -s / 5 if shape == "triangle" else 0
        c.drawCentredString(cx, cy - fs * 0.35 + dy, initials)
        c.setFillGray(0)

    def stamp(self, x: float, y: float, rows: Sequence[str], angle: float = 10, size: float = 11,
              gray: float = 0.3) -> None:
        """A rotated rubber stamp centred at (x, y): a double-ruled frame round centred rows."""
        c = self.c
        c.saveState()
        c.translate(x, self.h - y)
        c.rotate(angle)
        wide = max(pdfmetrics.stringWidth(r, "Helvetica-Bold", size) for r in rows) + 16
        tall = len(rows) * size * 1.3 + 10
        c.setStrokeGray(gray)
        c.setFillGray(gray)
        c.setLineWidth(1.6)
        c.roundRect(-wide / 2, -tall / 2, wide, tall, 5)
        c.setLineWidth(0.6)
        c.roundRect(-wide / 2 + 3, -tall / 2 + 3, wide - 6, tall - 6, 3)
        c.setFont("Helvetica-Bold", size)
        top = tall / 2 - 5 - size
        for i, r in enumerate(rows):
            c.drawCentredString(0, top - i * size * 1.3, r)
        c.restoreState()

    def qr_block(self, x: float, y: float, s: float, seed: int) -> None:
        """A stand-in for a QR code: seeded dark modules and three finder squares."""
        rng = random.Random(seed)
        n, m, c = 25, s / 25, self.c

        def square(i: int, j: int, k: int, gray: float) -> None:
            c.setFillGray(gray)
            c.rect(x + j * m, self.h - y - (i + k) * m, k * m, k * m, stroke=0, fill=1)

        for i in range(n):
            for j in range(n):
                finder = (i < 8 and j < 8) or (i < 8 and j >= n - 8) or (i >= n - 8 and j < 8)
                if not finder and rng.random() < 0.5:
                    square(i, j, 1, 0)
        for i, j in ((0, 0), (0, n - 7), (n - 7, 0)):
            square(i, j, 7, 0)
            square(i + 1, j + 1, 5, 1)
            square(i + 2, j + 2, 3, 0)
        c.setFillGray(0)

    def new_page(self) -> None:
        self.c.showPage()
        self.pages += 1

    def save(self) -> None:
        self.c.showPage()
        self.c.save()


Col = tuple[float, str]  # x and alignment: "l" left edge at x, "r" right edge at x, "c" centred


def row(d: Doc, cols: Sequence[Col], y: float, cells: Sequence[str], size: float = 8.5,
        bold: bool = False, font: str | None = None) -> None:
    """One table row: each cell drawn at its column's x with its column's alignment."""
    for (x, align), cell in zip(cols, cells, strict=True):
        if not cell:
            continue
        if align == "l":
            d.text(x, y, cell, size, bold, font)
        elif align == "r":
            d.right(x, y, cell, size, bold, font)
        else:
            d.center(x, y, cell, size, bold, font)


Item = tuple[str, Decimal, Decimal]  # description, quantity, unit price


def line_total(items: Sequence[Item]) -> list[Decimal]:
    return [cents(q * p) for _, q, p in items]


# The canonical units of a line item; any other printed unit (Stk, BAG, LOT, 件) is null.
ITEM_UNITS = {"MT": "MT", "KGS": "KGS", "KG": "KGS", "PCS": "PCS", "BBL": "BBL", "CBM": "CBM"}


def line_item(description: str | Sequence[str], qty: Decimal, price: Decimal, amount: Decimal,
              hs: str = "", unit: str = "") -> dict[str, Any]:
    """One row of the truth's ``line_items``, from the values printed in that row.

    ``description`` is the description cell (its lines joined with single spaces), ``hs`` the HS
    code as printed in the row ("1105.20"; "" when the row prints none), ``unit`` the unit as printed
    in the row ("" when none).
    """
    text = description if isinstance(description, str) else " ".join(description)
    return {"description": " ".join(text.split()), "hs_code": "".join(c for c in hs if c.isdigit()) or None,
            "quantity": f(qty), "unit": ITEM_UNITS.get(unit.upper()), "unit_price": f(price),
            "amount": f(amount)}


# ----------------------------------------------------------------------------------------------
# Commercial invoices
# ----------------------------------------------------------------------------------------------


def inv_erp_cloud(path: Path) -> Truth:
    """ERP-style SaaS invoice (US Letter): logo top left, 'Invoice INV/...' heading, tax column."""
    seller, buyer = "Lakeshore Cloud Systems LLC", "Pemberton & Hale Logistics Inc."
    number, issued, due = "INV/2023/03/0008", date(2023, 3, 14), date(2023, 4, 13)
    items: list[Item] = [
        ("ERP Cloud subscription - Professional plan (per user, monthly)", dec(12), dec("31.10")),
        ("Implementation services (hours)", dec(16), dec("145.00")),
        ("Data migration package - legacy WMS", dec(1), dec("850.00")),
    ]
    amounts = line_total(items)
    subtotal = sum(amounts, Decimal(0))
    tax = cents(subtotal * dec("0.075"))
    total = subtotal + tax
    d = Doc(path, LETTER)
    d.logo(50, 40, "square", "LC", 34, 0.35)
    d.text(92, 52, seller, 11, True)
    d.lines(92, 64, ["233 S Wacker Drive, Suite 4100", "Chicago IL 60606", "United States"], 8, 10)
    d.rule(50, 562, 104, 0.8)
    d.lines(360, 130, [buyer, "Attn: Accounts Payable", "4401 Gateway Commerce Dr", "Indianapolis IN 46241",
                       "United States"], 9, 12)
    d.text(50, 215, f"Invoice {number}", 17)
    d.text(50, 245, "Invoice Date:", 8, True)
    d.text(50, 257, mdy(issued), 9)
    d.text(160, 245, "Due Date:", 8, True)
    d.text(160, 257, mdy(due), 9)
    d.text(270, 245, "Source:", 8, True)
    d.text(270, 257, "S00421", 9)
    cols: list[Col] = [(50, "l"), (355, "r"), (430, "r"), (490, "r"), (562, "r")]
    d.rule(50, 562, 282, 0.8)
    row(d, cols, 294, ["Description", "Quantity", "Unit Price", "Taxes", "Amount"], 8.5, True)
    d.rule(50, 562, 299)
    y = 314
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [desc, en(qty), en(price), "7.5%", f"$ {en(amount)}"], 8.5)
        printed.append(line_item(desc, qty, price, amount))
        d.rule(50, 562, y + 7, 0.2)
        y += 20
    for label, value, bold in (("Subtotal", subtotal, False), ("Taxes", tax, False), ("Total", total, True)):
        y += 6
        d.text(380, y, label, 9, bold)
        d.right(562, y, f"$ {en(value)}", 9, bold)
        d.rule(380, 562, y + 6, 0.3)
        y += 12
    d.text(50, y + 30, f"Please use the following communication for your payment: {number}", 8.5)
    d.text(50, y + 44, "Payment terms: 30 Days", 8.5)
    d.rule(50, 562, 740, 0.4)
    d.center(306, 752, "+1 312-555-0187   billing@lakeshorecloud.com   https://lakeshorecloud.com", 7.5)
    d.center(306, 764, "Page: 1 / 1", 7.5)
    d.save()
    return Truth("commercial_invoice", "hand-authored: ERP/SaaS invoice, US Letter, 'Invoice INV/..' "
                 "heading, logo letterhead, customer block right, Subtotal/Taxes/Total",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "USD", "total_amount": f(total), "line_items": printed})


def inv_us_service(path: Path) -> Truth:
    """US consulting invoice (Letter, Times): centred letterhead, Invoice # block, Balance Due."""
    seller, buyer = "Redwood Ridge Consulting, LLC", "Cascadia Fresh Produce Co."
    number, issued, due = "2025-1047", date(2025, 9, 12), date(2025, 10, 12)
    rows_ = [("08/04/2025", "Cold-chain audit - Salem distribution center", "6.5", "165.00"),
             ("08/18/2025", "FSMA 204 traceability workshop (on site)", "8.0", "165.00"),
             ("08/27/2025", "Supplier records review and written report", "5.25", "165.00")]
    amounts = [cents(dec(h) * dec(r)) for _, _, h, r in rows_]
    mileage = dec("148.40")
    subtotal = sum(amounts, Decimal(0)) + mileage
    total = subtotal
    d = Doc(path, LETTER, "Times")
    d.center(306, 60, seller, 18, True)
    d.center(306, 76, "1480 Alder Street, Suite 210  |  Eugene, OR 97401  |  (541) 555-0142", 9)
    d.rule(60, 552, 88, 1.2)
    d.text(60, 125, "INVOICE", 24, True)
    meta = (("Invoice #:", number), ("Date:", us_abbr(issued)), ("Terms:", "Net 30"),
            ("Due Date:", us_abbr(due)))
    for i, (k, v) in enumerate(meta):
        d.right(470, 112 + i * 14, k, 10, True)
        d.text(478, 112 + i * 14, v, 10)
    d.text(60, 185, "Bill To:", 10, True)
    d.lines(60, 199, [buyer, "Attn: Maria Okafor, Quality Dept.", "2250 Portland Road NE",
                      "Salem, OR 97301"], 10, 13)
    d.box(360, 180, 552, 230, 0.8)
    d.shade(360, 180, 552, 196, 0.85)
    d.box(360, 180, 552, 230, 0.8)
    d.center(456, 192, "Amount Due", 10, True)
    d.center(456, 218, f"${en(total)}", 14, True)
    cols: list[Col] = [(64, "l"), (130, "l"), (420, "r"), (480, "r"), (548, "r")]
    d.box(60, 270, 552, 290)
    d.shade(60, 270, 552, 290, 0.9)
    d.box(60, 270, 552, 290)
    row(d, cols, 284, ["DATE", "DESCRIPTION", "HOURS", "RATE", "AMOUNT"], 9, True)
    y = 306
    printed: list[dict[str, Any]] = []
    for (day, desc, hours, rate), amount in zip(rows_, amounts, strict=True):
        row(d, cols, y, [day, desc, hours, rate, en(amount)], 10)
        printed.append(line_item(desc, dec(hours), dec(rate), amount))
        y += 18
    # The mileage row prints no hours and no rate, only an amount: it is no row of line_items.
    row(d, cols, y, ["09/05/2025", "Mileage, 212 mi @ $0.70", "", "", en(mileage)], 10)
    d.box(60, 290, 552, y + 12)
    y += 36
    for label, value in (("Subtotal", subtotal), ("Sales Tax (0%)", Decimal(0)), ("Total", total),
                         ("Payments/Credits", Decimal(0))):
        d.right(470, y, label, 10)
        d.right(548, y, en(value), 10)
        y += 15
    d.rule(380, 552, y - 9, 0.8)
    d.right(470, y + 4, "Balance Due", 11, True)
    d.right(548, y + 4, f"${en(total)}", 11, True)
    d.para(60, 640, 490, f"Make checks payable to {seller}, or pay by ACH to the account on file. "
           "A late fee of 1.5% per month applies to balances unpaid after the due date.", 9)
    d.center(306, 740,
             "Questions about this invoice? accounts@redwoodridge.co  -  Thank you for your business!",
             9, italic=True)
    d.save()
    return Truth("commercial_invoice", "hand-authored: US service invoice, Letter, Times, centred "
                 "letterhead, 'Invoice #' block, Bill To, Amount Due box, Balance Due",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "USD", "total_amount": f(total), "line_items": printed})


def inv_tax_gst(path: Path) -> Truth:
    """Australian TAX INVOICE with ABN, 10% GST, day-first dates fixed by a due date of 26/09."""
    seller, buyer = "Wattle Creek Engineering Pty Ltd", "Harbourside Marine Services Pty Ltd"
    number, issued, due = "TI-004518", date(2025, 9, 12), date(2025, 9, 26)
    items: list[Item] = [
        ("Stainless shaft coupling, 316, machined to drawing WC-2291", dec(2), dec("1180.00")),
        ("Propeller shaft straightening and dynamic balancing", dec(1), dec("2450.00")),
        ("Cutless bearing, 50 mm bore", dec(4), dec("96.50")),
        ("Freight - Newcastle to Port Botany", dec(1), dec("185.00")),
    ]
    amounts = line_total(items)
    subtotal = sum(amounts, Decimal(0))
    gst = cents(subtotal / 10)
    total = subtotal + gst
    d = Doc(path, A4)
    d.logo(40, 36, "triangle", "WC", 44, 0.3)
    d.text(94, 52, seller, 13, True)
    d.text(94, 65, "ABN 51 824 753 556", 8.5)
    d.text(94, 76, "17 Steel River Boulevard, Mayfield West NSW 2304  |  (02) 4960 1188", 8)
    d.right(555, 52, "TAX INVOICE", 20, True)
    meta = (("Invoice No:", number), ("Invoice Date:", dmy(issued)), ("Due Date:", dmy(due)),
            ("Customer PO:", "HMS-PO-7712"))
    for i, (k, v) in enumerate(meta):
        d.text(380, 100 + i * 13, k, 8.5, True)
        d.text(460, 100 + i * 13, v, 8.5)
    d.text(40, 110, "Invoice To:", 8.5, True)
    d.lines(40, 123, [buyer, "Wharf 7, Cowper Street", "Glebe NSW 2037"], 9, 12)
    cols: list[Col] = [(52, "c"), (68, "l"), (400, "r"), (470, "r"), (552, "r")]
    d.shade(40, 190, 555, 206, 0.3)
    d.c.setFillGray(1)
    row(d, cols, 201, ["Qty", "Description", "Unit Price", "GST", "Line Total"], 8.5, True)
    d.c.setFillGray(0)
    y = 222
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [str(qty), desc, en(price), en(cents(amount / 10)), en(amount)], 8.5)
        printed.append(line_item(desc, qty, price, amount))
        d.rule(40, 555, y + 6, 0.2)
        y += 18
    y += 14
    for label, value, bold in (("Subtotal (ex GST)", subtotal, False), ("GST 10%", gst, False),
                               ("Total (inc GST)", total, True)):
        d.text(380, y, label, 9, bold)
        d.right(552, y, f"${en(value)}", 9, bold)
        y += 15
    d.box(375, y - 8, 555, y + 14, 1)
    d.text(380, y + 7, "Amount Payable", 10, True)
    d.right(552, y + 7, f"${en(total)}", 10, True)
    d.text(40, y + 7, "All amounts in Australian dollars (AUD).", 8)
    d.text(40, 700, "How to pay", 9, True)
    d.lines(40, 713, ["Direct deposit: Wattle Creek Engineering, BSB 062-540, Account 1098 3321",
                      f"Please quote {number} as your payment reference. Terms: 14 days."], 8, 11)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Australian TAX INVOICE, A4, triangle logo, "
                 "ABN line, dark table header, GST column, Amount Payable box; dd/mm/yyyy",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "AUD", "total_amount": f(total), "line_items": printed})


def rechnung_de(path: Path) -> Truth:
    """German Rechnung in DIN 5008 style: sender line over the window, info block, footer columns."""
    seller, buyer = "Feldberg Präzisionsteile GmbH", "Albrecht Hydraulik KG"
    number, issued = "RE-2025-00917", date(2025, 9, 12)
    items = [("FP-30112", "Ventilblock Aluminium, eloxiert", dec(120), "Stk", dec("48.60")),
             ("FP-30140", "Anschlussflansch DN25, Edelstahl 1.4404", dec(240), "Stk", dec("17.35")),
             ("FP-90001", "Prüfprotokoll 3.1 nach EN 10204", dec(1), "psch", dec("85.00"))]
    amounts = [cents(q * p) for _, _, q, _, p in items]
    net = sum(amounts, Decimal(0))
    vat = cents(net * dec("0.19"))
    total = net + vat
    d = Doc(path, A4)
    d.logo(480, 36, "hexagon", "FP", 40, 0.25)
    d.right(470, 52, "FELDBERG", 16, True)
    d.right(470, 64, "Präzision aus dem Schwarzwald", 7.5, italic=True)
    d.text(57, 130, f"{seller} · Industriestraße 14 · 78112 St. Georgen", 6.5)
    d.rule(57, 300, 133, 0.3)
    d.lines(57, 150, [buyer, "Einkauf", "Am Hafen 7", "28197 Bremen"], 10, 13)
    info = (("Rechnungsnummer", number), ("Rechnungsdatum", dmy(issued, ".")), ("Kundennummer", "10442"),
            ("Lieferdatum", "29.08.2025"), ("Ihre Bestellung", "4500187733"))
    for i, (k, v) in enumerate(info):
        d.text(360, 140 + i * 12, k, 8)
        d.right(538, 140 + i * 12, v, 8)
    d.text(57, 250, "Rechnung", 14, True)
    d.text(57, 272, "Sehr geehrte Damen und Herren,", 9.5)
    d.text(57, 286, "wir berechnen Ihnen für unsere Lieferung wie folgt:", 9.5)
    cols: list[Col] = [(57, "l"), (82, "l"), (135, "l"), (368, "r"), (375, "l"), (458, "r"), (538, "r")]
    row(d, cols, 312, ["Pos.", "Art.-Nr.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis €",
                       "Gesamtpreis €"], 8, True)
    d.rule(57, 538, 317, 0.8)
    y = 332
    printed: list[dict[str, Any]] = []
    for i, ((art, desc, qty, unit, price), amount) in enumerate(zip(items, amounts, strict=True), 1):
        row(d, cols, y, [str(i), art, desc, de(qty, 0), unit, de(price), de(amount)], 9)
        printed.append(line_item(desc, qty, price, amount, unit=unit))
        y += 16
    d.rule(57, 538, y - 8, 0.4)
    for label, value, bold in (("Nettobetrag", net, False), ("zzgl. 19 % USt.", vat, False),
                               ("Gesamtbetrag", total, True)):
        y += 6
        d.text(340, y, label, 9.5, bold)
        d.right(538, y, f"{de(value)} €", 9.5, bold)
        y += 10
    d.rule(340, 538, y - 4, 0.8)
    d.rule(340, 538, y - 2, 0.8)
    d.text(57, y + 30, "Zahlbar innerhalb von 30 Tagen ohne Abzug bis 12.10.2025.", 9.5)
    d.text(57, y + 44, "Es gelten unsere Allgemeinen Geschäftsbedingungen.", 9.5)
    d.text(57, y + 70, "Mit freundlichen Grüßen", 9.5)
    d.rule(57, 538, 770, 0.3)
    d.lines(57, 780, [seller, "Industriestraße 14, 78112 St. Georgen", "Geschäftsführer: Jonas Weißer"],
            6.5, 8)
    d.lines(230, 780, ["Amtsgericht Freiburg HRB 712244", "USt-IdNr. DE318774520",
                       "Tel. +49 7724 9130-0"], 6.5, 8)
    d.lines(390, 780, ["Sparkasse Schwarzwald-Baar", "IBAN DE44 6945 0065 0001 2345 67",
                       "BIC SOLADES1VSS"], 6.5, 8)
    d.save()
    return Truth("commercial_invoice", "hand-authored: German Rechnung, DIN 5008 style, sender line "
                 "over address window, right info block, Pos./Art.-Nr. table, 1.234,56, footer columns",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "EUR", "total_amount": f(total), "line_items": printed})


def facture_fr(path: Path) -> Truth:
    """French Facture (Times): circle logo, HT/TVA/TTC totals, '1 234,56 €', dd/mm/yyyy and 'sept.'."""
    seller, buyer = "Savonnerie du Vieux Port SARL", "Épicerie Fine Lacroix & Fils"
    number, issued, due, delivered = "F2025-0412", date(2025, 9, 12), date(2025, 9, 30), date(2025, 9, 5)
    items: list[Item] = [("Savon de Marseille cube 600 g", dec(240), dec("4.85")),
                         ("Savon liquide à l'huile d'olive, flacon 1 L", dec(96), dec("7.40")),
                         ("Coffret découverte 4 savons parfumés", dec(30), dec("18.90"))]
    amounts = line_total(items)
    ht = sum(amounts, Decimal(0))
    tva = cents(ht * dec("0.20"))
    ttc = ht + tva
    d = Doc(path, A4, "Times")
    d.logo(45, 40, "circle", "SVP", 46, 0.4)
    d.text(100, 58, seller, 14, True)
    d.lines(100, 72, ["12, quai de Rive-Neuve", "13007 Marseille", "Tél. 04 91 54 22 10"], 9, 11)
    d.right(550, 58, "FACTURE", 22, True)
    meta = (("N° de facture :", number), ("Date :", dmy(issued)), ("Date de livraison :", fr_abbr(delivered)),
            ("Échéance :", dmy(due)))
    for i, (k, v) in enumerate(meta):
        d.right(470, 84 + i * 13, k, 10)
        d.text(476, 84 + i * 13, v, 10)
    d.box(320, 150, 550, 215, 0.5)
    d.text(328, 163, "Client :", 9, italic=True)
    d.lines(328, 178, [buyer, "8, rue Mercière", "69002 Lyon"], 10, 12)
    cols: list[Col] = [(50, "l"), (330, "r"), (400, "r"), (455, "r"), (545, "r")]
    d.rule(45, 550, 245, 1)
    row(d, cols, 258, ["Désignation", "Qté", "P.U. HT", "TVA", "Montant HT"], 10, True)
    d.rule(45, 550, 264, 0.5)
    y = 280
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [desc, fr(qty, 0), fr(price), "20 %", f"{fr(amount)} €"], 10)
        printed.append(line_item(desc, qty, price, amount))
        y += 17
    d.rule(45, 550, y - 6, 0.5)
    y += 14
    for label, value, bold in (("Total HT", ht, False), ("TVA 20 %", tva, False), ("Total TTC", ttc, True)):
        d.text(360, y, label, 10.5, bold)
        d.right(545, y, f"{fr(value)} €", 10.5, bold)
        y += 15
    d.shade(355, y - 5, 550, y + 13, 0.88)
    d.text(360, y + 7, "Net à payer", 11, True)
    d.right(545, y + 7, f"{fr(ttc)} €", 11, True)
    d.para(50, y + 50, 500, "Conditions de paiement : virement à réception, au plus tard à l'échéance. "
           "Pas d'escompte pour paiement anticipé. En cas de retard, pénalités au taux de trois fois le "
           "taux d'intérêt légal et indemnité forfaitaire pour frais de recouvrement de 40 €.", 9)
    d.rule(45, 550, 785, 0.3)
    d.center(297, 796, f"{seller} au capital de 20 000 € – RCS Marseille 812 447 120 – "
             "TVA intracom. FR27 812447120", 7.5)
    d.center(297, 806, "IBAN FR76 1130 6000 3041 2298 7710 245 – BIC AGRIFRPP813", 7.5)
    d.save()
    return Truth("commercial_invoice", "hand-authored: French Facture, A4, Times, circle logo, client "
                 "box right, Désignation/Qté/P.U. HT table, Total HT/TVA/TTC, '1 234,56 €', dd/mm/yyyy",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "EUR", "total_amount": f(ttc), "line_items": printed})


def factura_es(path: Path) -> Truth:
    """Spanish export Factura: one line item, FOB Algeciras, VAT-exempt, '42.300,00 €'."""
    seller, buyer = "Aceitunas Sierra Mágina S.L.", "Mediterranean Table Foods Ltd"
    number, issued = "2025/0187", date(2025, 9, 12)
    goods = "Aceitunas verdes manzanilla en salmuera, bidón 160 kg"
    lot = "Cosecha 2025, calibre 261/280, lote ASM-25-118"
    qty, unit, price = dec(18000), "KG", dec("2.35")
    total = cents(qty * price)
    d = Doc(path, A4)
    d.shade(0, 0, 595, 92, 0.92)
    d.logo(40, 24, "diamond", "SM", 46, 0.35)
    d.text(96, 44, seller, 15, True)
    d.text(96, 58, "CIF B23847116", 8.5)
    d.text(96, 70, "Polígono Industrial Los Olivares, C/ Jabalcuz 12, 23009 Jaén (España)", 8.5)
    d.right(555, 44, "FACTURA", 18, True)
    d.text(40, 122, "DATOS DE LA FACTURA", 8, True)
    d.rule(40, 280, 126, 0.4)
    for i, (k, v) in enumerate((("Nº Factura:", number), ("Fecha:", dmy(issued, "-")),
                                ("Vencimiento:", "11-11-2025"),
                                ("Forma de pago:", "Transferencia, 60 días"))):
        d.text(40, 140 + i * 13, k, 8.5)
        d.text(120, 140 + i * 13, v, 8.5, True)
    d.text(315, 122, "CLIENTE", 8, True)
    d.rule(315, 555, 126, 0.4)
    d.lines(315, 140, [buyer, "Unit 4, Orwell Business Park", "Ipswich IP3 9BF", "United Kingdom",
                       "VAT GB 318 4471 02"], 8.5, 12)
    d.text(40, 222, "DATOS DE EXPEDICIÓN", 8, True)
    d.rule(40, 555, 226, 0.4)
    for i, (k, v) in enumerate((("Incoterm:", "FOB Algeciras (Incoterms 2020)"),
                                ("Puerto de carga:", "Algeciras (España)"),
                                ("Puerto de destino:", "Felixstowe (Reino Unido)"),
                                ("Partida arancelaria:", "2005.70"))):
        d.text(40 + (i % 2) * 275, 240 + (i // 2) * 13, k, 8.5)
        d.text(130 + (i % 2) * 275, 240 + (i // 2) * 13, v, 8.5, True)
    cols: list[Col] = [(44, "l"), (330, "r"), (350, "l"), (460, "r"), (551, "r")]
    d.box(40, 290, 555, 308)
    row(d, cols, 302, ["Descripción", "Cantidad", "Unidad", "Precio unitario", "Importe"], 8.5, True)
    d.box(40, 308, 555, 360)
    row(d, cols, 324, [goods, de(qty, 0), unit, f"{de(price)} €", f"{de(total)} €"], 8.5)
    d.text(44, 337, lot, 8)
    y = 385
    for label, value in (("Base imponible", de(total)), ("IVA 0 % (exento)", de(0)),
                         ("TOTAL FACTURA", de(total))):
        bold = label.startswith("TOTAL")
        d.text(360, y, label, 9.5, bold)
        d.right(551, y, f"{value} €", 9.5, bold)
        y += 15
    d.para(40, 460, 515, "Operación exenta de IVA en virtud del artículo 21 de la Ley 37/1992 (entrega de "
           "bienes exportados fuera de la Unión Europea).", 8)
    d.text(40, 800, "Inscrita en el Registro Mercantil de Jaén, Tomo 612, Folio 88, Hoja J-20114", 7)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Spanish export Factura, A4, grey header band, "
                 "section captions, one-line item table, FOB Algeciras, VAT exempt, '42.300,00 €'",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "EUR", "total_amount": f(total), "incoterms": "FOB",
                  "port_of_loading": "ESALG", "port_of_discharge": "GBFXT", "goods_description": goods,
                  "hs_code": "200570", "quantity": f(qty), "unit": unit, "unit_price": f(price),
                  "line_items": [line_item([goods, lot], qty, price, total, unit=unit)]})


def factuur_nl(path: Path) -> Truth:
    """Dutch Factuur: issuer only in the footer registration line (logo has initials only)."""
    seller, buyer = "Van Dijk Bloembollen B.V.", "Tuincentrum De Linde"
    number, issued = "2025-1093", date(2025, 9, 12)
    items: list[Item] = [("Tulpenbollen 'Queen of Night', maat 12/+", dec(2500), dec("0.38")),
                         ("Narcissen 'Tête-à-Tête', maat 10/12", dec(4000), dec("0.21")),
                         ("Krokussen gemengd, maat 7/8", dec(6000), dec("0.09")),
                         ("Allium 'Purple Sensation', maat 10/12", dec(1200), dec("0.32"))]
    amounts = line_total(items)
    excl = sum(amounts, Decimal(0))
    btw = cents(excl * dec("0.09"))
    incl = excl + btw
    d = Doc(path, A4)
    d.logo(40, 40, "diamond", "VDB", 52, 0.15)
    d.text(100, 62, "bloembollen  ·  export sinds 1961", 9, italic=True)
    d.right(555, 62, "FACTUUR", 22, True)
    d.lines(40, 140, [buyer, "t.a.v. de heer R. Bosman", "Lindelaan 3", "3871 KB Hoevelaken"], 10, 13)
    for i, (k, v) in enumerate((("Factuurnummer", number), ("Factuurdatum", dmy(issued, "-")),
                                ("Vervaldatum", "26-09-2025"), ("Klantnummer", "D-2208"))):
        d.text(360, 140 + i * 14, k, 9)
        d.text(450, 140 + i * 14, v, 9, True)
    cols: list[Col] = [(40, "l"), (370, "r"), (450, "r"), (555, "r")]
    row(d, cols, 240, ["Omschrijving", "Aantal", "Prijs", "Bedrag"], 9, True)
    d.rule(40, 555, 246, 1.2)
    y = 262
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [desc, de(qty, 0), f"€ {de(price)}", f"€ {de(amount)}"], 9)
        printed.append(line_item(desc, qty, price, amount))
        y += 16
    d.rule(40, 555, y - 6, 0.4)
    y += 12
    for label, value, bold in (("Totaal excl. btw", excl, False), ("btw 9%", btw, False),
                               ("Totaal incl. btw", incl, True)):
        d.text(370, y, label, 9.5, bold)
        d.right(555, y, f"€ {de(value)}", 9.5, bold)
        y += 15
    d.text(370, y + 10, "Te betalen", 11, True)
    d.right(555, y + 10, f"€ {de(incl)}", 11, True)
    d.para(40, y + 60, 515, "Wij verzoeken u vriendelijk het verschuldigde bedrag binnen 14 dagen over te "
           "maken onder vermelding van het factuurnummer. Op al onze leveringen zijn de algemene "
           "voorwaarden van Anthos van toepassing.", 9)
    d.rule(40, 555, 790, 0.4)
    d.center(297, 802, f"{seller}  ·  Zandweg 41  ·  2161 AB Lisse  ·  KvK 34127789  ·  "
             "btw NL812345678B01", 7)
    d.center(297, 812, "IBAN NL91 ABNA 0417 1643 00  ·  info@vandijkbloembollen.nl  ·  "
             "+31 252 41 77 20", 7)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Dutch Factuur, A4, initials-only logo, seller "
                 "named only in the footer registration line, btw 9%, '€ 2.958,26', dd-mm-yyyy",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "EUR", "total_amount": f(incl), "line_items": printed})


def rechnung_ch(path: Path) -> Truth:
    """Swiss invoice: 1'234.56, MWST 8.1 %, rounding to 5 Rappen, a QR-bill payment part."""
    seller, buyer = "Jurafräs Werkzeuge AG", "Kunz Mechanik GmbH"
    number, issued = "25-4471", date(2025, 9, 12)
    items: list[Item] = [("VHM-Schaftfräser Ø 8 mm, 4-schneidig", dec(60), dec("42.80")),
                         ("Gewindebohrer M6, HSS-E", dec(150), dec("11.35")),
                         ("Wendeschneidplatten CNMG 120408", dec(400), dec("9.95")),
                         ("Nachschleifservice Fräser (Pauschale)", dec(1), dec("640.00"))]
    amounts = line_total(items)
    sub = sum(amounts, Decimal(0))
    vat = cents(sub * dec("0.081"))
    exact = sub + vat
    total = (exact * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
    total = cents(total)
    d = Doc(path, A4)
    d.logo(40, 36, "square", "JW", 36, 0.2)
    d.text(84, 50, seller, 13, True)
    d.text(84, 62, "Bözingenstrasse 112, 2504 Biel/Bienne  ·  MWST-Nr. CHE-114.382.907 MWST", 7.5)
    d.lines(330, 110, [buyer, "Industriering 5", "6330 Cham"], 10, 13)
    d.text(40, 190, f"Rechnung Nr. {number}", 13, True)
    d.text(40, 206, f"Datum: {dmy(issued, '.')}     Zahlbar bis: 12.10.2025     Kunden-Nr.: 30871", 8.5)
    cols: list[Col] = [(40, "l"), (350, "r"), (440, "r"), (555, "r")]
    d.shade(40, 224, 555, 238, 0.9)
    row(d, cols, 234, ["Bezeichnung", "Menge", "Preis CHF", "Betrag CHF"], 8.5, True)
    y = 254
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [desc, ch(qty, 0), ch(price), ch(amount)], 9)
        printed.append(line_item(desc, qty, price, amount))
        y += 15
    d.rule(40, 555, y - 6, 0.4)
    y += 10
    for label, value, bold in (("Zwischensumme", sub, False), ("MWST 8.1 %", vat, False),
                               ("Rundungsdifferenz", total - exact, False), ("Total CHF", total, True)):
        d.text(340, y, label, 9, bold)
        d.right(555, y, ch(value), 9, bold)
        y += 14
    d.rule(340, 555, y - 10, 0.8)
    d.text(40, y + 20, "Besten Dank für Ihren Auftrag. Zahlung mit dem untenstehenden Zahlteil.", 9)
    top = 842 - 297
    d.rule(0, 595, top, 0.4, dash=True)
    d.vline(176, top, 842, 0.4)
    d.text(15, top + 24, "Empfangsschein", 11, True)
    d.lines(15, top + 44, ["Konto / Zahlbar an", "CH44 3199 9123 0008 8901 2", seller, "2504 Biel/Bienne"],
            7.5, 10)
    d.lines(15, top + 100, ["Zahlbar durch", buyer, "6330 Cham"], 7.5, 10)
    d.text(15, top + 150, "Währung   Betrag", 7, True)
    d.text(15, top + 162, f"CHF         {num(total, 2, ' ', '.')}", 8)
    d.text(190, top + 24, "Zahlteil", 11, True)
    d.qr_block(190, top + 40, 130, 4471)
    d.text(190, top + 190, "Währung   Betrag", 7, True)
    d.text(190, top + 202, f"CHF         {num(total, 2, ' ', '.')}", 9)
    d.lines(345, top + 44, ["Konto / Zahlbar an", "CH44 3199 9123 0008 8901 2", seller, "2504 Biel/Bienne",
                            "", "Referenz", "21 00000 00003 13947 14300 09017", "",
                            "Zusätzliche Informationen", f"Rechnung {number}", "", "Zahlbar durch",
                            buyer, "6330 Cham"], 8, 10.5)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Swiss Rechnung, A4, apostrophe thousands, MWST "
                 "8.1 %, rounding line, QR-bill payment part (Empfangsschein/Zahlteil) on the lower third",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "CHF", "total_amount": f(total), "line_items": printed})


def inv_cn_export(path: Path) -> Truth:
    """Chinese export 商业发票 with Chinese captions (CID font), FOB 宁波, one line item."""
    seller, buyer = "宁波海晟五金制品有限公司", "HARTWELL HARDWARE SUPPLY LTD."
    number, issued, contract = "HS-2509-0117", date(2025, 9, 12), "HS-SC-250801"
    goods, qty, price = "不锈钢合页 304, 4 英寸", dec(24000), dec("0.85")
    hs, unit = "8302.10", "PCS"
    cell = [goods, f"海关编码: {hs}", "每箱 80 只, 共 300 箱"]
    total = cents(qty * price)
    d = Doc(path, A4)
    d.center(297, 50, seller, 16, font=CJK)
    d.center(297, 68, "浙江省宁波市北仑区新碶街道明州路 88 号  电话: 0574-8688 1290", 8.5, font=CJK)
    d.center(297, 100, "商 业 发 票", 20, font=CJK)
    d.rule(40, 555, 112, 1)
    left = (("发票号码:", number), ("开票日期:", cn_date(issued)), ("合同号:", contract),
            ("付款方式:", "T/T 30% 预付, 70% 见提单副本"))
    for i, (k, v) in enumerate(left):
        d.text(40, 132 + i * 16, k, 9.5, font=CJK)
        d.text(100, 132 + i * 16, v, 9.5, font=CJK)
    d.text(320, 132, "买方:", 9.5, font=CJK)
    d.lines(355, 132, [buyer, "18 Kingsway Industrial Estate", "Luton LU1 1LP, United Kingdom"], 9, 13)
    for i, (k, v) in enumerate((("贸易条款:", "FOB 宁波"), ("装运港:", "中国宁波"),
                                ("目的港:", "英国费利克斯托"))):
        d.text(320, 180 + i * 16, k, 9.5, font=CJK)
        d.text(375, 180 + i * 16, v, 9.5, font=CJK)
    cols: list[Col] = [(45, "l"), (150, "l"), (360, "r"), (450, "r"), (550, "r")]
    d.box(40, 240, 555, 260)
    for x in (145, 300, 370, 460):
        d.vline(x, 240, 330)
    row(d, cols, 254, ["唛头", "品名及规格", "数量", "单价 (USD)", "金额 (USD)"], 9.5, font=CJK)
    d.box(40, 260, 555, 330)
    d.lines(45, 276, ["HARTWELL", "LUTON", "C/NO. 1-300"], 8.5, 11)
    d.text(150, 276, cell[0], 9.5, font=CJK)
    d.text(150, 290, cell[1], 9, font=CJK)
    d.text(150, 304, cell[2], 9, font=CJK)
    row(d, cols, 276, ["", "", f"{en(qty, 0)} {unit}", en(price), en(total)], 9)
    d.box(40, 330, 555, 350)
    d.text(45, 344, "合计:", 9.5, font=CJK)
    d.right(550, 344, f"USD {en(total)}", 9.5, True)
    d.text(40, 372, "大写: 美元贰万零肆佰元整", 9.5, font=CJK)
    d.text(40, 392, "原产地: 中国", 9.5, font=CJK)
    d.text(360, 460, "宁波海晟五金制品有限公司 (盖章)", 9.5, font=CJK)
    d.rule(360, 540, 500, 0.5)
    d.text(360, 512, "授权签字", 8.5, font=CJK)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Chinese export 商业发票, A4, CID font, Chinese "
                 "captions (发票号码/开票日期/买方/贸易条款), ruled goods grid, 2025年9月12日",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "contract_number": contract, "currency": "USD",
                  "total_amount": f(total), "incoterms": "FOB", "port_of_loading": "CNNGB",
                  "port_of_discharge": "GBFXT", "goods_description": goods, "hs_code": "830210",
                  "quantity": f(qty), "unit": "PCS", "unit_price": f(price),
                  "line_items": [line_item(cell, qty, price, total, hs=hs, unit=unit)]})


def fapiao_cn(path: Path) -> Truth:
    """Domestic Chinese 发票 (A4 landscape grid): buyer/seller panels, tax column, 价税合计 in ¥."""
    seller, buyer = "苏州恒泰精密机械有限公司", "上海云帆物流有限公司"
    number, issued, contract = "25322000000184736521", date(2025, 9, 12), "HT-2025-0832"
    items = [("*通用设备*输送辊筒", "D60x800", "件", dec(400), dec("85.00")),
             ("*通用设备*链轮组件", "08B-24T", "套", dec(120), dec("120.00"))]
    amounts = [cents(q * p) for _, _, _, q, p in items]
    taxes = [cents(a * dec("0.13")) for a in amounts]
    net, tax = sum(amounts, Decimal(0)), sum(taxes, Decimal(0))
    total = net + tax
    d = Doc(path, landscape(A4))
    d.center(421, 50, "电子发票（增值税专用发票）", 18, font=CJK)
    d.rule(300, 542, 58, 0.8)
    d.rule(300, 542, 61, 0.8)
    d.text(600, 40, f"发票号码: {number}", 9, font=CJK)
    d.text(600, 56, f"开票日期: {cn_date(issued)}", 9, font=CJK)
    x0, x1 = 40, 802
    d.box(x0, 80, x1, 150)
    d.vline(421, 80, 150)
    d.text(50, 98, "购买方信息", 9, font=CJK)
    d.text(50, 118, f"名称: {buyer}", 10, font=CJK)
    d.text(50, 136, "统一社会信用代码/纳税人识别号: 91310115MA1K4QWX2T", 9, font=CJK)
    d.text(431, 98, "销售方信息", 9, font=CJK)
    d.text(431, 118, f"名称: {seller}", 10, font=CJK)
    d.text(431, 136, "统一社会信用代码/纳税人识别号: 91320594MA1MF8R63C", 9, font=CJK)
    cols: list[Col] = [(50, "l"), (230, "l"), (330, "c"), (420, "r"), (500, "r"), (610, "r"), (660, "c"),
                       (790, "r")]
    d.box(x0, 150, x1, 300)
    row(d, cols, 168, ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"], 9, font=CJK)
    y = 190
    printed: list[dict[str, Any]] = []
    for (name, spec, unit, qty, price), amount, t in zip(items, amounts, taxes, strict=True):
        row(d, cols, y, [name, "", unit, "", "", "", "", ""], 9, font=CJK)
        row(d, cols, y, ["", spec, "", en(qty, 0), en(price), en(amount), "13%", en(t)], 9)
        printed.append(line_item(name, qty, price, amount, unit=unit))
        y += 18
    d.text(50, 285, "合    计", 9, font=CJK)
    d.right(610, 285, f"¥{en(net)}", 9)
    d.right(790, 285, f"¥{en(tax)}", 9)
    d.box(x0, 300, x1, 325)
    d.text(50, 316, "价税合计（大写）", 9, font=CJK)
    d.text(170, 316, "⊗伍万肆仟陆佰玖拾贰元整", 10, font=CJK)
    d.text(560, 316, "（小写）", 9, font=CJK)
    d.text(610, 316, f"¥{en(total)}", 10, True)
    d.box(x0, 325, x1, 385)
    d.text(50, 343, "备注", 9, font=CJK)
    d.text(100, 343, f"合同号 {contract}；交货地点：上海市浦东新区航津路 1688 号仓库", 9, font=CJK)
    d.text(50, 405, "开票人: 王丽", 9, font=CJK)
    d.save()
    assert total == dec("54692.00")
    return Truth("commercial_invoice", "hand-authored: domestic Chinese e-发票, A4 landscape, ruled grid "
                 "with 购买方/销售方 panels, 税率/税额 columns, 价税合计 ¥, 2025年9月12日",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "contract_number": contract, "currency": "CNY",
                  "total_amount": f(total), "line_items": printed})


def inv_commodity_wheat(path: Path) -> Truth:
    """Commodity trader's invoice in telex style (Courier): vessel, B/L, CFR, ports, per-MT price."""
    seller, buyer = "LEMANIC GRAIN MERCHANTS SA", "NILE VALLEY MILLING COMPANY S.A.E."
    number, issued, contract = "LGM-INV-25-0611", date(2025, 9, 12), "LGM/25/117"
    goods, qty, price = "ROMANIAN MILLING WHEAT, CROP 2025", dec("55000.000"), dec("238.50")
    vessel, bl = "AEGEAN MERCHANT", "CND/ALY/0045"
    total = cents(qty * price)
    d = Doc(path, A4, "Courier")
    d.text(50, 55, seller, 13, True)
    d.text(50, 69, "RUE DU RHONE 62, 1204 GENEVE, SWITZERLAND - TEL +41 22 310 44 80", 8)
    d.rule(50, 545, 78, 0.6)
    d.text(50, 105, f"COMMERCIAL INVOICE NO. {number}", 11, True)
    d.text(50, 121, f"GENEVA, {sept(issued).upper()}", 9)
    rows_ = [("BUYER", [buyer, "14 CORNICHE EL NIL, MAADI, CAIRO, EGYPT"]),
             ("CONTRACT", [f"{contract} DATED 04 JUL 2025"]),
             ("COMMODITY", [goods, "PROTEIN MIN 12.5 PCT, MOISTURE MAX 13.5 PCT",
                            "TEST WEIGHT MIN 78 KG/HL"]),
             ("HS CODE", ["1001.99"]),
             ("VESSEL", [f"{vessel} (IMO {imo('931742')})"]),
             ("B/L NO.", [f"{bl} DATED 08 SEP 2025"]),
             ("LOADPORT", ["CONSTANTA, ROMANIA"]),
             ("DISPORT", ["ALEXANDRIA, EGYPT"]),
             ("TERMS", ["CFR ALEXANDRIA, INCOTERMS 2020"]),
             ("QUANTITY", [f"{en(qty, 3)} MT (B/L WEIGHT)"]),
             ("PRICE", [f"USD {en(price)} PER METRIC TON CFR FO"]),
             ("AMOUNT", [f"USD {en(total)}"])]
    y = 150
    for label, vals in rows_:
        d.text(50, y, f"{label:<10}:", 9, label == "AMOUNT")
        for v in vals:
            d.text(140, y, v, 9, label == "AMOUNT")
            y += 12
        y += 4
    y += 8
    y = d.para(50, y, 495, "SAY: US DOLLARS THIRTEEN MILLION ONE HUNDRED SEVENTEEN THOUSAND FIVE HUNDRED "
               "ONLY.", 9, 12)
    y = d.para(50, y + 10, 495, "PAYMENT: 100 PCT BY IRREVOCABLE DOCUMENTARY CREDIT NO. NBE-ILC-25-04417 "
               "ISSUED BY NATIONAL BANK OF EGYPT, PAYABLE AT SIGHT AGAINST PRESENTATION OF DOCUMENTS.", 9, 12)
    y = d.para(50, y + 10, 495, "WE HEREBY CERTIFY THAT THE GOODS ARE OF ROMANIAN ORIGIN AND THAT THIS "
               "INVOICE IS TRUE AND CORRECT.", 9, 12)
    d.text(50, y + 30, f"FOR AND ON BEHALF OF {seller}", 9)
    d.text(50, y + 70, "AUTHORISED SIGNATORY", 9)
    d.save()
    return Truth("commercial_invoice", "hand-authored: commodity trading invoice in telex style, A4, "
                 "Courier, 'LABEL : value' rows, vessel/B/L/CFR/ports, 'GENEVA, 12 SEPT 2025'",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "contract_number": contract, "currency": "USD",
                  "total_amount": f(total), "incoterms": "CFR", "port_of_loading": "ROCND",
                  "port_of_discharge": "EGALY", "vessel_name": vessel, "bl_number": bl,
                  "goods_description": goods, "hs_code": "100199", "quantity": f(qty), "unit": "MT",
                  "unit_price": f(price)})


def inv_us_export(path: Path) -> Truth:
    """US export commercial invoice (Letter): month-first dates fixed by 08/28/2025, CIF Yokohama."""
    seller, buyer = "Prairie Harvest Ingredients, Inc.", "Osaka Tsubame Foods K.K."
    number, issued = "PHI-25-3318", date(2025, 9, 12)
    items = [("PF-100", "Dehydrated potato flakes, 20 kg bag", "1105.20", dec(960), "BAG", dec("38.40")),
             ("PG-210", "Potato granules, 25 kg bag", "1105.20", dec(400), "BAG", dec("46.75")),
             ("FRT", "Ocean freight and insurance to Yokohama", "", dec(1), "LOT", dec("4850.00"))]
    amounts = [cents(q * p) for _, _, _, q, _, p in items]
    total = sum(amounts, Decimal(0))
    d = Doc(path, LETTER)
    d.logo(40, 36, "circle", "PH", 40, 0.3)
    d.text(90, 52, seller, 13, True)
    d.text(90, 64, "8800 L Street, Omaha, NE 68127  -  Tel (402) 555-0190  -  exports@prairieharvest.com",
           7.5)
    d.center(306, 104, "COMMERCIAL INVOICE", 15, True)
    meta = (("Invoice No.:", number), ("Order Date:", "08/28/2025"), ("Invoice Date:", mdy(issued)),
            ("Customer PO:", "OTF-4471"), ("Terms of Sale:", "CIF Yokohama"), ("Payment:", "Net 45 days"))
    for i, (k, v) in enumerate(meta):
        d.text(390, 130 + i * 12, k, 8, True)
        d.text(470, 130 + i * 12, v, 8.5)
    d.text(40, 130, "Sold To:", 8, True)
    d.lines(40, 142, [buyer, "3-5-12 Nankohigashi, Suminoe-ku", "Osaka 559-0031, Japan"], 8.5, 11)
    d.text(220, 130, "Ship To:", 8, True)
    d.lines(220, 142, ["Tsubame Cold Logistics Center", "Daikoku Wharf, Tsurumi-ku", "Yokohama 230-0054"],
            8.5, 11)
    for i, (k, v) in enumerate((("Port of Export:", "Oakland, CA"), ("Port of Entry:", "Yokohama, Japan"),
                                ("Country of Origin:", "United States"), ("Mode:", "Ocean, 2 x 40' RF"))):
        d.text(40 + (i % 2) * 280, 215 + (i // 2) * 12, k, 8, True)
        d.text(130 + (i % 2) * 280, 215 + (i // 2) * 12, v, 8.5)
    cols: list[Col] = [(44, "l"), (90, "l"), (330, "l"), (410, "r"), (418, "l"), (500, "r"), (568, "r")]
    d.box(40, 250, 572, 266)
    row(d, cols, 261, ["Item", "Description", "HTS", "Qty", "UOM", "Unit Price", "Extended"], 8, True)
    y = 282
    printed: list[dict[str, Any]] = []
    for (code, desc, hts, qty, uom, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [code, desc, hts, en(qty, 0), uom, f"${en(price)}", f"${en(amount)}"], 8.5)
        printed.append(line_item(desc, qty, price, amount, hs=hts, unit=uom))
        y += 15
    d.box(40, 266, 572, y)
    d.text(390, y + 18, "Total Invoice Value (USD)", 9, True)
    d.right(568, y + 18, f"${en(total)}", 9, True)
    d.para(40, y + 60, 530, "These commodities, technology or software were exported from the United States "
           "in accordance with the Export Administration Regulations. Diversion contrary to U.S. law is "
           "prohibited.", 7.5)
    d.para(40, y + 90, 530, "I declare that all the information contained in this invoice is true and "
           "correct.", 8)
    d.text(40, y + 130, "Signature: ____________________   Name: Dana Whitfield, Export Manager", 8.5)
    d.save()
    return Truth("commercial_invoice", "hand-authored: US export commercial invoice, Letter, circle logo, "
                 "Sold To/Ship To, HTS column, month-first dates fixed by 'Order Date: 08/28/2025'",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "USD", "total_amount": f(total), "incoterms": "CIF",
                  "port_of_loading": "USOAK", "port_of_discharge": "JPYOK", "line_items": printed})


def inv_uk_vat(path: Path) -> Truth:
    """UK VAT invoice in Times, pounds sterling, '12 Sept 2025', registration line in the footer."""
    seller, buyer = "Ashdown & Pryce Textiles Ltd", "Hollins Upholstery Ltd"
    number, issued = "AP-0004471", date(2025, 9, 12)
    items: list[Item] = [("Herringbone wool weave, Slate, 140 cm", dec(85), dec("24.60")),
                         ("Linen union, Natural, 137 cm", dec(120), dec("14.25")),
                         ("Carriage, 2 rolls, next-day pallet", dec(1), dec("45.00"))]
    amounts = line_total(items)
    net = sum(amounts, Decimal(0))
    vat = cents(net / 5)
    total = net + vat
    d = Doc(path, A4, "Times")
    d.logo(40, 40, "hexagon", "A&P", 44, 0.45)
    d.text(94, 58, seller, 16, True)
    d.text(94, 72, "Weavers since 1923", 9, italic=True)
    d.lines(400, 48, ["Calder Mill, Mill Lane", "Hebden Bridge HX7 8AD", "01422 845 230",
                      "sales@ashdownpryce.co.uk"], 8.5, 11)
    d.text(40, 130, "INVOICE", 18, True)
    d.text(40, 160, "Invoice to:", 9, italic=True)
    d.lines(40, 173, [buyer, "Unit 3, Canal Side Works", "Burnley BB11 1JP"], 10, 12)
    for i, (k, v) in enumerate((("Invoice No:", number), ("Date / Tax point:", sept(issued)),
                                ("Account:", "HOL01"), ("Your order:", "PO 88217"))):
        d.text(360, 160 + i * 13, k, 10)
        d.text(460, 160 + i * 13, v, 10, True)
    cols: list[Col] = [(40, "l"), (330, "r"), (400, "r"), (470, "r"), (555, "r")]
    d.rule(40, 555, 236, 0.8)
    row(d, cols, 249, ["Description", "Metres", "Price/m", "VAT rate", "Net £"], 10, True)
    d.rule(40, 555, 255, 0.8)
    y = 272
    printed: list[dict[str, Any]] = []
    for (desc, qty, price), amount in zip(items, amounts, strict=True):
        row(d, cols, y, [desc, en(qty, 0), f"£{en(price)}", "20%", en(amount)], 10)
        printed.append(line_item(desc, qty, price, amount))
        y += 16
    y += 10
    for label, value, bold in (("Net", net, False), ("VAT @ 20%", vat, False), ("Total", total, True)):
        d.text(380, y, label, 10.5, bold)
        d.right(555, y, f"£{en(value)}", 10.5, bold)
        y += 15
    d.box(375, y - 4, 555, y + 16)
    d.text(380, y + 10, "Amount due", 11, True)
    d.right(550, y + 10, f"£{en(total)}", 11, True)
    d.para(40, y + 50, 515, "Payment within 30 days of the invoice date, please, to Ashdown & Pryce Textiles "
           "Ltd, sort code 40-12-76, account 31824471. Goods remain our property until paid for in full.", 9)
    d.rule(40, 555, 790, 0.3)
    d.center(297, 802, "Registered in England and Wales No. 04417823. Registered office: Calder Mill, Mill "
             "Lane, Hebden Bridge HX7 8AD. VAT Reg No. GB 273 4418 51", 7)
    d.save()
    return Truth("commercial_invoice", "hand-authored: UK VAT invoice, A4, Times, hexagon logo, 'Date / "
                 "Tax point: 12 Sept 2025', £ amounts, Amount due box, company registration footer",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "GBP", "total_amount": f(total), "line_items": printed})


def inv_japan_yen(path: Path) -> Truth:
    """Japanese exporter's English invoice: 'Messrs.', ruled grid, marks column, yen without decimals."""
    seller, buyer = "HOKURIKU SEIKI CO., LTD.", "PACIFIC RIM TOOLING CORP."
    number, issued = "HS-E2509-028", date(2025, 9, 12)
    goods, qty, price = "HYDRAULIC POWER CHUCK, 10 INCH", dec(120), dec(36300)
    hs, unit = "8466.20", "PCS"
    cell = [goods, "MODEL HP-10A, THROUGH-HOLE 81 MM", f"HS CODE {hs}"]
    vessel = "PACIFIC BEACON"
    total = qty * price
    d = Doc(path, A4)
    d.logo(40, 34, "circle", "HS", 36, 0.15)
    d.text(84, 50, seller, 14, True)
    d.text(84, 63, "2-14 Kanaiwa-minami, Kanazawa, Ishikawa 920-0335, Japan  TEL +81-76-267-3301", 7.5)
    d.center(297, 100, "I N V O I C E", 16, True)
    grid = [((40, 115, 300, 175), "Messrs.", [buyer, "2150 E. Artesia Blvd", "Long Beach, CA 90805, U.S.A."]),
            ((300, 115, 555, 145), "Invoice No. and Date", [f"{number}     {us_abbr(issued)}"]),
            ((300, 145, 555, 175), "Terms of Delivery and Payment",
             ["FOB NAGOYA / T/T 30 DAYS AFTER B/L DATE"]),
            ((40, 175, 170, 205), "Shipped per", [vessel]),
            ((170, 175, 300, 205), "Sailing on or about", ["Sep 20, 2025"]),
            ((300, 175, 428, 205), "From", ["NAGOYA, JAPAN"]),
            ((428, 175, 555, 205), "To", ["LONG BEACH, CA, U.S.A."])]
    for (x0, y0, x1, y1), cap, body in grid:
        d.captioned(x0, y0, x1, y1, cap, body, 8.5)
    cols: list[Col] = [(45, "l"), (160, "l"), (400, "r"), (470, "r"), (550, "r")]
    d.box(40, 205, 555, 222)
    row(d, cols, 217, ["Marks & Nos.", "Description of Goods", "Quantity", "Unit Price", "Amount"], 8, True)
    d.box(40, 222, 555, 330)
    for x in (150, 340, 410, 480):
        d.vline(x, 205, 330)
    d.lines(45, 240, ["PRTC", "LONG BEACH", "C/NO. 1-12", "MADE IN JAPAN"], 8, 10)
    d.lines(160, 240, cell, 8.5, 11)
    row(d, cols, 240, ["", "", f"{en(qty, 0)} {unit}", f"¥{en(price, 0)}", f"¥{en(total, 0)}"], 8.5)
    d.box(40, 330, 555, 348)
    d.text(160, 343, "TOTAL  FOB NAGOYA", 8.5, True)
    d.right(400, 343, f"{en(qty, 0)} PCS", 8.5, True)
    d.right(550, 343, f"¥{en(total, 0)}", 8.5, True)
    d.text(40, 372, "SAY TOTAL JAPANESE YEN FOUR MILLION THREE HUNDRED FIFTY-SIX THOUSAND ONLY.", 8.5)
    d.text(40, 390, "Packing: 12 wooden cases, 10 pcs each. Country of origin: Japan.", 8.5)
    d.text(360, 460, seller, 9, True)
    d.rule(360, 540, 500, 0.5)
    d.text(360, 512, "Manager, Overseas Sales Dept.", 8)
    d.save()
    return Truth("commercial_invoice", "hand-authored: Japanese exporter's English invoice, A4, 'Messrs.' "
                 "and boxed grid, marks column, 'Shipped per' vessel, FOB Nagoya, ¥ without decimals",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "JPY", "total_amount": f(total), "incoterms": "FOB",
                  "port_of_loading": "JPNGO", "port_of_discharge": "USLGB", "vessel_name": vessel,
                  "goods_description": goods, "hs_code": "846620", "quantity": f(qty), "unit": "PCS",
                  "unit_price": f(price),
                  "line_items": [line_item(cell, qty, price, total, hs=hs, unit=unit)]})


_SPARE_PARTS = (
    "Oil filter element", "Air filter, primary", "Fuel water separator", "V-belt A-48", "Wheel bearing kit",
    "Brake pad set, front", "Clutch plate 350 mm", "Water pump assembly", "Radiator hose, upper",
    "Alternator 24V 70A", "Starter relay", "Headlamp unit, LH", "Tail lamp lens", "Wiper blade 600 mm",
    "Shock absorber, rear", "Tie rod end", "Ball joint, lower", "Engine mounting", "Gasket set, head",
    "Piston ring set", "Injector nozzle", "Glow plug", "Thermostat 82C", "Fan clutch", "Timing belt kit",
    "Hydraulic hose 1/2in x 2m", "Grease nipple assortment", "Spring leaf, main", "U-bolt M20", "Hub seal",
)


def inv_two_page_dubai(path: Path) -> Truth:
    """Spare-parts export invoice: 44 lines spill onto page 2, where the CIF total is printed."""
    seller, buyer = "Gulf Crescent General Trading LLC", "Kampala Hardware Wholesalers Ltd"
    number, issued = "GCT/EXP/2025/0388", date(2025, 9, 12)
    rng = random.Random(388)
    lines_ = []
    for i in range(44):
        desc = _SPARE_PARTS[i % len(_SPARE_PARTS)]
        if i >= len(_SPARE_PARTS):
            desc += ", heavy duty"
        qty = dec(rng.choice((10, 12, 20, 24, 25, 40, 50, 60, 100, 120, 200)))
        price = cents(dec(rng.randint(180, 9500)) / 100)
        lines_.append((f"GC-{4100 + rng.randint(0, 899):04d}", desc, qty, price))
    amounts = [cents(q * p) for _, _, q, p in lines_]
    goods = sum(amounts, Decimal(0))
    freight = dec("3850.00")
    total = goods + freight
    d = Doc(path, A4)
    cols: list[Col] = [(48, "r"), (58, "l"), (120, "l"), (370, "r"), (380, "l"), (470, "r"), (552, "r")]
    heads = ["S.No", "Part No.", "Description", "Qty", "Unit", "Unit Price USD", "Amount USD"]

    def header(page: int) -> float:
        d.logo(40, 30, "circle", "GC", 34, 0.5)
        d.text(82, 46, seller, 12, True)
        d.text(82, 58, "Al Maktoum Road, Deira, P.O. Box 40218, Dubai, U.A.E.  -  TRN 100384572900003", 7.5)
        d.right(555, 46, "COMMERCIAL INVOICE", 12, True)
        d.right(555, 58, f"Page {page} of 2", 7.5)
        d.rule(40, 555, 70, 0.8)
        return 80

    y = header(1) + 16
    for i, (k, v) in enumerate((("Invoice No.", number), ("Date", iso(issued)),
                                ("Buyer's Order", "KHW-PO-2291"),
                                ("Terms", "CIF Mombasa, Incoterms 2020"))):
        d.text(330, y + i * 12, k, 8, True)
        d.text(420, y + i * 12, v, 8.5)
    d.text(40, y, "Buyer:", 8, True)
    d.lines(40, y + 12, [buyer, "Plot 41, Nakivubo Road, P.O. Box 7730", "Kampala, Uganda"], 8.5, 11)
    y += 64
    for i, (k, v) in enumerate((("Port of Loading", "Jebel Ali, U.A.E."),
                                ("Port of Discharge", "Mombasa, Kenya"),
                                ("Final Destination", "Kampala, Uganda (in transit)"),
                                ("Country of Origin", "As marked on each part"))):
        d.text(40 + (i % 2) * 290, y + (i // 2) * 12, k, 8, True)
        d.text(130 + (i % 2) * 290, y + (i // 2) * 12, v, 8.5)
    y += 36
    d.shade(40, y - 10, 555, y + 4, 0.85)
    row(d, cols, y, heads, 7.5, True)
    y += 16
    printed: list[dict[str, Any]] = []
    page1 = len(lines_)
    for n, ((code, desc, qty, price), amount) in enumerate(zip(lines_, amounts, strict=True), 1):
        if n == 30:
            page1 = len(printed)
            d.text(40, y + 8, "Continued on page 2", 8, italic=True)
            d.new_page()
            y = header(2) + 8
            d.text(40, y, f"Invoice {number} (continued)", 8.5, True)
            y += 18
            d.shade(40, y - 10, 555, y + 4, 0.85)
            row(d, cols, y, heads, 7.5, True)
            y += 16
        row(d, cols, y, [str(n), code, desc, en(qty, 0), "PCS", en(price), en(amount)], 8)
        printed.append(line_item(desc, qty, price, amount, unit="PCS"))
        y += 13.5
    d.rule(40, 555, y - 6, 0.5)
    y += 8
    for label, value, bold in (("Total FOB Jebel Ali", goods, False), ("Freight & insurance", freight, False),
                               ("TOTAL CIF MOMBASA USD", total, True)):
        d.text(330, y, label, 9, bold)
        d.right(552, y, en(value), 9, bold)
        y += 14
    d.para(40, y + 20, 515,
           "We certify that this invoice shows the actual price of the goods described, that "
           "all particulars are true and correct, and that payment is due by T/T within 60 days of B/L date.",
           8)
    d.text(40, y + 70, f"For {seller}", 8.5, True)
    d.save()
    return Truth("commercial_invoice", "hand-authored: two-page spare-parts export invoice, A4, 44 numbered "
                 "lines spilling onto page 2 with the total there, ISO invoice date, CIF Mombasa",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "USD", "total_amount": f(total), "incoterms": "CIF",
                  "port_of_loading": "AEJEA", "port_of_discharge": "KEMBA", "line_items": printed},
                 after_page1=("total_amount",), page1_items=page1)


def inv_form_grid(path: Path) -> Truth:
    """US printed-form export invoice (Letter): numbered ruled boxes, one lumber line in CBM."""
    seller, buyer = "Bayou Timber Products LLC", "Maderas del Caribe S.A."
    number, issued = "BTP-7734", date(2025, 9, 12)
    goods, qty, price = "SOUTHERN YELLOW PINE LUMBER, KILN DRIED", dec("186.500"), dec("412.00")
    hs, unit = "4407.11", "CBM"
    cell = [goods, "2x6 #2 PRIME, 8' - 16' LENGTHS", f"HS CODE {hs}", "FSC MIX CREDIT"]
    vessel, bl = "CARIBBEAN TRADER", "SMLMOB2509117"
    total = cents(qty * price)
    d = Doc(path, LETTER)
    d.text(40, 44, "COMMERCIAL INVOICE", 16, True)
    d.right(572, 44, "ORIGINAL", 10, True)
    boxes = [((40, 56, 306, 126), "1. SHIPPER / EXPORTER", [seller, "4100 Halls Mill Road",
                                                             "Mobile, AL 36693, USA", "EIN 72-1558420"]),
             ((306, 56, 572, 91), "2. INVOICE NUMBER", [number]),
             ((306, 91, 572, 126), "3. INVOICE DATE", [us_long(issued)]),
             ((40, 126, 306, 196), "4. CONSIGNEE", [buyer, "Av. Luperón esq. Gustavo Mejía Ricart",
                                                    "Santo Domingo, República Dominicana"]),
             ((306, 126, 572, 161), "5. BILL OF LADING NO.", [bl]),
             ((306, 161, 572, 196), "6. VESSEL", [vessel]),
             ((40, 196, 217, 231), "7. PORT OF LOADING", ["MOBILE, AL"]),
             ((217, 196, 394, 231), "8. PORT OF DISCHARGE", ["RIO HAINA, DOMINICAN REP."]),
             ((394, 196, 572, 231), "9. TERMS OF SALE", ["CFR RIO HAINA"]),
             ((40, 231, 217, 266), "10. CURRENCY", ["USD"]),
             ((217, 231, 394, 266), "11. COUNTRY OF ORIGIN", ["UNITED STATES"]),
             ((394, 231, 572, 266), "12. PAYMENT TERMS", ["CASH AGAINST DOCUMENTS"])]
    for (x0, y0, x1, y1), cap, body in boxes:
        d.captioned(x0, y0, x1, y1, cap, body, 9)
    cols: list[Col] = [(44, "l"), (109, "l"), (184, "l"), (458, "r"), (511, "r"), (568, "r")]
    d.box(40, 266, 572, 284)
    row(d, cols, 278, ["MARKS & NOS.", "NO./KIND PKGS", "DESCRIPTION OF GOODS", "QUANTITY", "UNIT PRICE",
                       "TOTAL"], 7, True)
    d.box(40, 284, 572, 420)
    for x in (105, 180, 405, 462, 515):
        d.vline(x, 266, 420)
    d.lines(44, 300, ["MDC", "RIO HAINA", "BDL 1-62"], 8, 10)
    d.text(109, 300, "62 BUNDLES", 8)
    d.lines(184, 300, cell, 8, 10.5)
    row(d, cols, 300, ["", "", "", f"{en(qty, 3)} {unit}", f"${en(price)}", f"${en(total)}"], 8)
    d.box(40, 420, 572, 440)
    d.text(184, 434, "TOTAL CFR RIO HAINA", 8.5, True)
    d.right(568, 434, f"${en(total)}", 9, True)
    d.para(40, 470, 532,
           "I hereby certify that this invoice is true and correct, that the goods are of United "
           "States origin, and that the prices shown are the actual prices charged.", 8.5)
    d.text(40, 530, "13. SIGNATURE OF SHIPPER / EXPORTER", 7)
    d.rule(40, 300, 560, 0.5)
    d.text(40, 572, "R. Thibodeaux, Export Sales", 8.5)
    d.save()
    return Truth("commercial_invoice", "hand-authored: US printed-form export invoice, Letter, 12 numbered "
                 "ruled boxes, ruled goods grid with marks column, CFR Rio Haina, quantity in CBM",
                 {"invoice_number": number, "invoice_date": iso(issued), "seller_name": seller,
                  "buyer_name": buyer, "currency": "USD", "total_amount": f(total), "incoterms": "CFR",
                  "port_of_loading": "USMOB", "port_of_discharge": "DOHAI", "vessel_name": vessel,
                  "bl_number": bl, "goods_description": goods, "hs_code": "440711", "quantity": f(qty),
                  "unit": "CBM", "unit_price": f(price),
                  "line_items": [line_item(cell, qty, price, total, hs=hs, unit=unit)]})


# ----------------------------------------------------------------------------------------------
# Bills of lading and sea waybills
# ----------------------------------------------------------------------------------------------


def bl_stamp_hamburg(path: Path) -> Truth:
    """Carrier B/L, ruled grid, 'Ocean Vessel Voy. No.' = 'GLOBAL VOYAGER V-202', on-board stamp."""
    carrier, bl = "NORDSEE CONTAINER LINIE GmbH", "NCLHAM2209314"
    shipper, consignee = "Elbtal Papierfabrik GmbH", "Papeles del Plata S.A."
    notify = "Despachante Ruiz & Asociados S.R.L."
    vessel, voyage = "GLOBAL VOYAGER", "V-202"
    boxes = [container("NCLU", "410227"), container("NCLU", "418853"), container("TGHU", "602194")]
    on_board, issued = date(2022, 9, 30), date(2022, 10, 1)
    pkgs, gross = 60, dec("58420.000")
    goods = "KRAFTLINER BOARD IN REELS"
    d = Doc(path, A4)
    d.logo(320, 30, "circle", "NCL", 38, 0.25)
    d.text(364, 46, carrier, 11, True)
    d.text(364, 58, "Am Sandtorkai 48 · 20457 Hamburg · Germany", 7.5)
    d.text(320, 90, "BILL OF LADING", 16, True)
    d.text(320, 101, "for Port-to-Port or Combined Transport (not negotiable unless consigned to order)", 6)
    d.captioned(40, 30, 310, 100, "Shipper", [shipper, "Am Hafen 9", "16303 Schwedt/Oder, Germany"], 8.5)
    d.captioned(40, 100, 310, 170, "Consignee", [consignee, "Av. Paseo Colón 1250",
                                                 "C1063ACT Buenos Aires, Argentina"], 8.5)
    d.captioned(40, 170, 310, 240, "Notify Address", [notify, "Av. Ing. Huergo 953, Buenos Aires"], 8.5)
    d.captioned(310, 110, 440, 140, "B/L No.", [bl], 9)
    d.captioned(440, 110, 555, 140, "Export References", ["EPF-7781"], 8.5)
    d.captioned(310, 140, 555, 170, "Forwarding Agent", ["Spedition Alsterkai GmbH, Hamburg"], 8.5)
    d.captioned(310, 170, 555, 205, "Place of Receipt", ["SCHWEDT/ODER RAIL TERMINAL"], 8.5)
    d.captioned(310, 205, 555, 240, "Place of Delivery", ["BUENOS AIRES CY"], 8.5)
    d.captioned(40, 240, 200, 270, "Ocean Vessel Voy. No.", [f"{vessel} {voyage}"], 8.5)
    d.captioned(200, 240, 310, 270, "Port of Loading", ["HAMBURG"], 8.5)
    d.captioned(310, 240, 440, 270, "Port of Discharge", ["BUENOS AIRES"], 8.5)
    d.captioned(440, 240, 555, 270, "Freight payable at", ["HAMBURG"], 8.5)
    d.box(40, 270, 555, 286)
    cols: list[Col] = [(44, "l"), (160, "l"), (240, "l"), (495, "r"), (551, "r")]
    row(d, cols, 281, ["Marks and Numbers", "No. and kind of pkgs", "Description of Goods",
                       "Gross Weight", "Measurement"], 7, True)
    d.box(40, 286, 555, 470)
    for x in (155, 235, 420, 500):
        d.vline(x, 270, 452)
    d.rule(40, 555, 452, 0.4)
    d.lines(44, 302, ["PDP", "BUENOS AIRES", "REELS 1-60", ""] + [f"{spaced(c)} / 40'HC" for c in boxes], 8,
            11)
    d.text(160, 302, f"{pkgs} REELS", 8)
    d.lines(240, 302, [goods, "175 G/M2, WIDTH 2,400 MM", "HS CODE 4804.11", "",
                       "SHIPPER'S LOAD, STOW AND COUNT", "FREIGHT PREPAID"], 8, 11)
    d.right(495, 302, f"{en(gross, 3)} KGS", 8)
    d.right(551, 302, "142.300 CBM", 8)
    d.text(44, 462, "Above particulars as declared by Shipper, but without responsibility of or "
           "representation by Carrier", 6.5)
    d.captioned(40, 470, 200, 505, "Number of original B(s)/L", ["3/THREE"], 8.5)
    d.captioned(200, 470, 555, 505, "Place and date of issue", [f"HAMBURG {dmy(issued, '.')}"], 8.5)
    d.para(40, 520, 300, "RECEIVED by the Carrier the goods as specified above in apparent good order and "
           "condition unless otherwise stated, to be transported to such place as agreed, authorised or "
           "permitted herein and subject to all the terms and conditions appearing on the front and "
           "reverse of this Bill of Lading.", 6.5)
    d.text(360, 560, f"Signed for the Carrier {carrier}", 7)
    d.rule(360, 555, 600, 0.4)
    d.text(360, 610, "as Agent(s) only", 7)
    d.stamp(190, 640, ["SHIPPED ON BOARD", stamp_date(on_board)], 9, 13, 0.35)
    d.save()
    return Truth("bill_of_lading", "hand-authored: carrier B/L, A4, ruled grid with short captions, circle "
                 "logo, 'Ocean Vessel Voy. No.' in one box, rotated 'SHIPPED ON BOARD 30. SEP. 2022' stamp",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "DEHAM", "port_of_discharge": "ARBUE",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "480411"})


def waybill_savannah(path: Path) -> Truth:
    """US carrier's non-negotiable sea waybill (Letter): no ruled boxes, two columns, weight in MT."""
    carrier, bl = "Gulfstream Atlantic Lines Inc.", "GASAV25094512"
    shipper, consignee = "Altamaha Pulp & Paper Company", "Scheldt Fibre Trading NV"
    notify = "Antwerp Paper Logistics BV"
    vessel, voyage, imo_no = "ATLANTIC PELICAN", "245E", imo("961305")
    boxes = [container("GALU", "552310"), container("GALU", "553118")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross_mt = 480, dec("49.872")
    goods = "BLEACHED SOFTWOOD KRAFT PULP"
    d = Doc(path, LETTER)
    d.logo(40, 34, "triangle", "GA", 40, 0.3)
    d.text(88, 50, carrier, 14, True)
    d.text(88, 63, "One Bay Street, Savannah, GA 31401  -  www.gulfstreamatlantic.com", 7.5)
    d.right(572, 50, "NON-NEGOTIABLE SEA WAYBILL", 12, True)
    d.right(572, 64, "Not a document of title - delivery to the named consignee", 7)
    d.rule(40, 572, 80, 1.2)
    y = 100
    for cap, body in (("SHIPPER", [shipper, "1100 Paper Mill Road", "Jesup, GA 31545, USA"]),
                      ("CONSIGNEE", [consignee, "Noorderlaan 147", "2030 Antwerpen, Belgium"]),
                      ("NOTIFY PARTY", [notify, "Haven 420, Kaai 1333", "2040 Antwerpen, Belgium"])):
        d.text(40, y, cap, 7, True)
        d.lines(40, y + 12, body, 9, 11)
        y += 60
    meta = (("Waybill No.", bl), ("Booking Ref.", "SAV0913377"), ("Export Ref.", "APP-EX-25-0412"),
            ("Vessel / Voyage", f"{vessel} / {voyage}"), ("IMO No.", imo_no),
            ("Port of Loading", "SAVANNAH, GA"), ("Port of Discharge", "ANTWERP, BELGIUM"),
            ("Place of Delivery", "ANTWERP CY"), ("Freight", "PREPAID"))
    for i, (k, v) in enumerate(meta):
        d.text(330, 100 + i * 16, k, 7.5, True)
        d.text(420, 100 + i * 16, v, 9, k == "Waybill No.")
    d.rule(40, 572, 290, 0.8)
    cols: list[Col] = [(40, "l"), (175, "l"), (250, "l"), (478, "r"), (572, "r")]
    row(d, cols, 302, ["Container / Seal / Marks", "Packages", "Description of Goods",
                       "Gross Weight (MT)", "Measurement (CBM)"], 7.5, True)
    d.rule(40, 572, 307, 0.4)
    d.lines(40, 322, [f"{c}  SEAL {s}" for c, s in zip(boxes, ("GA118204", "GA118205"), strict=True)]
            + ["", "APPT / ANTWERP", "LOT 25-0917"], 8.5, 12)
    d.text(175, 322, f"{pkgs} BALES", 8.5)
    d.lines(250, 322, [goods, "IN BALES OF ABOUT 250 KG", "HS 4703.21", "SHIPPER'S LOAD AND COUNT"], 8.5, 12)
    d.right(478, 322, en(gross_mt, 3), 8.5)
    d.right(572, 322, "118.400", 8.5)
    d.rule(40, 572, 410, 0.4)
    d.text(40, 430, f"Laden on board the vessel: {iso(on_board)}", 9, True)
    d.text(330, 430, f"Place and date of issue: SAVANNAH, GA  {iso(issued)}", 9)
    d.para(40, 460, 532, "RECEIVED by the Carrier from the Shipper in apparent good order and condition, "
           "unless otherwise noted, the total number of containers or other packages said to contain the "
           "cargo herein mentioned, for carriage subject to the terms of the Carrier's standard waybill "
           "conditions and tariff. Delivery will be made to the Consignee or its authorised agent on "
           "production of proof of identity, without surrender of this Waybill.", 7.5)
    d.text(330, 560, f"For {carrier}, as Carrier", 8)
    d.rule(330, 560, 600, 0.4)
    d.save()
    return Truth("bill_of_lading", "hand-authored: US carrier sea waybill, Letter, no boxes, parties left "
                 "and caption/value list right, 'Vessel / Voyage' joined by a slash, gross weight in MT",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "imo_number": imo_no, "voyage_number": voyage, "port_of_loading": "USSAV",
                  "port_of_discharge": "BEANR", "shipped_on_board_date": iso(on_board),
                  "issue_date": iso(issued), "container_numbers": boxes, "number_of_packages": pkgs,
                  "gross_weight_kg": f(gross_mt * 1000), "goods_description": goods, "hs_code": "470321"})


def hbl_job_no(path: Path) -> Truth:
    """Forwarder's house B/L: the only reference is 'Job No.', separate vessel and voyage boxes."""
    carrier, bl = "SAIGON LOTUS LOGISTICS JSC", "SLL-EXP-2509-0412"
    shipper, consignee = "MEKONG DELTA CASHEW PROCESSING CO., LTD", "HANSEATIC NUT IMPORTERS GMBH"
    notify = "NORDKAI ZOLLAGENTUR GMBH"
    vessel, voyage = "LOTUS BRIDGE", "031S"
    boxes = [container("SLLU", "204062"), container("BMOU", "662130")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 1400, dec("32200.00")
    goods = "VIETNAMESE CASHEW KERNELS WW320"
    d = Doc(path, A4)
    d.box(30, 30, 565, 800, 1)
    d.captioned(30, 30, 300, 100, "SHIPPER / EXPORTER", [shipper, "Lot B2, Tra Noc 1 Industrial Zone",
                                                          "Binh Thuy District, Can Tho, Vietnam"], 8.5)
    d.logo(310, 38, "diamond", "SLL", 44, 0.3)
    d.text(362, 56, carrier, 10.5, True)
    d.text(362, 68, "Licensed NVOCC / Multimodal Transport Operator", 7)
    d.text(362, 88, "HOUSE BILL OF LADING", 12, True)
    d.captioned(30, 100, 300, 170, "CONSIGNEE", [consignee, "Sandtorkai 37", "20457 Hamburg, Germany"], 8.5)
    d.captioned(300, 100, 565, 135, "JOB NO.", [bl], 10)
    d.captioned(300, 135, 565, 170, "EXPORT REFERENCES", ["Invoice MDC-25-338 / Contract HNI-2025-17"], 8.5)
    d.captioned(30, 170, 300, 240, "NOTIFY PARTY", [notify, "Kehrwieder 2, 20457 Hamburg"], 8.5)
    d.captioned(300, 170, 565, 240, "FOR DELIVERY OF GOODS PLEASE APPLY TO",
                ["ELBE CARGO AGENCY GMBH", "Brooktorkai 1, 20457 Hamburg", "Tel +49 40 3197 2200"], 8.5)
    d.captioned(30, 240, 165, 270, "PLACE OF RECEIPT", ["CAN THO"], 8.5)
    d.captioned(165, 240, 300, 270, "PORT OF LOADING", ["HO CHI MINH CITY, VIETNAM"], 7.5)
    d.captioned(300, 240, 432, 270, "OCEAN VESSEL", [vessel], 8.5)
    d.captioned(432, 240, 565, 270, "VOY. NO.", [voyage], 8.5)
    d.captioned(30, 270, 165, 300, "PORT OF DISCHARGE", ["HAMBURG, GERMANY"], 8.5)
    d.captioned(165, 270, 300, 300, "PLACE OF DELIVERY", ["HAMBURG CFS"], 8.5)
    d.captioned(300, 270, 565, 300, "FINAL DESTINATION (MERCHANT'S REFERENCE)", ["HAMBURG"], 8.5)
    cols: list[Col] = [(34, "l"), (160, "l"), (250, "l"), (480, "r"), (560, "r")]
    d.box(30, 300, 565, 318)
    row(d, cols, 312, ["MARKS & NOS / CONTAINER NOS", "NO. OF PKGS", "DESCRIPTION OF PACKAGES AND GOODS",
                       "GROSS WEIGHT", "MEASUREMENT"], 6.5, True)
    for x in (155, 245, 420, 490):
        d.vline(x, 300, 520)
    d.rule(30, 565, 520, 0.6)
    d.lines(34, 334, ["HNI", "HAMBURG", "WW320", "C/NO. 1-1400", "", "CONT/SEAL:"]
            + [f"{c}/VN{s}" for c, s in zip(boxes, ("2207418", "2207419"), strict=True)], 7.5, 10.5)
    d.text(160, 334, f"{en(pkgs, 0)} CARTONS", 8)
    d.lines(250, 334, [goods, "PACKED IN VACUUM TINS", "HS CODE: 0801.32", "N.W.: 31,752.00 KGS",
                       "", "2 X 20' DC CY/CFS", "FREIGHT PREPAID"], 8, 11)
    d.right(480, 334, f"{en(gross)} KGS", 8)
    d.right(560, 334, "46.800 CBM", 8)
    d.text(34, 540, "TOTAL NUMBER OF PACKAGES (IN WORDS): ONE THOUSAND FOUR HUNDRED (1,400) CARTONS ONLY", 8)
    d.text(34, 566, f"SHIPPED ON BOARD DATE: {dmy(on_board)}", 9, True)
    d.captioned(300, 580, 565, 610, "PLACE AND DATE OF ISSUE", [f"HO CHI MINH CITY {dmy(issued)}"], 8.5)
    d.captioned(300, 610, 565, 640, "NUMBER OF ORIGINAL B/L", ["THREE (3)"], 8.5)
    d.para(34, 600, 250, "Received in apparent good order and condition except as otherwise noted the total "
           "number of containers or other packages or units enumerated above for transportation from the "
           "place of receipt to the place of delivery subject to the terms hereof.", 6.5)
    d.text(300, 670, f"Issued by {carrier} as Carrier", 8)
    d.rule(300, 560, 720, 0.4)
    d.text(300, 732, "Authorized signature", 7)
    d.save()
    return Truth("bill_of_lading", "hand-authored: forwarder's house B/L, A4, framed grid, 'JOB NO.' as "
                 "the B/L reference, separate OCEAN VESSEL / VOY. NO. boxes, 'SHIPPED ON BOARD DATE:' line",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "VNSGN", "port_of_discharge": "DEHAM",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "080132"})


def bl_booking_genoa(path: Path) -> Truth:
    """Mediterranean carrier's B/L in Times: 'Booking No.' is the reference, stamp rotated the other way."""
    carrier, bl = "Linea Ligure Levante S.p.A.", "LLL4471902"
    shipper, consignee = "Ceramiche Val Secchia S.p.A.", "Galil Tiles & Stone Ltd"
    notify = "Carmel Customs Brokers Ltd"
    vessel, voyage = "MARE NOSTRUM EXPRESS", "V-318E"
    boxes = [container("LLLU", "301457"), container("LLLU", "301886"), container("CAIU", "227406")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 54, dec("66150")
    goods = "PORCELAIN STONEWARE FLOOR TILES"
    d = Doc(path, A4, "Times")
    d.center(297, 46, carrier.upper(), 15, True)
    d.center(297, 60, "Ponte Eritrea, Calata Inglese · 16126 Genova · Italia", 8.5, italic=True)
    d.center(297, 84, "BILL OF LADING", 13, True)
    d.rule(40, 555, 94, 0.8)
    d.text(40, 112, "Shipper", 8, italic=True)
    d.lines(40, 124, [shipper, "Via Radici in Piano 540", "41049 Sassuolo (MO), Italy"], 9.5, 12)
    d.text(40, 172, "Consignee", 8, italic=True)
    d.lines(40, 184, [consignee, "12 HaYotzrim Street", "Haifa Bay 2624412, Israel"], 9.5, 12)
    d.text(40, 232, "Notify Party", 8, italic=True)
    d.lines(40, 244, [notify, "Haifa Port, Gate 3"], 9.5, 12)
    for i, (k, v) in enumerate((("Booking No.", bl), ("Shipper's Ref.", "CVS/ORD/25/1183"),
                                ("Vessel and Voyage", f"{vessel} {voyage}"),
                                ("Port of Loading", "GENOA, ITALY"),
                                ("Port of Discharge", "HAIFA, ISRAEL"), ("Freight", "PREPAID AT GENOA"),
                                ("Originals", "THREE (3)"))):
        d.text(330, 112 + i * 22, k, 8, italic=True)
        d.text(330, 123 + i * 22, v, 10, k == "Booking No.")
    d.rule(40, 555, 285, 0.8)
    cols: list[Col] = [(40, "l"), (170, "l"), (245, "l"), (485, "r"), (555, "r")]
    row(d, cols, 298, ["Marks & Numbers, Container Nos.", "Packages", "Description of goods",
                       "Gross Weight", "Measurement"], 8.5, True)
    d.rule(40, 555, 303, 0.4)
    d.lines(40, 320, ["GALIL / HAIFA", "MADE IN ITALY", ""] + [c for c in boxes], 9, 12)
    d.text(170, 320, f"{pkgs} PALLETS", 9)
    d.lines(245, 320, [goods, "60X60 CM, RECTIFIED, 1,382.4 SQM", "H.S. 6907.21", "SAID TO CONTAIN",
                       "3 X 20' BOX"], 9, 12)
    d.right(485, 320, f"{en(gross, 0)} KGS", 9)
    d.right(555, 320, "58.2 CBM", 9)
    d.rule(40, 555, 430, 0.4)
    d.text(40, 446, f"Place and date of issue: GENOA, {abbr(issued, True)}", 9.5)
    d.para(40, 470, 515,
           "Shipped, as far as ascertained by reasonable means of checking, in apparent good order "
           "and condition unless otherwise stated herein, the goods described above, for carriage to the "
           "port "
           "of discharge or so near thereto as the vessel may safely get. In witness whereof the Carrier or "
           "its Agent has signed the number of Bills of Lading stated above, one of which being accomplished "
           "the others shall stand void.", 8.5)
    d.text(330, 560, f"for {carrier}, the Carrier", 9, italic=True)
    d.rule(330, 555, 600, 0.4)
    d.stamp(150, 590, ["SHIPPED ON BOARD", abbr(on_board, True)], -7, 11, 0.3)
    d.save()
    return Truth("bill_of_lading", "hand-authored: Mediterranean carrier B/L, A4, Times, centred carrier "
                 "name, italic captions without boxes, 'Booking No.' as the B/L number, stamp at -7 degrees",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "ITGOA", "port_of_discharge": "ILHFA",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "690721"})


def bl_bulk_charter(path: Path) -> Truth:
    """Charter-party bulk B/L (Times): 'Bill of Lading No.', no carrier or containers, weight in MT."""
    bl = "ROS-2509-07"
    shipper = "Pampas Oilseed Crushers S.A."
    consignee = "TO THE ORDER OF JAMUNA COMMERCIAL BANK LTD."
    notify = "Bengal Feed Mills Ltd"
    vessel, imo_no = "SOLENT PIONEER", imo("972304")
    on_board, issued = date(2025, 9, 29), date(2025, 9, 30)
    gross_mt = dec("52500.000")
    goods = "ARGENTINE SOYBEAN MEAL, HIPRO, IN BULK"
    d = Doc(path, A4, "Times")
    d.box(40, 40, 555, 800, 0.8)
    d.captioned(40, 40, 300, 120, "Shipper", [shipper, "Ruta Provincial 91 Km 2.5",
                                              "2200 San Lorenzo, Santa Fe",
                                              "Argentina"], 9)
    d.text(310, 58, "BILL OF LADING", 16, True)
    d.text(310, 72, "TO BE USED WITH CHARTER-PARTIES", 8)
    d.text(310, 98, "Bill of Lading No.", 8, italic=True)
    d.text(400, 98, bl, 11, True)
    d.text(310, 112, "Reference No. PO-SBM-25-014", 8)
    d.captioned(40, 120, 300, 190, "Consignee", [consignee, "Motijheel C/A, Dhaka, Bangladesh"], 9)
    d.captioned(40, 190, 300, 260, "Notify address", [notify, "Plot 14, Kalurghat I/A, Chattogram",
                                                      "Bangladesh"], 9)
    d.captioned(300, 120, 555, 190, "Vessel", [vessel, f"IMO No. {imo_no}", "Flag: Malta"], 9)
    d.captioned(300, 190, 555, 225, "Port of loading", ["ROSARIO, ARGENTINA"], 9)
    d.captioned(300, 225, 555, 260, "Port of discharge", ["CHITTAGONG, BANGLADESH"], 9)
    d.box(40, 260, 555, 276)
    d.text(46, 271, "Shipper's description of goods", 8, italic=True)
    d.right(549, 271, "Gross weight", 8, italic=True)
    d.lines(60, 300, [goods, "CROP 2025, PROTEIN MIN 46.5%, MOISTURE MAX 12.5%", "HS CODE 2304.00",
                      "", "CLEAN ON BOARD", "FREIGHT PAYABLE AS PER CHARTER-PARTY DATED 14 AUGUST 2025"],
            10, 14)
    d.right(549, 300, f"{en(gross_mt, 3)} METRIC TONS", 10, True)
    d.text(60, 420, "(of which on deck at Shipper's risk: NIL)", 8.5, italic=True)
    d.rule(40, 555, 440, 0.6)
    d.para(50, 458, 495, "SHIPPED at the Port of Loading in apparent good order and condition on board the "
           "Vessel for carriage to the Port of Discharge, or so near thereto as she may safely get, the "
           "goods "
           "specified above. Weight, measure, quality, quantity, condition, contents and value unknown. All "
           "terms and conditions, liberties and exceptions of the Charter-Party, dated as overleaf, "
           "including "
           "the Law and Arbitration Clause, are herewith incorporated.", 8.5)
    d.captioned(40, 560, 300, 595, "Freight advance / Time used for loading", ["As per Charter-Party"], 9)
    d.captioned(300, 560, 555, 595, "Place and date of issue", [f"ROSARIO, {dmy(issued)}"], 9)
    d.captioned(300, 595, 555, 630, "Number of original Bs/L", ["THREE (3)"], 9)
    d.text(310, 680, "Signed for and on behalf of the Master", 8.5, italic=True)
    d.text(310, 694, "Capt. Teodor Vasilescu", 8.5)
    d.rule(310, 545, 740, 0.4)
    d.text(310, 752, "as Agents: Agencia Maritima Paraná S.R.L.", 8)
    d.stamp(160, 690, ["SHIPPED ON BOARD", dmy(on_board), "ROSARIO"], 6, 11, 0.35)
    d.save()
    return Truth("bill_of_lading", "hand-authored: charter-party bulk B/L, A4, Times, framed grid, 'Bill of "
                 "Lading No.', vessel box with IMO, to-order consignee, weight in metric tons, "
                 "on-board stamp",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "vessel_name": vessel, "imo_number": imo_no,
                  "port_of_loading": "ARROS", "port_of_discharge": "BDCGP",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "gross_weight_kg": f(gross_mt * 1000), "goods_description": goods, "hs_code": "230400"})


def bl_houston_nvocc(path: Path) -> Truth:
    """NVOCC B/L on Letter: shaded captions, exporting carrier line, month-first 'Laden on Board'."""
    carrier, bl = "Lone Star Ocean Logistics, Inc.", "LSOL-HOU-25-07731"
    shipper, consignee = "Gulf Coast Polymers LLC", "Plásticos Paulista Ltda."
    notify = "Despachos Aduaneiros Santos Ltda."
    vessel, voyage, imo_no = "BRAZOS TRADER", "037S", imo("948816")
    boxes = [container("LSOU", "881204"), container("LSOU", "881337"), container("TRHU", "445019"),
             container("TRHU", "445771")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 3520, dec("88352.000")
    goods = "LINEAR LOW DENSITY POLYETHYLENE RESIN"

    d = Doc(path, LETTER)

    def cap(x0: float, y0: float, x1: float, y1: float, caption: str, body: Sequence[str]) -> None:
        d.shade(x0, y0, x1, y0 + 11, 0.85)
        d.box(x0, y0, x1, y1, 0.5)
        d.text(x0 + 3, y0 + 8, caption, 6.5, True)
        d.lines(x0 + 5, y0 + 22, body, 8.5, 10.5)

    cap(36, 36, 306, 106, "SHIPPER/EXPORTER", [shipper, "16800 Park Row, Suite 300", "Houston, TX 77084"])
    d.logo(316, 40, "square", "LS", 30, 0.3)
    d.text(352, 52, carrier, 11, True)
    d.text(352, 63, "FMC License No. 028114NF", 7)
    d.text(316, 88, "BILL OF LADING", 14, True)
    d.text(316, 99, "FOR OCEAN TRANSPORT OR MULTIMODAL TRANSPORT", 6.5)
    cap(36, 106, 306, 176, "CONSIGNEE", [consignee, "Rua Amador Bueno 474", "Santos - SP, 11013-152, Brazil"])
    cap(306, 106, 576, 141, "BILL OF LADING NO.", [bl])
    cap(306, 141, 576, 176, "EXPORT REFERENCES", ["GCP SO 77120 / ITN X20250926114873"])
    cap(36, 176, 306, 236, "NOTIFY PARTY", [notify, "Av. Conselheiro Rodrigues Alves 12, Santos - SP"])
    cap(306, 176, 576, 236, "FORWARDING AGENT", ["Lone Star Ocean Logistics, Inc.", "Houston, TX"])
    cap(36, 236, 216, 266, "EXPORTING CARRIER (VESSEL/VOYAGE)", [f"{vessel} / {voyage}"])
    cap(216, 236, 306, 266, "IMO NUMBER", [imo_no])
    cap(306, 236, 441, 266, "PORT OF LOADING", ["HOUSTON, TX"])
    cap(441, 236, 576, 266, "PORT OF DISCHARGE", ["SANTOS, BRAZIL"])
    cols: list[Col] = [(40, "l"), (165, "l"), (235, "l"), (505, "r"), (572, "r")]
    d.shade(36, 270, 576, 282, 0.85)
    row(d, cols, 279, ["MARKS AND NUMBERS", "NO. OF PKGS", "DESCRIPTION OF PACKAGES AND GOODS",
                       "GROSS WEIGHT", "MEASUREMENT"], 6.5, True)
    d.box(36, 270, 576, 480, 0.5)
    d.lines(40, 298, [dashed(c) for c in boxes] + ["", "GCP/SANTOS", "LOT 7731"], 8.5, 11)
    d.text(165, 298, f"{en(pkgs, 0)} BAGS", 8.5)
    d.lines(235, 298, [goods, "LLDPE FILM GRADE, 25 KG BAGS ON PALLETS", "HS CODE 3901.40",
                       "4 X 40' HIGH CUBE CONTAINERS", "SHIPPER'S LOAD, STOW, WEIGHT AND COUNT",
                       "FREIGHT COLLECT"], 8, 11)
    d.right(505, 298, f"{en(gross, 3)} KGS", 8.5)
    d.right(572, 298, "270.400 CBM", 8.5)
    d.text(40, 500, f"Laden on Board: {mdy(on_board)}", 9, True)
    d.text(306, 500, f"Date of Issue: {mdy(issued)}     Place: HOUSTON, TX", 9)
    d.para(40, 522, 532, "RECEIVED by the Carrier, in apparent good order and condition unless otherwise "
           "indicated, the goods or packages said to contain goods described above, to be carried subject "
           "to all the terms and conditions on the face and back hereof, by the vessel named above or "
           "substitute, from the port of loading to the port of discharge.", 7.5)
    d.text(306, 590, f"{carrier} as Carrier", 8.5, True)
    d.rule(306, 572, 630, 0.4)
    d.text(306, 642, "By: ______________________  Authorized Agent", 8)
    d.save()
    return Truth("bill_of_lading", "hand-authored: US NVOCC B/L, Letter, shaded caption bars, 'BILL OF "
                 "LADING NO.', 'EXPORTING CARRIER (VESSEL/VOYAGE)', month-first 'Laden on Board: 09/30/2025'",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "imo_number": imo_no, "voyage_number": voyage, "port_of_loading": "USHOU",
                  "port_of_discharge": "BRSSZ", "shipped_on_board_date": iso(on_board),
                  "issue_date": iso(issued), "container_numbers": boxes, "number_of_packages": pkgs,
                  "gross_weight_kg": f(gross), "goods_description": goods, "hs_code": "390140"})


def waybill_reefer(path: Path) -> Truth:
    """Reefer line's sea waybill: mountain logo, 'Waybill No.', reefer settings, 'Laden on board' line."""
    carrier, bl = "Cordillera Reefer Line S.A.", "CRL25SAI11873"
    shipper, consignee = "Frutas del Valle de Copiapó S.A.", "Greenleaf Fresh Imports Ltd"
    notify = "Thames Gateway Cold Stores Ltd"
    vessel, voyage = "ANDES REEFER", "538N"
    boxes = [container("CRLU", "771205"), container("CRLU", "772981")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 4320, dec("38880.0")
    goods = "FRESH TABLE GRAPES, RED GLOBE"
    d = Doc(path, A4)
    d.logo(40, 30, "triangle", "CR", 44, 0.35)
    d.text(92, 50, carrier.upper(), 14, True)
    d.text(92, 62, "Av. Apoquindo 3721, Las Condes, Santiago, Chile", 7.5)
    d.right(555, 50, "SEA WAYBILL", 16, True)
    d.right(555, 64, f"Waybill No.  {bl}", 10, True)
    d.rule(40, 555, 82, 2)
    parties = (("Shipper", [shipper, "Panamericana Norte Km 812", "Copiapó, Chile"]),
               ("Consignee", [consignee, "Unit 9, Marshgate Trading Estate", "Tilbury RM18 7HS, UK"]),
               ("Notify", [notify, "London Gateway Logistics Park", "Stanford-le-Hope SS17 9DY, UK"]))
    for i, (cap, body) in enumerate(parties):
        x = 40 + i * 175
        d.text(x, 100, cap, 8, True)
        d.lines(x, 113, body, 8.5, 11)
    d.rule(40, 555, 150, 0.5)
    grid = (("Vessel", vessel), ("Voyage No.", voyage), ("Port of Loading", "SAN ANTONIO, CHILE"),
            ("Port of Discharge", "LONDON GATEWAY, UK"), ("Place of Delivery", "TILBURY"),
            ("Temperature set", "-0.5 °C, vents 15 CBM/H"))
    for i, (k, v) in enumerate(grid):
        x, y = 40 + (i % 3) * 175, 166 + (i // 3) * 28
        d.text(x, y, k, 7.5)
        d.text(x, y + 12, v, 9, True)
    d.rule(40, 555, 222, 0.5)
    cols: list[Col] = [(40, "l"), (175, "l"), (260, "l"), (480, "r"), (555, "r")]
    row(d, cols, 238, ["Marks and nos. / Containers", "Packages", "Description of goods",
                       "Gross weight kg", "Volume"], 8, True)
    d.rule(40, 555, 243, 0.3)
    d.lines(40, 260, ["GREENLEAF", "RED GLOBE 8.2 KG", ""] + [f"{spaced(c)} / 40'RH" for c in boxes], 8.5, 12)
    d.text(175, 260, f"{en(pkgs, 0)} CARTONS", 8.5)
    d.lines(260, 260, [goods, "PACKED IN 8.2 KG NET CARTONS", "HS 0806.10", "COLD TREATMENT NOT REQUIRED"],
            8.5, 12)
    d.right(480, 260, en(gross, 1), 8.5)
    d.right(555, 260, "134.0 CBM", 8.5)
    d.rule(40, 555, 350, 0.3)
    d.text(40, 370, f"Laden on board {abbr(on_board, True)}", 9.5, True)
    d.text(300, 370, f"Issued at SAN ANTONIO, {abbr(issued, True)}", 9.5)
    d.para(40, 395, 515, "This Sea Waybill is not a document of title. The goods will be delivered to the "
           "Consignee named above, or its authorised agent, against proof of identity. The contract of "
           "carriage is subject to the Carrier's Standard Conditions (Sea Waybill), available on request.", 8)
    d.text(300, 470, f"For {carrier}", 8.5)
    d.rule(300, 555, 510, 0.4)
    d.save()
    return Truth("bill_of_lading",
                 "hand-authored: reefer sea waybill, A4, triangle logo, three party columns, "
                 "caption-over-value grid, 'Waybill No.' in the title block, 'Laden on board 30 SEP 2025'",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "CLSAI", "port_of_discharge": "GBLGP",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "080610"})


def bl_qingdao_bilingual(path: Path) -> Truth:
    """Chinese carrier's bilingual B/L: Chinese + English captions, 'DONGHAI EXPLORER 2409E', stamp."""
    carrier, bl = "DONGHAI OCEAN SHIPPING CO., LTD.", "DHOS2509QD0318"
    shipper, consignee = "QINGDAO EVERGRIP TYRE CO., LTD.", "ROADMASTER TIRE DISTRIBUTION LLC"
    notify = "HOUSTON CUSTOMS BROKERAGE GROUP INC."
    vessel, voyage = "DONGHAI EXPLORER", "2409E"
    boxes = [container("DHSU", "520115"), container("DHSU", "520238"), container("TCLU", "809343")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 3600, dec("28800.00")
    goods = "PASSENGER CAR RADIAL TYRES"
    d = Doc(path, A4)

    def cap(x0: float, y0: float, x1: float, y1: float, zh: str, en_: str, body: Sequence[str],
            size: float = 8.5) -> None:
        d.box(x0, y0, x1, y1, 0.5)
        d.text(x0 + 3, y0 + 9, zh, 7, font=CJK)
        d.text(x0 + 4 + d.width(zh, 7, font=CJK), y0 + 9, en_, 6.5)
        d.lines(x0 + 6, y0 + 21, body, size, size * 1.2)

    cap(35, 35, 300, 100, "托运人", " Shipper", [shipper, "No. 88 Huangpu Road, Huangdao District",
                                                "Qingdao, Shandong, China"])
    d.text(310, 52, "东海远洋运输有限公司", 13, font=CJK)
    d.text(310, 67, carrier, 9.5, True)
    d.text(310, 90, "提单", 14, font=CJK)
    d.text(345, 90, "BILL OF LADING", 13, True)
    cap(35, 100, 300, 165, "收货人", " Consignee",
        [consignee, "9800 Kempwood Drive", "Houston, TX 77080, USA"])
    cap(300, 100, 560, 130, "提单号", " B/L No.", [bl], 10)
    cap(300, 130, 560, 165, "订舱号", " Booking No.", ["QDBK25090781"])
    cap(35, 165, 300, 225, "通知方", " Notify Party", [notify, "1 Greenway Plaza, Houston, TX 77046"])
    cap(300, 165, 560, 195, "收货地点", " Place of Receipt", ["QINGDAO CY"])
    cap(300, 195, 560, 225, "交货地点", " Place of Delivery", ["HOUSTON CY"])
    cap(35, 225, 215, 255, "船名航次", " Vessel & Voy. No.", [f"{vessel} {voyage}"])
    cap(215, 225, 385, 255, "装货港", " Port of Loading", ["QINGDAO, CHINA"])
    cap(385, 225, 560, 255, "卸货港", " Port of Discharge", ["HOUSTON, USA"])
    cols: list[Col] = [(40, "l"), (170, "l"), (250, "l"), (480, "r"), (556, "r")]
    d.box(35, 255, 560, 280, 0.5)
    row(d, cols, 266, ["唛头 箱号", "件数", "货物描述", "毛重", "体积"], 7, font=CJK)
    row(d, cols, 276, ["Marks / Container No.", "No. of Pkgs", "Description of Goods", "Gross Weight",
                       "Measurement"], 6.5, True)
    d.box(35, 280, 560, 470, 0.5)
    d.lines(40, 296, ["ROADMASTER", "HOUSTON", "MADE IN CHINA", ""] + [f"{c[:4]}{c[4:]}" for c in boxes],
            8.5, 11)
    d.text(170, 296, f"{en(pkgs, 0)} PCS", 8.5)
    d.lines(250, 296, [goods, "SIZES 175/65R14 - 225/45R17", "HS CODE 4011.10", "3 X 40'HQ",
                       "FREIGHT PREPAID", "SHIPPER'S LOAD COUNT AND SEAL"], 8.5, 11)
    d.right(480, 296, f"{en(gross)} KGS", 8.5)
    d.right(556, 296, "201.00 CBM", 8.5)
    cap(35, 470, 300, 500, "签发地点和日期", " Place and Date of Issue", [f"QINGDAO, {iso(issued)}"])
    cap(300, 470, 560, 500, "正本提单份数", " No. of Original B(s)/L", ["THREE (3)"])
    d.text(300, 530, f"For and on behalf of {carrier} as Carrier", 7.5)
    d.rule(300, 555, 570, 0.4)
    d.stamp(160, 560, ["SHIPPED ON BOARD", f"DATE: {on_board.year}.{on_board.month:02d}.{on_board.day:02d}",
                       f"{vessel}"], 4, 10, 0.3)
    d.save()
    return Truth("bill_of_lading", "hand-authored: Chinese carrier's bilingual B/L, A4, CID captions "
                 "'提单号 B/L No.' etc., vessel and voyage in one box, stamp 'DATE: 2025.09.30'",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "CNTAO", "port_of_discharge": "USHOU",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "401110"})


def bl_rider_kochi(path: Path) -> Truth:
    """Two-page B/L: twelve containers, five in the marks column on page 1, the rest on the rider."""
    carrier, bl = "Konkan Feeder Lines Pvt. Ltd.", "KFL/COK/25/00917"
    shipper, consignee = "Alleppey Coir Industries Pvt. Ltd.", "Grow-Substrate Europe B.V."
    notify = "Maasvlakte Customs Services B.V."
    vessel, voyage = "VEMBANAD", "0925W"
    serials = ("110236", "110471", "110589", "110824", "111064", "111297", "111430", "111678", "111915",
               "112044", "112381", "112507")
    boxes = [container("KFLU", s) for s in serials]
    on_board = date(2025, 9, 28)
    pkgs, per_box = 5760, dec("24720.000")
    gross = per_box * len(boxes)
    goods = "COIR PITH BLOCKS, 5 KG, LOW EC"
    d = Doc(path, A4)
    d.shade(40, 30, 555, 76, 0.2)
    d.c.setFillGray(1)
    d.text(50, 50, carrier.upper(), 13, True)
    d.text(50, 64, "Willingdon Island, Kochi 682003, Kerala, India", 8)
    d.right(545, 50, "BILL OF LADING", 13, True)
    d.right(545, 64, "Page 1 of 2", 8)
    d.c.setFillGray(0)
    d.captioned(40, 80, 300, 145, "Shipper", [shipper, "Pathirappally, Alappuzha 688521", "Kerala, India"])
    d.captioned(300, 80, 555, 112, "B/L No.", [bl], 10)
    d.captioned(300, 112, 555, 145, "Shipper's Reference", ["ACI/EXP/25-26/117"])
    d.captioned(40, 145, 300, 210, "Consignee", [consignee, "Westlandseweg 190", "3131 HX Vlaardingen, NL"])
    d.captioned(300, 145, 555, 210, "Notify Party", [notify, "Europaweg 875, 3199 LD Maasvlakte Rotterdam"])
    d.captioned(40, 210, 213, 240, "Vessel Voy. No.", [f"{vessel} / {voyage}"])
    d.captioned(213, 210, 385, 240, "Port of Loading", ["COCHIN, INDIA"])
    d.captioned(385, 210, 555, 240, "Port of Discharge", ["ROTTERDAM, NETHERLANDS"])
    cols: list[Col] = [(44, "l"), (175, "l"), (250, "l"), (480, "r"), (551, "r")]
    d.box(40, 240, 555, 256)
    row(d, cols, 251, ["Marks & Nos. / Container No.", "No. of Packages", "Description of Goods",
                       "Gross Weight", "Measurement"], 7, True)
    d.box(40, 256, 555, 470)
    d.lines(44, 272, ["GSE / ROTTERDAM", "BALE NO. 1-5760", ""] + [f"{spaced(c)}" for c in boxes[:5]]
            + ["CONTINUED ON ATTACHED RIDER"], 8, 11)
    d.text(175, 272, f"{en(pkgs, 0)} BALES", 8)
    d.lines(250, 272, [goods, "COMPRESSED, ON PALLETS", "HS CODE 5305.00", "12 X 40' HC SAID TO CONTAIN",
                       "FREIGHT PREPAID"], 8, 11)
    d.right(480, 272, f"{en(gross, 3)} KGS", 8)
    d.right(551, 272, "811.200 CBM", 8)
    d.captioned(40, 470, 300, 505, "Place and Date of Issue", [f"COCHIN {dmy(on_board, '-')}"])
    d.captioned(300, 470, 555, 505, "Number of Original B/L", ["THREE"])
    d.text(300, 530, f"For {carrier}, as Carrier", 8)
    d.rule(300, 555, 570, 0.4)
    d.stamp(170, 560, ["SHIPPED ON BOARD", abbr(on_board, True).replace(" ", "-")], 11, 11, 0.35)
    d.new_page()
    d.text(40, 50, f"RIDER TO B/L No. {bl}", 12, True)
    d.text(40, 64, "Continuation of marks and numbers / container particulars", 8.5)
    d.right(555, 50, "Page 2 of 2", 8)
    cols2: list[Col] = [(44, "r"), (60, "l"), (180, "l"), (300, "r"), (400, "r")]
    row(d, cols2, 94, ["#", "Container No.", "Seal No.", "Bales", "Gross Weight KGS"], 8, True)
    d.rule(40, 410, 99, 0.5)
    for i, c in enumerate(boxes):
        row(d, cols2, 114 + i * 14, [str(i + 1), spaced(c), f"KFL{884100 + i * 7}", "480", en(per_box, 3)],
            8.5)
    y = 114 + len(boxes) * 14
    d.rule(40, 410, y - 8, 0.5)
    row(d, cols2, y + 4, ["", "TOTAL 12 CONTAINERS", "", en(pkgs, 0), en(gross, 3)], 8.5, True)
    d.save()
    return Truth("bill_of_lading", "hand-authored: two-page B/L, A4, dark header band, 12 containers: five "
                 "in the marks column on page 1, all on the rider page 2, stamp 'SHIPPED ON BOARD "
                 "28-SEP-2025'",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "INCOK", "port_of_discharge": "NLRTM",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(on_board),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "530500"},
                 after_page1=("container_numbers",))


def conocimiento_bun(path: Path) -> Truth:
    """Colombian bilingual 'CONOCIMIENTO DE EMBARQUE / BILL OF LADING' (Letter, Times), 44.480,00 KG."""
    carrier, bl = "Naviera Gran Colombia S.A.", "NGC-BUN-25-4410"
    shipper, consignee = "Café de Altura Huila S.A.S.", "Elbkaffee Rösterei GmbH"
    notify = "Speicherstadt Zoll & Logistik GmbH"
    vessel, voyage = "CIUDAD DE NEIVA", "112E"
    boxes = [container("NGCU", "330418"), container("NGCU", "330978")]
    on_board, issued = date(2025, 9, 30), date(2025, 10, 1)
    pkgs, gross = 640, dec("44480.00")
    goods = "GREEN COFFEE BEANS, WASHED ARABICA EXCELSO"
    d = Doc(path, LETTER, "Times")
    d.logo(40, 32, "hexagon", "NGC", 40, 0.35)
    d.text(88, 48, carrier, 14, True)
    d.text(88, 61, "Muelle 2, Sociedad Portuaria, Buenaventura, Valle del Cauca, Colombia", 8)
    d.center(306, 92, "CONOCIMIENTO DE EMBARQUE / BILL OF LADING", 13, True)
    d.captioned(40, 104, 306, 164, "Embarcador / Shipper",
                [shipper, "Carrera 5 No. 12-40", "Pitalito, Huila"], 9.5, 7)
    d.captioned(306, 104, 572, 134, "No. de B/L / B/L No.", [bl], 10.5, 7)
    d.captioned(306, 134, 572, 164, "Referencia / Reference", ["CAH-EXP-0925-03"], 9.5, 7)
    d.captioned(40, 164, 306, 224, "Consignatario / Consignee",
                [consignee, "Am Sandtorkai 5", "20457 Hamburg"], 9.5, 7)
    d.captioned(306, 164, 572, 224, "Notificar a / Notify", [notify, "Bei St. Annen 2, 20457 Hamburg"], 9.5,
                7)
    d.captioned(40, 224, 173, 254, "Buque / Vessel", [vessel], 9.5, 7)
    d.captioned(173, 224, 240, 254, "Viaje / Voyage", [voyage], 9.5, 7)
    d.captioned(240, 224, 406, 254, "Puerto de cargue / Port of loading", ["BUENAVENTURA, COLOMBIA"], 9, 7)
    d.captioned(406, 224, 572, 254, "Puerto de descargue / Port of discharge", ["HAMBURGO / HAMBURG"], 9, 7)
    cols: list[Col] = [(44, "l"), (150, "l"), (232, "l"), (512, "r"), (568, "r")]
    d.box(40, 254, 572, 276)
    row(d, cols, 264, ["Marcas / Contenedores", "Bultos", "Descripción de la mercancía", "Peso bruto",
                       "Volumen"], 7.5, True)
    row(d, cols, 273, ["Marks / Containers", "Packages", "Description of goods", "Gross weight", "Volume"], 7)
    d.box(40, 276, 572, 470)
    d.lines(44, 292, ["ICO 3/117/0441", "ELBKAFFEE", "HAMBURG", ""] + [spaced(c) for c in boxes], 9, 12)
    d.text(150, 292, f"{pkgs} SACOS / BAGS", 8.5)
    d.lines(232, 292, [goods, "CAFÉ VERDE EN GRANO, EXCELSO EP", "EN SACOS DE YUTE DE 70 KG", "HS 0901.11",
                       "", "FLETE PREPAGADO / FREIGHT PREPAID"], 8.5, 12)
    d.right(512, 292, f"{de(gross)} KG", 9)
    d.right(568, 292, "60,0 M3", 9)
    d.captioned(40, 470, 306, 500, "Lugar y fecha de expedición / Place and date of issue",
                [f"BUENAVENTURA, {dmy(issued)}"], 9.5, 7)
    d.captioned(306, 470, 572, 500, "Originales / Originals", ["TRES (3) / THREE (3)"], 9.5, 7)
    d.para(40, 520, 300,
           "Recibido a bordo en aparente buen estado y condición, salvo indicación en contrario. "
           "Received on board in apparent good order and condition unless otherwise stated herein.", 8)
    d.text(330, 560, f"Por / For {carrier}", 9, italic=True)
    d.rule(330, 572, 600, 0.4)
    d.stamp(430, 660, ["SHIPPED ON BOARD", "EMBARCADO", dmy(on_board)], -9, 11, 0.3)
    d.save()
    return Truth("bill_of_lading", "hand-authored: Colombian bilingual Spanish/English B/L, Letter, Times, "
                 "hexagon logo, 'No. de B/L / B/L No.', 44.480,00 KG, stamp 'EMBARCADO 30/09/2025'",
                 {"bl_number": bl, "shipper_name": shipper, "consignee_name": consignee,
                  "notify_party": notify, "carrier_name": carrier, "vessel_name": vessel,
                  "voyage_number": voyage, "port_of_loading": "COBUN", "port_of_discharge": "DEHAM",
                  "shipped_on_board_date": iso(on_board), "issue_date": iso(issued),
                  "container_numbers": boxes, "number_of_packages": pkgs, "gross_weight_kg": f(gross),
                  "goods_description": goods, "hs_code": "090111"})


# ----------------------------------------------------------------------------------------------
# Packing lists
# ----------------------------------------------------------------------------------------------


def pl_cartons_xiamen(path: Path) -> Truth:
    """Chinese exporter's English packing list: carton ranges, per-carton and total weights, TOTAL row."""
    invoice = "XBO-INV-25-0907"
    box = container("TGBU", "512089")
    rows_ = [("1-120", "TENT-4P", "Dome tent, 4 person, green", 120, 2, dec("14.2"), dec("15.5"),
              dec("0.096")),
             ("121-300", "SB-200", "Sleeping bag, mummy, -5C", 180, 6, dec("9.6"), dec("10.5"), dec("0.072")),
             ("301-420", "BP-45", "Trekking backpack 45 L", 120, 10, dec("11.0"), dec("12.2"), dec("0.088"))]
    ctns = sum(r[3] for r in rows_)
    nw = sum((r[3] * r[5] for r in rows_), Decimal(0))
    gw = sum((r[3] * r[6] for r in rows_), Decimal(0))
    cbm = sum((r[3] * r[7] for r in rows_), Decimal(0))
    d = Doc(path, A4)
    d.center(297, 46, "XIAMEN BLUEFIN OUTDOOR PRODUCTS CO., LTD.", 13, True)
    d.center(297, 59, "No. 21 Xianghai Road, Xiang'an District, Xiamen, Fujian, China", 8)
    d.center(297, 86, "PACKING LIST", 16, True)
    d.rule(220, 375, 90, 0.8)
    for i, (k, v) in enumerate((("Invoice No.:", invoice), ("Date:", "2025-09-12"),
                                ("To:", "Fjellvang Friluft AS, Oslo, Norway"),
                                ("From:", "Xiamen, China"), ("To port:", "Oslo, Norway"))):
        d.text(40, 112 + i * 12, k, 8.5, True)
        d.text(100, 112 + i * 12, v, 8.5)
    for i, (k, v) in enumerate((("Container No.:", f"{box} (40'HQ)"), ("Seal No.:", "XM2025918"),
                                ("Shipping Marks:", "FJELLVANG / OSLO / C/NO. 1-420"))):
        d.text(320, 112 + i * 12, k, 8.5, True)
        d.text(400, 112 + i * 12, v, 8.5)
    cols: list[Col] = [(42, "l"), (88, "l"), (140, "l"), (290, "r"), (325, "r"), (360, "r"), (395, "r"),
                       (430, "r"), (475, "r"), (515, "r"), (553, "r")]
    d.box(40, 185, 555, 213)
    row(d, cols, 197, ["C/No.", "Item", "Description", "Ctns", "Pcs/", "Total", "N.W./", "G.W./", "N.W.",
                       "G.W.", "Meas."], 7.5, True)
    row(d, cols, 207, ["", "", "", "", "ctn", "Pcs", "ctn", "ctn", "(kg)", "(kg)", "(cbm)"], 7.5, True)
    y = 228
    for cno, item, desc, n, per, nwc, gwc, m in rows_:
        row(d, cols, y, [cno, item, desc, str(n), str(per), en(n * per, 0), en(nwc, 1), en(gwc, 1),
                         en(n * nwc), en(n * gwc), en(n * m, 3)], 8)
        y += 16
    d.box(40, 213, 555, y)
    row(d, cols, y + 14, ["TOTAL", "", "", str(ctns), "", en(sum(r[3] * r[4] for r in rows_), 0), "", "",
                          en(nw), en(gw), en(cbm, 3)], 8, True)
    d.box(40, y, 555, y + 22)
    d.text(40, y + 50, f"SAY TOTAL: FOUR HUNDRED TWENTY ({ctns}) CARTONS ONLY.", 9, True)
    d.text(360, y + 100, "XIAMEN BLUEFIN OUTDOOR PRODUCTS CO., LTD.", 8)
    d.rule(360, 555, y + 140, 0.4)
    d.save()
    return Truth("packing_list",
                 "hand-authored: Chinese exporter's English packing list, A4, boxed 11-column "
                 "table with carton ranges, per-carton and total N.W./G.W., TOTAL row, container in header",
                 {"invoice_number": invoice, "number_of_packages": ctns, "gross_weight_kg": f(gw),
                  "net_weight_kg": f(nw), "container_numbers": [box]})


def packliste_de(path: Path) -> Truth:
    """German Packliste: Packstücke table with dimensions, Netto-/Bruttogewicht in '1.234,5 kg'."""
    invoice = "RA-2025-1142"
    box = container("HLXU", "883451")
    pieces = [("1", "Europalette", "Kugelhähne DN50 PN40, 40 Stk", "120x80x95", dec("412.0"), dec("438.5")),
              ("2", "Europalette", "Kugelhähne DN50 PN40, 40 Stk", "120x80x95", dec("412.0"), dec("438.5")),
              ("3", "Europalette", "Absperrklappen DN150, 18 Stk", "120x80x110", dec("486.4"), dec("514.9")),
              ("4", "Kiste", "Stellantriebe elektrisch, 24 Stk", "110x70x80", dec("312.0"), dec("356.0")),
              ("5", "Kiste", "Ersatzteile und Dichtungssätze", "80x60x60", dec("96.2"), dec("121.0")),
              ("6", "Gitterbox", "Flanschschrauben M20, verzinkt", "124x84x97", dec("466.0"), dec("499.0"))]
    net = sum((p[4] for p in pieces), Decimal(0))
    gross = sum((p[5] for p in pieces), Decimal(0))
    d = Doc(path, A4)
    d.logo(40, 36, "square", "RA", 34, 0.4)
    d.text(82, 50, "Rheinauen Armaturen GmbH", 13, True)
    d.text(82, 62, "Rheinstraße 200 · 76185 Karlsruhe · Deutschland", 8)
    d.right(555, 50, "Packliste", 18, True)
    d.text(40, 110, "Empfänger:", 8.5, True)
    d.lines(40, 123, ["Maritime Valve Service Inc.", "45 Wright Avenue", "Dartmouth, NS B3B 1G6, Kanada"], 9,
            12)
    for i, (k, v) in enumerate((("Packliste Nr.", "PL-25-0788"), ("Rechnungs-Nr.", invoice),
                                ("Datum", "12.09.2025"), ("Container-Nr.", box),
                                ("Versand", "Seefracht ab Hamburg"))):
        d.text(330, 110 + i * 13, k, 8.5)
        d.text(420, 110 + i * 13, v, 8.5, True)
    cols: list[Col] = [(44, "l"), (80, "l"), (150, "l"), (330, "l"), (470, "r"), (552, "r")]
    d.rule(40, 555, 200, 1)
    row(d, cols, 212, ["Nr.", "Packstück", "Inhalt", "Maße (cm)", "Nettogewicht kg", "Bruttogewicht kg"], 8,
        True)
    d.rule(40, 555, 217, 0.5)
    y = 232
    for nr, kind, content, dims, nw, gw in pieces:
        row(d, cols, y, [nr, kind, content, dims, de(nw, 1), de(gw, 1)], 9)
        y += 15
    d.rule(40, 555, y - 7, 0.5)
    row(d, cols, y + 6, ["", f"{len(pieces)} Packstücke", "", "Summe", de(net, 1), de(gross, 1)], 9, True)
    d.rule(40, 555, y + 11, 1)
    y += 40
    d.text(40, y, f"Gesamtzahl der Packstücke: {len(pieces)}", 9.5)
    d.text(40, y + 14, f"Nettogewicht gesamt: {de(net, 1)} kg", 9.5)
    d.text(40, y + 28, f"Bruttogewicht gesamt: {de(gross, 1)} kg", 9.5)
    d.text(40, y + 56, "Markierung: MVS / HALIFAX / 1-6", 9.5)
    d.rule(40, 555, 790, 0.3)
    d.center(297, 802, "Rheinauen Armaturen GmbH · Amtsgericht Mannheim HRB 104477 · USt-IdNr. DE143992018",
             7)
    d.save()
    return Truth("packing_list",
                 "hand-authored: German Packliste, A4, square logo, Nr./Packstück/Inhalt/Maße "
                 "table, Summe row plus Bruttogewicht/Nettogewicht gesamt lines in '2.367,9 kg'",
                 {"invoice_number": invoice, "number_of_packages": len(pieces), "gross_weight_kg": f(gross),
                  "net_weight_kg": f(net), "container_numbers": [box]})


def colisage_fr(path: Path) -> Truth:
    """French 'Liste de colisage' (Times): colis per line, 'Poids net / Poids brut' in '1 234,5'."""
    invoice = "FMJ-25-0331"
    box = container("FMJU", "441027")
    lines_ = [("Comté AOP 18 mois, meule entière", 88, dec("3520.0"), dec("3784.0")),
              ("Morbier AOP, demi-meule", 140, dec("1162.0"), dec("1260.0")),
              ("Mont d'Or AOP, boîte 500 g, carton de 12", 60, dec("360.0"), dec("396.0"))]
    colis = sum(r[1] for r in lines_)
    net = sum((r[2] for r in lines_), Decimal(0))
    gross = sum((r[3] for r in lines_), Decimal(0))
    d = Doc(path, A4, "Times")
    d.text(40, 52, "Fromagerie des Monts du Jura SAS", 15, True)
    d.text(40, 66, "Route de Pontarlier · 25300 Doubs · France", 9, italic=True)
    d.right(555, 52, "LISTE DE COLISAGE", 14, True)
    d.rule(40, 555, 78, 0.6)
    for i, (k, v) in enumerate((("Facture n° :", invoice), ("Date :", fr_abbr(date(2025, 9, 12))),
                                ("Destinataire :", "Hokkaido Gourmet Trading K.K., Sapporo"),
                                ("Conteneur frigorifique :", f"{spaced(box)} (40' RF, +4 °C)"),
                                ("Port d'embarquement :", "Le Havre"),
                                ("Port de destination :", "Tomakomai"))):
        d.text(40, 100 + i * 14, k, 10)
        d.text(170, 100 + i * 14, v, 10, True)
    cols: list[Col] = [(40, "l"), (330, "r"), (430, "r"), (540, "r")]
    d.rule(40, 555, 200, 0.8)
    row(d, cols, 213, ["Désignation", "Nombre de colis", "Poids net (kg)", "Poids brut (kg)"], 10, True)
    d.rule(40, 555, 219, 0.4)
    y = 236
    for desc, n, nw, gw in lines_:
        row(d, cols, y, [desc, str(n), fr(nw, 1), fr(gw, 1)], 10)
        y += 17
    d.rule(40, 555, y - 7, 0.8)
    row(d, cols, y + 8, ["Total général", str(colis), fr(net, 1), fr(gross, 1)], 10, True)
    d.para(40, y + 50, 515,
           f"Nous certifions que le conteneur {spaced(box)} contient {colis} colis, d'un poids "
           f"brut total de {fr(gross, 1)} kg, conformément à la facture n° {invoice}.", 10)
    d.text(360, y + 120, "Le service expédition", 10, italic=True)
    d.save()
    return Truth("packing_list", "hand-authored: French Liste de colisage, A4, Times, caption column, "
                 "Désignation/colis/Poids net/Poids brut table, 'Total général', certification sentence",
                 {"invoice_number": invoice, "number_of_packages": colis, "gross_weight_kg": f(gross),
                  "net_weight_kg": f(net), "container_numbers": [box]})


def pl_pallets_letter(path: Path) -> Truth:
    """US packing list on Letter: pallets with cases, weights in LBS and KGS, totals block."""
    invoice = "CSS-104882"
    box = container("TRHU", "667013")
    lb = Decimal("0.45359237")
    pallets = [("Nitrile exam gloves, M (10 x 100)", 40, 612, 648),
               ("Nitrile exam gloves, L (10 x 100)", 40, 612, 648),
               ("Surgical masks, 3-ply (50 x 40)", 36, 548, 586),
               ("Gauze sponges 4x4, sterile", 30, 702, 741),
               ("Disposable gowns, universal", 32, 936, 981),
               ("Alcohol prep pads (case of 4000)", 36, 902, 944)]
    cases = sum(p[1] for p in pallets)
    net_lb = sum(p[2] for p in pallets)
    gross_lb = sum(p[3] for p in pallets)
    net_kg = (net_lb * lb).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    gross_kg = (gross_lb * lb).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    d = Doc(path, LETTER)
    d.text(40, 50, "Chesapeake Surgical Supply, Inc.", 14, True)
    d.text(40, 63, "2200 Broening Highway, Baltimore, MD 21224  |  (410) 555-0133", 8)
    d.right(572, 50, "PACKING LIST", 16, True)
    d.shade(40, 80, 572, 84, 0.3)
    for i, (k, v) in enumerate((("Invoice #:", invoice), ("Ship Date:", "09/12/2025"), ("PO #:", "DR-55120"),
                                ("Container:", box))):
        d.text(380, 104 + i * 13, k, 8.5, True)
        d.text(450, 104 + i * 13, v, 8.5)
    d.text(40, 104, "Ship To:", 8.5, True)
    d.lines(40, 117, ["Suministros Médicos del Caribe S.R.L.", "Calle 4, Zona Franca Las Américas",
                      "Santo Domingo Este, Dominican Republic"], 8.5, 11)
    cols: list[Col] = [(44, "l"), (90, "l"), (300, "r"), (380, "r"), (450, "r"), (510, "r"), (568, "r")]
    d.shade(40, 170, 572, 186, 0.9)
    row(d, cols, 181, ["Pallet #", "Contents", "Cases", "Dimensions (in)", "Net Wt (lbs)", "Gross Wt (lbs)",
                       "Gross Wt (kgs)"], 7.5, True)
    y = 202
    for i, (desc, c, nwl, gwl) in enumerate(pallets, 1):
        row(d, cols, y, [str(i), desc, str(c), "48 x 40 x 62", en(nwl, 0), en(gwl, 0),
                         en((gwl * lb).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)], 8.5)
        y += 16
    d.rule(40, 572, y - 8, 0.6)
    d.box(330, y + 10, 572, y + 82, 0.8)
    for i, (k, v) in enumerate((("Total Pallets:", str(len(pallets))), ("Total Cases:", str(cases)),
                                ("Total Net Weight:", f"{en(net_lb, 0)} LBS / {en(net_kg, 1)} KGS"),
                                ("Total Gross Weight:", f"{en(gross_lb, 0)} LBS / {en(gross_kg, 1)} KGS"))):
        d.text(336, y + 26 + i * 15, k, 8.5, True)
        d.text(440, y + 26 + i * 15, v, 8.5)
    d.text(40, y + 26, "Marks: SMC / SANTO DOMINGO / PLT 1-6", 8.5)
    d.text(40, y + 41, "Handling: keep dry, do not double stack", 8.5)
    d.save()
    return Truth("packing_list",
                 "hand-authored: US packing list, Letter, pallets table with cases, weights in "
                 "LBS with a KGS column, boxed totals 'Total Pallets' / "
                 "'Total Gross Weight: .. LBS / .. KGS'",
                 {"invoice_number": invoice, "number_of_packages": len(pallets),
                  "gross_weight_kg": f(gross_kg),
                  "net_weight_kg": f(net_kg), "container_numbers": [box]})


def pl_graphite_courier(path: Path) -> Truth:
    """Mining exporter's packing list in Courier: one row per container, weights in MT."""
    invoice = "ZGM/EXP/0925/14"
    serials = ("210457", "210688", "211035", "211272")
    boxes = [container("ZGMU", s) for s in serials]
    seals = ("ZG004411", "ZG004412", "ZG004413", "ZG004414")
    net_each, gross_each = dec("25.000"), dec("25.125")
    bags = 25 * len(boxes)
    net, gross = net_each * len(boxes), gross_each * len(boxes)
    d = Doc(path, A4, "Courier")
    d.text(50, 50, "ZAMBEZI GRAPHITE MINING LIMITED", 12, True)
    d.text(50, 63, "PLOT 2281, MANDA HILL ROAD, LUSAKA, ZAMBIA", 8)
    d.center(297, 100, "P A C K I N G   L I S T", 13, True)
    y = 130
    for k, v in (("INVOICE NO.", invoice), ("DATE", "12 SEP 2025"),
                 ("CONSIGNEE", "KOREA ANODE MATERIALS CO LTD"),
                 ("COMMODITY", "NATURAL FLAKE GRAPHITE -100 MESH, 94 PCT C"),
                 ("PACKING", "1 MT JUMBO BAGS, 25 BAGS PER 20' CONTAINER"),
                 ("ROUTING", "BY RAIL TO DAR ES SALAAM, BY SEA TO BUSAN")):
        d.text(50, y, f"{k:<12}: {v}", 9)
        y += 13
    y += 15
    d.text(50, y, "-" * 78, 8)
    y += 12
    d.text(50, y, f"{'CONTAINER':<14}{'SEAL':<11}{'BAGS':>6}{'NET (MT)':>12}{'GROSS (MT)':>13}", 9, True)
    y += 8
    d.text(50, y, "-" * 78, 8)
    y += 14
    for c, s in zip(boxes, seals, strict=True):
        d.text(50, y, f"{c:<14}{s:<11}{25:>6}{en(net_each, 3):>12}{en(gross_each, 3):>13}", 9)
        y += 13
    d.text(50, y, "-" * 78, 8)
    y += 13
    d.text(50, y, f"{'TOTAL':<25}{bags:>6}{en(net, 3):>12}{en(gross, 3):>13}", 9, True)
    y += 30
    d.text(50, y, f"TOTAL PACKAGES    : {bags} JUMBO BAGS", 9)
    d.text(50, y + 13, f"TOTAL NET WEIGHT  : {en(net, 3)} MT", 9)
    d.text(50, y + 26, f"TOTAL GROSS WEIGHT: {en(gross, 3)} MT", 9)
    d.text(50, y + 60, "FOR ZAMBEZI GRAPHITE MINING LIMITED", 9)
    d.text(50, y + 100, "LOGISTICS OFFICER", 9)
    d.save()
    return Truth("packing_list", "hand-authored: mining exporter's packing list, A4, Courier, fixed-width "
                 "rows with dashed rules, one row per container, totals in MT ('100.500 MT')",
                 {"invoice_number": invoice, "number_of_packages": bags, "gross_weight_kg": f(gross * 1000),
                  "net_weight_kg": f(net * 1000), "container_numbers": boxes})


def pl_cn_bilingual(path: Path) -> Truth:
    """Chinese/English packing list 装箱单: CID captions, 毛重 G.W. / 净重 N.W., two containers."""
    invoice = "YRC20250912-03"
    boxes = [container("YMLU", "820417"), container("YMLU", "820733")]
    rows_ = [("1-300", "圣诞彩球 CHRISTMAS BALLS", 300, 24, dec("6.5"), dec("5.8"), dec("0.062")),
             ("301-520", "LED 灯串 LED STRING LIGHTS", 220, 50, dec("9.8"), dec("9.0"), dec("0.048")),
             ("521-745", "木质挂饰 WOODEN ORNAMENTS", 225, 36, dec("7.2"), dec("6.6"), dec("0.055")),
             ("746-865", "礼品盒 GIFT BOXES", 120, 60, dec("12.4"), dec("11.5"), dec("0.110"))]
    ctns = sum(r[2] for r in rows_)
    gw = sum((r[2] * r[4] for r in rows_), Decimal(0))
    nw = sum((r[2] * r[5] for r in rows_), Decimal(0))
    cbm = sum((r[2] * r[6] for r in rows_), Decimal(0))
    d = Doc(path, A4)
    d.center(297, 46, "义乌市彩虹工艺品有限公司", 15, font=CJK)
    d.center(297, 62, "YIWU RAINBOW CRAFTS CO., LTD.", 10, True)
    d.center(297, 92, "装箱单  PACKING LIST", 15, font=CJK)
    for i, (zh, en_, v) in enumerate((("发票号", "Invoice No.:", invoice), ("日期", "Date:", "2025-09-12"),
                                      ("收货人", "Consignee:", "FESTIVO HOME DECOR S.R.L., MILANO"),
                                      ("集装箱号", "Container No.:", " / ".join(boxes)))):
        d.text(40, 120 + i * 15, zh, 9, font=CJK)
        d.text(40 + d.width(zh, 9, font=CJK) + 3, 120 + i * 15, en_, 8.5)
        d.text(170, 120 + i * 15, v, 9)
    cols: list[Col] = [(44, "l"), (100, "l"), (300, "r"), (360, "r"), (430, "r"), (495, "r"), (552, "r")]
    d.box(40, 188, 555, 216)
    row(d, cols, 200, ["箱号", "品名", "箱数", "每箱数量", "毛重", "净重", "体积"], 8.5, font=CJK)
    row(d, cols, 211, ["C/NO.", "DESCRIPTION", "CTNS", "PCS/CTN", "G.W.(KGS)", "N.W.(KGS)", "CBM"], 7, True)
    y = 232
    for cno, desc, n, per, g, nn, m in rows_:
        row(d, cols, y, [cno, "", str(n), str(per), en(n * g, 1), en(n * nn, 1), en(n * m, 3)], 8.5)
        d.text(100, y, desc, 8.5, font=CJK)
        y += 17
    d.box(40, 216, 555, y - 5)
    d.text(44, y + 10, "合计 TOTAL", 9, font=CJK)
    row(d, cols, y + 10, ["", "", f"{ctns}", "", en(gw, 1), en(nw, 1), en(cbm, 3)], 8.5, True)
    d.box(40, y - 5, 555, y + 17)
    d.text(40, y + 45, f"共计 TOTAL: {ctns} 箱 CARTONS", 9, font=CJK)
    d.text(40, y + 62, f"毛重 G.W.: {en(gw, 1)} KGS    净重 N.W.: {en(nw, 1)} KGS", 9, font=CJK)
    d.save()
    return Truth("packing_list", "hand-authored: Chinese/English packing list 装箱单, A4, CID captions "
                 "(箱号/毛重/净重), bilingual column heads, 合计 TOTAL row, two containers in the header",
                 {"invoice_number": invoice, "number_of_packages": ctns, "gross_weight_kg": f(gw),
                  "net_weight_kg": f(nw), "container_numbers": boxes})


def pl_crates_two_page(path: Path) -> Truth:
    """Machinery packing list: 34 numbered cases over two pages, totals at the end of page 2."""
    invoice = "OMC/2025/0456"
    boxes = [container("OMCU", "550218"), container("OMCU", "550463"), container("TRIU", "318027")]
    rng = random.Random(456)
    parts = ("Bed section", "Column assembly", "Spindle head", "Tool magazine", "Hydraulic unit",
             "Chip conveyor",
             "Electrical cabinet", "Coolant tank", "Guard panels", "Operator console", "Spare parts",
             "Cable ducts", "Pallet changer", "Rotary table")
    cases = []
    for i in range(1, 35):
        name = parts[(i - 1) % len(parts)]
        ln, w, h = rng.randint(80, 420), rng.randint(60, 240), rng.randint(60, 260)
        net = dec(rng.randint(90, 2600))
        gross = net + dec(rng.randint(40, 380))
        cases.append((i, f"{name}, part {1 + (i - 1) // len(parts)}", f"{ln}×{w}×{h}", net, gross,
                      cents(dec(ln * w * h) / 1000000)))
    net_t = sum((c[3] for c in cases), Decimal(0))
    gross_t = sum((c[4] for c in cases), Decimal(0))
    vol_t = sum((c[5] for c in cases), Decimal(0))
    d = Doc(path, A4)
    cols: list[Col] = [(50, "r"), (62, "l"), (260, "l"), (400, "r"), (470, "r"), (550, "r")]
    heads = ["Case", "Description", "L×W×H (cm)", "Net (kg)", "Gross (kg)", "Volume (m³)"]

    def head(page: int) -> float:
        d.logo(40, 30, "hexagon", "OMC", 36, 0.3)
        d.text(84, 46, "Officine Meccaniche Canavese S.p.A.", 12, True)
        d.text(84, 58, "Via Torino 114 · 10015 Ivrea (TO) · Italia", 7.5)
        d.right(555, 46, "PACKING LIST", 13, True)
        d.right(555, 58, f"Sheet {page}/2", 7.5)
        d.rule(40, 555, 68, 0.6)
        return 84

    y = head(1)
    for i, (k, v) in enumerate((("Ref. Invoice:", invoice), ("Date:", "12/09/2025"),
                                ("Consignee:", "Anadolu Makina Sanayi Ltd., Gebze"),
                                ("Containers:", "   ".join(f"{c}" for c in boxes)))):
        d.text(40, y + i * 12, k, 8, True)
        d.text(120, y + i * 12, v, 8.5)
    y += 64
    d.shade(40, y - 10, 555, y + 4, 0.85)
    row(d, cols, y, heads, 7.5, True)
    y += 16
    for case in cases:
        if case[0] == 25:
            d.text(40, y + 6, "continued on sheet 2", 7.5, italic=True)
            d.new_page()
            y = head(2) + 10
            d.shade(40, y - 10, 555, y + 4, 0.85)
            row(d, cols, y, heads, 7.5, True)
            y += 16
        n, desc, dims, nw, gw, vol = case
        row(d, cols, y, [str(n), desc, dims, de(nw, 0), de(gw, 0), de(vol)], 8)
        y += 13.5
    d.rule(40, 555, y - 6, 0.6)
    row(d, cols, y + 8, ["", f"TOTAL {len(cases)} CASES", "", de(net_t, 0), de(gross_t, 0), de(vol_t)], 8.5,
        True)
    d.text(40, y + 40, f"Number of packages: {len(cases)} wooden cases (seaworthy packing, ISPM 15)", 8.5)
    d.text(40, y + 54, f"Total gross weight: {de(gross_t, 0)} kg    Total net weight: {de(net_t, 0)} kg", 8.5)
    d.save()
    return Truth("packing_list", "hand-authored: machinery packing list, A4, hexagon logo, 34 numbered cases "
                 "spilling onto sheet 2 where the totals are, '1.234' kg (Italian style), containers on page "
                 "1",
                 {"invoice_number": invoice, "number_of_packages": len(cases), "gross_weight_kg": f(gross_t),
                  "net_weight_kg": f(net_t), "container_numbers": boxes},
                 after_page1=("number_of_packages", "gross_weight_kg", "net_weight_kg"))


def lista_empaque_mx(path: Path) -> Truth:
    """Mexican 'Lista de empaque / Packing list' on Letter: boxes by size, totals lines in kg."""
    invoice = "ASM-F-0925-118"
    box = container("SEGU", "960314")
    sizes = [("32", 420, dec("10.0")), ("36", 560, dec("10.0")), ("40", 620, dec("10.0")),
             ("48", 320, dec("10.0"))]
    tare = dec("1.2")
    cajas = sum(s[1] for s in sizes)
    net = sum((s[1] * s[2] for s in sizes), Decimal(0))
    gross = net + cajas * tare
    d = Doc(path, LETTER)
    d.logo(40, 34, "circle", "ASM", 40, 0.3)
    d.text(88, 50, "Aguacates Selectos de Michoacán S.A. de C.V.", 12, True)
    d.text(88, 62, "Carretera Uruapan-Pátzcuaro Km 4.5, Uruapan, Mich., México · RFC ASM0903115K2", 7.5)
    d.center(306, 100, "LISTA DE EMPAQUE / PACKING LIST", 13, True)
    for i, (k, v) in enumerate((("Factura No. / Invoice No.:", invoice), ("Fecha / Date:", "12/09/2025"),
                                ("Cliente / Customer:", "Pacific Fresh Avocado Co., Los Angeles, CA"),
                                ("Contenedor / Container:", box), ("Temperatura / Temp.:", "5 °C"))):
        d.text(40, 128 + i * 13, k, 8.5, True)
        d.text(190, 128 + i * 13, v, 8.5)
    cols: list[Col] = [(60, "l"), (180, "l"), (300, "r"), (420, "r"), (540, "r")]
    d.box(40, 205, 572, 222)
    row(d, cols, 217, ["Calibre", "Producto", "Cajas", "Peso neto (kg)", "Peso bruto (kg)"], 8.5, True)
    y = 240
    for cal, n, kg in sizes:
        row(d, cols, y, [cal, "Aguacate Hass", en(n, 0), en(n * kg), en(n * (kg + tare))], 9)
        y += 16
    d.box(40, 222, 572, y - 4)
    row(d, cols, y + 10, ["TOTAL", "", en(cajas, 0), en(net), en(gross)], 9, True)
    d.box(40, y - 4, 572, y + 18)
    y += 50
    for k, v in (("Total de bultos / Total packages:", f"{en(cajas, 0)} cajas"),
                 ("Peso neto total / Total net weight:", f"{en(net)} kg"),
                 ("Peso bruto total / Total gross weight:", f"{en(gross)} kg")):
        d.text(40, y, k, 9)
        d.text(260, y, v, 9, True)
        y += 14
    d.text(40, y + 20, "Pallets: 20 (96 cajas por pallet). Marcas: PFA / LOS ANGELES / HASS.", 8.5)
    d.save()
    return Truth("packing_list",
                 "hand-authored: Mexican bilingual Lista de empaque, Letter, circle logo, boxed "
                 "calibre table with TOTAL row, 'Total de bultos / Peso bruto total' summary lines",
                 {"invoice_number": invoice, "number_of_packages": cajas, "gross_weight_kg": f(gross),
                  "net_weight_kg": f(net), "container_numbers": [box]})


# ----------------------------------------------------------------------------------------------
# Sales and purchase contracts
# ----------------------------------------------------------------------------------------------


def clauses(d: Doc, x: float, y: float, width: float, items: Sequence[tuple[str, str]], size: float = 9.5,
            gap: float = 6, head_bold: bool = True) -> float:
    """Numbered clauses: a bold heading run into its text, wrapped to ``width``."""
    lead = size * 1.3
    for head, body in items:
        name = d.bold if head_bold else d.reg
        hw = d.width(head + " ", size, font=name)
        first, *rest = simpleSplit(body, d.reg, size, width - hw) or [""]
        d.text(x, y, head, size, font=name)
        d.text(x + hw, y, first, size)
        y += lead
        if rest:
            y = d.para(x, y, width, " ".join(rest), size, lead)
        y += gap
    return y


def sc_palm_olein(path: Path) -> Truth:
    """Sales contract in Times: parties in a running paragraph, terms in numbered capitalised clauses."""
    seller, buyer = "SELANGOR PALM REFINERS SDN BHD", "AL NOOR FOOD INDUSTRIES LLC"
    number, signed, latest = "SPR/SC/2025/0318", date(2025, 8, 18), date(2025, 9, 12)
    goods, qty, price = "RBD Palm Olein IV 56", dec(1000), dec("1045.00")
    total = qty * price
    payment = "100% by irrevocable documentary letter of credit payable at sight"
    d = Doc(path, A4, "Times")
    d.center(297, 60, "SALES CONTRACT", 18, True)
    d.text(60, 92, f"Contract No.: {number}", 10.5)
    d.right(535, 92, f"Date: {long_en(signed)}", 10.5)
    y = d.para(60, 120, 475,
               f"This Contract is made by and between {seller}, Lot 7, Jalan Pelabuhan Utara, 42000 "
               f"Port Klang, Selangor, Malaysia (hereinafter called \"the Seller\") and {buyer}, Plot "
               f"S30412, "
               "Jebel Ali Free Zone South, Dubai, United Arab Emirates (hereinafter called \"the Buyer\"), "
               "whereby "
               "the Seller agrees to sell and the Buyer agrees to buy the commodity below on the following "
               "terms "
               "and conditions:", 10.5, 14)
    y = clauses(d, 60, y + 12, 475, [
        ("1. COMMODITY:",
         f"{goods} (HS code 1511.90), of Malaysian origin, free fatty acid 0.1% max, moisture "
         "and impurities 0.1% max, colour 3 red max, shipped in 24 MT flexitanks."),
        ("2. QUANTITY:",
         f"{en(qty, 0)} MT (one thousand metric tons), 5% more or less at the Seller's option."),
        ("3. PRICE:", f"USD {en(price)} (US dollars one thousand forty-five) per metric ton CFR Jebel Ali, "
         "Incoterms 2020."),
        ("4. TOTAL VALUE:",
         f"USD {en(total)} (US dollars one million forty-five thousand only), subject to the "
         "tolerance in clause 2."),
        ("5. SHIPMENT:",
         f"The Seller shall ship the goods from Port Klang, Malaysia to Jebel Ali, United Arab "
         f"Emirates not later than {sept(latest)}. Partial shipments and transhipment are not allowed."),
        ("6. PAYMENT:", f"{payment}. The L/C shall be opened by a first-class bank acceptable to the Seller "
         "within seven days of this Contract and shall remain valid for 21 days after the date of shipment."),
        ("7. INSPECTION:",
         "Quality and weight as determined at the port of loading by an independent surveyor "
         "appointed by the Seller shall be final. The cost of inspection is for the Seller's account."),
        ("8. FORCE MAJEURE:", "Neither party shall be liable for failure to perform due to causes beyond its "
         "reasonable control; the affected party shall notify the other within 48 hours."),
        ("9. ARBITRATION:", "Any dispute shall be settled by arbitration in Singapore under the SIAC Rules. "
         "This Contract is governed by the laws of Malaysia."),
    ], 10.5, 7)
    d.text(60, y + 30, "For and on behalf of the Seller", 10.5, True)
    d.text(330, y + 30, "For and on behalf of the Buyer", 10.5, True)
    d.rule(60, 250, y + 80, 0.5)
    d.rule(330, 520, y + 80, 0.5)
    d.text(60, y + 92, seller, 9)
    d.text(330, y + 92, buyer, 9)
    d.save()
    return Truth("sales_contract",
                 "hand-authored: sales contract, A4, Times, parties inside a running paragraph, "
                 "nine numbered capitalised clauses, price/quantity/ports/latest date inside sentences",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "151190", "quantity": f(qty),
                  "unit": "MT", "unit_price": f(price), "currency": "USD", "total_amount": f(total),
                  "incoterms": "CFR", "port_of_loading": "MYPKG", "port_of_discharge": "AEJEA",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


def purchase_contract_us(path: Path) -> Truth:
    """Buyer-issued purchase contract on Letter: party boxes side by side, clauses in two columns."""
    seller, buyer = "Dak Lak Pepper Joint Stock Company", "Great Lakes Spice Importers, Inc."
    number, signed, latest = "GLS-PC-25-041", date(2025, 9, 12), date(2025, 10, 31)
    goods, qty, price = "Vietnamese black pepper ASTA 550 g/l", dec("96.00"), dec("6850.00")
    total = qty * price
    payment = "Cash against documents (CAD) through Buyer's bank"
    d = Doc(path, LETTER)
    d.logo(40, 34, "circle", "GL", 38, 0.3)
    d.text(86, 50, buyer, 13, True)
    d.text(86, 62, "1200 W Fulton Market, Chicago, IL 60607  ·  purchasing@greatlakesspice.com", 7.5)
    d.center(306, 100, "PURCHASE CONTRACT", 15, True)
    d.center(306, 114, f"No. {number}  ·  Date: {us_long(signed)}", 9)
    for x0, cap, body in ((40, "SELLER", [seller, "Km 7, Highway 14, Hoa Thang Ward",
                                          "Buon Ma Thuot, Dak Lak,"
                                          " Vietnam"]),
                          (310, "BUYER", [buyer, "1200 W Fulton Market", "Chicago, IL 60607, USA"])):
        d.box(x0, 128, x0 + 262, 184, 0.6)
        d.text(x0 + 6, 140, cap, 7.5, True)
        d.lines(x0 + 6, 153, body, 8.5, 10.5)
    left = [("1. Goods.", f"{goods}, machine cleaned, moisture 12.5% max, light berries 2% max, crop 2025 "
             "(HS 0904.11)."),
            ("2. Quantity.", f"{en(qty)} MT net (four 20' containers), packed in new 50 kg PP bags, "
             "2% more or less."),
            ("3. Price.", f"US$ {en(price)} per metric ton, CIF New York, Incoterms 2020."),
            ("4. Contract value.", f"US$ {en(total)}."),
            ("5. Shipment.", f"From Ho Chi Minh City, Vietnam to New York, NY, latest {us_long(latest)}. "
             "Transhipment allowed, partial shipment not allowed.")]
    right = [("6. Payment.", f"{payment}, payable upon presentation of the original shipping documents."),
             ("7. Quality.",
              "Final at destination as per ASTA cleanliness specifications; samples drawn by an "
              "independent surveyor within 14 days of arrival."),
             ("8. Claims.", "Any claim must be notified within 30 days of the arrival of the goods, with a "
              "surveyor's report."),
             ("9. Law.", "This contract is governed by the laws of the State of New York; disputes shall be "
              "referred to AAA arbitration in New York.")]
    y1 = clauses(d, 40, 212, 255, left, 8.5, 6)
    y2 = clauses(d, 317, 212, 255, right, 8.5, 6)
    y = max(y1, y2) + 30
    d.text(40, y, "Accepted by the Seller", 8.5, True)
    d.text(317, y, "For the Buyer", 8.5, True)
    d.rule(40, 280, y + 40, 0.4)
    d.rule(317, 572, y + 40, 0.4)
    d.text(40, y + 52, seller, 8)
    d.text(317, y + 52, buyer, 8)
    d.save()
    return Truth("sales_contract", "hand-authored: buyer-issued purchase contract, Letter, logo letterhead, "
                 "SELLER/BUYER boxes side by side, clauses in two columns, 'US$', month-name dates",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "090411", "quantity": f(qty),
                  "unit": "MT", "unit_price": f(price), "currency": "USD", "total_amount": f(total),
                  "incoterms": "CIF", "port_of_loading": "VNSGN", "port_of_discharge": "USNYC",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


def kaufvertrag_de(path: Path) -> Truth:
    """German Kaufvertrag in Times: parties 'zwischen ... und ...', §-clauses, '2.228.125,00'."""
    seller, buyer = "Hanseatische Metallhandel GmbH", "Ljubljana Kabel d.o.o."
    number, signed, latest = "HMH-KV-2025-077", date(2025, 9, 12), date(2025, 10, 31)
    goods, qty, price = "Kupferkathoden Grade A", dec(250), dec("8912.50")
    total = qty * price
    payment = "Zahlung 100 % per unwiderruflichem Akkreditiv, zahlbar bei Sicht"
    d = Doc(path, A4, "Times")
    d.center(297, 64, "KAUFVERTRAG", 18, True)
    d.center(297, 80, f"Nr. {number}", 11)
    d.center(297, 108, "zwischen", 10.5, italic=True)
    d.center(297, 124, seller, 11, True)
    d.center(297, 138, "Brandstwiete 3, 20457 Hamburg – nachstehend „Verkäufer“ –", 10)
    d.center(297, 158, "und", 10.5, italic=True)
    d.center(297, 174, buyer, 11, True)
    d.center(297, 188, "Tržaška cesta 118, 1000 Ljubljana, Slowenien – nachstehend „Käufer“ –", 10)
    y = clauses(d, 65, 222, 465, [
        ("§ 1 Vertragsgegenstand.", f"Der Verkäufer verkauft dem Käufer {goods} gemäß LME-Spezifikation, "
         "Kupfergehalt mindestens 99,99 %, Zolltarifnummer 7403.11, in Bündeln von ca. 2,5 t."),
        ("§ 2 Menge.",
         f"{de(qty, 0)} MT (zweihundertfünfzig metrische Tonnen), ±2 % nach Wahl des Verkäufers."),
        ("§ 3 Preis.", f"Der Preis beträgt EUR {de(price)} je MT CIF Koper, Incoterms 2020. Der Gesamtpreis "
         f"beläuft sich auf EUR {de(total)}."),
        ("§ 4 Lieferung.",
         f"Verladung ab Hamburg nach Koper bis spätestens {dmy(latest, '.')}. Teilverladungen "
         "sind zulässig."),
        ("§ 5 Zahlung.",
         f"{payment}. Das Akkreditiv ist binnen zehn Tagen nach Vertragsschluss zu eröffnen."),
        ("§ 6 Eigentumsvorbehalt.",
         "Die Ware bleibt bis zur vollständigen Bezahlung Eigentum des Verkäufers."),
        ("§ 7 Gerichtsstand.",
         "Es gilt deutsches Recht unter Ausschluss des UN-Kaufrechts. Gerichtsstand ist "
         "Hamburg."),
    ], 10.5, 8)
    d.text(65, y + 24, f"Hamburg, den {dmy(signed, '.')}", 10.5)
    d.rule(65, 255, y + 80, 0.4)
    d.rule(340, 530, y + 80, 0.4)
    d.text(65, y + 92, "Verkäufer", 9.5, italic=True)
    d.text(340, y + 92, "Käufer", 9.5, italic=True)
    d.save()
    return Truth("sales_contract",
                 "hand-authored: German Kaufvertrag, A4, Times, centred 'zwischen ... und ...' "
                 "parties, §-clauses in running text, EUR 8.912,50 je MT, dd.mm.yyyy",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "740311", "quantity": f(qty),
                  "unit": "MT", "unit_price": f(price), "currency": "EUR", "total_amount": f(total),
                  "incoterms": "CIF", "port_of_loading": "DEHAM", "port_of_discharge": "SIKOP",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


def contract_cn_en(path: Path) -> Truth:
    """Bilingual sales contract: English clauses left, Chinese clauses right (CID font)."""
    seller, buyer = "ZHEJIANG QIANTANG TEXTILES CO., LTD.", "UMHLANGA APPAREL (PTY) LTD"
    number, signed, latest = "QT-SC-25-0912", date(2025, 9, 12), date(2025, 11, 15)
    goods, qty, price = "100% cotton dyed twill fabric", dec(60000), dec("2.35")
    total = qty * price
    payment = "30% T/T in advance, balance against copy of B/L"
    d = Doc(path, A4)
    d.center(297, 50, "销售合同", 17, font=CJK)
    d.center(297, 68, "SALES CONTRACT", 13, True)
    d.text(40, 96, f"Contract No. 合同号: {number}", 9.5, font=CJK)
    d.right(555, 96, f"Date 日期: {long_en(signed)}", 9.5, font=CJK)
    d.text(40, 118, "Seller 卖方:", 9, font=CJK)
    d.text(110, 118, seller, 9, True)
    d.text(110, 130, "浙江钱塘纺织有限公司  No. 9 Jiangdong Road, Xiaoshan, Hangzhou, China", 8, font=CJK)
    d.text(40, 148, "Buyer 买方:", 9, font=CJK)
    d.text(110, 148, buyer, 9, True)
    d.text(110, 160, "22 Ridge Road, Umhlanga, Durban 4319, South Africa", 8)
    d.vline(297, 180, 520, 0.4)
    en_items = [("1. Commodity:", f"{goods}, 16x12/108x56, width 57/58 inches, colour navy and khaki "
                 "(HS 5209.42)."),
                ("2. Quantity:", f"{en(qty, 0)} YDS, 3% more or less allowed."),
                ("3. Unit price:", f"USD {en(price)} per yard FOB Shanghai, Incoterms 2020."),
                ("4. Total amount:", f"USD {en(total)}."),
                ("5. Shipment:",
                 f"From Shanghai, China to Durban, South Africa, not later than {iso(latest)}."),
                ("6. Payment:", f"{payment}."),
                ("7. Packing:", "In rolls of 100 yards, wrapped in PE film and woven bags.")]
    zh_items = ["1. 品名：全棉染色斜纹布，16x12/108x56，门幅 57/58 英寸，"
                "藏青色及卡其色（海关编码 5209.42）。",
                f"2. 数量：{en(qty, 0)} 码，允许溢短装 3%。",
                f"3. 单价：每码 {en(price)} 美元，FOB 上海（2020 年国际贸易术语解释通则）。",
                f"4. 总金额：{en(total)} 美元。",
                f"5. 装运：由中国上海运至南非德班，最迟装运日期 {cn_date(latest)}。",
                "6. 付款方式：30% 电汇预付，余款凭提单副本支付。",
                "7. 包装：每卷 100 码，PE 膜及编织袋包装。"]
    clauses(d, 40, 196, 245, en_items, 8.5, 8)
    y = 196
    for item in zh_items:
        lines_ = []
        cur = ""
        for chx in item:
            if d.width(cur + chx, 8.5, font=CJK) > 245:
                lines_.append(cur)
                cur = chx
            else:
                cur += chx
        lines_.append(cur)
        y = d.lines(308, y, lines_, 8.5, 11, font=CJK) + 8
    d.text(40, 560, "THE SELLER 卖方", 9, font=CJK)
    d.text(308, 560, "THE BUYER 买方", 9, font=CJK)
    d.rule(40, 280, 610, 0.4)
    d.rule(308, 555, 610, 0.4)
    d.save()
    return Truth("sales_contract",
                 "hand-authored: bilingual English/Chinese sales contract, A4, English clauses "
                 "in the left column and Chinese (CID font) in the right, FOB Shanghai, quantity in YDS",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "520942", "quantity": f(qty),
                  "unit": "YDS", "unit_price": f(price), "currency": "USD", "total_amount": f(total),
                  "incoterms": "FOB", "port_of_loading": "CNSHA", "port_of_discharge": "ZADUR",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


def recap_diesel_courier(path: Path) -> Truth:
    """Oil trader's deal recap in Courier (telex style): numbered clauses, BBL, CIF Apapa."""
    seller, buyer = "SCHELDEMONDE PETROLEUM TRADING B.V.", "LAGOON ENERGY RESOURCES LIMITED"
    number, signed, latest = "SPT-25-1187", date(2025, 9, 12), date(2025, 10, 25)
    goods, qty, price = "ULTRA LOW SULPHUR DIESEL 10 PPM", dec(300000), dec("96.15")
    total = qty * price
    payment = "100 PCT BY IRREVOCABLE STANDBY LETTER OF CREDIT, 30 DAYS AFTER B/L DATE"
    d = Doc(path, A4, "Courier")
    d.text(50, 50, "FROM : SCHELDEMONDE PETROLEUM TRADING B.V., ROTTERDAM", 9)
    d.text(50, 62, "TO   : LAGOON ENERGY RESOURCES LIMITED, LAGOS", 9)
    d.text(50, 74, f"DATE : {iso(signed)}", 9)
    d.text(50, 86, "RE   : CONTRACT CONFIRMATION / DEAL RECAP", 9)
    d.text(50, 104, "=" * 66, 9)
    d.text(50, 124, f"CONTRACT NO.: {number}", 10, True)
    d.text(50, 146, "WE ARE PLEASED TO CONFIRM THE FOLLOWING SALE:", 9)
    y = 168
    for k, v in (("SELLER", seller), ("BUYER", buyer)):
        d.text(50, y, f"{k:<7}: {v}", 9)
        y += 13
    y += 8
    items = [("1. PRODUCT", f"{goods} (EN 590), HS CODE 2710.19"),
             ("2. QUANTITY", f"{en(qty, 0)} BBL +/- 5 PCT IN SELLER'S OPTION"),
             ("3. PRICE", f"USD {en(price)} PER BBL, FIXED"),
             ("4. VALUE", f"USD {en(total)} (PROVISIONAL, BASIS {en(qty, 0)} BBL)"),
             ("5. DELIVERY", "CIF APAPA, LAGOS, NIGERIA, INCOTERMS 2020"),
             ("6. LOADPORT", "ROTTERDAM, NETHERLANDS"),
             ("7. LAYCAN", f"20-25 OCT 2025. VESSEL TO COMPLETE LOADING NOT LATER THAN {abbr(latest, True)}"),
             ("8. PAYMENT", payment),
             ("9. INSPECTION", "AT LOADPORT BY MUTUALLY AGREED INDEPENDENT INSPECTOR, COSTS 50/50, "
              "RESULTS FINAL AS TO QUALITY AND QUANTITY"),
             ("10. LAW", "ENGLISH LAW, LONDON ARBITRATION (LMAA TERMS)")]
    for k, v in items:
        d.text(50, y, f"{k:<14}:", 9)
        y = d.para(170, y, 375, v, 9, 12) + 4
    y += 12
    y = d.para(50, y, 495, "ALL OTHER TERMS AND CONDITIONS AS PER BP OIL INTERNATIONAL GENERAL TERMS AND "
               "CONDITIONS FOR CIF SALES 2015 EDITION. PLS CONFIRM BY RETURN.", 9, 12)
    d.text(50, y + 20, "BEST REGARDS", 9)
    d.text(50, y + 32, "K. DE GRAAF / TRADING DESK", 9)
    d.text(50, y + 44, seller, 9)
    d.save()
    return Truth("sales_contract",
                 "hand-authored: oil deal recap in telex style, A4, Courier, FROM/TO header, "
                 "numbered 'KEY : value' clauses with wrapped values, 300,000 BBL, CIF Apapa",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "271019", "quantity": f(qty),
                  "unit": "BBL", "unit_price": f(price), "currency": "USD", "total_amount": f(total),
                  "incoterms": "CIF", "port_of_loading": "NLRTM", "port_of_discharge": "NGAPP",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


def contrato_es(path: Path) -> Truth:
    """Spanish 'Contrato de compraventa internacional' (Times): REUNIDOS, CLÁUSULAS PRIMERA..SEXTA."""
    seller, buyer = "VIÑA LOS AROMOS S.A.", "VINOS IMPORTADOS DEL ISTMO S.A. DE C.V."
    number, signed, latest = "VLA-2025-044", date(2025, 9, 12), date(2025, 11, 15)
    goods, qty, price = "Vino tinto Cabernet Sauvignon Reserva 2023", dec(2400), dec("38.50")
    total = qty * price
    payment = "50 % anticipado por transferencia bancaria y 50 % contra copia del conocimiento de embarque"
    d = Doc(path, A4, "Times")
    d.center(297, 60, "CONTRATO DE COMPRAVENTA INTERNACIONAL DE MERCADERÍAS", 13, True)
    d.center(297, 76, f"Contrato N.º {number}", 10.5)
    y = d.para(60, 104, 475, f"En Santiago de Chile, a {es_long(signed)}.", 10.5, 14)
    d.text(60, y + 8, "REUNIDOS", 10.5, True)
    y = d.para(60, y + 26, 475,
               f"De una parte, {seller}, con domicilio en Camino Los Aromos 1450, Buin, Región "
               "Metropolitana, Chile, en adelante «el Vendedor»; y de otra, "
               f"{buyer}, con domicilio en Av. Insurgentes Sur 1602, Ciudad de México, en adelante «el "
               "Comprador», acuerdan las siguientes", 10.5, 14)
    d.text(60, y + 8, "CLÁUSULAS", 10.5, True)
    y = clauses(d, 60, y + 28, 475, [
        ("PRIMERA. Objeto.", f"{goods}, D.O. Valle del Maipo, en botellas de 750 ml (partida arancelaria "
         "2204.21)."),
        ("SEGUNDA. Cantidad.", f"{de(qty, 0)} CTNS (cajas de 12 botellas)."),
        ("TERCERA. Precio.",
         f"USD {de(price)} por caja, CIF Manzanillo (México), Incoterms 2020. Importe total: "
         f"USD {de(total)}."),
        ("CUARTA. Embarque.",
         "El Vendedor embarcará la mercadería desde el puerto de San Antonio, Chile, a más "
         f"tardar el {es_long(latest)}."),
        ("QUINTA. Pago.", f"{payment}."),
        ("SEXTA. Ley aplicable.",
         "El presente contrato se rige por la Convención de las Naciones Unidas sobre "
         "los Contratos de Compraventa Internacional de Mercaderías (Viena, 1980)."),
    ], 10.5, 7)
    d.text(60, y + 30, "EL VENDEDOR", 10, True)
    d.text(330, y + 30, "EL COMPRADOR", 10, True)
    d.rule(60, 250, y + 80, 0.4)
    d.rule(330, 520, y + 80, 0.4)
    d.save()
    return Truth("sales_contract", "hand-authored: Spanish international sale contract, A4, Times, REUNIDOS "
                 "paragraph with «el Vendedor», CLÁUSULAS PRIMERA-SEXTA, 'USD 38,50 por caja', Spanish dates",
                 {"contract_number": number, "contract_date": iso(signed), "seller_name": seller,
                  "buyer_name": buyer, "goods_description": goods, "hs_code": "220421", "quantity": f(qty),
                  "unit": "CTNS", "unit_price": f(price), "currency": "USD", "total_amount": f(total),
                  "incoterms": "CIF", "port_of_loading": "CLSAI", "port_of_discharge": "MXZLO",
                  "latest_shipment_date": iso(latest), "payment_terms": payment})


# ----------------------------------------------------------------------------------------------
# Scans, receipts, main
# ----------------------------------------------------------------------------------------------

DOCUMENTS: tuple[Callable[[Path], Truth], ...] = (
    inv_erp_cloud, inv_us_service, inv_tax_gst, rechnung_de, facture_fr, factura_es, factuur_nl, rechnung_ch,
    inv_cn_export, fapiao_cn, inv_commodity_wheat, inv_us_export, inv_uk_vat, inv_japan_yen,
    inv_two_page_dubai, inv_form_grid,
    bl_stamp_hamburg, waybill_savannah, hbl_job_no, bl_booking_genoa, bl_bulk_charter, bl_houston_nvocc,
    waybill_reefer, bl_qingdao_bilingual, bl_rider_kochi, conocimiento_bun,
    pl_cartons_xiamen, packliste_de, colisage_fr, pl_pallets_letter, pl_graphite_courier, pl_cn_bilingual,
    pl_crates_two_page, lista_empaque_mx,
    sc_palm_olein, purchase_contract_us, kaufvertrag_de, contract_cn_en, recap_diesel_courier, contrato_es,
)

# name, dpi, rotation in degrees, noise sigma, seed
SCANS: tuple[tuple[str, int, float, float, int], ...] = (
    ("inv_us_service", 200, 0.8, 6.0, 101),
    ("rechnung_de", 200, -1.2, 7.0, 102),
    ("inv_tax_gst", 200, 1.5, 5.0, 103),
    ("inv_commodity_wheat", 220, -0.6, 6.0, 104),
    ("inv_two_page_dubai", 200, 1.0, 5.0, 105),
    ("bl_stamp_hamburg", 200, -0.9, 6.0, 106),
    ("waybill_savannah", 200, 1.8, 7.0, 107),
    ("bl_bulk_charter", 220, 0.5, 6.0, 108),
    ("pl_cartons_xiamen", 200, -1.6, 5.0, 109),
    ("packliste_de", 200, 0.7, 6.0, 110),
    ("pl_crates_two_page", 200, -0.5, 6.0, 111),
    ("sc_palm_olein", 200, -1.1, 6.0, 112),
    ("pl_graphite_courier", 200, 2.0, 7.0, 113),
)

# SROIE receipt number, company, date (day first, as keyed), total
RECEIPTS: tuple[tuple[str, str, str, str], ...] = (
    ("007", "S.H.H. MOTOR (SUNGAI RENGIT) SDN. BHD.", "23-01-2019", "20.00"),
    ("067", "LIAN CHI PU TIAN VEGETARIAN RESTAURANT SDN BHD", "06/01/18", "53.55"),
    ("217", "IKANO HANDEL SDN BHD", "25/04/18", "22.00"),
    ("517", "MYNEWS RETAIL SB", "28/06/2018", "6.00"),
    ("592", "PANDAH INDAH PULAU KETAM RESTAURANT", "30-04-2018", "93.00"),
    ("622", "ONE ONE THREE SEAFOOD RESTAURANT SDN BHD", "20-06-2018", "38.00"),
)


def write_truth(path: Path, doc_type: str, source: str, fields: dict[str, Any],
                unannotated: Sequence[str] = ()) -> None:
    """Write ``NAME.json``; ``unannotated`` names fields the truth's source never annotated (not scored)."""
    truth: dict[str, Any] = {"doc_type": doc_type, "source": source, "fields": fields}
    if unannotated:
        truth["unannotated"] = list(unannotated)
    text = json.dumps(truth, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def scan(pdf: Path, png: Path, dpi: int, angle: float, sigma: float, seed: int) -> None:
    """Page 1 as a grey office scan: skewed, slightly blurred, noisy toner, a few specks, white paper."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.7))
    rng = np.random.default_rng(seed)
    arr = np.asarray(image, dtype=np.float32)
    arr = arr + rng.normal(0.0, sigma, arr.shape).astype(np.float32)
    ys = rng.integers(0, arr.shape[0], 400)
    xs = rng.integers(0, arr.shape[1], 400)
    arr[ys, xs] = rng.uniform(60, 160, 400)
    arr = np.where(arr > 212, 255.0, arr)  # paper stays white, so the PNG stays small
    arr = np.clip(np.round(arr / 17) * 17, 0, 255).astype(np.uint8)
    Image.fromarray(arr, "L").save(png, optimize=True, dpi=(dpi, dpi))


def receipt_date(s: str) -> str:
    """SROIE dates are day first: '25/04/18', '23-01-2019'."""
    day, month, year = (int(p) for p in s.replace("-", "/").split("/"))
    return date(year + 2000 if year < 100 else year, month, day).isoformat()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    truths: dict[str, Truth] = {}
    for build in DOCUMENTS:
        name = build.__name__
        truth = build(OUT / f"{name}.pdf")
        truths[name] = truth
        write_truth(OUT / f"{name}.json", truth.doc_type, truth.source, truth.fields)
    for name, dpi, angle, sigma, seed in SCANS:
        truth = truths[name]
        scan(OUT / f"{name}.pdf", OUT / f"{name}_scan.png", dpi, angle, sigma, seed)
        fields = {k: v for k, v in truth.fields.items() if k not in truth.after_page1}
        if "line_items" in fields and truth.page1_items is not None:
            fields["line_items"] = fields["line_items"][:truth.page1_items]
        source = (f"{truth.source}; page 1 rendered at {dpi} dpi (pypdfium2), rotated {angle} deg, blur and "
                  f"Gaussian noise sigma {sigma} (seed {seed})")
        write_truth(OUT / f"{name}_scan.json", truth.doc_type, source, fields)
    for number, company, day, total in RECEIPTS:
        image = OUT / f"receipt_{number}.jpg"
        src = RECEIPT_SRC / "img" / f"{number}.jpg"
        if src.exists():
            shutil.copyfile(src, image)
        elif not image.exists():
            raise SystemExit(f"missing receipt image {src}")
        write_truth(OUT / f"receipt_{number}.json", "commercial_invoice",
                    f"ICDAR 2019 SROIE receipt {number} (public dataset), copied from shared/outside-dev",
                    {"seller_name": company, "invoice_date": receipt_date(day), "total_amount": float(total)},
                    unannotated=("line_items",))
    print(f"wrote {len(DOCUMENTS)} PDFs, {len(SCANS)} scans, {len(RECEIPTS)} receipts to {OUT}")


if __name__ == "__main__":
    main()
