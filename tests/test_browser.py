"""`kg serve` in a real browser: Debian's headless Chromium, driven by Selenium through chromedriver.

Screenshots are kept in test-artifacts/ (not versioned) to be looked at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from kg_server import Server

from kg.named_queries import library

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM, CHROMEDRIVER = "chromium", "chromedriver"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium; skipped when not installed, an error in CI."""
    missing = [name for name in (CHROMIUM, CHROMEDRIVER) if shutil.which(name) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (Debian packages chromium, chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a browser: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def wait(driver: object, css: str, timeout: float = 30) -> object:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def test_a_query_runs_through_the_editor(browser, kg_server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(kg_server.url + "/query")
    wait(browser, ".yasqe .CodeMirror")
    browser.find_element(By.CSS_SELECTOR, '[data-example="questions-by-status"]').click()
    editor = browser.execute_script(
        "return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()"
    )
    assert editor == library()["questions-by-status"].bound()
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(browser, ".yasr table tbody tr")
    headers = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, ".yasr table thead th")]
    rows = browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    browser.execute_script("document.querySelector('.yasr').scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "query-page.png"))
    assert "questions" in " ".join(headers)
    assert len(rows) >= 2


def test_a_question_page_and_a_deputy_page(browser, kg_server: Server) -> None:
    from selenium.webdriver.common.by import By

    browser.get(kg_server.url + "/id/question/QANR5L16QE12432")
    assert browser.find_element(By.ID, "title").text == "Hébergement des données de santé"
    assert "health data hub" in browser.find_element(By.ID, "text").text
    facts = browser.find_element(By.ID, "facts").text
    assert "qkg:askedBy" in facts
    browser.save_screenshot(str(ARTIFACTS / "question-page.png"))
    # Follow the author's link, as a reader would.
    author = browser.find_element(By.XPATH, "//table[@id='facts']//tr[th/a[text()='qkg:askedBy']]//td/a")
    name = author.text
    author.click()
    wait(browser, "table.section")
    assert browser.find_element(By.ID, "title").text == name
    sections = {
        table.get_attribute("data-title") for table in browser.find_elements(By.CSS_SELECTOR, "table.section")
    }
    assert {"Mandates", "Questions asked"} <= sections
    assert "QANR5L16QE12432" in browser.page_source
    browser.save_screenshot(str(ARTIFACTS / "deputy-page.png"))
