"""Party and paper schemes: circular trade, cloned contracts, and their honest lookalikes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tradeverify_train.synth.clauses import STANDARD_FORMS, TOPICS, house_style
from tradeverify_train.synth.deals import Deal, new_deal
from tradeverify_train.synth.world import Company, World


def _earlier_leg(world: World, deal: Deal, seller: Company, buyer: Company, tag: str,
                 *, same_goods: bool) -> Deal:
    """Return an earlier, financed deal in which ``seller`` sold to ``buyer``."""
    old = new_deal(world, f"H{deal.submission_id}-{tag}", deal.bank_id)
    goods = deal.commodity if same_goods else world.rng.choice(
        [c for c in world.commodities if c.hs_code[:4] != deal.commodity.hs_code[:4]])
    # Financed before this deal was presented: the registry knows it when the deal comes in.
    when = deal.submitted_at - timedelta(days=world.rng.randint(20, 200))
    return replace(old, supplier=seller, applicant=buyer, commodity=goods, submitted_at=when)


def circular_trade(world: World, deal: Deal, mag: object, history: list[Deal]) -> Deal:
    """Sell the goods back towards where they came from.

    Either the buyer is the supplier's affiliate, or earlier same-goods legs lead from the buyer
    back to the supplier (directly, or through one more company).
    """
    rng = world.rng
    if rng.random() < 0.4:
        pairs = [(c, world.company(c.related_to)) for c in world.by_role("supplier") if c.related_to]
        supplier, buyer = rng.choice(pairs)
        return replace(deal, supplier=supplier, buyer=buyer, typology="CIRCULAR_TRADE", magnitude=3.0)
    if rng.random() < 0.5:
        history.append(_earlier_leg(world, deal, deal.buyer, deal.supplier, "C1", same_goods=True))
        return replace(deal, typology="CIRCULAR_TRADE", magnitude=3.0)
    middle = rng.choice([c for c in world.by_role("buyer") if c != deal.buyer])
    history.append(_earlier_leg(world, deal, deal.buyer, middle, "C1", same_goods=True))
    history.append(_earlier_leg(world, deal, middle, deal.supplier, "C2", same_goods=True))
    return replace(deal, typology="CIRCULAR_TRADE", magnitude=4.0)


def repeat_counterparty(world: World, deal: Deal, history: list[Deal]) -> Deal:
    """Benign: the buyer once sold the supplier other goods (a trade relation, not a loop)."""
    history.append(_earlier_leg(world, deal, deal.buyer, deal.supplier, "R1", same_goods=False))
    return replace(deal, lookalike="REPEAT_COUNTERPARTY")


def template_clone(world: World, deal: Deal, mag: object, _h: list[Deal]) -> Deal:
    """Fabricate the upstream contract from the applicant's own sales contract.

    Same layout, same wording; a careful forger changes one clause so it is near-identical only.
    """
    rng = world.rng
    style = dict(house_style(deal.applicant.company_id))
    edited = rng.random() < 0.4
    if edited:
        missing = [t for t in TOPICS if t not in style]
        topic = rng.choice(missing or list(style))
        style[topic] = rng.randrange(len(TOPICS[topic]))
    return replace(deal, clause_styles={**deal.clause_styles, "purchase_contract": style},
                   same_contract_layout=True, typology="TEMPLATE_CLONE", magnitude=float(edited))


def standard_form(world: World, deal: Deal) -> Deal:
    """Benign: both sellers contract on the same trade-association form, each in its own layout."""
    form = world.rng.choice(STANDARD_FORMS)
    styles = {"purchase_contract": dict(form), "sales_contract": dict(form)}
    return replace(deal, clause_styles=styles, same_contract_layout=False, lookalike="STANDARD_FORM")
