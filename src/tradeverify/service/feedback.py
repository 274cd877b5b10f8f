"""Officers' decisions as labelled rows for training: ``tradeverify feedback export``.

One row per decided submission, from its standing (last final) decision: the feature row the
model scored at the time (``submissions.features``, with its FEATURE_VERSION), the label
(confirmed fraud 1, cleared 0, escalated None: not yet known), the typology, the officer's
field corrections, and what the model said then. Training reads these rows with
``tradeverify train --feedback FILE``; rows whose feature version is not the trainer's are
refused there, never silently mixed.

Field corrections are exported apart (``--documents DIR``), as a golden folder: each corrected
document beside ``NAME.json`` holding the corrected fields in their normal forms and every other
field listed as unannotated (the officer vouched for the corrected ones only). Such a folder is
an extraction evaluation set (``evaluate-extraction --golden DIR``) and examples for the field
scorer's training (``python -m tradeverify_train.nlp.field_train --corrections DIR``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tradeverify.domain import CANONICAL_FIELDS
from tradeverify.service.decisions import DecisionLog
from tradeverify.service.store import SubmissionStore, submissions

LABELS = {"confirm_fraud": 1, "clear": 0, "escalate": None}


def _scored(engine: Engine, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    c = submissions.c
    ids = sorted({sid for _, sid in keys})
    with engine.connect() as conn:
        rows = conn.execute(select(c.bank_id, c.submission_id, c.features, c.band, c.score, c.report)
                            .where(c.submission_id.in_(ids))).all() if ids else []
    return {(r.bank_id, r.submission_id): r for r in rows}


def feedback_rows(decisions: DecisionLog, bank_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one labelled row per decided submission (of one bank), oldest decision first."""
    standing = decisions.standing(bank_id)
    scored = _scored(decisions.engine, [(d["bank_id"], d["submission_id"]) for d in standing])
    for d in standing:
        row = scored.get((d["bank_id"], d["submission_id"]))
        if row is None:
            continue
        features = json.loads(row.features) if row.features else {"version": None, "values": None}
        model = json.loads(row.report)["risk"]["model"]
        yield {"submission_id": d["submission_id"], "bank_id": d["bank_id"], "decided_at": d["created_at"],
               "officer": d["username"], "confirmed_by": d["confirmed_by"], "outcome": d["outcome"],
               "label": LABELS[d["outcome"]], "typology": d["typology"] or "", "comment": d["comment"],
               "corrections": d["corrections"], "feature_version": features["version"],
               "features": features["values"], "model": f"{model['name']}@{model['version']}",
               "band": row.band, "score": row.score}


def export_feedback(decisions: DecisionLog, out: Path, bank_id: str | None = None) -> dict[str, int]:
    """Write the rows as JSON Lines (written whole, then renamed); return counts by outcome."""
    counts = {"rows": 0, **dict.fromkeys(LABELS, 0), "without_features": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("w", encoding="utf-8") as fh:
        for row in feedback_rows(decisions, bank_id):
            fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
            counts["rows"] += 1
            counts[row["outcome"]] += 1
            counts["without_features"] += row["features"] is None
    partial.replace(out)
    return counts


def _corrected(d: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return a decision's corrections by document file, then field (the normal form)."""
    out: dict[str, dict[str, Any]] = {}
    for c in d["corrections"]:
        out.setdefault(c["file"], {})[c["field"]] = c["normalized"]
    return out


def export_corrections(decisions: DecisionLog, store: SubmissionStore, folder: Path,
                       bank_id: str | None = None) -> int:
    """Write every corrected document with its corrections as golden truth; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for d in decisions.standing(bank_id):
        bank, sid = d["bank_id"], d["submission_id"]
        by_file = _corrected(d)
        if not by_file:
            continue
        kept = {doc["name"]: doc["sha256"] for doc in store.summary(bank, sid)["documents"]}
        types = {doc.file: doc.doc_type for doc in store.report(bank, sid).documents}
        for file, corrected in by_file.items():
            stem = f"{sid}__{Path(file).stem}"
            source = store.document(bank, kept[file])
            (folder / f"{stem}{Path(file).suffix.lower()}").write_bytes(source.read_bytes())
            truth = {"doc_type": types[file], "fields": corrected,
                     "unannotated": [f for f in CANONICAL_FIELDS[types[file]] if f not in corrected],
                     "source": f"officer correction {d['decision_id']} by {d['username']}, {d['created_at']}"}
            (folder / f"{stem}.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), "utf-8")
            written += 1
    return written
