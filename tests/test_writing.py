"""Our writer against Whoosh's own: the same postings, term statistics and columns, fewer disk lookups, rare terms'
postings in the term index, and a table of contents plain Whoosh reads."""

from __future__ import annotations

import io
import os
from array import array
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.filedb import filestore
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.query import Term
from whoosh.writing import OPTIMIZE, SegmentWriter

from search.engine.whoosh import positions, storage, writing
from search.engine.whoosh.codec import INLINE_LIMIT
from search.engine.whoosh.columns import leaves
from search.engine.whoosh.hashes import CRC32
from search.engine.whoosh.schema import build_schema, to_fields
from search.engine.whoosh.writing import MERGE_AT, merge, open_writer
from search.ingest.pipeline import finish, never_repeated, prepare
from search.ingest.rules import load_rules
from search.ingest.sources import scan

from .conftest import SAMPLES


def _write(folder: Path, make_writer: Callable[[Index], SegmentWriter]) -> Index:
    """The shipped samples written by `make_writer` as one segment."""
    rules = load_rules()
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    with make_writer(ix) as writer:
        for source in scan(SAMPLES)[0]:
            writer.add_document(**to_fields(finish(prepare(source, rules), rules, never_repeated)))
    return whoosh_index.open_dir(str(folder))


def _whooshs(ix: Index) -> SegmentWriter:
    return ix.writer()


def _postings(ix: Index) -> dict[tuple[str, bytes], tuple[Any, ...]]:
    """Each term's statistics (lengths included: blocks keep their shortest and longest) and postings."""
    found = {}
    with ix.reader() as reader:
        for term in reader.all_terms():
            info, matcher = reader.term_info(*term), reader.postings(*term)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value() or None))  # inlined: "" for none
                matcher.next()
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())
            found[term] = (stats, info.min_id(), info.max_id(), postings)
    return found


def _files(ix: Index) -> dict[str, bytes]:
    """The files of the index's one segment, by kind (pst, trm, body_len.col, ...)."""
    (segment,) = ix._segments()
    files = CompoundStorage(ix.storage.open_file(segment.make_filename(".seg")))
    return {name.split(".", 1)[1]: files.open_file(name).read() for name in files.list()}


def test_the_index_holds_what_whooshs_writer_writes(tmp_path: Path) -> None:
    ours, whooshs = _write(tmp_path / "ours", open_writer), _write(tmp_path / "whooshs", _whooshs)
    assert _postings(ours) == _postings(whooshs)
    columns = [kind for kind in _files(whooshs) if kind.endswith(".col")]
    assert columns and all(_files(ours)[kind] == _files(whooshs)[kind] for kind in columns)


def test_segments_of_inlined_postings_merge(tmp_path: Path) -> None:
    """Whoosh merges segments when it commits: it reads their postings back and writes them anew."""
    ours = _write(tmp_path / "ours", open_writer)
    open_writer(ours).commit(mergetype=OPTIMIZE)
    whooshs = _write(tmp_path / "whooshs", _whooshs)
    assert _postings(whoosh_index.open_dir(str(tmp_path / "ours"))) == _postings(whooshs)


def _segments_to_merge(folder: Path) -> Index:
    """Three segments of the samples and of documents sharing words (postings in blocks and in the term
    index), with a document of each kind deleted."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    with open_writer(ix) as writer:
        for source in scan(SAMPLES)[0]:
            writer.add_document(**to_fields(finish(prepare(source, load_rules()), load_rules(), never_repeated)))
    for batch in ("a", "b"):
        with open_writer(ix) as writer:
            for n in range(2 * INLINE_LIMIT):
                writer.add_document(id=f"{batch}{n}", body=f"oil prices {'rose' if n % 3 else 'fell'} {batch}{n}")
    with open_writer(ix) as writer:
        writer.delete_by_term("id", "a1")
        writer.delete_by_term("id", scan(SAMPLES)[0][0].doc_id)
    return ix


def test_segments_merge_into_the_postings_whooshs_merge_writes(tmp_path: Path) -> None:
    ours, whooshs = _segments_to_merge(tmp_path / "ours"), _segments_to_merge(tmp_path / "whooshs")
    assert len(ours._segments()) == 3 and ours.reader().has_deletions()
    open_writer(ours).commit(mergetype=OPTIMIZE)
    _whooshs(whooshs).commit(mergetype=OPTIMIZE)
    merged = whoosh_index.open_dir(str(tmp_path / "ours"))
    assert len(merged._segments()) == 1 and not merged.reader().has_deletions()
    assert _postings(merged) == _postings(whoosh_index.open_dir(str(tmp_path / "whooshs")))


def test_a_merge_does_not_look_terms_up_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoosh's merge finds each term of a segment again in the term index's hash table (half of a merge)."""
    ix = _segments_to_merge(tmp_path / "ix")
    looked_up: list[tuple[str, bytes]] = []
    term_info = W3TermsReader.term_info

    def counted(reader: W3TermsReader, *term: Any) -> Any:
        looked_up.append(term)
        return term_info(reader, *term)

    monkeypatch.setattr(W3TermsReader, "term_info", counted)
    open_writer(ix).commit(mergetype=OPTIMIZE)
    assert not looked_up


def test_rare_terms_postings_are_kept_in_the_term_index(tmp_path: Path) -> None:
    """Fewer postings than INLINE_LIMIT: in the term index; as many: in a block of the postings file."""
    (tmp_path / "ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    with open_writer(ix) as writer:
        for n in range(INLINE_LIMIT):  # "minister" in every document, "visit" in all but one, "k<n>" in one
            writer.add_document(id=str(n), body=f"minister {'visit' if n else ''} k{n}")
    with ix.reader() as reader:
        inlined = {(info.doc_frequency(), info.is_inlined()) for _, info in reader.iter_field("body")}
    assert inlined == {(1, True), (INLINE_LIMIT - 1, True), (INLINE_LIMIT, False)}
    samples = _write(tmp_path / "ours", open_writer)
    assert len(_files(samples)["pst"]) < len(_files(_write(tmp_path / "whooshs", _whooshs))["pst"]) / 2


def test_the_table_of_contents_names_whooshs_codec(tmp_path: Path) -> None:
    """Readers of the index need nothing of ours: the writer's codec is pickled as Whoosh's."""
    (segment,) = _write(tmp_path / "ours", open_writer)._segments()
    assert type(segment.codec()) is W3Codec


def test_a_commit_asks_the_disk_once_per_field_not_once_per_posting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    exists = FileStorage.file_exists

    def counted(storage: FileStorage, name: str) -> bool:
        asked.append(name)
        return bool(exists(storage, name))

    monkeypatch.setattr(FileStorage, "file_exists", counted)
    _write(tmp_path / "ours", open_writer)
    ours = len(asked)
    asked.clear()
    _write(tmp_path / "whooshs", _whooshs)
    assert ours <= len(build_schema().names())
    assert len(asked) > 10 * ours


def _commit(ix: Index, *ids: str, deleted: tuple[str, ...] = ()) -> list[int]:
    """Add a document of each id and delete the `deleted` in one commit; each segment's live documents after."""
    with open_writer(ix) as writer:
        for doc_id in ids:
            writer.add_document(id=doc_id, body=f"oil prices {doc_id}")
        for doc_id in deleted:
            writer.delete_by_term("id", doc_id)
    return _sizes(ix)


def _sizes(ix: Index) -> list[int]:
    return [segment.doc_count() for segment in whoosh_index.open_dir(ix.storage.folder)._segments()]


def test_segments_of_one_order_of_size_merge_once_there_are_ten(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    _commit(ix, *[f"b{n}" for n in range(20)])
    for n in range(MERGE_AT - 1):
        _commit(ix, f"a{n}")
    assert merge(ix) == 0 and _sizes(ix) == [20] + [1] * (MERGE_AT - 1)  # nine: nothing to merge, nothing written
    assert _commit(ix, "last") == [20] + [1] * MERGE_AT  # a commit merges nothing: an add never waits for a merge
    assert merge(ix) == MERGE_AT and _sizes(ix) == [20, MERGE_AT]
    with ix.searcher() as searcher:
        assert len(searcher.search(Term("body", "oil"), limit=None)) == 20 + MERGE_AT


def test_segments_of_the_largest_size_are_never_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild leaves large segments of one order of size (20 of 50,000 documents at 1,000,000): the
    first commit after it must not merge them all. (The cap is lowered so that the test writes few documents.)"""
    monkeypatch.setattr(writing, "MERGE_MAX_DOCS", 3)
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    for n in range(MERGE_AT):
        _commit(ix, f"a{n}", f"b{n}", f"c{n}")
    assert _commit(ix, "small") == [3] * MERGE_AT + [1]
    assert merge(ix) == 0
    for n in range(MERGE_AT - 1):
        _commit(ix, f"d{n}", f"e{n}")
    assert merge(ix) == MERGE_AT and _sizes(ix) == [3] * MERGE_AT + [MERGE_AT * 2 - 1]  # below the cap, merged


def test_a_segment_whose_documents_are_all_deleted_is_dropped(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    _commit(ix, "a", "b")
    assert _commit(ix, "c") == [2, 1]
    assert _commit(ix, "d", deleted=("a", "b")) == [1, 1]


_WORDS = ["Vučić", "Вучић", "gas", "gases", "the", "of", "U.S.", "AT&T", "Kyiv's", "2024", "naïve", "Moscow", "deal"]
_DOCUMENTS = st.lists(
    st.fixed_dictionaries(
        {
            "body": st.lists(st.sampled_from(_WORDS), max_size=300).map(" ".join),
            "title": st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join),
            "outlet": st.sampled_from(["N1", "Kyiv Post", "The Moscow Times"]),
            "language": st.sampled_from(["en", "sr", "uk"]),
            "lines": st.lists(st.sampled_from(["k1", "k2", "k3", "k4"]), max_size=3).map(" ".join),
            "date": st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
            "cut": st.integers(0, 100),
        },
        optional={"quotes": st.sampled_from(["gas deal", "the deal of Vučić"]), "author": st.sampled_from(_WORDS)},
    ),
    min_size=1,
    max_size=40,
)


def _fields(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents with an id and their facets' columns, as `to_fields` gives them."""
    return [
        document | {"id": f"d{n}", "outlet_name": document["outlet"], "year": str(document["date"].year)}
        for n, document in enumerate(documents)
    ]


def _written(folder: Path, documents: list[dict[str, Any]], make_writer: Callable[[Index], SegmentWriter]) -> Index:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    with make_writer(ix) as writer:
        for document in documents:
            writer.add_document(**document)
    return whoosh_index.open_dir(str(folder))


def _stored(ix: Index) -> list[dict[str, Any]]:
    with ix.reader() as reader:
        return list(reader.all_stored_fields())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=_DOCUMENTS, split=st.integers(1, 40))
def test_any_documents_are_written_as_whooshs_writer_writes_them(
    tmp_path_factory: pytest.TempPathFactory, documents: list[dict[str, Any]], split: int
) -> None:
    """Every posting and term statistic, stored field and column; and the same after the documents were
    written in two segments (the second deleting the first document, in the first segment) and merged."""
    work = tmp_path_factory.mktemp("written")
    documents = _fields(documents)
    whooshs = _written(work / "whooshs", documents, _whooshs)
    ours = _written(work / "ours", documents, open_writer)
    assert _postings(ours) == _postings(whooshs)
    assert _stored(ours) == _stored(whooshs)
    assert {kind: data for kind, data in _files(ours).items() if kind.endswith(".col")} == {
        kind: data for kind, data in _files(whooshs).items() if kind.endswith(".col")
    }
    merged = _written(work / "merged", documents[:split], open_writer)
    with open_writer(merged) as writer:
        for document in documents[split:]:
            writer.add_document(**document)
        writer.delete_by_term("id", "d0")
    open_writer(merged).commit(mergetype=OPTIMIZE)
    alive = _written(work / "alive", documents[1:], _whooshs)
    assert _postings(whoosh_index.open_dir(str(work / "merged"))) == _postings(alive)
    assert _positions_file(ours) == _positions(whooshs)
    assert _positions_file(whoosh_index.open_dir(str(work / "merged"))) == _positions(alive)
    assert _counted(ours) == _frequencies(whooshs)
    assert _counted(whoosh_index.open_dir(str(work / "merged"))) == _frequencies(alive)


Positions = dict[tuple[str, bytes], dict[int, list[int]]]


def _positions(ix: Index) -> Positions:
    """Each term's positions in each document, of the fields that keep them, as Whoosh's reader reads them."""
    found: Positions = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            if reader.schema[field].format.supports("positions"):
                matcher = reader.postings(field, term)
                found[field, term] = dict(matcher.items_as("positions"))
    return found


def _positions_file(ix: Index) -> Positions:
    """What the positions file of the index's segment (if it has one) holds."""
    found: Positions = {}
    with ix.reader() as reader:
        assert len(leaves(reader)) <= 1
        for leaf, _ in leaves(reader):
            held = positions._positions_file(leaf)
            assert held is not None
            for key, value in held.items():
                if key.startswith(b"\0"):  # the documents and frequencies (test above)
                    continue
                field, term = key.split(b"\0", 1)
                (keys,), shift = positions._arrays([value])
                by_document = found.setdefault((field.decode(), term), {})
                for number in keys:
                    by_document.setdefault(number >> shift, []).append(number & (1 << shift) - 1)
    return found


Frequencies = dict[tuple[str, bytes], dict[int, float]]


def _frequencies(ix: Index) -> Frequencies:
    """Each term's frequency in each document, of the fields that keep positions, as Whoosh's reader reads them."""
    with ix.reader() as reader:
        return {
            (field, term): dict(reader.postings(field, term).items_as("weight"))
            for field, term in reader.all_terms()
            if reader.schema[field].format.supports("positions")
        }


def _counted(ix: Index) -> Frequencies:
    """The documents and frequencies the positions files hold for the same terms."""
    found: Frequencies = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            if reader.schema[field].format.supports("positions"):
                arrays = positions.counted(reader, field, term)
                assert arrays is not None
                found[field, term] = {
                    n: f for documents, frequencies in arrays for n, f in zip(documents, frequencies, strict=True)
                }
    return found


def test_files_written_count_their_own_length(tmp_path: Path) -> None:
    """Whoosh asks a file being written where it is (`tell`) for every term and document, a system call
    each: the product's storage counts instead, and counts right, seeks included."""
    created = storage.MappedStorage(str(tmp_path)).create_file("f")
    created.write(b"abc")
    created.write_int(7)
    created.write_array(array("I", [1, 2]))
    assert created.tell() == 3 + 4 + 8
    created.seek(1)
    assert created.tell() == 1
    created.seek(0, os.SEEK_END)
    created.write(b"de")
    assert created.tell() == 17
    created.close()
    assert (tmp_path / "f").stat().st_size == 17


def test_an_index_the_product_creates_holds_what_whooshs_storage_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """And asks the system where a file is once a file, not once a term (some 10,000 here)."""
    asked: list[str] = []

    class Asked(io.BufferedWriter):
        def tell(self) -> int:
            asked.append(str(self.name))
            return super().tell()

    def opened(path: str, mode: str = "r") -> IO[bytes]:
        return Asked(io.FileIO(path, "w")) if mode == "wb" else open(path, mode)  # noqa: SIM115

    monkeypatch.setattr(filestore, "open", opened, raising=False)
    (tmp_path / "ours").mkdir()
    ours = storage.create(tmp_path / "ours")
    with open_writer(ours) as writer:
        for source in scan(SAMPLES)[0]:
            writer.add_document(**to_fields(finish(prepare(source, load_rules()), load_rules(), never_repeated)))
    assert 0 < len(asked) <= len(set(asked)) * 2
    monkeypatch.undo()
    assert _postings(whoosh_index.open_dir(str(tmp_path / "ours"))) == _postings(_write(tmp_path / "w", open_writer))


def test_term_index_and_positions_file_hash_keys_with_crc32(tmp_path: Path) -> None:
    """Whoosh's writers hash with md5 in Python; its readers take the hash type from the file."""
    files = _files(_write(tmp_path / "ours", open_writer))
    assert files["trm"][4] == files["phr"][4] == CRC32  # after the 4 bytes of the format's magic
    assert _files(_write(tmp_path / "whooshs", _whooshs))["trm"][4] == 0


def test_files_inside_a_mapped_segment_read_as_whooshs_storage_reads_them(tmp_path: Path) -> None:
    """The product's storage reads a compound segment's files by slicing its map (`get`, which Whoosh's
    readers use for random access: it leaves the position to `seek`), and sequentially."""
    _write(tmp_path / "ix", open_writer)
    (segment,) = whoosh_index.open_dir(str(tmp_path / "ix"))._segments()
    name = segment.make_filename(".seg")
    mapped = CompoundStorage(storage.MappedStorage(str(tmp_path / "ix")).open_file(name), use_mmap=False)
    plain = CompoundStorage(FileStorage(str(tmp_path / "ix")).open_file(name), use_mmap=False)
    for inner in plain.list():
        ours, theirs = mapped.open_file(inner), plain.open_file(inner)
        size = plain.file_length(inner)
        for start, length in [(0, size), (size // 3, 7), (size - 4, 4), (1, 0)]:
            assert ours.get(start, length) == theirs.get(start, length), inner
        ours, theirs = mapped.open_file(inner), plain.open_file(inner)
        assert ours.read(5) == theirs.read(5) and ours.tell() == theirs.tell() == min(5, size)
        ours.seek(size // 2)
        theirs.seek(size // 2)
        assert ours.read() == theirs.read()
    mapped.close()
    plain.close()
