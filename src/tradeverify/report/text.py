"""Human-readable renderings: one report, and the batch summary table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tradeverify.domain import RiskReport


def render_text(report: RiskReport) -> str:
    """Return a report as a short text an officer can read in a terminal."""
    risk = report.risk
    score = "n/a" if risk.score is None else f"{risk.score:.3f}"
    lines = [f"{report.submission_id}: {report.status}, risk {score} ({risk.band or 'n/a'}) "
             f"[{risk.model.name} v{risk.model.version}]"]
    lines += [f"  RED FLAG {f.code}: {f.message}" for f in report.red_flags]
    lines += [f"  reason {r.code} (+{r.contribution:.2f}): {r.message}" for r in report.reasons]
    lines += [f"  check {c.name}: {c.status} {c.detail}" for c in report.checks]
    for d in report.documents:
        lines.append(f"  document {d.file}: {d.doc_type}{' (OCR)' if d.ocr else ''}, "
                     f"{len(d.fields)} fields")
    lines += [f"  error {e.code}: {e.message}" for e in report.errors]
    lines += [f"  review {h.file} {h.field} (confidence {h.confidence:.2f}, page {h.page}): {h.raw!r}"
              for h in report.review]
    return "\n".join(lines)


def summary_table(rows: Sequence[dict[str, Any]]) -> str:
    """Return batch rows as an aligned text table."""
    cols = ("submission_id", "status", "score", "band", "red_flags", "reason_codes", "errors")
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    out = [fmt.format(*cols), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*row) for row in cells]
    return "\n".join(out)
