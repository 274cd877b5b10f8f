"""The printable HTML report of one submission: the evidence an officer files with a decision.

One self-contained file (styles inline, page images embedded as data URLs), so it can be kept,
mailed or printed without the service. The desk's submission page shows the same evidence from
the same template macros (``templates/evidence.html``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from tradeverify import __version__
from tradeverify.domain import RiskReport
from tradeverify.errors import DocumentReadError
from tradeverify.report.pages import page_image

TEMPLATES = Path(str(files("tradeverify.report") / "templates"))

# Page images of one document by page number: a URL, or None for a page that cannot be shown.
PageUrls = dict[int, str | None]


@cache
def environment(*extra: Path) -> Any:
    """Return the Jinja environment over the report templates (and ``extra`` folders first).

    Autoescaped: every value in a report comes from a client's documents.
    """
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(p)) for p in (*extra, TEMPLATES)]
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def report_css() -> str:
    """Return the stylesheet of the evidence (the desk serves it, the report inlines it)."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def embedded_pages(report: RiskReport, source_of: Callable[[str], Path | None],
                   cache_dir: Path) -> dict[int, PageUrls]:
    """Return each document's page images as data URLs, by document index then page number.

    ``source_of`` gives a document file's path (None when it is not at hand); a page that cannot
    be rendered is None and the report says so, the rest is still shown.
    """
    pages: dict[int, PageUrls] = {}
    for index, doc in enumerate(report.documents):
        source = source_of(doc.file)
        pages[index] = {n: _data_url(source, n, cache_dir / str(index)) if source else None
                        for n in range(1, doc.pages + 1)}
    return pages


def _data_url(source: Path, page: int, cache_dir: Path) -> str | None:
    try:
        png = page_image(source, page, cache_dir)
    except DocumentReadError:
        return None
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")


def render_html(report: RiskReport, pages: dict[int, PageUrls] | None = None,
                decisions: Sequence[dict[str, Any]] = (), review: float = 0.6) -> str:
    """Return the printable report; ``review`` is the confidence below which a field is flagged."""
    template = environment().get_template("report.html")
    return str(template.render(
        report=report, pages=pages or {}, decisions=list(decisions), review=review, css=report_css(),
        version=__version__, rendered_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")))
