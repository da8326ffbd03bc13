"""Totals and facets count every match, on real news text.

Whoosh's top-N collector, once its page is full, swaps a matcher for one
that skips documents that can no longer reach the page (an OR of title and
body becomes "title, and body if present"); counted that way, `bank` in
these 600 Reuters stories has 50 hits instead of 111.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from search import Archive
from search.engine.whoosh.parsing import parse_text
from search.query.request import SearchRequest

from .benchmarks.corpus import REUTERS, documents, write_archive
from .conftest import whoosh_index

WORDS = ["coffee", "cocoa", "bank", "market", "profit", "oil"]  # the first two: a few matches, looked up one by one


@pytest.mark.skipif(not REUTERS.is_file(), reason="needs ../shared/dev/news")
def test_totals_and_facets_count_every_match(tmp_path: Path) -> None:
    write_archive(tmp_path, documents(600))
    archive = Archive(tmp_path)
    archive.update(workers=1)
    with whoosh_index(archive).searcher() as searcher:
        for word in WORDS:
            matching = set(searcher.docs_for_query(parse_text(SearchRequest(word), archive.aliases)))
            outlets = Counter(searcher.stored_fields(n)["outlet_name"] for n in matching)
            results = archive.search(word)
            assert results.total == len(matching), word
            assert results.outlets == dict(outlets) and results.no_outlet == 0, word
            assert sum(results.years.values()) + results.undated == len(matching), word
