"""The tables of Whoosh's hash files (term index, positions file), in arrays
until they are written, and the hash they are written with.

Whoosh's `HashWriter` keeps a tuple of two numbers (a key's hash and where
it lies) for every key until it closes, some 130 bytes: 120 MB for the
million distinct terms of 50,000 news articles. These keep them in two
arrays of 8-byte numbers.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

CRC32 = 1
"""The hash type of Whoosh's hash files that is zlib's crc32, in C. Whoosh's
writers use type 0, an md5 digest turned into a number in Python, about a
microsecond a key (2 % of a rebuild); its readers read the type from the
file and hash with it."""


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
