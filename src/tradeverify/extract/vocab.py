"""The label vocabulary (labels.yaml), loaded once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_VOCAB_FILE = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=1)
def _load() -> dict[str, dict[str, list[str]]]:
    with _VOCAB_FILE.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, list[str]]] = yaml.safe_load(fh)
    return data


def field_labels() -> dict[str, list[str]]:
    """Return field name -> printed label variants."""
    return _load()["fields"]


def title_labels() -> dict[str, list[str]]:
    """Return doc_type -> document titles."""
    return _load()["titles"]


def read_only_labels() -> dict[str, list[str]]:
    """Return field name -> label variants the extractor reads but the generator never prints."""
    return dict(_load().get("read_only_fields") or {})


def abbreviations() -> dict[str, str]:
    """Return abbreviated label word -> the word it stands for (both folded)."""
    raw: dict[str, object] = dict(_load().get("abbreviations") or {})
    return {str(k): str(v) for k, v in raw.items()}


def label_for(field: str, layout_index: int) -> str:
    """Return the label variant the generator prints for ``field`` in a layout (0 = A, 1 = B)."""
    variants = field_labels()[field]
    return variants[min(layout_index, len(variants) - 1)]
