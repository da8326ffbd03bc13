"""Scores of words read from the positions files' arrays or from posting
blocks are Whoosh's own, match for match.

Compared on an index of several segments with deleted documents (a build,
an addition, edits and removals), for every kind of query `scores` reads
itself and a few it hands to Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import whoosh.index
from whoosh.index import Index
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from search import Archive
from search.engine.whoosh import positions
from search.engine.whoosh import scores as scores_module
from search.engine.whoosh.columns import Columns
from search.engine.whoosh.parsing import parse_text
from search.engine.whoosh.schema import build_schema
from search.engine.whoosh.scores import _whoosh_scores, _Words, scores
from search.engine.whoosh.searching import _weighting, search
from search.engine.whoosh.writing import open_writer
from search.query.request import SearchRequest

from .conftest import whoosh_index, write

QUERIES = [
    "oil", "oil gas", "oil OR gas", "oil NOT opec", "oil ANDNOT gas", "oil ANDMAYBE gas", "oil^2 gas",
    "title:oil", "(oil OR gas) AND price^0.5", "NOT oil", "oil OR NOT opec", "zzzunknown", "oil zzzunknown",
    '"crude oil"', '"oil prices"^2 OR gas', '"the oil"', '"crude oil prices"', '"oil said"~4', '"prices oil"~3',
    'title:"crude oil"', '"oil zzzunknown"', '"oil and gas" NOT opec', '"said" OR "dlrs a barrel"',
    '"crude oil" prices', "title:oil gas^2 opec", "(oil gas) OR opec",
]  # fmt: skip
HANDED_TO_WHOOSH = ["pri*", "oil~", "outlet:reuters", 'outlet:"steppe observer"', "oil (pri* OR gas)"]


def _both(searcher: Searcher, text: str, archive: Archive) -> tuple[dict[int, float], dict[int, float]]:
    request = SearchRequest(text)
    query = parse_text(request, archive.aliases)
    ours = scores(searcher, query, _weighting(request), Columns(searcher.reader()))
    return ours, _whoosh_scores(searcher, query, _weighting(request))


@pytest.fixture(params=["positions files", "blocks"])
def read_from(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Words scored from the documents and frequencies of the positions files, or (as for a segment
    written before those) from the posting blocks."""
    if request.param == "blocks":
        monkeypatch.setattr(scores_module, "counted", lambda *_: None)
    return str(request.param)


@pytest.mark.parametrize("text", QUERIES + HANDED_TO_WHOOSH)
def test_word_scores_are_whooshs(segmented: Archive, text: str, read_from: str) -> None:
    with whoosh_index(segmented).searcher() as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
        ours, whooshs = _both(searcher, text, segmented)
        assert ours.keys() == whooshs.keys()
        assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours)


@pytest.mark.parametrize("text", QUERIES)
def test_words_are_not_handed_to_whoosh(segmented: Archive, text: str) -> None:
    """These are not quietly handed to Whoosh (which would also pass the test above)."""
    with whoosh_index(segmented).searcher() as searcher:
        query = parse_text(SearchRequest(text), segmented.aliases)
        blocks = _Words(searcher, _weighting(SearchRequest(text)), Columns(searcher.reader()))
        assert blocks.scores(query) is not None
    assert (
        _Words(searcher, _weighting(SearchRequest()), Columns(searcher.reader())).scores(
            parse_text(SearchRequest(HANDED_TO_WHOOSH[0]), segmented.aliases)
        )
        is None
    )


def test_words_are_read_from_the_positions_files(segmented: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """The words of QUERIES pass test_word_scores_are_whooshs without a posting block read."""

    def refused(*_: object) -> None:
        raise AssertionError("read from the posting blocks")

    monkeypatch.setattr(scores_module, "_postings", refused)
    with whoosh_index(segmented).searcher() as searcher:
        for text in QUERIES:
            ours, whooshs = _both(searcher, text, segmented)
            assert ours.keys() == whooshs.keys(), text
            assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_frequencies_of_any_size(tmp_path: Path) -> None:
    """A positions file keeps a term's frequencies in one byte, two or four, as the largest needs."""
    bodies = ["filler " * 70_000 + "oil", "oil " * 300 + "gas", "oil gas", "gas"]
    ix = _index_of(tmp_path / "ix", bodies)
    with ix.reader() as reader:
        read = {word: positions.counted(reader, "body", word) for word in (b"filler", b"oil", b"gas")}
    widths = {word: arrays[0][1].itemsize for word, arrays in read.items() if arrays}
    assert widths == {b"filler": 4, b"oil": 2, b"gas": 1}
    for text in ["filler", "oil", "gas", "oil gas", "oil OR filler"]:
        ours, whooshs = _phrase_scores(ix, text)
        assert ours is not None and ours.keys() == whooshs.keys() and ours, text
        assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_scores_on_the_samples_match_whoosh(archive: Archive) -> None:
    """A small index: rare words' postings are kept in the term index, not in blocks."""
    with whoosh_index(archive).searcher() as searcher:
        for text in ["serbia", "vucic putin", "gas OR energy", "serbia NOT ukraine", "title:serbian"]:
            ours, whooshs = _both(searcher, text, archive)
            assert ours.keys() == whooshs.keys() and ours, text
            assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_queries_rank_with_the_bm25_idf_however_the_searcher_was_opened(archive: Archive) -> None:
    """Whoosh's scorers take the idf from the searcher's weighting, not the query's."""
    request = SearchRequest("serbia putin", limit=50)
    with whoosh_index(archive).searcher(weighting=_weighting(request)) as searcher:
        found = searcher.search(parse_text(request, archive.aliases), limit=None)
        expected = {searcher.stored_fields(hit.docnum)["id"]: hit.score for hit in found}
    with whoosh_index(archive).searcher() as plain:
        _, hits = search(plain, request, archive.aliases, Columns(plain.reader()), request.limit, snippets=False)
        from_plain = {hit.doc_id: hit.score for hit in hits}
    from_archive = {hit.doc_id: hit.score for hit in archive.run(request).hits}
    assert expected and from_archive == pytest.approx(expected, abs=1e-4) == from_plain  # hits keep 4 places


def test_rare_words_kept_in_the_term_index_score_as_whooshs(segmented: Archive) -> None:
    """A word of one document has its postings in the term index (search/writing.py), not in a block."""
    with whoosh_index(segmented).searcher() as searcher:
        reader = searcher.reader()
        rare = sorted(
            text.decode()
            for text, info in reader.iter_field("body")
            if info.doc_frequency() == 1 and text.isalpha() and len(text) > 6
        )[:3]
        assert len(rare) == 3
        (holder,) = [leaf for leaf, _ in reader.leaf_readers() if ("body", rare[0]) in leaf]
        assert holder.term_info("body", rare[0]).is_inlined()
        phrases = [f'"{rare[0]} {rare[1]}"', f'"{rare[0]} {rare[0]}"~9', f'"{rare[2]}" OR "crude oil"']
        for text in [rare[0], f"{rare[1]} OR oil", f"{rare[2]} oil", *phrases]:
            ours, whooshs = _both(searcher, text, segmented)
            assert ours.keys() == whooshs.keys(), text
            assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text
        assert _both(searcher, rare[0], segmented)[0]


def test_a_conjunction_decodes_only_the_blocks_that_may_hold_its_rarest_words_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AND scores its rarest clause first and the others only among its documents: the blocks of a common
    word holding none of them are skipped, the scores are those of every posting (test_word_scores_are_whooshs)."""
    for n in range(600):
        rare = " Zanzibar cloves." if n == 300 else ""
        write(tmp_path / "raw" / f"{n:03d}.txt", f"Market note {n}\n\nThe market rose on day {n}.{rare}")
    archive = Archive(tmp_path)
    archive.update()
    monkeypatch.setattr(scores_module, "counted", lambda *_: None)  # as in a segment without them
    decoded: list[int] = []
    blocks = scores_module._blocks

    def counted(*args: Any) -> Iterator[Any]:
        for block in blocks(*args):
            decoded.append(len(block[0]))
            yield block

    monkeypatch.setattr(scores_module, "_blocks", counted)
    assert archive.search("market").total == 600
    assert sum(decoded) >= 2 * 600  # every posting of the title's and the body's
    decoded.clear()
    assert archive.search("market zanzibar").total == 1
    assert 0 < sum(decoded) <= 2 * 128  # a block of each


def test_a_conjunction_scores_its_rarest_word_only_where_every_word_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rarest word of an AND picks the documents the others are scored among, and is itself scored
    only among the documents they all hold (test_word_scores_are_whooshs checks the scores)."""
    for n in range(600):
        words = " ".join(word for word, every in [("harbour", 6), ("cranes", 4)] if n % every == 0)
        write(tmp_path / "raw" / f"{n:03d}.txt", f"Market note {n}\n\nThe market rose on day {n}. {words}")
    archive = Archive(tmp_path)
    archive.update()
    scored: list[int] = []
    score = _Words._scored

    def counted(self: _Words, *args: Any, **kwargs: Any) -> Any:
        found = score(self, *args, **kwargs)
        assert found is not None
        scored.append(len(found[0]))
        return found

    monkeypatch.setattr(_Words, "_scored", counted)
    assert archive.search("harbour cranes market").total == 50
    assert max(scored) == 50  # not the 100 documents of 'harbour', nor the 600 of 'market'


def _index_of(folder: Path, bodies: list[str], writer: Callable[[Index], SegmentWriter] = open_writer) -> Index:
    folder.mkdir()
    ix = whoosh.index.create_in(str(folder), build_schema())
    with writer(ix) as writing:
        for n, body in enumerate(bodies):
            writing.add_document(id=f"d{n}", body=body)
    return whoosh.index.open_dir(str(folder))


def _phrase_scores(ix: Index, text: str) -> tuple[dict[int, float] | None, dict[int, float]]:
    request = SearchRequest(text)
    with ix.searcher(weighting=_weighting(request)) as searcher:
        query = parse_text(request, None)
        ours = _Words(searcher, _weighting(request), Columns(searcher.reader())).scores(query)
        return ours, _whoosh_scores(searcher, query, _weighting(request))


def test_phrases_are_matched_from_the_positions_files(segmented: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """The phrases of QUERIES pass test_word_scores_are_whooshs without reading positions from blocks."""

    def refused(*_: object) -> None:
        raise AssertionError("matched from the posting blocks")

    monkeypatch.setattr(_Words, "_phrase_from_blocks", refused)
    with whoosh_index(segmented).searcher() as searcher:
        for text in [text for text in QUERIES if '"' in text]:
            ours, whooshs = _both(searcher, text, segmented)
            assert ours.keys() == whooshs.keys(), text
            assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_phrases_in_documents_of_more_than_65000_words(tmp_path: Path) -> None:
    """Positions past 65,280 take keys of 8 bytes; a phrase may join a word of such keys to one of 4-byte keys."""
    long = " ".join(["filler"] * 70_000) + " crude oil prices"
    ix = _index_of(tmp_path / "ix", [long, "crude oil prices rose", "prices rose, crude oil fell", "crude"])
    for text in ['"crude oil"', '"prices rose"', '"filler crude oil"', '"crude prices"~3', '"filler filler"']:
        ours, whooshs = _phrase_scores(ix, text)
        assert ours is not None and ours.keys() == whooshs.keys() and ours, text
        assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_phrases_of_segments_without_positions_files_and_of_wide_slops(tmp_path: Path) -> None:
    """A segment written before positions files were (here: by Whoosh's own writer) and a slop wider than
    positions.MAX_SLOP are matched from the posting blocks, as Whoosh matches them."""
    bodies = ["crude oil prices rose", "oil prices, then crude", "crude " + "word " * 300 + "oil"]
    older = _index_of(tmp_path / "older", bodies, lambda ix: ix.writer())
    with older.reader() as reader:
        assert positions.phrase_documents(reader, "body", [b"crude", b"oil"], 1) is None
    wide = f'"crude oil"~{positions.MAX_SLOP + 100}'
    for ix, text in [(older, '"crude oil"'), (older, '"oil crude"~4'), (_index_of(tmp_path / "new", bodies), wide)]:
        ours, whooshs = _phrase_scores(ix, text)
        assert ours is not None and ours.keys() == whooshs.keys() and ours, text
        assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text


def test_phrases_of_deleted_documents(tmp_path: Path) -> None:
    """A deleted document keeps its keys in the positions file until its segment merges: a phrase found
    only there matches nothing, and no error (scoring one once looked up postings that skipped it)."""
    ix = _index_of(tmp_path / "ix", ["zanzibar cloves rose", "crude oil fell", "zanzibar cloves, crude oil"])
    with open_writer(ix) as writer:
        writer.delete_by_term("id", "d0")
    for text in ['"zanzibar cloves"', '"crude oil"', '"zanzibar cloves" OR "crude oil"']:
        ours, whooshs = _phrase_scores(whoosh.index.open_dir(str(tmp_path / "ix")), text)
        assert ours is not None and ours.keys() == whooshs.keys() and ours, text
        assert all(ours[n] == pytest.approx(whooshs[n], rel=1e-9) for n in ours), text
