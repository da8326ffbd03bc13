"""Reading raw files: encodings, binary and empty files, sidecars, links."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from search import Archive
from search.errors import SourceError
from search.ingest.sources import SourceFile, read, scan
from search.model import RawDocument

from .conftest import write

RUSSIAN = (
    "Президент Сербии Александр Вучич провёл телефонный разговор с Владимиром Путиным. Он поблагодарил его за газ."
)
SERBIAN = "Predsednik Vučić je rekao da će Srbija nastaviti saradnju sa Rusijom, uprkos pritiscima iz Brisela."
GERMAN = "Der serbische Präsident äußerte sich über die Gespräche mit Moskau und die Gaslieferungen für Österreich."
FRENCH = "Le président serbe a déclaré que la coopération économique était très importante pour l'été prochain."


def _read(path: Path) -> RawDocument:
    return read(SourceFile(path.name, path, ""))


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN, "windows-1251"),
        (RUSSIAN, "koi8-r"),
        (RUSSIAN, "utf-8"),
        (FRENCH, "latin-1"),
        (FRENCH, "utf-8"),
        (SERBIAN, "windows-1250"),
        (GERMAN, "latin-1"),
    ],
)
def test_legacy_encodings_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = write(tmp_path / "doc.txt", text, encoding)
    assert _read(path).text == text


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    assert RUSSIAN in _read(write(tmp_path / "p.html", page, "windows-1251")).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
    ],
)
def test_unreadable_documents_say_why(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=message):
        _read(path)


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["date"]', "JSON object"),
        ('{"date": 2024}', "date must be a string"),
        ('{"date": "someday"}', "is not a date"),
        ('{"publisher": "x"}', "unknown keys"),
    ],
)
def test_bad_sidecars_are_named_in_a_clear_error(tmp_path: Path, sidecar: str, message: str) -> None:
    path = write(tmp_path / "a.txt", "Some text.")
    write(tmp_path / "a.txt.meta.json", sidecar)
    with pytest.raises(SourceError, match=message) as caught:
        _read(path)
    assert "a.txt.meta.json" in str(caught.value)


def test_scan_finds_documents_recursively_and_reports_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "sub" / "b.HTML", "<p>x</p>")
    write(tmp_path / "sub" / "c.md", "x")
    write(tmp_path / "notes.pdf", "x")
    write(tmp_path / "a.txt.meta.json", "{}")
    write(tmp_path / ".hidden.txt", "x")
    found, skipped = scan(tmp_path)
    assert [f.doc_id for f in found] == ["a.txt", "sub/b.HTML", "sub/c.md"]
    assert [(s.doc_id, s.failed) for s in skipped] == [("notes.pdf", False)]


def test_links_out_of_raw_are_not_followed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    outside = write(tmp_path / "secret.txt", "private")
    write(raw / "inside.txt", "public")
    os.symlink(outside, raw / "link.txt")
    os.symlink(raw / "inside.txt", raw / "alias.txt")
    os.symlink(tmp_path, raw / "loop")
    found, skipped = scan(raw)
    assert [f.doc_id for f in found] == ["alias.txt", "inside.txt"]
    assert [s.doc_id for s in skipped] == ["link.txt"]


def test_sidecar_change_changes_the_stamp_and_hash(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Text.")
    before = read(scan(tmp_path)[0][0])
    write(tmp_path / "a.txt.meta.json", '{"outlet": "X"}')
    after = read(scan(tmp_path)[0][0])
    assert before.stamp != after.stamp and before.sha != after.sha
    assert after.sidecar.outlet == "X"


def test_accents_written_apart_are_composed_so_names_are_found(tmp_path: Path) -> None:
    """A file with "Vuc\u030cic\u0301" (accents apart, NFD) was cut into words at
    each accent: neither "Vučić" nor the same letters typed apart found it."""
    body = "President Vučić met Đoković and Šojgu in Kraljevo on Monday, the presidency said in a statement."
    write(tmp_path / "raw" / "apart.txt", unicodedata.normalize("NFD", f"Visit of Vučić\n\n{body}\n"))
    write(tmp_path / "raw" / "apart.txt.meta.json", unicodedata.normalize("NFD", '{"author": "Dušan Đurić"}'))
    assert read(SourceFile("apart.txt", str(tmp_path / "raw" / "apart.txt"), "")).text.startswith("Visit of Vučić")
    archive = Archive(tmp_path)
    archive.update(workers=1)
    for name in ("Vučić", "vucic", unicodedata.normalize("NFD", "Đoković"), "Šojgu"):
        assert [hit.doc_id for hit in archive.search(name).hits] == ["apart.txt"], name
    assert archive.document("apart.txt").body == body
    assert archive.document("apart.txt").metadata["author"] == "Dušan Đurić"
