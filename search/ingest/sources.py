"""Raw files on disk: which ones are documents, their text, their sidecars.

A document's id is its path relative to `raw/`, with forward slashes. A file
that cannot be a document is reported with its reason, never silently lost.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError
from ..fields import NAMES, ordered
from ..model import RawDocument, Sidecar, Skipped
from ..text.analysis import composed
from ..text.dates import parse_date

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"
NOT_A_DOCUMENT = "not a .txt, .md, .html or .htm file"
SIDECAR_FIELDS = ("title", "date", "outlet", *NAMES)
BINARY_PROBE = 8192
MAX_BYTES = 8 * 1024 * 1024
"""The most of one file that is read. A news article is rarely over 100 kB;
a bigger file is a dump of many, and its first 8 MB are indexed (with a
note in the report) rather than hold minutes of work and gigabytes."""


class SourceFile(NamedTuple):
    """A document file found under `raw/`, with a cheap change stamp.

    (A tuple: a scan makes one per file, and a frozen dataclass takes twice
    as long to make.)
    """

    doc_id: str
    path: str | os.PathLike[str]
    stamp: str


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_document_name(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def scan(raw_root: Path) -> tuple[list[SourceFile], list[Skipped]]:
    """Every document file under `raw_root`, sorted by id, and the files skipped.

    Links are not followed into folders, and a linked file is read only when
    it points inside `raw_root`, so nothing outside the archive is indexed.
    One directory listing per folder and one stat per file (two with a
    sidecar): `search index` on an unchanged archive is mostly this.
    """
    found: list[SourceFile] = []
    skipped: list[Skipped] = []
    root = raw_root.resolve()
    _scan_folder(root, root, "", found, skipped)
    found.sort(key=itemgetter(0))  # by id: unique, and strings compare faster than tuples
    return found, skipped


def _scan_folder(root: Path, folder: Path, prefix: str, found: list[SourceFile], skipped: list[Skipped]) -> None:
    with os.scandir(folder) as listing:
        entries = list(listing)  # put in order once, by `scan`
    names = {entry.name for entry in entries}
    for entry in entries:
        name, doc_id = entry.name, prefix + entry.name
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
            continue
        link = entry.is_symlink()
        if entry.is_dir(follow_symlinks=False):
            _scan_folder(root, Path(entry.path), doc_id + "/", found, skipped)
        elif link and entry.is_dir():
            continue  # a link to a folder: never followed
        elif not is_document_name(name):
            skipped.append(Skipped(doc_id, NOT_A_DOCUMENT, failed=False))
        elif link and not Path(entry.path).resolve().is_relative_to(root):
            skipped.append(Skipped(doc_id, "a link to a file outside raw/", failed=False))
        else:
            try:
                found.append(_source_file(doc_id, entry.path, name + SIDECAR_SUFFIX in names))
            except OSError as exc:
                skipped.append(Skipped(doc_id, f"cannot be read ({exc.strerror})"))


def source_files(raw_root: Path, doc_ids: list[str]) -> tuple[list[SourceFile], list[Skipped]]:
    """The document files of given ids, without listing all of `raw_root`."""
    found: list[SourceFile] = []
    skipped: list[Skipped] = []
    for doc_id in doc_ids:
        path = str(raw_root.resolve() / doc_id)
        try:
            found.append(_source_file(doc_id, path, os.path.isfile(path + SIDECAR_SUFFIX)))
        except OSError as exc:
            skipped.append(Skipped(doc_id, f"cannot be read ({exc.strerror})"))
    return found, skipped


def _source_file(doc_id: str, path: str, has_sidecar: bool) -> SourceFile:
    """The file with its stamp: size and modification time, and its sidecar's, if any."""
    info = os.stat(path)
    stamp = f"{info.st_size}:{info.st_mtime_ns}"
    if has_sidecar:
        side = os.stat(path + SIDECAR_SUFFIX)
        stamp += f"|{side.st_size}:{side.st_mtime_ns}"
    return SourceFile(doc_id, path, stamp)


def read(source: SourceFile) -> RawDocument:
    """Read and decode a document file and its sidecar. Raises SourceError."""
    try:
        with open(source.path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})") from exc
    truncated = len(data) > MAX_BYTES
    if truncated:  # cut at the last line end, or space, so no word or character is split
        data = data[: max(data.rfind(b"\n", 0, MAX_BYTES), data.rfind(b" ", 0, MAX_BYTES), 0)]
    if b"\0" in data[:BINARY_PROBE] and not data.startswith(WIDE_BOMS):
        raise SourceError("a binary file, not text")
    path = os.fspath(source.path)
    is_html = path.lower().endswith(HTML_SUFFIXES)
    text, encoding = decode(data, is_html)
    text = composed(text)
    if not text.strip():
        raise SourceError("empty")
    side = Path(path + SIDECAR_SUFFIX)
    side_bytes = side.read_bytes() if side.is_file() else b""
    return RawDocument(
        doc_id=source.doc_id,
        path=path,
        text=text,
        is_html=is_html,
        encoding=encoding,
        sha=hashlib.sha1(data + b"\0" + side_bytes).hexdigest(),
        stamp=source.stamp,
        sidecar=parse_sidecar(side_bytes, side.name) if side_bytes else Sidecar(),
        truncated=truncated,
    )


WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
"""Byte-order marks of UTF-32 and UTF-16 (in the order to test them: UTF-32
LE's begins with UTF-16 LE's). Such text is full of NUL bytes, yet text."""
MAX_BAD_SHARE = 0.5
"""UTF-8 with bad bytes is still UTF-8 while they are at most half as many as
its well-formed non-ASCII characters: one stray byte must not turn "Vučić"
into mojibake, as reading the whole file in a legacy encoding would. (Text
in a legacy encoding has almost no well-formed UTF-8 sequences.)"""


def decode(data: bytes, is_html: bool) -> tuple[str, str]:
    """Text of raw bytes: UTF-8 when valid (or nearly: bad bytes replaced and
    said in the encoding's name), UTF-16 or UTF-32 with a byte-order mark,
    else the declared or detected encoding."""
    if data.startswith(WIDE_BOMS):
        encoding = "utf-32" if data.startswith(WIDE_BOMS[:2]) else "utf-16"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8-sig"), "utf-8"  # what UnicodeDammit tries first, with no detector to set up
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count("\ufffd".encode())
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - replaced  # non-ASCII, counted in C
    if bad <= MAX_BAD_SHARE * well_formed:
        return text, f"utf-8 ({bad} bad {'byte' if bad == 1 else 'bytes'} replaced)"
    from bs4 import UnicodeDammit  # a sixth of a second to import: only for documents that need it

    dammit = UnicodeDammit(data, known_definite_encodings=["utf-8"], is_html=is_html)
    if dammit.unicode_markup is None:
        return data.decode("utf-8", errors="replace"), "utf-8 (with errors replaced)"
    encoding = dammit.original_encoding or "utf-8"
    if encoding.replace("_", "-") in LATIN_TWINS and not dammit.declared_html_encoding:
        encoding = min(LATIN_TWINS, key=lambda twin: _implausible(data.decode(twin, errors="replace"), twin))
        return data.decode(encoding, errors="replace"), encoding
    return dammit.unicode_markup.lstrip("\ufeff"), encoding


# Western (cp1252) and Central European (cp1250) text decode cleanly in both
# encodings, and detectors split the tie badly on short texts. Each decoding
# of the other's bytes yields letters that are rare in its own languages
# ("à" read as cp1250 is "ŕ"; "ć" read as cp1252 is "æ"): fewer wins,
# Windows-1252 on a tie.
LATIN_TWINS = {"windows-1252": "æðþøì", "windows-1250": "ŕůűőĺľţ"}


def _implausible(text: str, encoding: str) -> int:
    rare = LATIN_TWINS[encoding]
    return sum(text.count(letter) + text.count(letter.upper()) for letter in rare)


def parse_sidecar(data: bytes, name: str) -> Sidecar:
    """The metadata of a sidecar file; SourceError says what is wrong in it."""
    try:
        fields = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"sidecar {name} is not valid JSON ({exc})") from exc
    if not isinstance(fields, dict):
        raise SourceError(f'sidecar {name} must hold a JSON object such as {{"date": "2024-10-20"}}')
    unknown = sorted(set(fields) - set(SIDECAR_FIELDS))
    if unknown:
        raise SourceError(f"sidecar {name} has unknown keys {unknown}; allowed: {', '.join(SIDECAR_FIELDS)}")
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise SourceError(f"sidecar {name}: {key} must be a string, not {type(value).__name__}")
    values: dict[str, str | None] = {k: composed(v.strip()) or None for k, v in fields.items() if v is not None}
    written = values.get("date")
    date = parse_date(written) if written else None
    if written and date is None:
        raise SourceError(f"sidecar {name}: date {written!r} is not a date; write it as 2024-10-20")
    return Sidecar(
        title=values.get("title"),
        date=date.when if date else None,
        date_text=date.text if date else None,
        outlet=values.get("outlet"),
        metadata=ordered(values),
    )


def write_sidecar(path: Path, fields: dict[str, str]) -> None:
    """Write the sidecar of a document file, merging with one already there."""
    side = sidecar_path(path)
    existing = side.read_bytes() if side.is_file() else b"{}"
    parse_sidecar(existing, side.name)  # a broken sidecar is reported, never overwritten
    current = json.loads(existing) | fields
    parse_sidecar(json.dumps(current).encode(), side.name)
    side.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", "utf-8")
