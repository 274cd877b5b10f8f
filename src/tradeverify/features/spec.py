"""The feature spec: names in model order, the red-flag family each belongs to, and its meaning."""

from __future__ import annotations

from dataclasses import dataclass

FEATURE_VERSION = "10"


@dataclass(frozen=True)
class FeatureDef:
    """One model feature."""

    name: str
    family: str  # the red-flag code (shared/DESIGN §5) whose evidence this feature carries
    meaning: str


FEATURES: tuple[FeatureDef, ...] = (
    FeatureDef("imo_valid", "VESSEL_IDENTITY", "IMO check digit is valid"),
    FeatureDef("vessel_known", "VESSEL_IDENTITY", "vessel is in the registry"),
    FeatureDef("vessel_name_similarity", "VESSEL_IDENTITY", "B/L vessel name vs registry name"),
    FeatureDef("pol_call_gap_hours", "VESSEL_NOT_AT_PORT",
               "hours between the on-board date and the vessel's nearest call at the port"),
    FeatureDef("pol_reach_slack_hours", "VESSEL_NOT_AT_PORT",
               "hours to spare for the vessel to have been at the port within the tolerance of the "
               "on-board date (negative: impossible)"),
    FeatureDef("ais_leg_excess_hours", "VESSEL_NOT_AT_PORT",
               "hours of the AIS leg around the date not explained by a direct passage"),
    FeatureDef("pol_pace_slack_hours", "VESSEL_NOT_AT_PORT",
               "hours to spare for the vessel to have been at the port on the on-board date at its "
               "usual speed (negative: AIS shows it at sea or elsewhere)"),
    FeatureDef("weight_over_dwt", "VESSEL_CARGO_MISMATCH", "B/L gross weight / the ship's deadweight"),
    FeatureDef("cargo_vessel_fit", "VESSEL_CARGO_MISMATCH", "the ship's type may carry these goods"),
    FeatureDef("price_log_ratio", "PRICE_DEVIATION", "log(unit price / benchmark median)"),
    FeatureDef("price_robust_z", "PRICE_DEVIATION", "price deviation in benchmark dispersions"),
    FeatureDef("price_abs_z", "PRICE_DEVIATION", "size of the price deviation in dispersions"),
    FeatureDef("price_dispersion", "PRICE_DEVIATION", "the commodity's price dispersion"),
    FeatureDef("price_abs_z_unconfirmed", "PRICE_DEVIATION",
               "size of the price deviation, 0 when the declared customs value confirms it"),
    FeatureDef("bl_number_seen", "DUPLICATE_DOCUMENT", "earlier submissions with this B/L number"),
    FeatureDef("bl_same_voyage_overlap", "DUPLICATE_DOCUMENT",
               "container (or bulk cargo) overlap with an earlier B/L of the same vessel and date"),
    FeatureDef("container_seen_elsewhere", "DUPLICATE_DOCUMENT",
               "container overlap with any earlier B/L"),
    FeatureDef("invoice_number_seen", "DUPLICATE_DOCUMENT",
               "earlier submissions with this invoice number"),
    FeatureDef("inv_qty_vs_pl_net", "QTY_WEIGHT_MISMATCH", "invoice quantity vs packing-list net"),
    FeatureDef("bl_gross_vs_inv_qty", "QTY_WEIGHT_MISMATCH", "B/L gross weight vs invoice quantity"),
    FeatureDef("pl_gross_vs_bl_gross", "QTY_WEIGHT_MISMATCH", "packing-list vs B/L gross weight"),
    FeatureDef("weight_gap_abs_max", "QTY_WEIGHT_MISMATCH",
               "largest weight disagreement between invoice, packing list and B/L"),
    FeatureDef("packages_pl_vs_bl", "QTY_WEIGHT_MISMATCH", "packing-list vs B/L packages"),
    FeatureDef("containers_pl_bl_overlap", "QTY_WEIGHT_MISMATCH",
               "packing-list vs B/L container overlap"),
    FeatureDef("contract_vs_invoice_qty", "CHAIN_MISMATCH", "contract vs invoice quantity"),
    FeatureDef("margin_outside_band", "MARGIN_ANOMALY",
               "margin beyond the trade model's normal band (0 inside, negative below, positive above)"),
    FeatureDef("trade_model_code", "CONTEXT",
               "trade model: 0 resale, 1 global procurement, 2 entrusted processing, 3 contracted project"),
    FeatureDef("processing_route_known", "CHAIN_MISMATCH",
               "processing deals: the sold goods are what the bought goods are processed into"),
    FeatureDef("processing_yield_gap", "CHAIN_MISMATCH",
               "processing deals: sold quantity outside the route's yield, relative"),
    FeatureDef("chain_port_disagreements", "CHAIN_MISMATCH",
               "ports of loading/discharge that differ between contracts, invoice and B/L"),
    FeatureDef("chain_qty_gap", "CHAIN_MISMATCH", "sales vs purchase contract quantity gap"),
    FeatureDef("chain_goods_disagreements", "CHAIN_MISMATCH", "HS codes that differ between documents"),
    FeatureDef("container_invalid_share", "CONTAINER_INVALID", "containers failing the ISO 6346 check digit"),
    FeatureDef("container_events_share", "CONTAINER_INVALID",
               "containers the carrier shows loaded on this ship at this port and date"),
    FeatureDef("containers_without_events", "CONTAINER_INVALID",
               "containers with a valid check digit of which the carrier's feed has no event at all"),
    FeatureDef("watchlist_strict_score", "WATCHLIST_HIT",
               "best whole-name match of a party against the sanctions list (a name that is only part "
               "of a listed one scores below 0.9)"),
    FeatureDef("counterparty_age_days", "PARTY_PROFILE",
               "days since the youngest counterparty was incorporated (two years and more: 730)"),
    FeatureDef("customs_covered", "CUSTOMS_MISMATCH",
               "customs data covers the country of loading or of discharge"),
    FeatureDef("customs_found", "CUSTOMS_MISMATCH",
               "a declaration (export, else import) matches the shipment"),
    FeatureDef("customs_qty_gap", "CUSTOMS_MISMATCH", "invoice vs declared quantity"),
    FeatureDef("customs_value_gap", "CUSTOMS_MISMATCH",
               "invoice or sale contract vs declared value, the closer"),
    FeatureDef("invoice_bl_reference_match", "CHAIN_MISMATCH",
               "invoice quotes the B/L number of the B/L"),
    FeatureDef("days_onboard_to_invoice", "CHRONOLOGY", "days from on-board date to invoice date"),
    FeatureDef("days_contract_to_onboard", "CHRONOLOGY", "days from purchase contract to on-board"),
    FeatureDef("days_onboard_to_bl_issue", "CHRONOLOGY", "days from on-board date to B/L issue date"),
    FeatureDef("days_latest_shipment_to_onboard", "CHRONOLOGY",
               "days the shipment was later than the contract allowed"),
    FeatureDef("chronology_violation_days", "CHRONOLOGY",
               "most days any document date is out of order (invoice or B/L issued before loading, "
               "loading after the latest shipment date)"),
    FeatureDef("invoice_amount_gap", "CHAIN_MISMATCH", "quantity x unit price vs invoice total"),
    FeatureDef("pod_call_days", "VOYAGE_IMPLAUSIBLE",
               "days from the on-board date to the vessel's first call at the port of discharge"),
    FeatureDef("pod_detour_spare_hours", "VOYAGE_IMPLAUSIBLE",
               "no discharge call recorded: most hours a voyage leg leaves for an unrecorded call there "
               "(negative: none could)"),
    FeatureDef("pod_gap_detour_ratio", "VOYAGE_IMPLAUSIBLE",
               "no discharge call recorded: miles to the port of discharge via the earliest leg with time "
               "for an unrecorded call there, over the direct distance"),
    FeatureDef("voyage_speed_ratio", "VOYAGE_IMPLAUSIBLE",
               "speed needed from loading to discharge as a share of the vessel type's top speed"),
    FeatureDef("route_detour_ratio", "ROUTE_RISK",
               "miles sailed between loading and discharge over the direct sea distance"),
    FeatureDef("route_risk_calls_voyage", "ROUTE_RISK",
               "calls at ports of high-risk jurisdictions between loading and discharge"),
    FeatureDef("route_risk_days_before_loading", "ROUTE_RISK",
               "days since the vessel left a port of a high-risk jurisdiction before loading"),
    FeatureDef("route_high_risk_ports_on_documents", "ROUTE_RISK",
               "ports of high-risk jurisdictions named on the documents"),
    FeatureDef("circular_cycle_length", "CIRCULAR_TRADE",
               "parties in the shortest cycle of same-goods trades this deal closes (0: none)"),
    FeatureDef("circular_related_parties", "CIRCULAR_TRADE",
               "the supplier and the buyer are the same company or related companies"),
    FeatureDef("template_text_similarity", "TEMPLATE_CLONE",
               "share of wording the purchase and sales contracts have in common"),
    FeatureDef("template_layout_similarity", "TEMPLATE_CLONE",
               "share of word positions the purchase and sales contracts have in common"),
    FeatureDef("template_clause_containment", "TEMPLATE_CLONE",
               "share of the shorter contract's clauses found word for word in the other"),
    FeatureDef("template_clone_check", "TEMPLATE_CLONE",
               "the contracts share their form and their wording, or every clause and their form (1)"),
    FeatureDef("documents_missing", "INCOMPLETE", "documents missing or unreadable"),
    FeatureDef("low_confidence_share", "INCOMPLETE", "share of fields read with low confidence"),
    # Filled by the risk model from the features above (model/outlier.py), not by the matchers.
    FeatureDef("evidence_outlier", "ANOMALY",
               "how far the deal's most unusual evidence lies outside the range of 99 % of honest "
               "training deals (log of one plus range widths; 0 inside)"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
BY_NAME: dict[str, FeatureDef] = {f.name: f for f in FEATURES}
# Families the outlier score does not look at: context, what could not be read, and itself.
OUTLIER_BLIND = frozenset({"CONTEXT", "INCOMPLETE", "ANOMALY"})
# The column the risk model fills itself (model/outlier.py), never the matchers.
OUTLIER_COLUMN = FEATURE_NAMES.index("evidence_outlier")
