"""Extraction quality on a generated world: precision, recall and F1 per field, type and layout.

Every document of ``world/truth`` is compared with what :func:`extract_world` made of its file.
Counting, per field of one document (see :func:`~tradeverify_train.extraction.accuracy.field_counts`):

- **TP**: extracted and equal to the truth (:func:`~tradeverify_train.extraction.accuracy.same_value`);
- **FP**: extracted but wrong, or extracted although the truth has no such field;
- **FN**: in the truth but missing or wrong (so a wrong value is one FP *and* one FN).

Empty values (None, ``""``, ``[]``) are "not there" on both sides. Fields are grouped by the
*true* document type, so a misclassified document's fields still land where they belong. A
truth document with no extracted counterpart has type ``"missing"`` and all its fields are FN.
Precision / recall / F1 are micro-averaged over the counts of a group; a ratio whose
denominator is zero is ``None``. Figures exist for ``digital``, ``scanned`` (when the world has
such documents) and ``all``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradeverify.config import Settings
from tradeverify.errors import InputError
from tradeverify_train.extraction.accuracy import field_counts, prf
from tradeverify_train.model.dataset import EXTRACTED_FILE, extract_world

EXPERIMENT = "tradeverify-extraction"
ARTIFACT = "extraction_eval.json"
ALL = "all"
KINDS = ("digital", "scanned", ALL)
MISSING = "missing"
_UNSAFE = re.compile(r"[^\w.\-/ ]")  # what MLflow metric names may not contain


@dataclass
class Counts:
    """True positives, false positives and false negatives of some fields."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        """Add one outcome."""
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def metrics(self) -> dict[str, Any]:
        """Return the counts with precision, recall and F1."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, **prf(self.tp, self.fp, self.fn)}


@dataclass
class DocOutcome:
    """One truth document against its extraction."""

    kind: str  # "digital" or "scanned"
    doc_type: str  # the true type
    layout: str
    predicted_type: str
    role_ok: bool | None  # contract role right (None: not a contract)
    fields: dict[str, tuple[int, int, int]]


@dataclass
class Group:
    """Documents of one slice (kind x type x layout): type accuracy and summed field counts."""

    documents: int = 0
    typed_right: int = 0
    roles: list[int] = field(default_factory=lambda: [0, 0])
    counts: Counts = field(default_factory=Counts)

    def add(self, doc: DocOutcome) -> None:
        """Add one document's outcome."""
        self.documents += 1
        self.typed_right += doc.predicted_type == doc.doc_type
        if doc.role_ok is not None:
            self.roles[0] += doc.role_ok
            self.roles[1] += 1
        for tp, fp, fn in doc.fields.values():
            self.counts.add(tp, fp, fn)

    def summary(self) -> dict[str, Any]:
        """Return documents, type accuracy (and contract-role accuracy) and the field metrics."""
        out: dict[str, Any] = {"documents": self.documents,
                               "doc_type_accuracy": self.typed_right / self.documents}
        if self.roles[1]:
            out["contract_role_accuracy"] = self.roles[0] / self.roles[1]
        return out | self.counts.metrics()


def layout_family(layout: str) -> str:
    """Return the layout a figure is reported under: a diverse layout (``R17``) by its part (``R``)."""
    return layout[0] if len(layout) > 1 and layout[0] in "RX" and layout[1:].isdigit() else layout


def doc_outcome(truth: dict[str, Any], doc: dict[str, Any] | None) -> DocOutcome:
    """Compare one truth record with its extracted document (a DocumentResult dump, or None)."""
    got = {} if doc is None else {k: (v or {}).get("value") for k, v in doc.get("fields", {}).items()}
    want: dict[str, Any] = truth["fields"]
    role = truth.get("contract_role")
    return DocOutcome(
        kind="scanned" if truth["scanned"] else "digital",
        doc_type=str(truth["doc_type"]),
        layout=layout_family(str(truth.get("layout") or "?")),
        predicted_type=MISSING if doc is None else str(doc.get("doc_type")),
        role_ok=None if role is None else doc is not None and doc.get("contract_role") == role,
        fields={name: field_counts(got.get(name), want.get(name)) for name in sorted(set(got) | set(want))},
    )


def world_outcomes(world: Path, rows: list[dict[str, Any]]) -> Iterator[DocOutcome]:
    """Yield the outcome of every truth document of ``world`` (``rows`` from extract_world)."""
    extracted = {str(r["submission_id"]): r for r in rows}
    for folder in sorted(p for p in (world / "truth").iterdir() if p.is_dir()):
        row = extracted.get(folder.name, {"documents": []})
        by_file = {Path(d["file"]).name: d for d in row["documents"]}
        for truth_file in sorted(folder.glob("*.json")):
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            yield doc_outcome(truth, by_file.get(truth["file"]))


class Tally:
    """Outcomes summed per slice: ``(kind,)``, ``(kind, type)``, ``(kind, type, layout)`` ..."""

    def __init__(self) -> None:
        self.groups: defaultdict[tuple[str, ...], Group] = defaultdict(Group)
        self.fields: defaultdict[tuple[str, str, str], Counts] = defaultdict(Counts)

    def add(self, doc: DocOutcome) -> None:
        """Add one document to its kind and to ``all``."""
        for kind in (doc.kind, ALL):
            for key in ((kind,), (kind, "type", doc.doc_type), (kind, "layout", doc.layout),
                        (kind, "type", doc.doc_type, doc.layout)):
                self.groups[key].add(doc)
            for name, counts in doc.fields.items():
                if any(counts):  # a field absent on both sides (bulk: no containers) is no outcome
                    self.fields[(kind, doc.doc_type, name)].add(*counts)

    def kind_result(self, kind: str) -> dict[str, Any]:
        """Return the nested figures of one kind."""
        types = sorted({k[2] for k in self.groups if k[:2] == (kind, "type")})
        layouts = sorted({k[2] for k in self.groups if k[:2] == (kind, "layout")})
        return {
            "overall": self.groups[(kind,)].summary(),
            "doc_types": {t: self._type_result(kind, t) for t in types},
            "layouts": {lay: self.groups[(kind, "layout", lay)].summary() for lay in layouts},
        }

    def _type_result(self, kind: str, doc_type: str) -> dict[str, Any]:
        layouts = sorted(k[3] for k in self.groups if k[:3] == (kind, "type", doc_type) and len(k) == 4)
        names = sorted(k[2] for k in self.fields if k[:2] == (kind, doc_type))
        return {
            "overall": self.groups[(kind, "type", doc_type)].summary(),
            "fields": {n: self.fields[(kind, doc_type, n)].metrics() for n in names},
            "layouts": {lay: self.groups[(kind, "type", doc_type, lay)].summary() for lay in layouts},
        }


def summarize(world: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the nested figures of ``world`` given its extraction ``rows``."""
    tally = Tally()
    for doc in world_outcomes(world, rows):
        tally.add(doc)
    kinds = [k for k in KINDS if (k,) in tally.groups]
    return {"world": str(world), "kinds": {k: tally.kind_result(k) for k in kinds}}


def evaluate_extraction(
    world: Path, settings: Settings, progress: Callable[[int, int], None] | None = None,
    *, fresh: bool = False,
) -> dict[str, Any]:
    """Extract every submission of a generated ``world`` and score it against its truth.

    Returns ``{"world", "cache_reused", "kinds": {kind: {"overall", "doc_types": {type: {"overall",
    "fields", "layouts"}}, "layouts"}}}`` with kind in digital / scanned / all (counting: module
    docstring). Extraction is cached in ``world/extracted.jsonl`` (shared with training): after
    changing the extractors pass ``fresh=True``, else the old extraction is scored again.
    ``settings.workers`` sets the extraction pool; extraction itself uses the process settings.
    ``progress(i, n)`` is called as submissions are extracted (not when the cache is reused).

    Raises:
        InputError: ``world`` has no ``submissions`` or ``truth`` folder.

    """
    world = Path(world)
    for sub in ("submissions", "truth"):
        if not (world / sub).is_dir():
            raise InputError(f"not a generated world (no {sub}/ folder): {world}", file=str(world))
    cache = world / EXTRACTED_FILE
    if fresh:
        cache.unlink(missing_ok=True)
    before = cache.stat().st_mtime_ns if cache.exists() else None
    result = summarize(world, extract_world(world, settings.workers, progress))
    reused = before is not None and cache.stat().st_mtime_ns == before
    return {"world": result["world"], "cache_reused": reused, "kinds": result["kinds"]}


def _metric_items(prefix: str, summary: dict[str, Any]) -> Iterator[tuple[str, float]]:
    for name in ("precision", "recall", "f1", "doc_type_accuracy", "contract_role_accuracy"):
        if summary.get(name) is not None:
            yield _UNSAFE.sub("_", f"{name}_{prefix}"), float(summary[name])


def flat_metrics(result: dict[str, Any]) -> dict[str, float]:
    """Return the figures as flat MLflow metrics named ``<metric>_<kind>_<slice>``.

    For example ``f1_digital_all``, ``recall_scanned_bill_of_lading``,
    ``f1_scanned_bill_of_lading_bl_number``, ``f1_all_layout_A``, ``doc_type_accuracy_scanned_all``
    and ``f1_digital_packing_list_layout_B``. Undefined (None) ratios are left out.
    """
    out: dict[str, float] = {}
    for kind, figures in result["kinds"].items():
        out.update(_metric_items(f"{kind}_all", figures["overall"]))
        for layout, summary in figures["layouts"].items():
            out.update(_metric_items(f"{kind}_layout_{layout}", summary))
        for doc_type, per_type in figures["doc_types"].items():
            out.update(_metric_items(f"{kind}_{doc_type}", per_type["overall"]))
            for layout, summary in per_type["layouts"].items():
                out.update(_metric_items(f"{kind}_{doc_type}_layout_{layout}", summary))
            for name, metrics in per_type["fields"].items():
                out.update(_metric_items(f"{kind}_{doc_type}_{name}", metrics))
    return out


def log_to_mlflow(result: dict[str, Any], settings: Settings) -> str:
    """Log ``result`` to experiment ``tradeverify-extraction``: flat metrics + JSON; return the run id."""
    import mlflow

    from tradeverify_train.experiments import use_experiment

    use_experiment(EXPERIMENT, settings.tracking_uri())
    with mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        counts = {k: v["overall"]["documents"] for k, v in result["kinds"].items()}
        mlflow.log_params({"world": result["world"], **{f"documents_{k}": n for k, n in counts.items()}})
        mlflow.log_metrics(flat_metrics(result))
        path = Path(tmp) / ARTIFACT
        path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        mlflow.log_artifact(str(path))
    return str(run.info.run_id)
