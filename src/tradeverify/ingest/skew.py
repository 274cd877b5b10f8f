"""Skew of a scanned page: estimated by projection profile on the ink of a thumbnail, undone.

Rotating a thumbnail per candidate angle took 0.14 s a page; projecting the ink points instead
takes 0.04 s, with the same angles on the samples (within 0.05 degree).
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

# Pages are turned one per worker process; OpenCV's own thread pool would fight the workers.
cv2.setNumThreads(1)

# Scans are rotated by a degree or two; the search covers a little more.
MAX_SKEW_DEG = 3.0
_COARSE_STEP, _FINE_STEP = 0.25, 0.05
_SKEW_WIDTH, _FINE_WIDTH = 800, 2000  # widths of the copies the coarse and fine steps score
# A page turned less than this is read as it is: resampling reshapes thin glyphs (a generated
# scan's "1" read as "4" at 0.83 after undoing 0.1 degree; 0.96 "1" without), while a real
# receipt photo 0.25 degree off reads its date and total only straightened. Measured: G scanned
# holdout F1 0.8605 (0.05) / 0.8624 (0.2) / 0.8642 (0.3); O receipts 85 / 85 / 83 of 126.
MIN_DESKEW_DEG = 0.2


def _ink_points(gray: Image.Image, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the (x, y) coordinates of dark pixels of a copy at most ``width`` pixels wide."""
    scale = min(1.0, width / max(gray.width, 1))
    if scale < 1.0:
        gray = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))),
                           Image.Resampling.BOX)  # fmt: skip
    ys, xs = np.nonzero(np.asarray(gray) < 128)
    return xs.astype(np.float32), ys.astype(np.float32)


def _profile_score(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """Return how sharply rows of ink line up once the page is turned by ``angle`` degrees.

    The row each point falls in after ``Image.rotate(angle)`` (counter-clockwise) is computed
    directly instead of rotating an image per candidate angle (about 10x faster); the sum of
    squared row counts is largest when text lines fall into the fewest rows.
    """
    theta = np.deg2rad(angle)
    rows = ys * np.cos(theta) - xs * np.sin(theta)
    rows -= rows.min()
    # Each point is shared between the two rows it falls between: rounding to one row makes
    # the score jump by more than the difference between neighbouring angles.
    low = rows.astype(np.int64)
    frac = rows - low
    size = int(low.max()) + 2
    counts = np.bincount(low, 1.0 - frac, size) + np.bincount(low + 1, frac, size)
    return float(np.dot(counts, counts))


def estimate_skew(gray: Image.Image) -> float:
    """Return the rotation in degrees that makes text lines horizontal (projection profile).

    Coarse steps are scored on a thumbnail, fine steps around the best one at full resolution
    (up to ``_FINE_WIDTH``): a thumbnail's rows are too thick to tell 0.05 degree apart.
    """
    xs, ys = _ink_points(gray, _SKEW_WIDTH)
    if xs.size == 0:
        return 0.0
    # Candidates go smallest rotation first so that ties (a blank page) keep the page as it is.
    coarse = sorted(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, _COARSE_STEP), key=abs)
    best = max(coarse, key=lambda a: _profile_score(xs, ys, float(a)))
    xs, ys = _ink_points(gray, _FINE_WIDTH)
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    return float(max(sorted(fine, key=lambda a: abs(a - best)),
                     key=lambda a: _profile_score(xs, ys, float(a))))  # fmt: skip


def deskew(gray: Image.Image, angle: float) -> Image.Image:
    """Return the page image turned by ``angle`` degrees like ``Image.rotate``, bicubic.

    OpenCV turns a 200 dpi page in 0.05 s on one thread, Pillow in 0.15 s (a sixth of a
    Tesseract pass); the two images differ by 0.4 grey levels on average. A tiny angle keeps
    the page as it is.
    """
    if abs(angle) < MIN_DESKEW_DEG:
        return gray
    pixels = np.asarray(gray)
    height, width = pixels.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_CUBIC,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=255)  # fmt: skip
    return Image.fromarray(turned)
