"""Turn a digital PDF into a "scanned" variant: rasterized, skewed, noised, blurred, JPEG'd.

The degradation is deliberately slight — an honest office scan — so Tesseract still reads the
key values; heavier damage would teach the model that OCR noise itself is a risk signal.
Everything is drawn from the seed, and the writers embed no timestamps: same seed, same bytes.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

# Bounds of the random degradation. Chosen so Tesseract 5 still reads container numbers, dates
# and amounts at 200 dpi (checked in tests/unit/test_render.py); see scan_document().
MAX_ANGLE_DEG = 1.2
NOISE_SIGMA = (2.0, 7.0)  # gaussian noise std-dev, in 0-255 grey levels
BLUR_RADIUS = (0.3, 0.8)  # gaussian blur radius, pixels
JPEG_QUALITY = (60, 85)
REWRITE_QUALITY = 92  # when writing a .jpg or PDF page, after the seeded JPEG round trip
IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


@dataclass(frozen=True)
class ScanParams:
    """The degradation applied to one page."""

    angle: float
    noise_sigma: float
    blur_radius: float
    jpeg_quality: int


def draw_params(rng: random.Random) -> ScanParams:
    """Draw one page's degradation parameters from ``rng`` within the module bounds."""
    return ScanParams(
        angle=rng.uniform(-MAX_ANGLE_DEG, MAX_ANGLE_DEG),
        noise_sigma=rng.uniform(*NOISE_SIGMA),
        blur_radius=rng.uniform(*BLUR_RADIUS),
        jpeg_quality=rng.randint(*JPEG_QUALITY),
    )


def rasterize(pdf_path: Path, dpi: int) -> list[Image.Image]:
    """Render every page of ``pdf_path`` to a grayscale image at ``dpi``."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def degrade(image: Image.Image, params: ScanParams, noise_rng: np.random.Generator) -> Image.Image:
    """Apply skew, blur, noise and a JPEG round trip to one grayscale page."""
    # White fill: a scanner bed behind a skewed sheet reads as paper, not as black corners.
    skewed = image.rotate(params.angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    blurred = skewed.filter(ImageFilter.GaussianBlur(params.blur_radius))
    pixels = np.asarray(blurred, dtype=np.float32)
    pixels += noise_rng.normal(0.0, params.noise_sigma, size=pixels.shape).astype(np.float32)
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    return jpeg_roundtrip(noisy, params.jpeg_quality)


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    """Compress ``image`` to JPEG in memory and decode it again, keeping the artefacts."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("L")


def scan_document(pdf_path: Path, out_path: Path, seed: int, dpi: int = 200) -> None:
    """Write a scanned variant of ``pdf_path`` to ``out_path`` (.png, .jpg or image-only .pdf).

    Each page is rasterized at ``dpi``, rotated by up to ±1.2°, blurred (radius 0.3-0.8 px),
    noised (sigma 2-7 grey levels) and JPEG-compressed (quality 60-85). Image outputs of a
    multi-page PDF stack the pages vertically.
    """
    suffix = out_path.suffix.lower()
    if suffix != ".pdf" and suffix not in IMAGE_SUFFIXES:
        raise ValueError(f"unsupported scan output {out_path.name!r}: use .pdf, .png or .jpg")
    rng, noise_rng = random.Random(seed), np.random.default_rng(seed)
    pages = [degrade(page, draw_params(rng), noise_rng) for page in rasterize(pdf_path, dpi)]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        write_image_pdf(pages, out_path, dpi)
    else:
        stack_pages(pages).save(out_path, IMAGE_SUFFIXES[suffix], **_image_options(suffix, dpi))


def _image_options(suffix: str, dpi: int) -> dict[str, object]:
    """Return PIL save options: DPI metadata, and a high JPEG quality to avoid a 2nd loss."""
    options: dict[str, object] = {"dpi": (dpi, dpi)}
    if IMAGE_SUFFIXES[suffix] == "JPEG":
        options["quality"] = REWRITE_QUALITY
    return options


def stack_pages(pages: list[Image.Image]) -> Image.Image:
    """Return one image with ``pages`` stacked top to bottom (the single page when only one)."""
    if len(pages) == 1:
        return pages[0]
    width, height = max(p.width for p in pages), sum(p.height for p in pages)
    sheet = Image.new("L", (width, height), 255)
    y = 0
    for page in pages:
        sheet.paste(page, (0, y))
        y += page.height
    return sheet


def write_image_pdf(pages: list[Image.Image], out_path: Path, dpi: int) -> None:
    """Write ``pages`` as an image-only PDF (no text layer), one image per page, at ``dpi``."""
    first, rest = pages[0], pages[1:]
    first.save(
        out_path,
        "PDF",
        resolution=float(dpi),
        save_all=True,
        append_images=rest,
        quality=REWRITE_QUALITY,  # pages are stored as JPEG (DCTDecode): avoid a 2nd heavy loss
        # Pillow stamps the current time and the file name into /Info unless told not to;
        # leaving them out keeps the bytes a function of the seed alone.
        title=None,
        creationDate=None,
        modDate=None,
    )
