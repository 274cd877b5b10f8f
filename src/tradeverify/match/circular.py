"""Circular trade: goods that come back to where they started, through related or repeat parties.

The party graph (networkx) has one node per company fingerprint and one edge per trade leg in the
same goods (HS heading) recorded in the registries, plus both-way edges between companies the
company registry lists as related. The deal's own legs are supplier -> applicant -> buyer; a path
from the buyer back to the supplier (or a company related to it) closes a cycle.
"""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
from rapidfuzz import fuzz, process, utils

from tradeverify.domain import Check
from tradeverify.match.evidence import UNKNOWN, Evidence, SubmissionDocs
from tradeverify.match.parties import MATCH_COMPANY
from tradeverify.reference.fingerprints import goods_fingerprint, party_fingerprint
from tradeverify.reference.registry import Lookup
from tradeverify.reference.store import ReferenceStore

MAX_CYCLE = 4  # longer chains are ordinary market structure, not a round trip
# A round trip re-finances the same goods within the financing's tenor (usance up to 180 days,
# plus the voyage); an older leg in the same heading is ordinary repeat trade.
LOOKBACK_DAYS = 200


def _parties(docs: SubmissionDocs) -> tuple[str | None, str | None, str | None]:
    supplier = docs.get("purchase_contract", "seller_name") or docs.get("commercial_invoice", "seller_name")
    applicant = docs.applicant or docs.get("purchase_contract", "buyer_name")
    return supplier, applicant, docs.get("sales_contract", "buyer_name")


def _registered(name: str, names: list[str]) -> str:
    """Return the company registry's spelling of a printed name (the name itself if unknown)."""
    found = process.extractOne(name, names, scorer=fuzz.token_sort_ratio, processor=utils.default_process)
    return str(found[0]) if found and found[1] >= MATCH_COMPANY else name


def _related_edges(store: ReferenceStore, key: str) -> list[tuple[str, str]]:
    companies = store.companies()
    by_id = {str(c["company_id"]): str(c["name"]) for c in companies}
    edges = []
    for c in companies:
        for other in str(c.get("related_to") or "").split("|"):
            if other in by_id:
                a, b = party_fingerprint(key, str(c["name"])), party_fingerprint(key, by_id[other])
                edges += [(a, b), (b, a)]
    return edges


def _earlier(row: dict[str, object], as_of: date | None) -> bool:
    """Return True for a leg presented within the lookback before ``as_of`` (any, if unknown)."""
    if as_of is None:
        return True
    try:
        when = date.fromisoformat(str(row.get("submitted_at") or "")[:10])
    except ValueError:
        return True  # an undated leg still links the parties
    return as_of - timedelta(days=LOOKBACK_DAYS) <= when < as_of


def party_graph(lookup: Lookup, store: ReferenceStore, key: str, hs_code: str,
                submission_id: str, as_of: date | None = None) -> nx.DiGraph:
    """Return the graph of earlier legs in these goods and of related companies."""
    graph = nx.DiGraph()
    for row in lookup.registry_legs(goods_fingerprint(key, hs_code)):
        if row.get("submission_id") != submission_id and _earlier(row, as_of):
            graph.add_edge(str(row["seller_fp"]), str(row["buyer_fp"]), kind="trade")
    for a, b in _related_edges(store, key):
        graph.add_edge(a, b, kind="related")
    return graph


def _group(graph: nx.DiGraph, node: str) -> set[str]:
    """Return a company and the companies the registry lists as related to it."""
    if node not in graph:
        return {node}
    return {node} | {b for _, b, k in graph.out_edges(node, data="kind") if k == "related"}


def _trade_path(graph: nx.DiGraph, sources: set[str], targets: set[str]) -> int | None:
    """Return the fewest same-goods trades leading from any source to any target (0: they meet)."""
    if sources & targets:
        return 0
    trades = graph.edge_subgraph([(a, b) for a, b, k in graph.edges(data="kind") if k == "trade"])
    nodes = set(trades)
    lengths = [nx.shortest_path_length(trades, s, t) for s in sources & nodes for t in targets & nodes
               if nx.has_path(trades, s, t)]
    return min(lengths, default=None)


def circular_evidence(docs: SubmissionDocs, store: ReferenceStore, lookup: Lookup, key: str,
                      submission_id: str, as_of: date | None = None) -> Evidence:
    """Shortest cycle closed by this deal's legs, and whether supplier and buyer are related.

    Only legs presented in the ``LOOKBACK_DAYS`` before ``as_of`` (the submission date) count:
    what the registry knew when the deal came in, so re-scoring an old batch sees no later trades.
    """
    supplier, applicant, buyer = _parties(docs)
    hs = docs.get("commercial_invoice", "hs_code") or docs.get("purchase_contract", "hs_code")
    ev = Evidence(features={"circular_cycle_length": UNKNOWN, "circular_related_parties": UNKNOWN})
    if not (supplier and applicant and buyer and hs):
        ev.checks.append(Check(name="circular_trade", status="unknown", detail="parties or goods missing"))
        return ev
    names = [str(c["name"]) for c in store.companies()]
    fp = {role: party_fingerprint(key, _registered(name, names))
          for role, name in (("supplier", supplier), ("buyer", buyer))}
    graph = party_graph(lookup, store, key, str(hs), submission_id, as_of)
    suppliers = _group(graph, fp["supplier"])
    # Goods come back when trades lead from the buyer to the supplier or its affiliates. A path
    # back to the applicant is not counted: an applicant buys from many sellers, and in the
    # training world 9 of 14 chance cycles closed that way (buyer -> any seller -> applicant).
    back = _trade_path(graph, {fp["buyer"]}, suppliers)
    cycle = back + 2 if back is not None and back + 2 <= MAX_CYCLE else 0
    related = fp["buyer"] in suppliers
    ev.features["circular_cycle_length"] = float(cycle)
    ev.features["circular_related_parties"] = float(related or fp["supplier"] == fp["buyer"])
    ev.facts["circular"] = {"cycle_length": cycle, "related": related}
    closed = cycle > 0
    ev.checks.append(Check.verdict("circular_trade", closed,
                                   f"the goods return to the seller's side in a {cycle}-party cycle"
                                   if closed else "no earlier leg in these goods leads back"))
    return ev
