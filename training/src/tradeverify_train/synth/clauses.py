"""Contract terms in each issuer's house style, and the standard forms many issuers share.

A company words its contracts the same way every time: its house style picks one wording per
topic, seeded by its company id, so it does not depend on the world's random stream. A cloned
contract (TEMPLATE_CLONE) reuses the other leg's style; a standard form (a benign lookalike)
gives both legs the same trade-association wording.
"""

from __future__ import annotations

import random

TOPICS: dict[str, tuple[str, ...]] = {
    "quality": (
        "Quality and weight as determined by an independent surveyor at the port of loading shall be "
        "final and binding on both parties.",
        "The certificate of quality and weight issued by a first-class inspection company at loading "
        "shall be conclusive evidence of the goods delivered.",
        "Inspection at the loading port by a mutually agreed surveyor shall be final as to quality, "
        "and the cost of such inspection shall be borne by the Seller.",
        "The Buyer may appoint a surveyor at its own expense; the loaded weight and quality so "
        "certified shall be accepted by both parties without further claim.",
        "Goods shall conform to the specification annexed hereto, and any deviation found by the "
        "discharge surveyor shall be settled by a price allowance within thirty days.",
    ),
    "payment": (
        "The Buyer shall pay the full invoice value against presentation of the shipping documents "
        "listed in this contract, without deduction or set-off of any kind.",
        "Payment shall be effected in the contract currency to the account nominated by the Seller "
        "upon receipt of a full set of original documents.",
        "All bank charges outside the country of the Buyer are for the account of the Seller, and "
        "charges inside that country are for the account of the Buyer.",
        "Should the Buyer fail to pay on the due date, interest shall accrue at two percent above "
        "the prevailing reference rate until the date of actual payment.",
        "The Seller shall present documents within twenty-one days after the date of shipment and in "
        "any event before the expiry of the credit.",
    ),
    "risk": (
        "Risk and title shall pass from the Seller to the Buyer when the goods have passed the ship's "
        "rail at the port of loading.",
        "Property in the goods passes to the Buyer upon full payment, while risk of loss passes in "
        "accordance with the agreed Incoterms rule.",
        "Insurance shall be arranged by the party so obliged under the delivery terms, covering one "
        "hundred and ten percent of the invoice value against all risks.",
        "The Seller warrants good title to the goods, free from any lien, charge or encumbrance at "
        "the time of delivery on board the vessel.",
        "Any demurrage incurred at the loading port shall be for the Seller's account and at the "
        "discharge port for the Buyer's account at the charter party rate.",
    ),
    "force_majeure": (
        "Neither party shall be liable for delay or failure caused by war, strikes, epidemics, "
        "government action or other events beyond its reasonable control.",
        "If performance is prevented for more than sixty days by force majeure, either party may "
        "cancel the unperformed part of this contract by written notice.",
        "The party affected by force majeure shall notify the other within seven days and furnish a "
        "certificate of the competent chamber of commerce.",
        "Events of force majeure shall suspend the obligations of the affected party for so long as "
        "the event continues, without liability for damages.",
    ),
    "law": (
        "This contract shall be governed by and construed in accordance with English law, excluding "
        "the United Nations Convention on Contracts for the International Sale of Goods.",
        "This contract is governed by the laws of Singapore, and the parties submit to the "
        "non-exclusive jurisdiction of its courts.",
        "The laws of the State of New York shall govern this contract and any non-contractual "
        "obligations arising out of or in connection with it.",
        "Matters not provided for herein shall be governed by the Incoterms 2020 rules and the laws "
        "of Hong Kong.",
    ),
    "disputes": (
        "Any dispute arising from this contract shall be settled by arbitration in Singapore under "
        "the SIAC rules in force at the date of the notice of arbitration.",
        "All disputes shall be referred to arbitration in London under the LMAA terms, and the award "
        "shall be final and binding upon both parties.",
        "Disputes shall be finally resolved by the China International Economic and Trade "
        "Arbitration Commission in accordance with its rules.",
        "The parties shall first seek to settle any dispute amicably within thirty days, failing "
        "which it shall be submitted to arbitration at the ICC in Paris.",
    ),
}
# Trade-association forms: many honest issuers print exactly these words.
STANDARD_FORMS: tuple[dict[str, int], ...] = (
    {"quality": 0, "payment": 0, "risk": 0, "force_majeure": 0, "law": 0, "disputes": 1},
    {"quality": 1, "payment": 4, "risk": 2, "force_majeure": 1, "law": 1, "disputes": 0},
)


def house_style(company_id: str) -> dict[str, int]:
    """Return a company's wording per topic (3 to 6 topics), the same every time."""
    rng = random.Random(f"house-style:{company_id}")
    topics = sorted(rng.sample(sorted(TOPICS), rng.randint(3, 6)), key=list(TOPICS).index)
    return {t: rng.randrange(len(TOPICS[t])) for t in topics}


def clause_text(style: dict[str, int]) -> tuple[str, ...]:
    """Return the clauses a contract in this style prints, in order (the renderer numbers them)."""
    return tuple(TOPICS[t][k] for t, k in style.items())
