"""Scans turned by 90, 180 or 270 degrees are detected and read upright."""

import json
from pathlib import Path

import pytest
from PIL import Image

from tradeverify.domain import Word
from tradeverify.extract.document import extract_document
from tradeverify.ingest.ocr import _horizontal_share

from ..conftest import SAMPLES

SCAN = SAMPLES / "submissions" / "clean_scanned"
EXPECTED = json.loads((SAMPLES / "expected" / "clean_scanned.json").read_text())["fields"]["bill_of_lading"]


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_turned_page_is_read_upright(tmp_path: Path, angle: int) -> None:
    turned = tmp_path / f"bl-{angle}.png"
    Image.open(SCAN / EXPECTED["file"]).rotate(angle, expand=True, fillcolor=255).save(turned)
    doc = extract_document(turned)
    assert doc.doc_type == "bill_of_lading" and doc.ocr
    for name in ("bl_number", "imo_number", "port_of_loading", "port_of_discharge"):
        assert doc.value(name) == EXPECTED[name]


def test_vertical_boxes_mean_sideways() -> None:
    flat = [Word("Shipper", 0.1, 0.1, 0.2, 0.12, 1, 0.9)] * 3
    tall = [Word("Shipper", 0.1, 0.1, 0.12, 0.3, 1, 0.9)] * 3
    assert _horizontal_share(flat, 1654, 2339) == 1.0
    assert _horizontal_share(tall, 1654, 2339) == 0.0
