"""The tables of Whoosh's hash files (term index, positions file), in arrays
until they are written.

Whoosh's `HashWriter` keeps a tuple of two numbers (a key's hash and where
it lies) for every key until it closes, some 130 bytes: 120 MB for the
million distinct terms of 50,000 news articles. These keep them in two
arrays of 8-byte numbers.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator


def array_buckets() -> list[_Bucket]:
    """As many buckets as Whoosh makes: one for each first byte of a hash."""
    return [_Bucket() for _ in range(256)]


class _Bucket:
    """One of a hash file's 256 lists of (hash, position), as two arrays."""

    def __init__(self) -> None:
        self._hashes = array("Q")
        self._positions = array("Q")

    def append(self, entry: tuple[int, int]) -> None:
        self._hashes.append(entry[0])
        self._positions.append(entry[1])

    def __len__(self) -> int:
        return len(self._hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._hashes, self._positions, strict=True)
