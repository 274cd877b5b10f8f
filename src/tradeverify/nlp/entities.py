"""Run-time entity finding: the packaged NER model (PARTY, ADDRESS, GOODS) plus code rules.

The model is read once per process from ``Settings.ner_model_dir`` (``models/ner`` by default)
and never downloaded: it is a plain spaCy pipeline directory trained by ``make ner``. Codes
(IMO, CONTAINER, HS_CODE, LOCODE, INCOTERM) come from :mod:`tradeverify.nlp.rules`; where a
rule and the model claim the same characters, the rule wins, since codes are what rules do best.

Text given to :func:`find_entities` should look like what the model was trained on:
:func:`tradeverify.nlp.text.lay_out` turns the extractor's lines into exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.matcher import Matcher

from tradeverify.config import get_settings
from tradeverify.domain import Word
from tradeverify.errors import ModelError
from tradeverify.extract.lines import Line
from tradeverify.nlp.rules import build_matcher, find_codes
from tradeverify.nlp.text import lay_out

MODEL_LABELS = ("PARTY", "ADDRESS", "GOODS")
Source = Literal["model", "rule"]


class NerModelError(ModelError):
    """The packaged NER model is missing, damaged, or not a tradeverify NER model."""

    code = "ner_model_unavailable"


@dataclass(frozen=True)
class Entity:
    """An entity in a text: label, the text itself and its character offsets ``start:end``.

    ``value`` is the normalized form (a code without spaces, digits of an IMO number; the text
    for model entities). ``valid`` is the check verdict of a code (IMO and ISO 6346 check digits,
    a known UN/LOCODE); None where there is nothing to check, as for every model entity.
    """

    label: str
    text: str
    start: int
    end: int
    source: Source
    value: str
    valid: bool | None = None


@dataclass(frozen=True)
class NerPipeline:
    """The loaded model and the code matcher built on its vocabulary."""

    nlp: Language
    matcher: Matcher


def _check_dir(path: Path) -> None:
    """Raise NerModelError unless ``path`` looks like a saved spaCy pipeline."""
    for name in ("config.cfg", "meta.json"):
        if not (path / name).is_file():
            raise NerModelError(
                f"NER model not found: {path / name} is missing (run `make ner`)", file=str(path)
            )


@lru_cache(maxsize=2)
def _load(path: Path) -> NerPipeline:
    """Load and check the pipeline at ``path`` (cached: once per path and process)."""
    import spacy  # imported here: importing spaCy costs ~1 s, and most callers never need it

    _check_dir(path)
    try:
        nlp = spacy.load(path)
    except Exception as exc:  # spaCy/thinc/srsly raise OSError, ValueError, KeyError... on damage
        raise NerModelError(f"NER model at {path} cannot be loaded ({exc})", file=str(path)) from exc
    ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
    labels = set(getattr(ner, "labels", ()))
    if not set(MODEL_LABELS) <= labels:
        raise NerModelError(
            f"{path} is not a tradeverify NER model (labels {sorted(labels)})", file=str(path)
        )
    return NerPipeline(nlp, build_matcher(nlp.vocab))


def load_pipeline(model_dir: Path | None = None) -> NerPipeline:
    """Return the NER pipeline from ``model_dir`` (default: ``Settings.ner_model_dir``), cached.

    Raises:
        NerModelError: the directory is missing, damaged, or holds another kind of model.

    """
    path = Path(model_dir or get_settings().ner_model_dir).resolve()
    return _load(path)


def find_entities(text: str, model_dir: Path | None = None) -> list[Entity]:
    """Return the parties, addresses, goods descriptions and codes in ``text``, in text order.

    Raises:
        NerModelError: the model cannot be loaded.

    """
    pipe = load_pipeline(model_dir)
    doc = pipe.nlp(text)
    codes = find_codes(doc, pipe.matcher)
    coded = {i for c in codes for i in range(c.span.start_char, c.span.end_char)}
    found = [
        Entity(c.label, c.span.text, c.span.start_char, c.span.end_char, "rule", c.value, c.valid)
        for c in codes
    ]
    for ent in doc.ents:
        if not any(i in coded for i in range(ent.start_char, ent.end_char)):
            found.append(Entity(ent.label_, ent.text, ent.start_char, ent.end_char, "model", ent.text))
    return sorted(found, key=lambda e: (e.start, e.end))


@dataclass(frozen=True)
class LineEntity:
    """An entity found on the extractor's lines, with the words it covers (for bounding boxes)."""

    entity: Entity
    words: tuple[Word, ...]


def find_line_entities(lines: Sequence[Line], model_dir: Path | None = None) -> list[LineEntity]:
    """Lay ``lines`` out as the model's text and return its entities with their page words.

    Raises:
        NerModelError: the model cannot be loaded.

    """
    laid = lay_out(lines)
    return [
        LineEntity(ent, laid.words_between(ent.start, ent.end))
        for ent in find_entities(laid.text, model_dir)
    ]
