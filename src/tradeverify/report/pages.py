"""Page images of a document, for an officer to see the fields where they were read.

PDF pages are rendered by poppler's ``pdftoppm`` in a child process under a time limit: a
hostile PDF that hangs or crashes the renderer fails that page's image, never the server or the
report. Image documents (scans as PNG, JPEG or TIFF) are converted by Pillow within the same
pixel limit the readers use. Rendered pages are cached as PNG files, one per page, so a page
is rendered once however often it is shown.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from tradeverify.errors import DocumentReadError

WIDTH = 1100  # pixels: legible on a desk screen and in print, about 150 dpi for A4
RENDER_SECONDS = 30.0
_PDF_MAGIC = b"%PDF"


def page_image(source: Path, page: int, cache_dir: Path, max_pixels: int = 80_000_000) -> Path:
    """Return the PNG of one page (1-based) of a document, rendering it into ``cache_dir`` once.

    Raises:
        DocumentReadError: the page does not exist or cannot be rendered.

    """
    if page < 1:
        raise DocumentReadError(f"no page {page}", file=source.name)
    target = cache_dir / f"{page}.png"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f".{page}-{uuid.uuid4().hex}.png"  # two requests rendering it at once
    with source.open("rb") as fh:
        is_pdf = fh.read(4) == _PDF_MAGIC
    if is_pdf:
        _render_pdf(source, page, partial)
    else:
        _convert_image(source, page, partial, max_pixels)
    partial.replace(target)  # a reader never sees half a file
    return target


def _render_pdf(source: Path, page: int, out: Path) -> None:
    prefix = out.with_suffix("")
    cmd = ["pdftoppm", "-f", str(page), "-l", str(page), "-png", "-singlefile",
           "-scale-to-x", str(WIDTH), "-scale-to-y", "-1", str(source), str(prefix)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=RENDER_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise DocumentReadError(f"page {page} took over {RENDER_SECONDS:.0f} s to render",
                                file=source.name) from None
    if done.returncode != 0 or not out.is_file():  # -singlefile writes <prefix>.png, which is out
        message = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no image"]
        raise DocumentReadError(f"page {page} cannot be rendered: {message[0]}", file=source.name)


def _convert_image(source: Path, page: int, out: Path, max_pixels: int) -> None:
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = max_pixels  # the readers' limit: a decompression bomb is refused
    try:
        with Image.open(source) as img:
            frames = list(ImageSequence.Iterator(img))[page - 1: page]
            if not frames:
                raise DocumentReadError(f"no page {page}", file=source.name)
            frame = frames[0].convert("RGB")
            scale = WIDTH / frame.width
            frame.resize((WIDTH, max(1, round(frame.height * scale)))).save(out, "PNG")
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise DocumentReadError(f"page {page} cannot be shown: {exc}", file=source.name) from exc
