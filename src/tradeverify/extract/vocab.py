"""The label vocabulary, loaded once: labels.yaml (English) merged with labels.<lang>.yaml files.

Each ``labels.<lang>.yaml`` beside labels.yaml adds titles and field labels in one more language,
per doc type and field, after the English variants (so English variant indexes never move).
Bilingual forms are built here, not listed: a file whose ``pair_with_english`` is ``before``
(or ``after``) also yields every one of its labels followed (or preceded) by each English
variant of the same field, as bilingual documents print "提单号 B/L No.".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_VOCAB_FILE = Path(__file__).with_name("labels.yaml")
Vocab = dict[str, dict[str, list[str]]]


# libyaml's safe loader when PyYAML was built with it: the vocabularies load 7x faster (every
# reader worker loads them before its first document).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=_LOADER) or {}  # noqa: S506 - a safe loader
    return data


def language_files() -> dict[str, Path]:
    """Return language code -> ``labels.<lang>.yaml`` beside labels.yaml, sorted by code."""
    files = sorted(_VOCAB_FILE.parent.glob("labels.*.yaml"))
    return {path.name.split(".")[1]: path for path in files}


def _pairs(labels: list[str], english: list[str], order: list[str]) -> list[str]:
    """Return the bilingual forms of ``labels`` with each English variant, in ``order``."""
    out = [f"{own} {en}" for own in labels for en in english] if "before" in order else []
    return out + ([f"{en} {own}" for own in labels for en in english] if "after" in order else [])


def _merge(base: Vocab, extra: dict[str, Any]) -> Vocab:
    """Append ``extra``'s titles and field labels (and their bilingual forms) to ``base``."""
    order = extra.get("pair_with_english") or []
    order = [order] if isinstance(order, str) else list(order)
    # Only titles and fields take other languages; other sections (abbreviations, read-only
    # labels) are kept as they are.
    merged: Vocab = {**base, **{s: {k: list(v) for k, v in base[s].items()} for s in ("titles", "fields")}}
    for section in ("titles", "fields"):
        english = base[section]
        for key, labels in (extra.get(section) or {}).items():
            pairs = _pairs(labels, english.get(key, []), order) if section == "fields" else []
            target = merged[section].setdefault(key, [])
            target.extend(v for v in [*labels, *pairs] if v not in target)
    return merged


@cache
def _load(lang: str | None = None) -> Vocab:
    """Return the vocabulary of one language ("en", or a file's code) or, for None, all merged."""
    base: Vocab = _read(_VOCAB_FILE)
    if lang == "en":
        return base
    files = language_files()
    if lang is not None:
        own = _read(files[lang])
        return {section: {k: list(v) for k, v in (own.get(section) or {}).items()}
                for section in ("titles", "fields")}  # fmt: skip
    for path in files.values():
        base = _merge(base, _read(path))
    return base


def field_labels(lang: str | None = None) -> dict[str, list[str]]:
    """Return field name -> printed label variants.

    Args:
        lang: None for every language merged (what the extractor reads), "en" for labels.yaml
            alone, or a language file's code ("zh") for that file's own labels only.

    Returns:
        Field name -> label variants, English ones first.

    """
    return _load(lang)["fields"]


def title_labels(lang: str | None = None) -> dict[str, list[str]]:
    """Return doc_type -> document titles (``lang`` as for :func:`field_labels`)."""
    return _load(lang)["titles"]


def read_only_labels() -> dict[str, list[str]]:
    """Return field name -> label variants the extractor reads but the generator never prints."""
    return dict(_load().get("read_only_fields") or {})


def ignored_labels() -> list[str]:
    """Return captions that name no field but contain a field's caption ("Sub Total", "Due Date")."""
    return [str(text) for text in _load().get("ignored_labels") or []]


def generic_date_labels() -> list[str]:
    """Return captions that name a document's main date without saying which ("Date", "Datum")."""
    return [str(text) for text in _load().get("generic_date_labels") or []]


def read_only_titles() -> dict[str, list[str]]:
    """Return doc_type -> titles the classifier reads but the generator never prints."""
    return dict(_load().get("read_only_titles") or {})


@cache
def all_titles() -> frozenset[str]:
    """Return every printed and read-only title, upper case ("COMMERCIAL INVOICE", "RECHNUNG")."""
    titles = [*title_labels().values(), *read_only_titles().values()]
    return frozenset(t.upper() for variants in titles for t in variants)


def abbreviations() -> dict[str, str]:
    """Return abbreviated label word -> the word it stands for (both folded)."""
    raw: dict[str, object] = dict(_load().get("abbreviations") or {})
    return {str(k): str(v) for k, v in raw.items()}


def label_for(field: str, layout_index: int) -> str:
    """Return the label variant the generator prints for ``field`` in a layout (0 = A, 1 = B)."""
    variants = field_labels("en")[field]
    return variants[min(layout_index, len(variants) - 1)]
