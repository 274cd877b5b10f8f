"""Training-time augmentation: case variants of the generated examples.

The generator prints names and goods in mixed case, but many real bills of lading are typed in
capitals, and the model's affix and shape features are case-sensitive: without upper-case
examples it finds nothing in "SHIPPER: AURORA METALS PTE. LTD.". The augmenter adds an upper-
(or lower-) case copy of some training examples; entity offsets carry over unchanged. It runs
inside ``spacy train`` (``[corpora.train.augmenter]``), so the stored corpus stays as generated.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

Augmenter = Callable[[Language, Example], Iterator[Example]]


def recased(nlp: Language, example: Example, change: Callable[[str], str]) -> Example | None:
    """Return ``example`` with its text passed through ``change``; None if lengths differ.

    Upper-casing can lengthen a string ("ß" -> "SS"), which would shift every offset after it.
    """
    text = example.reference.text
    new_text = change(text)
    if len(new_text) != len(text):
        return None
    ents = [(e.start_char, e.end_char, e.label_) for e in example.reference.ents]
    return Example.from_dict(nlp.make_doc(new_text), {"entities": ents})


@registry.augmenters("tradeverify.case_variants.v1")
def case_variants(upper: float, lower: float) -> Augmenter:
    """Return an augmenter yielding each example, plus an upper-/lower-case copy at these rates."""

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        draw = random.random()  # spacy train seeds ``random`` from [system] seed
        change = str.upper if draw < upper else str.lower if draw < upper + lower else None
        copy = recased(nlp, example, change) if change else None
        if copy is not None:
            yield copy

    return augment
