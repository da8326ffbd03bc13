"""Screenshots of the web pages on the shipped samples, for docs/:
`python -m tests.screenshots` writes docs/screenshots/*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .browser import PROJECT, chromium, sample_archive, served

PAGES = {
    "search": "/?q=gas",
    "timeline": "/timeline?q=vucic&by=outlet&unit=year",
    "document": "/documents/004_c9068389083bc5e7.txt?q=putin+gas",
    "quotes": "/quotes?q=serbia",
}


def main() -> None:
    folder = PROJECT / "docs" / "screenshots"
    folder.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        sample_archive(Path(home))
        with served(Path(home)) as base, chromium() as browser:
            for name, path in PAGES.items():
                browser.get(base + path)
                browser.save_screenshot(str(folder / f"{name}.png"))
                print(folder / f"{name}.png")


if __name__ == "__main__":
    main()
