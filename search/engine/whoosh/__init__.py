"""The engine on Whoosh 2.7.4: the only package that imports Whoosh.

Importing it imports Whoosh with the start-up stand-ins of `startup` (so
that `import search` alone costs nothing of Whoosh). The private names of
Whoosh it reads are listed in `internals.PRIVATE`, with the version they
were read from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .startup import import_whoosh

import_whoosh()

from ...text.analysis import Analysis  # noqa: E402
from . import storage  # noqa: E402
from .reader import WhooshReader, numbers  # noqa: E402
from .schema import SCHEMA_VERSION, analysis, to_fields  # noqa: E402

if TYPE_CHECKING:
    from whoosh.writing import SegmentWriter

    from ...model import Article


class WhooshWriter:
    """Adds and deletes documents through one Whoosh segment writer."""

    def __init__(self, writer: SegmentWriter) -> None:
        self._writer = writer

    def add(self, article: Article) -> None:
        self._writer.add_document(**to_fields(article))

    def delete(self, doc_ids: Iterable[str]) -> None:
        """By document number, looked up in one reader of the index the
        writer writes: Whoosh's delete_by_term opens a reader of every
        segment for each document."""
        chosen = list(doc_ids)
        if not chosen:
            return
        with self._writer.reader() as reader:
            for docnum in numbers(reader, chosen):
                self._writer.delete_document(docnum)


class WhooshEngine:
    name = "whoosh"
    schema_version = SCHEMA_VERSION

    def create(self, folder: Path) -> None:
        storage.create(folder)

    def open(self, folder: Path) -> WhooshReader:
        return WhooshReader(storage.open_index(folder))

    @contextmanager
    def writer(self, folder: Path) -> Iterator[WhooshWriter]:
        from .writing import open_writer  # a query does not write

        with open_writer(storage.open_index(folder)) as writer:
            yield WhooshWriter(writer)

    def merge(self, folder: Path) -> int:
        from .writing import merge

        return merge(storage.open_index(folder))

    def combine(self, folder: Path, parts: list[Path]) -> None:
        storage.combine(folder, parts)

    def is_failure(self, exc: BaseException) -> bool:
        return storage.is_failure(exc)

    def analysis(self, variants: bool = True) -> Analysis:
        return analysis(variants)


ENGINE = WhooshEngine()
