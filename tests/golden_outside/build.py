"""Draw the six "outside the generator" documents with reportlab, straight onto a canvas.

Run ``python tests/golden_outside/build.py`` to (re)write ``docs/*.pdf``. Nothing here goes through
``tradeverify_train.synth``: labels, layouts, names, ports and commodities are written by hand so that
they differ from the generator's six layouts (A-F) and its name lists. The expected field values
live beside the PDFs in ``expected/<name>.json``, written by hand from what is printed here.

Layouts:
- ``bl_carrier_grid``: carrier-style bill of lading, ruled grid of numbered boxes with long
  captions ("2 Consignee (if 'To Order' so indicate)"), "Ocean Vessel / Voy. No." in one box,
  a particulars block headed "Container No. / Seal No. | No. of Pkgs | ...".
- ``invoice_two_column``: commercial invoice, seller and buyer blocks on the left, invoice meta
  ("Inv. No.", "Inv. Date") on the right, an unruled items table whose description wraps.
- ``contract_proforma``: proforma sales contract, "The Seller:" / "The Buyer:" paragraphs with
  the address run on after the name, terms printed with dotted leaders.
- ``packing_per_container``: packing list, one row per container and a TOTAL row.
- ``invoice_euro``: European invoice: "1.234.567,89" amounts, "12,600" tonnes, numeric dates
  whose day/month order only another date on the page fixes; seller only in the letterhead;
  two different oils, so no single goods description or HS code, but 261 MT in all.
- ``waybill_tanker``: sea waybill for a liquid bulk cargo, caption column on the left, values on
  the right, weight in metric tons named in the caption.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

DOCS = Path(__file__).with_name("docs")
W, H = A4
REG, BOLD = "Helvetica", "Helvetica-Bold"


class Page:
    """A canvas with y measured from the top, as the documents were sketched."""

    def __init__(self, path: Path) -> None:
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1)

    def text(self, x: float, y: float, s: str, size: float = 9, font: str = REG) -> None:
        """Draw ``s`` with its baseline ``y`` points below the top edge."""
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, H - y, s)

    def right(self, x: float, y: float, s: str, size: float = 9, font: str = REG) -> None:
        """Draw ``s`` right-aligned at ``x``."""
        self.canvas.setFont(font, size)
        self.canvas.drawRightString(x, H - y, s)

    def lines(self, x: float, y: float, rows: Sequence[str], size: float = 9,
              lead: float = 11, font: str = REG) -> None:
        """Draw ``rows`` one under another."""
        for i, row in enumerate(rows):
            self.text(x, y + i * lead, row, size, font)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Stroke a rectangle given by its top-left and bottom-right corners."""
        self.canvas.rect(x0, H - y1, x1 - x0, y1 - y0)

    def rule(self, x0: float, x1: float, y: float) -> None:
        """Draw a horizontal rule."""
        self.canvas.line(x0, H - y, x1, H - y)

    def save(self) -> None:
        """Write the PDF."""
        self.canvas.showPage()
        self.canvas.save()


def boxed(page: Page, x0: float, y0: float, x1: float, y1: float,
          caption: str, body: Sequence[str], size: float = 9) -> None:
    """A ruled box: a small caption in its top-left corner, the body under it."""
    page.box(x0, y0, x1, y1)
    page.text(x0 + 3, y0 + 8, caption, 6.5)
    page.lines(x0 + 6, y0 + 20, body, size)


def bl_carrier_grid(path: Path) -> None:
    """Carrier B/L: numbered grid boxes, compound vessel/voyage box, particulars columns."""
    p = Page(path)
    p.text(40, 40, "BLUE ANCHOR", 16, BOLD)
    p.text(40, 54, "CONTAINER LINE", 9, BOLD)
    p.text(330, 40, "BILL OF LADING", 15, BOLD)
    p.text(330, 52, "FOR PORT-TO-PORT OR COMBINED TRANSPORT", 6.5)
    boxed(p, 40, 66, 300, 126, "1  Shipper / Exporter (complete name and address)",
          ["TAMARIND BAY MINING PTY LTD", "Level 9, 250 St Georges Terrace",
           "Perth WA 6000, Australia"])
    boxed(p, 300, 66, 430, 96, "5  B/L No.", ["BACLFRE2504417"])
    boxed(p, 430, 66, 555, 96, "6  Booking No.", ["FRE-778102"])
    boxed(p, 300, 96, 555, 126, "7  Carrier", ["BLUE ANCHOR CONTAINER LINE LTD."])
    boxed(p, 40, 126, 300, 186, "2  Consignee (if 'To Order' so indicate)",
          ["SUNWAY ALLOY TRADING (HK) LIMITED", "Unit 1805, 18/F, Tower 2, Lippo Centre",
           "89 Queensway, Admiralty, Hong Kong"])
    boxed(p, 300, 126, 555, 186, "8  Export References",
          ["Shipper ref. TBM-ZN-0425", "Exp. permit AU-EX-55120"])
    boxed(p, 40, 186, 300, 246, "3  Notify Party (carrier not responsible for failure to notify)",
          ["FORMOSA NONFERROUS SMELTING CORP.", "No. 12, Linhai 3rd Road, Xiaogang District",
           "Kaohsiung 812, Taiwan"])
    boxed(p, 300, 186, 555, 216, "9  Place of Receipt", ["KWINANA, WA"])
    boxed(p, 300, 216, 555, 246, "10  Place of Delivery", ["KAOHSIUNG CY"])
    boxed(p, 40, 246, 210, 276, "11  Ocean Vessel / Voy. No.", ["SEA LANTERN / 214E"])
    boxed(p, 210, 246, 300, 276, "12  IMO No.", ["9612349"])
    boxed(p, 300, 246, 430, 276, "13  Port of Loading", ["FREMANTLE, AUSTRALIA"])
    boxed(p, 430, 246, 555, 276, "14  Port of Discharge", ["KAOHSIUNG, TAIWAN"])
    _bl_particulars(p)
    boxed(p, 40, 500, 210, 530, "18  Shipped on Board", ["14 APR 2025"])
    boxed(p, 210, 500, 380, 530, "19  Place and Date of Issue", ["PERTH, 15 APR 2025"])
    boxed(p, 380, 500, 555, 530, "20  No. of Original B(s)/L", ["THREE (3)"])
    p.text(300, 560, "Signed for the Carrier BLUE ANCHOR CONTAINER LINE LTD.", 7)
    p.text(300, 590, "As Agent(s) for the Carrier", 7)
    p.save()


def _bl_particulars(p: Page) -> None:
    """Particulars furnished by the shipper: containers left, goods middle, weight right."""
    p.text(40, 292, "PARTICULARS FURNISHED BY SHIPPER - CARRIER NOT RESPONSIBLE", 7, BOLD)
    p.rule(40, 555, 298)
    heads = ((40, "Container No. / Seal No."), (170, "No. of Pkgs"),
             (250, "Description of Packages and Goods"), (455, "Gross Weight (kg)"))
    for x, head in heads:
        p.text(x, 310, head, 7.5, BOLD)
    p.rule(40, 555, 315)
    p.lines(40, 328, ["BAXU 481205 2", "BAXU 481377 9", "TCNU 902214 0", "BAXU 557031 2"], 9, 12)
    p.lines(40, 382, ["Seals: 0092711-0092714"], 7.5)
    p.text(170, 328, "8 JUMBO BAGS", 9)
    p.lines(250, 328, ["ZINC CONCENTRATE IN JUMBO BAGS", "HS CODE 2608.00",
                       "NET WEIGHT 102,400 KGS", "FREIGHT PREPAID", "SHIPPER'S LOAD, STOW AND COUNT"],
            9, 12)
    p.right(540, 328, "104,180.000", 9)


def invoice_two_column(path: Path) -> None:
    """Invoice: seller/buyer blocks left, meta right, unruled items table with a wrapped description."""
    p = Page(path)
    p.text(40, 45, "COMMERCIAL INVOICE", 16, BOLD)
    p.rule(40, 555, 55)
    p.text(40, 72, "Exporter:", 8, BOLD)
    p.lines(40, 84, ["HOANG LONG AGRO EXPORT JSC", "Lot C4, Hoa Khanh Industrial Park",
                     "Lien Chieu District, Da Nang, Vietnam", "Tax code 0401893317"])
    p.text(40, 142, "Sold to:", 8, BOLD)
    p.lines(40, 154, ["LEVANT FINE FOODS TRADING CO.", "Wasfi Al-Tal Street 118",
                      "Amman 11181, Jordan"])
    meta = (("Inv. No.:", "HLA/EX/25-0318"), ("Inv. Date:", "07 May 2025"),
            ("Contract Ref:", "HLA-SC-2025-044"), ("B/L No.:", "ATDDAD25050871"),
            ("Vessel / Voy.:", "ASIAN TRIDENT / 087W"), ("Port of Loading:", "Da Nang, Vietnam"),
            ("Port of Destination:", "Aqaba, Jordan"),
            ("Terms of Sale:", "CFR Aqaba (Incoterms 2020)"))
    for i, (label, value) in enumerate(meta):
        p.text(330, 72 + 13 * i, label, 8, BOLD)
        p.text(430, 72 + 13 * i, value, 9)
    _invoice_items(p)
    p.text(40, 380, "Say: US Dollars four hundred thirteen thousand seven hundred sixty only.", 8)
    p.text(40, 400, "Payment: 30% T/T advance, 70% against scanned copy of B/L.", 8)
    p.text(40, 440, "For HOANG LONG AGRO EXPORT JSC", 8)
    p.text(40, 480, "Authorised signatory", 8)
    p.save()


def _invoice_items(p: Page) -> None:
    """Unruled items table; the description wraps over three lines of its column."""
    heads = ((40, "No."), (62, "Description of Goods"), (262, "HS Code"), (312, "Quantity"),
             (362, "Unit"))
    for x, head in heads:
        p.text(x, 220, head, 8, BOLD)
    p.right(470, 220, "Unit Price (USD)", 8, BOLD)
    p.right(555, 220, "Amount (USD)", 8, BOLD)
    p.text(40, 236, "1", 9)
    p.lines(62, 236, ["Vietnam Robusta coffee beans, Grade 2,", "wet polished, screen 13, moisture",
                      "max 12.5%, crop 2024/2025, 60 kg bags"], 9, 11)
    p.text(262, 236, "0901.11", 9)
    p.right(350, 236, "96.000", 9)
    p.text(362, 236, "MT", 9)
    p.right(470, 236, "4,310.00", 9)
    p.right(555, 236, "413,760.00", 9)
    p.text(262, 290, "TOTAL", 9, BOLD)
    p.right(350, 290, "96.000", 9)
    p.text(362, 290, "MT", 9)
    p.right(555, 290, "USD 413,760.00", 9, BOLD)


def leader(label: str, width: float, size: float = 9) -> str:
    """Return ``label`` followed by dots up to ``width`` points (a dotted leader)."""
    dots = ""
    while stringWidth(f"{label} {dots}.", REG, size) <= width:
        dots += "."
    return f"{label} {dots}"


def contract_proforma(path: Path) -> None:
    """Proforma contract: party paragraphs, then terms with dotted leaders."""
    p = Page(path)
    p.text(170, 50, "PROFORMA SALES CONTRACT", 15, BOLD)
    p.text(40, 80, "Proforma No.: BWA-25-117", 9)
    p.right(555, 80, "Date: 3rd March 2025", 9)
    p.text(40, 105, "The Seller:", 9, BOLD)
    p.lines(100, 105, ["Brightwater Agri Commodities SA, Rue du Rhone 14, 1204 Geneva,",
                       "Switzerland, represented by its director"])
    p.text(40, 135, "The Buyer:", 9, BOLD)
    p.lines(100, 135, ["Karnaphuli Edible Oils Ltd., Plot 7, Nasirabad I/A, Chattogram,",
                       "Bangladesh, represented by its managing director"])
    p.lines(40, 170, ["The Seller agrees to sell and the Buyer agrees to buy the goods below on the",
                      "terms of this proforma, which becomes binding when countersigned by both."], 8.5)
    terms = (("Commodity", "Uruguayan yellow soybeans, crop 2025, in bulk"),
             ("HS Code", "1201.90"),
             ("Quantity", "63,000 MT (+/- 5% at Seller's option)"),
             ("Unit Price", "USD 412.75 per MT"),
             ("Total Contract Value", "USD 26,003,250.00"),
             ("Delivery Terms", "CFR FO Chittagong (Incoterms 2020)"),
             ("Loading Port", "Montevideo, Uruguay"),
             ("Port of Destination", "Chittagong, Bangladesh"),
             ("Time of Shipment", "not later than 31 May 2025"),
             ("Terms of Payment", "100% irrevocable L/C at sight, confirmed by a first class"))
    for i, (label, value) in enumerate(terms):
        y = 210 + 16 * i
        p.text(40, y, leader(label, 140), 9)
        p.text(190, y, value, 9)
    p.text(190, 210 + 16 * len(terms) - 5, "international bank", 9)
    p.text(40, 420, "For the Seller", 9, BOLD)
    p.text(330, 420, "For the Buyer", 9, BOLD)
    p.text(40, 470, "Brightwater Agri Commodities SA", 8)
    p.text(330, 470, "Karnaphuli Edible Oils Ltd.", 8)
    p.save()


def packing_per_container(path: Path) -> None:
    """Packing list: header block, one row per container, a TOTAL row."""
    p = Page(path)
    p.text(40, 45, "ANATOLIA COTTON YARNS SANAYI A.S.", 12, BOLD)
    p.text(40, 58, "Kemalpasa OSB, 35730 Izmir, Turkey", 8)
    p.right(555, 45, "PACKING LIST", 14, BOLD)
    p.rule(40, 555, 66)
    header = (("Invoice Ref.:", "ACY-INV-250611"), ("Date:", "11 June 2025"),
              ("Consignee:", "BALTIC KNITWEAR SP. Z O.O., Gdynia, Poland"),
              ("Shipment:", "Izmir, Turkey to Gdynia, Poland by sea"),
              ("Goods:", "100% cotton combed yarn Ne 30/1 on cones, in bales"))
    for i, (label, value) in enumerate(header):
        p.text(40, 84 + 13 * i, label, 8, BOLD)
        p.text(120, 84 + 13 * i, value, 9)
    heads = ((40, "Cont. No."), (125, "Seal No."), (185, "Size"))
    for x, head in heads:
        p.text(x, 170, head, 8, BOLD)
    for x, head in ((290, "Bales"), (380, "Net Wt. (kg)"), (470, "Gross Wt. (kg)"), (555, "CBM")):
        p.right(x, 170, head, 8, BOLD)
    p.rule(40, 555, 175)
    rows = (("ZCSU 733860 1", "TR4471021", "40' HC", "44", "21,120.000", "21,560.000", "67.5"),
            ("ZCSU 733912 5", "TR4471022", "40' HC", "44", "21,120.000", "21,560.000", "67.5"),
            ("TGHU 660418 1", "TR4471023", "40' HC", "44", "21,120.000", "21,560.000", "67.5"),
            ("ZCSU 734105 6", "TR4471024", "40' HC", "40", "19,200.000", "19,600.000", "61.2"))
    for i, row in enumerate(rows):
        _packing_row(p, 190 + 14 * i, row)
    p.rule(40, 555, 246)
    _packing_row(p, 260, ("TOTAL", "", "4 x 40' HC", "172", "82,560.000", "84,280.000", "263.7"),
                 BOLD)
    p.text(40, 300, "Marks: ACY / GDYNIA / BALE No. 1-172", 8)
    p.text(40, 340, "ANATOLIA COTTON YARNS SANAYI A.S. - Export Department", 8)
    p.save()


def _packing_row(p: Page, y: float, row: Sequence[str], font: str = REG) -> None:
    """One container row: text columns left-aligned, figures right-aligned."""
    for x, cell in zip((40, 125, 185), row[:3], strict=True):
        p.text(x, y, cell, 9, font)
    for x, cell in zip((290, 380, 470, 555), row[3:], strict=True):
        p.right(x, y, cell, 9, font)


def invoice_euro(path: Path) -> None:
    """European invoice: letterhead seller, dot-grouped amounts, day-first numeric dates."""
    p = Page(path)
    p.text(40, 45, "OLEIFICIO VAL DI NOTO S.R.L.", 13, BOLD)
    p.lines(40, 58, ["Contrada Bochini 22, 96017 Noto (SR), Italia",
                     "P.IVA IT01938460893 - Tel. +39 0931 573310"], 8, 10)
    p.right(555, 45, "INVOICE", 16, BOLD)
    p.rule(40, 555, 86)
    left = (("Customer:", "DISTRIBUIDORA ANDINA DE ALIMENTOS S.A.S."),
            ("", "Carrera 7 No. 71-21, Bogota, Colombia"),
            ("Contract No.:", "OVN-C-25/009"),
            ("Terms of delivery:", "CIF Cartagena"),
            ("Port of loading:", "Ravenna, Italy"),
            ("Port of discharge:", "Cartagena, Colombia"))
    for i, (label, value) in enumerate(left):
        p.text(40, 104 + 13 * i, label, 8, BOLD)
        p.text(130, 104 + 13 * i, value, 9)
    right = (("Invoice No.:", "2025/EX/0412"), ("Invoice date:", "12/03/2025"),
             ("Due date:", "11/04/2025"), ("Vessel:", "GRANDE TIRRENO"),
             ("B/L No.:", "GTRRAV0225043"), ("B/L date:", "27/02/2025"))
    for i, (label, value) in enumerate(right):
        p.text(380, 104 + 13 * i, label, 8, BOLD)
        p.text(460, 104 + 13 * i, value, 9)
    _euro_items(p)
    p.text(40, 330, "Payment: 60 days from B/L date by bank transfer to IBAN IT60X0542811101000000123456.", 8)
    p.text(40, 345, "Origin of goods: Italy. Goods travel at the buyer's risk once loaded on board.", 8)
    p.save()


def _euro_items(p: Page) -> None:
    """Two item rows, European numbers, then the invoice total."""
    for x, head in ((40, "Pos."), (70, "Description"), (270, "Customs Tariff"), (345, "Qty")):
        p.text(x, 200, head, 8, BOLD)
    p.text(390, 200, "Unit", 8, BOLD)
    p.right(480, 200, "Price/Unit EUR", 8, BOLD)
    p.right(555, 200, "Total EUR", 8, BOLD)
    rows = (("10", "Extra virgin olive oil, acidity max 0,8%,", "1509.20", "218,400", "7.450,00",
             "1.627.080,00"),
            ("20", "Refined olive pomace oil, in flexitanks", "1510.10", "42,600", "2.180,00",
             "92.868,00"))
    for i, (pos, desc, hs, qty, price, amount) in enumerate(rows):
        y = 216 + 26 * i
        p.text(40, y, pos, 9)
        p.text(70, y, desc, 9)
        p.text(270, y, hs, 9)
        p.right(380, y, qty, 9)
        p.text(390, y, "MT", 9)
        p.right(480, y, price, 9)
        p.right(555, y, amount, 9)
    p.text(70, 227, "in flexitanks", 9)
    p.rule(300, 555, 270)
    p.text(300, 284, "Total amount EUR", 9, BOLD)
    p.right(555, 284, "1.719.948,00", 9, BOLD)


def waybill_tanker(path: Path) -> None:
    """Sea waybill for liquid bulk: a caption column and a value column, no rules."""
    p = Page(path)
    p.text(40, 45, "CARIBBEAN TANKSHIPS LTD.", 12, BOLD)
    p.right(555, 45, "SEA WAYBILL", 15, BOLD)
    p.right(555, 58, "Non-negotiable", 8)
    rows: tuple[tuple[str, Sequence[str]], ...] = (
        ("Waybill No.", ["CTS-PLS-25-0193"]),
        ("Consignor", ["POINT LISAS METHANOL HOLDINGS LTD.", "Atlantic Avenue, Point Lisas Estate",
                       "Couva, Trinidad and Tobago"]),
        ("Consigned To", ["IBERIA QUIMICA DISTRIBUCION S.L.", "Poligono Sur, Parcela 14",
                          "43006 Tarragona, Spain"]),
        ("Notify Address", ["MARITIMA DEL SUR AGENCIA S.A.", "Muelle de Cataluna, Tarragona"]),
        ("Name of Carrier", ["Caribbean Tankships Ltd."]),
        ("Vessel Name", ["MT CORAL SEA SPIRIT"]),
        ("IMO Number", ["9488035"]),
        ("Voyage No.", ["2507"]),
        ("Port of Shipment", ["Point Lisas, Trinidad and Tobago"]),
        ("Discharge Port", ["Tarragona, Spain"]),
        ("Description of Cargo", ["METHANOL (UN 1230), IMO CLASS 3, IN BULK"]),
        ("HS Code", ["2905.11"]),
        ("Gross Weight (Metric Tons)", ["35,012.450"]),
        ("Date of Shipment", ["09 April 2025"]),
        ("Place & Date of Issue", ["Point Lisas, 10 April 2025"]),
    )
    y = 90.0
    for caption, values in rows:
        p.text(40, y, caption.upper(), 7.5, BOLD)
        p.lines(200, y, values, 9, 11)
        y += 11 * len(values) + 9
    p.text(40, y + 20, "Signed for the Master by Caribbean Tankships Ltd. as Carrier", 7)
    p.save()


BUILDERS: dict[str, Callable[[Path], None]] = {
    "bl_carrier_grid": bl_carrier_grid,
    "invoice_two_column": invoice_two_column,
    "contract_proforma": contract_proforma,
    "packing_per_container": packing_per_container,
    "invoice_euro": invoice_euro,
    "waybill_tanker": waybill_tanker,
}


def main() -> None:
    """Write every document to ``docs/``."""
    DOCS.mkdir(exist_ok=True)
    for name, build in BUILDERS.items():
        build(DOCS / f"{name}.pdf")
        print(DOCS / f"{name}.pdf")


if __name__ == "__main__":
    main()
