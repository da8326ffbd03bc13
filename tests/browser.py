"""A served archive and a headless Chromium driving it, for the browser
tests and the screenshots of docs/ (`python -m tests.screenshots`).

Debian's chromium and chromium-driver (`.ci/run` installs them); Chromium
is started with no network of its own besides localhost."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from search import Archive
from search.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
PROJECT = Path(__file__).resolve().parents[1]


def available() -> bool:
    return CHROMIUM.is_file() and DRIVER.is_file()


def sample_archive(home: Path) -> Archive:
    """The shipped samples and the syndicated test documents, indexed."""
    shutil.copytree(PROJECT / "raw", home / "raw")
    shutil.copytree(PROJECT / "tests" / "fixtures" / "syndicated", home / "raw" / "syndicated")
    archive = Archive(home)
    archive.update(workers=1)
    return archive


def free_port() -> int:
    """A port of this machine no one listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(home: Path) -> Iterator[str]:
    """The archive at `home` served on a free local port; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Archive(home)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def chromium(downloads: Path | None = None, width: int = 1280, height: int = 900) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        f"--window-size={width},{height}",
    ):  # fmt: skip
        options.add_argument(flag)
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
