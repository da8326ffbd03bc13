"""Every private name of Whoosh this package reads, listed once.

Whoosh has no public way to read a column or a posting block whole, to
merge segments a block at a time or to find a segment's length column, so
`columns`, `scores`, `writing` and `storage` reach past its public API.
These names were read from Whoosh 2.7.4 (WHOOSH_VERSION); pyproject.toml pins that
version, and tests/test_layout.py fails when a module of this package uses
a private name of Whoosh not listed here, or when an entry is no longer used.
A new version of Whoosh means reading each entry's code again.
"""

WHOOSH_VERSION = "2.7.4"

PRIVATE = {
    # whoosh/columns.py: column readers, read whole instead of a value at a time (columns.py)
    "_basepos": "ColumnReader: where the column's data starts in its file",
    "_count": "ColumnReader: how many documents the column holds values for",
    "_dbfile": "ColumnReader: the file the column is read from",
    "_default": "ColumnReader: the value of a document past the column's end",
    "_fixedlen": "FixedBytesColumn.Reader: the length of each value",
    "_itemsize": "RefBytesColumn.Reader: bytes of each reference (1 or 2)",
    "_lengths": "VarBytesColumn.Reader: the length of each value",
    "_offsets": "VarBytesColumn.Reader: where each value starts",
    "_typecode": "NumericColumn and its reader: the array typecode of the values",
    "_uniques": "RefBytesColumn.Reader: the distinct values the references point to",
    # whoosh/codec/whoosh3.py: the per-document reader and field lengths (columns.py)
    "_lenfield": "whoosh3: the name of a field's lengths column",
    "_perdoc": "SegmentReader: its per-document reader",
    "_cached_reader": "W3PerDocReader: a column reader, opened once",
    # whoosh/codec/whoosh3.py: posting blocks, decoded whole (scores.py, writing.py)
    "_postfile": "W3TermsReader: the postings file",
    "_terms": "SegmentReader: its terms reader",
    "_codec": "W3TermsReader: the codec that reads its postings",
    "_read_ids": "W3LeafMatcher: decode the block's document numbers",
    "_read_weights": "W3LeafMatcher: decode the block's weights",
    "_read_values": "W3LeafMatcher: decode the block's values",
    "_ids": "W3LeafMatcher: the block's document numbers",
    "_weights": "W3LeafMatcher: the block's weights",
    "_values": "W3LeafMatcher: the block's values",
    "_next_block": "W3LeafMatcher: move to the next block",
    # whoosh/index.py: the segments a merge would rewrite, known before a writer is opened (writing.py)
    "_segments": "FileIndex: the segments its table of contents names",
    # whoosh/filedb/filestore.py: files opened memory-mapped (storage.py)
    "_fpath": "FileStorage: the path of a file of the storage",
}
"""Private name -> where Whoosh defines it and what it holds."""
