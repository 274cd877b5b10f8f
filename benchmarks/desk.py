"""The review desk's page load: a 5-document submission, its page images cold and cached.

Serves the desk (uvicorn, in this process) on a throw-away work dir, verifies the 5-document
sample ``fraud_vessel_not_at_port`` through the REST API, signs an officer in and measures:

- cold: the submission page and its 5 page images the first time (each image rendered once);
- warm: the same, page images from the cache, ``--loads`` times (p50 / p95 / max);
- browser: headless Chromium's own navigation timing (request to ``load`` event, images
  included) of the cached page, when chromium and chromedriver are installed;
- the floor: bare ``pdftoppm`` rendering the same 5 pages, the work a cold load cannot avoid.

Target (issue 15): page load <= 1 s with the page images cached.

    .venv/bin/python benchmarks/desk.py [--loads 20]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.desk_server import BANK, PASSWORDS, running_desk  # noqa: E402

SAMPLE = "fraud_vessel_not_at_port"


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=True)
    page = client.get("/desk/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf, "no sign-in form"
    client.post("/desk/login", data={"bank": BANK, "username": "alice", "password": PASSWORDS["alice"],
                                     "csrf": csrf.group(1)})
    return client


def _load(client: httpx.Client, sid: str) -> tuple[float, int]:
    """Return the seconds to fetch the page and every image it shows, and the image count."""
    start = time.perf_counter()
    html = client.get(f"/desk/submissions/{sid}").text
    images = re.findall(r'src="(/desk/submissions/[^"]+\.png)"', html)
    for src in images:
        assert client.get(src).status_code == 200
    return time.perf_counter() - start, len(images)


def _browser_load(url: str, sid: str, loads: int) -> list[float] | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(f"{url}/desk/login")
        driver.find_element(By.ID, "bank").send_keys(BANK)
        driver.find_element(By.ID, "username").send_keys("alice")
        driver.find_element(By.ID, "password").send_keys(PASSWORDS["alice"] + "\n")
        times = []
        for _ in range(loads):
            driver.get(f"{url}/desk/submissions/{sid}")
            nav = driver.execute_script("return performance.getEntriesByType('navigation')[0].toJSON()")
            times.append((nav["loadEventEnd"] - nav["startTime"]) / 1000)
        return times
    finally:
        driver.quit()


def _pdftoppm_floor(folder: Path) -> float:
    pdfs = sorted(folder.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for i, pdf in enumerate(pdfs):
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-png", "-singlefile", "-scale-to-x", "1100",
                            "-scale-to-y", "-1", str(pdf), f"{tmp}/{i}"], check=True)
        return time.perf_counter() - start


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"p50_s": round(statistics.median(ordered), 4),
            "p95_s": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 4),
            "max_s": round(ordered[-1], 4)}


def main() -> None:
    """Print the desk's page-load figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work, running_desk(Path(work), (SAMPLE,)) as desk:
        sid = desk.submissions[SAMPLE]
        client = _signed_in(desk.url)
        cold, images = _load(client, sid)
        warm = [_load(client, sid)[0] for _ in range(args.loads)]
        browser = _browser_load(desk.url, sid, args.loads)
    floor = _pdftoppm_floor(ROOT / "data_samples" / "submissions" / SAMPLE)
    out = {"documents": 5, "page_images": images, "cold_s": round(cold, 4),
           "bare_pdftoppm_same_pages_s": round(floor, 4), "cold_vs_bare_pdftoppm": round(cold / floor, 2),
           "warm_http": _summary(warm),
           "browser_load_event": _summary(browser) if browser else "chromium not installed",
           "target_s": 1.0}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
