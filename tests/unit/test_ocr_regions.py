"""Unsure words are re-read region by region; a skewed page is read straight."""

from pathlib import Path

import pytest
from PIL import Image

from tradeverify.domain import Word
from tradeverify.ingest import ocr

from .test_ingest import page_image

WIDTH, HEIGHT = 1000, 1000


def word(text: str, x0: float, y0: float, x1: float, conf: float = 0.95) -> Word:
    return Word(text, x0, y0, x1, y0 + 0.02, 1, conf)


def test_unsure_regions_grow_to_whole_words_and_merge() -> None:
    line = [word("Seller:", 0.10, 0.10, 0.16), word("ee", 0.17, 0.10, 0.19, 0.3),
            word("Andes", 0.195, 0.10, 0.30), word("Far", 0.60, 0.10, 0.65)]  # fmt: skip
    other = [word("oo", 0.40, 0.50, 0.42, 0.2), word("o0", 0.425, 0.50, 0.44, 0.1)]
    regions = ocr.unsure_regions(line + other, WIDTH, HEIGHT)
    assert len(regions) == 2  # the two unsure words of the second line share one region
    first, second = regions
    # "ee" padded by one word height reaches "Seller:" and "Andes": both are taken whole ...
    assert first[0] <= 0.10 and first[2] >= 0.30
    # ... but not "Far", which its padding does not reach.
    assert first[2] < 0.60
    assert second[0] < 0.40 and second[2] > 0.44 and second[1] < 0.50 < second[3]
    assert ocr.unsure_regions(line[:1], WIDTH, HEIGHT) == []


def test_region_reading_returns_words_where_they_lie_on_the_page(tmp_path: Path) -> None:
    gray = page_image(tmp_path)
    full = ocr._recognize(gray, 1, "eng", "x")
    total = next(w for w in full if w.text.startswith("1,130,600"))
    region = (total.x0 - 0.05, total.y0 - 0.03, min(1.0, total.x1 + 0.05), min(1.0, total.y1 + 0.03))
    (read,) = ocr._read_regions(gray, [region], 1, "eng", "x", "--psm 11")
    again = next(w for w in read if w.text.startswith("1,130,600"))
    for a, b in ((again.x0, total.x0), (again.y0, total.y0), (again.x1, total.x1), (again.y1, total.y1)):
        assert a == pytest.approx(b, abs=0.01)
    assert all(ocr._inside(w, region) for w in read)


def test_sparse_reading_replaces_only_the_regions_it_reads_better(monkeypatch: pytest.MonkeyPatch) -> None:
    words = [word("Seller:", 0.10, 0.10, 0.16), word("ee", 0.17, 0.10, 0.19, 0.3),
             word("Buyer:", 0.10, 0.50, 0.16), word("Fine", 0.17, 0.50, 0.22),
             word("oo", 0.23, 0.50, 0.25, 0.4)]  # fmt: skip
    better = [word("Seller:", 0.10, 0.10, 0.16), word("Andes", 0.17, 0.10, 0.19)]
    worse = [word("Buyer:", 0.10, 0.50, 0.16, 0.2), word("F1ne", 0.17, 0.50, 0.22, 0.1)]
    monkeypatch.setattr(ocr, "_read_regions", lambda *args: [better, worse])
    out = ocr._sparse_if_unsure(Image.new("L", (WIDTH, HEIGHT), 255), words, [], 1, "eng", "x")
    assert [w.text for w in out] == ["Seller:", "Andes", "Buyer:", "Fine", "oo"]


def test_ocr_words_of_a_skewed_page_come_back_straight(tmp_path: Path) -> None:
    upright = ocr.ocr_words(page_image(tmp_path), 1, "eng", file="x")
    skewed = page_image(tmp_path).rotate(-1.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    read = ocr.ocr_words(skewed, 1, "eng", file="x")
    assert [w.text for w in read] == [w.text for w in upright]
    for a, b in zip(read, upright, strict=True):
        assert (a.y0 + a.y1) / 2 == pytest.approx((b.y0 + b.y1) / 2, abs=0.015)


def test_a_page_is_read_again_for_many_unsure_words_or_one_doubtful_word() -> None:
    sure = [word(f"w{i}", 0.01 * i, 0.1, 0.01 * i + 0.008) for i in range(60)]
    assert not ocr._needs_reread(sure + [word("x", 0.9, 0.9, 0.95, 0.55)])  # 1 of 61 unsure
    assert ocr._needs_reread(sure + [word("1/T", 0.9, 0.9, 0.95, 0.41)])  # more likely wrong
    assert ocr._needs_reread(sure + [word(f"u{i}", 0.9, 0.2 + i / 100, 0.95, 0.55) for i in range(2)])
    assert not ocr._needs_reread([])
