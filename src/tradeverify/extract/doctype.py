"""Document type from the whole page: a linear model over words, title n-grams, captions and shapes.

A title names a document's type only when it is one the vocabulary knows. An issuer that prints
"PORT TO PORT BILL OF LADING" or "AUSFUHRRECHNUNG" still says what the document is, in the words
of its title and body ("lading", "rechnung"), in what it prints (container numbers, an IMO number,
weights, running clauses) and in its captions. This module turns a page into those features and
scores them with a multinomial logistic model whose weights were learned on the generator's
training part (``tradeverify_train.nlp.doctype_train``). The weights are read from JSON, never from a
pickle, and this feature code is the one copy both training and serving run.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from tradeverify.extract import normalize as nz
from tradeverify.extract.layout import Layout
from tradeverify.extract.linear import LinearModel, load_linear
from tradeverify.extract.textgrams import fold_text, grams, tokens

DoctypeModel = LinearModel

FEATURE_VERSION = 1
# The top of the first page (a page fraction), where a title is printed.
TITLE_ZONE = 0.3
_IMO_LIKE = re.compile(r"(?<!\d)9\d{6}(?!\d)")
_WEIGHT_UNITS = frozenset({"kg", "kgs", "mt", "mts", "lbs", "kgm", "tonnes"})


def _capped(count: int, cap: int) -> float:
    """Scale a count to 0-1 on a log scale that saturates at ``cap``."""
    return min(1.0, math.log1p(count) / math.log1p(cap))


def page_features(layout: Layout) -> dict[str, float]:
    """Return the document's features, all in 0-1.

    ``w:`` its words outside running text, ``g:`` their character n-grams, ``t:`` the n-grams of
    the title zone, ``f:`` the fields whose captions were found, ``s:`` shape measures.
    """
    features: dict[str, float] = {}
    first_page = layout.lines[0].page if layout.lines else 1
    for index, line in enumerate(layout.lines):
        if index in layout.prose:
            # Running text is where real invoices and contracts look alike (terms of sale, of
            # payment, of return); the generator prints it on contracts only. Its share is a
            # shape measure instead, so a receipt's small print does not make it a contract.
            continue
        in_title = line.page == first_page and line.y0 < TITLE_ZONE
        for word in line.words:
            for token in tokens(word.text):
                features[f"w:{token}"] = 1.0
                for gram in grams(token):
                    features[f"g:{gram}"] = 1.0
                    if in_title:
                        features[f"t:{gram}"] = 1.0
    for hit in layout.hits:
        if not hit.field.startswith("_"):
            features[f"f:{hit.field}"] = 1.0
    features.update(_shapes(layout))
    return features


def _shapes(layout: Layout) -> dict[str, float]:
    """Return what the page prints, by kind: containers, IMO numbers, dates, sums, weights, prose."""
    texts = [line.text for line in layout.lines]
    words = [fold_text(w.text) for line in layout.lines for w in line.words]
    whole = "\n".join(texts)
    lines = max(len(texts), 1)
    return {
        "s:containers": _capped(len(nz.find_containers(whole)), 10),
        "s:imo": _capped(len(_IMO_LIKE.findall(whole)), 2),
        "s:dates": _capped(sum(nz.parse_date(t).ok for t in texts), 6),
        "s:amounts": _capped(sum(len(nz.find_amounts(t)) for t in texts), 12),
        "s:weights": _capped(sum(w.rstrip(".") in _WEIGHT_UNITS for w in words), 8),
        "s:prose": len(layout.prose) / lines,
        "s:table": float(layout.table is not None),
        "s:lines": _capped(len(texts), 120),
        "s:pages": _capped(len({line.page for line in layout.lines}), 4),
    }


def load_model(path: Path) -> DoctypeModel | None:
    """Load the document-type model written by ``make doctype``; None when the file is absent."""
    return load_linear(path, FEATURE_VERSION)


def predict(model: DoctypeModel, layout: Layout) -> tuple[str, float]:
    """Return the most probable type of a document and its probability."""
    return model.best(page_features(layout))
