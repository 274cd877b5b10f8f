"""Write a synthetic world: reference tables, rendered submissions, labels and ground truth.

Layout of ``DIR``::

    reference/<table>.csv        the tables of shared/DESIGN §4
    submissions/<id>/            documents + submission.json (what a bank would send)
    truth/<id>/<stem>.json       ground-truth fields per document
    labels.csv                   submission_id,is_fraud,typology,lookalike,magnitude,scanned,trade_model
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tradeverify.reference.schemas import TABLES
from tradeverify_train.synth import typologies
from tradeverify_train.synth.deals import Deal, new_deal
from tradeverify_train.synth.docspec import LAYOUT_SETS, DocSpec
from tradeverify_train.synth.documents import DOCUMENT_STEMS, deal_documents, submission_json
from tradeverify_train.synth.reference_tables import reference_rows
from tradeverify_train.synth.render import render_pdf
from tradeverify_train.synth.scan import scan_document
from tradeverify_train.synth.world import World, build_world

BANKS = ("BANK001", "BANK002", "BANK003")
SCAN_FORMATS = (".png", ".jpg", ".pdf")


@dataclass(frozen=True)
class WorldConfig:
    """Knobs of a generated world."""

    n: int = 200
    seed: int = 0
    fraud_rate: float = 0.05
    lookalike_rate: float = 0.25
    scanned_rate: float = 0.2
    history: int = 0  # earlier, already financed deals in the registry; 0 = n // 2
    magnitudes: typologies.Magnitudes = field(default_factory=typologies.Magnitudes)
    layout_set: str = "train"  # issuer layouts to draw from: "train" (A-D) or "holdout" (E, F)
    bilingual_rate: float = 0.15  # share of documents printed in English + Simplified Chinese


# In a bilingual document, the share of fields labelled in Chinese alone, and how often its
# dates are printed the Chinese way ("2025年3月12日").
ZH_ONLY_RATE = 0.3
ZH_DATES_RATE = 0.5


def bilingual_variant(spec: DocSpec, rng: random.Random, rate: float) -> DocSpec:
    """Return ``spec`` printed bilingual with probability ``rate`` (else unchanged).

    The caller's ``rng`` is its own stream, so adding languages leaves every other draw of a
    seeded world (deals, layouts, scans) as it was.
    """
    if rng.random() >= rate:
        return spec
    zh_only = frozenset(name for name in sorted(spec.fields) if rng.random() < ZH_ONLY_RATE)
    return replace(spec, lang="en+zh", zh_only=zh_only, zh_dates=rng.random() < ZH_DATES_RATE)


def _history(world: World, count: int) -> list[Deal]:
    return [new_deal(world, f"H{i:06d}", world.rng.choice(BANKS)) for i in range(count)]


def _current(
    world: World, cfg: WorldConfig, history: list[Deal]
) -> tuple[list[Deal], list[Deal]]:
    """Return (presented deals, genuine deals): what the documents say and what really happened."""
    deals, genuine = [], []
    for i in range(cfg.n):
        real, deal = _draw(world, cfg, history, f"S{cfg.seed:04d}-{i:06d}", world.rng.choice(BANKS))
        genuine.append(real)
        layouts = {stem: world.rng.choice(LAYOUT_SETS[cfg.layout_set]) for stem in DOCUMENT_STEMS}
        layouts = _contract_layouts(deal, layouts, LAYOUT_SETS[cfg.layout_set], world.rng)
        deals.append(replace(deal, layouts=layouts))
    return deals, genuine


def _contract_layouts(
    deal: Deal, layouts: dict[str, str], choices: tuple[str, ...], rng: random.Random
) -> dict[str, str]:
    """Apply a scheme's constraint on the two contracts' layouts (a clone copies the other's)."""
    if deal.same_contract_layout is True:
        return {**layouts, "purchase_contract": layouts["sales_contract"]}
    if deal.same_contract_layout is False and layouts["purchase_contract"] == layouts["sales_contract"]:
        others = [c for c in choices if c != layouts["sales_contract"]]
        return {**layouts, "purchase_contract": rng.choice(others)} if others else layouts
    return layouts


def _draw(
    world: World, cfg: WorldConfig, history: list[Deal], sid: str, bank: str
) -> tuple[Deal, Deal]:
    """Return (genuine deal, presented deal) for one submission.

    A typology does not fit every deal (no containers to forge, no call to relabel): the draw is
    repeated with a fresh deal so that the fraud rate and the typology mix are what was asked.
    """
    typology = typologies.choose_typology(world.rng, cfg.fraud_rate)
    for _ in range(50):
        deal = new_deal(world, sid, bank)
        if not typology:
            if world.rng.random() < cfg.lookalike_rate:
                shown = typologies.benign_lookalike(world, deal, history)
                return typologies.lookalike_truth(deal, shown), shown
            return deal, deal
        presented = typologies.INJECTORS[typology](world, deal, cfg.magnitudes, history)
        if presented.typology:
            return (presented if typology in typologies.TRUE_SHIPMENT else deal), presented
    raise RuntimeError(f"typology {typology} could not be injected into 50 fresh deals")


def write_table(path: Path, table: str, rows: Iterable[dict[str, object]]) -> None:
    """Write one reference table as CSV with its schema's columns."""
    columns = [c.name for c in TABLES[table]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _write_submission(
    out: Path, deal: Deal, scanned: bool, rng: random.Random, lang: tuple[random.Random, float]
) -> None:
    folder, truth = out / "submissions" / deal.submission_id, out / "truth" / deal.submission_id
    folder.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    for stem, spec in deal_documents(deal).items():
        spec = bilingual_variant(spec, *lang)
        pdf = folder / f"{stem}.pdf"
        render_pdf(spec, pdf)
        name = pdf.name
        if scanned:
            target = folder / f"{stem}{rng.choice(SCAN_FORMATS)}"
            tmp = folder / f".{stem}.digital.pdf"
            pdf.rename(tmp)
            scan_document(tmp, target, seed=rng.randrange(2**31))
            tmp.unlink()
            name = target.name
        record = {"file": name, "scanned": scanned, **spec.truth()}
        (truth / f"{stem}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    meta = json.dumps(submission_json(deal), indent=1, sort_keys=True) + "\n"
    (folder / "submission.json").write_text(meta)


def generate_world(
    out: Path, cfg: WorldConfig, progress: Callable[[int, int], None] | None = None
) -> list[Deal]:
    """Generate a world into ``out`` and return its current deals."""
    world = build_world(cfg.seed)
    history = _history(world, cfg.history or max(20, cfg.n // 2))
    deals, genuine = _current(world, cfg, history)
    scanned = [world.rng.random() < cfg.scanned_rate for _ in deals]
    (out / "reference").mkdir(parents=True, exist_ok=True)
    for table, rows in reference_rows(world, history, deals, genuine).items():
        write_table(out / "reference" / f"{table}.csv", table, rows)
    render_rng = random.Random(cfg.seed + 1)
    lang_rng = random.Random(f"{cfg.seed}:lang")
    for i, (deal, scan) in enumerate(zip(deals, scanned, strict=True)):
        _write_submission(out, deal, scan, render_rng, (lang_rng, cfg.bilingual_rate))
        if progress:
            progress(i + 1, len(deals))
    _write_labels(out / "labels.csv", deals, scanned)
    return deals


def _write_labels(path: Path, deals: list[Deal], scanned: list[bool]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["submission_id", "is_fraud", "typology", "lookalike", "magnitude", "scanned",
                         "trade_model"])
        for deal, scan in zip(deals, scanned, strict=True):
            writer.writerow([
                deal.submission_id, int(bool(deal.typology)), deal.typology, deal.lookalike,
                f"{deal.magnitude:.4f}", int(scan), deal.trade_model,
            ])
