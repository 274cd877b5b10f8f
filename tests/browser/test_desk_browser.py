"""The review desk in a real browser: Debian's Chromium, headless, driven by its chromedriver.

An officer signs in with the keyboard alone, opens the queue, opens the flagged submission,
reaches a highlighted field on the page image with Tab and selects it with Enter, records a
decision and finds it in the audit trail and in the feedback export. Every form control on the
pages visited has a label a screen reader announces. Screenshots land in out/test-artifacts/
(ignored by git) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tradeverify.service.audit import AuditLog
from tradeverify.service.decisions import DecisionLog
from tradeverify.service.feedback import feedback_rows

from .desk_server import BANK, PASSWORDS, Desk, running_desk

pytestmark = pytest.mark.browser
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "out" / "test-artifacts"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FLAGGED = "fraud_vessel_not_at_port"

# Every visible control names itself: a <label for>, a wrapping <label>, or aria-label.
UNLABELLED = """
return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id);
"""


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if not (CHROMIUM and DRIVER):
        pytest.fail("chromium and chromedriver are not installed (make setup installs them)")
    with running_desk(tmp_path_factory.mktemp("desk"), (FLAGGED, "clean_digital", "clean_scanned")) as d:
        yield d


@pytest.fixture()
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: WebDriver, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, min(int(height), 8000))
    driver.save_screenshot(str(ARTIFACTS / f"desk-{name}.png"))
    driver.set_window_size(1400, 1000)


def _sign_in_by_keyboard(driver: WebDriver, desk: Desk) -> None:
    driver.get(f"{desk.url}/desk")
    assert driver.current_url.startswith(f"{desk.url}/desk/login")
    assert driver.execute_script(UNLABELLED) == []
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the skip link comes first
    assert driver.switch_to.active_element.text == "Skip to content"
    typed = []
    for text in (BANK, "alice", PASSWORDS["alice"]):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        field = driver.switch_to.active_element
        typed.append(field.get_attribute("id"))
        field.send_keys(text)
    assert typed == ["bank", "username", "password"]  # tab order follows the labels
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(ec.title_contains("Queue"))


def _tab_to(driver: WebDriver, target: object, limit: int = 200) -> int:
    """Press Tab from the top of the page until ``target`` has the focus; return how many presses."""
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    for presses in range(1, limit + 1):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.switch_to.active_element == target:
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached the element")


def test_an_officer_goes_from_the_queue_to_a_recorded_decision(desk: Desk, browser: WebDriver) -> None:
    _sign_in_by_keyboard(browser, desk)
    shot(browser, "queue")
    assert browser.execute_script(UNLABELLED) == []
    first = browser.find_element(By.CSS_SELECTOR, "table.queue tbody tr")
    assert first.find_element(By.CSS_SELECTOR, ".band").text == "high"  # riskiest first
    Select(browser.find_element(By.ID, "f-band")).select_by_value("high")
    browser.find_element(By.CSS_SELECTOR, ".filters button").click()
    # The filtered page, not the old one: read right after the click, the old table had 3 rows.
    WebDriverWait(browser, 20).until(ec.staleness_of(first))
    WebDriverWait(browser, 20).until(ec.url_contains("band=high"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.queue tbody tr th a")
    assert len(rows) == 1
    rows[0].click()

    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "decision-title")))
    assert desk.submissions[FLAGGED] in browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert "VESSEL_NOT_AT_PORT" in browser.find_element(By.CSS_SELECTOR, ".reasons").text
    assert browser.execute_script(UNLABELLED) == []
    image = browser.find_element(By.CSS_SELECTOR, ".page-frame img")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", image))
    box = browser.find_element(By.CSS_SELECTOR, "a.box[data-field$='-vessel_name']")
    assert box.size["width"] > 10 and box.size["height"] > 3 and box.is_displayed()
    presses = _tab_to(browser, box)  # the keyboard reaches a field box, and Enter selects it
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert presses < 60
    row = browser.find_element(By.ID, box.get_attribute("data-field"))
    assert "selected" in row.get_attribute("class") and "UNITY STAR" in row.text
    shot(browser, "submission", full=True)

    browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=confirm_fraud]").click()
    Select(browser.find_element(By.ID, "typology")).select_by_value("VESSEL_NOT_AT_PORT")
    browser.find_element(By.ID, "comment").send_keys("AIS shows the vessel elsewhere on the on-board date")
    browser.find_element(By.CSS_SELECTOR, ".decide > button").click()
    WebDriverWait(browser, 20).until(
        ec.text_to_be_present_in_element((By.ID, "review-state"), "confirmed fraud"))
    assert "decision recorded" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    browser.find_element(By.LINK_TEXT, "Audit trail").click()
    WebDriverWait(browser, 20).until(ec.title_contains("Audit"))
    entry = browser.find_element(By.XPATH, "//table[contains(@class,'audit')]//tr[td[5][text()='decide']]")
    assert "alice" in entry.text and desk.submissions[FLAGGED] in entry.text
    assert "AIS shows the vessel elsewhere" in entry.text
    shot(browser, "audit")
    url = desk.settings.service_url()
    rows = list(feedback_rows(DecisionLog(url, AuditLog(url))))
    decided = next(r for r in rows if r["submission_id"] == desk.submissions[FLAGGED])
    assert (decided["label"], decided["typology"], decided["officer"]) == (1, "VESSEL_NOT_AT_PORT", "alice")
    assert decided["features"]  # the row the model scored, for `train --feedback`
    logs = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert logs == []  # no script error, nothing the content security policy blocked
