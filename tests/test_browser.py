"""The web pages driven as a person would, in headless Chromium: type a
query, click a facet, change the dates, open a document, go back, download
every hit as CSV."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from .browser import available, chromium, sample_archive, served

pytestmark = pytest.mark.skipif(not available(), reason="Debian's chromium and chromium-driver are not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("served")
    sample_archive(home)
    with served(home) as base:
        yield base


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[webdriver.Chrome]:
    with chromium(downloads) as driver:
        driver.implicitly_wait(5)  # an element a page has not drawn yet is waited for
        yield driver


def _then(browser: webdriver.Chrome, action: Callable[[], object]) -> None:
    """Do `action`, and wait for the page it leads to (the old page's elements go stale)."""
    page = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 10).until(lambda _: _gone(page))
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")


def _gone(element: WebElement) -> bool:
    """Whether a page's element is gone. Chromium says so in two ways: a stale
    element, or, while a page it restored from its back-forward cache is being
    left, a node that "does not belong to the document" (selenium's
    `staleness_of` knows only the first: one CI run in a few failed on it)."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


def _search(browser: webdriver.Chrome, words: str) -> None:
    box = browser.find_element(By.NAME, "q")
    box.clear()
    _then(browser, lambda: box.send_keys(words, Keys.ENTER))


def _summary(browser: webdriver.Chrome) -> str:
    return str(browser.find_element(By.CSS_SELECTOR, ".summary").text)


def test_search_filter_by_a_facet_and_by_dates(site: str, browser: webdriver.Chrome) -> None:
    browser.get(site)
    _search(browser, "gas")
    assert _summary(browser).startswith("7 hits for gas")
    facet = browser.find_element(By.CSS_SELECTOR, '[data-facet="outlet"]').find_element(By.LINK_TEXT, "Danube Daily")
    _then(browser, facet.click)
    assert _summary(browser).startswith("2 hits") and "outlet=Danube+Daily" in browser.current_url
    outlets = browser.find_elements(By.CSS_SELECTOR, ".hit .meta")
    assert all("Danube Daily" in meta.text for meta in outlets)
    _then(browser, browser.back)
    assert _summary(browser).startswith("7 hits")
    start = browser.find_element(By.NAME, "from")
    _then(browser, lambda: start.send_keys("Nov 2024", Keys.ENTER))
    assert _summary(browser).startswith("4 hits") and "from=Nov+2024" in browser.current_url


def test_open_a_document_and_go_back(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/?q=putin+gas")
    _then(browser, browser.find_element(By.CSS_SELECTOR, ".hit a.title").click)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Serbian President Speaks to Putin")
    marked = {mark.text for mark in browser.find_elements(By.CSS_SELECTOR, ".body mark")}
    assert marked == {"Putin", "Putin's", "gas"}
    browser.find_element(By.CSS_SELECTOR, "details.removed summary").click()
    assert browser.find_element(By.CSS_SELECTOR, "details.removed li").is_displayed()
    _then(browser, browser.back)
    assert _summary(browser).startswith("3 hits for putin gas")


def test_a_bar_of_the_timeline_filters_the_results(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/timeline?q=vucic&unit=year")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart a rect")
    assert len(bars) == 5
    _then(browser, bars[-1].click)
    assert _summary(browser).startswith("5 hits for vucic") and "from=2024-01-01" in browser.current_url


def test_who_said_it_click_a_speaker_then_open_the_document(site: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{site}/?q=serbia")
    _then(browser, browser.find_element(By.LINK_TEXT, "who said it").click)
    assert _summary(browser).startswith("10 quotes of serbia") and "/quotes?q=serbia" in browser.current_url
    facet = browser.find_element(By.CSS_SELECTOR, '[data-facet="speaker"]').find_element(By.LINK_TEXT, "Sergey Lavrov")
    _then(browser, facet.click)
    assert _summary(browser).startswith("1 quote of serbia") and "speaker=Sergey+Lavrov" in browser.current_url
    speaker = browser.find_element(By.CSS_SELECTOR, ".quote .speaker")
    assert speaker.text == "Sergey Lavrov"
    _then(browser, browser.find_element(By.CSS_SELECTOR, ".quote .meta a").click)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Visit of the Minister of Foreign Affairs")
    _then(browser, browser.back)
    _then(browser, browser.back)
    assert _summary(browser).startswith("10 quotes of serbia")


def test_download_every_hit_as_csv(site: str, browser: webdriver.Chrome, downloads: Path) -> None:
    browser.get(f"{site}/?q=vucic")
    browser.find_element(By.CSS_SELECTOR, "a.download").click()
    saved = downloads / "news-search.csv"
    for _ in range(100):
        if saved.is_file() and saved.stat().st_size:
            break
        time.sleep(0.05)
    with saved.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8 and {"id", "language", "snippet"} <= rows[0].keys()
