"""Raw text into blocks in reading order, plus what the markup says about itself.

A text file becomes one block per paragraph, its white space folded: the
paragraphs are rebuilt from its lines first (`paragraphs.py`), so that a
hard-wrapped file and the same text a paragraph a line clean alike.
An HTML page goes to `extract.py`, which finds its main content and reads
its metadata; it is imported for the first page (lxml with it, which an
archive of text dumps never needs).
"""

from __future__ import annotations

from ..model import Block, ParsedDocument, RawDocument
from .paragraphs import paragraphs
from .rules import Rules


def parse(raw: RawDocument, rules: Rules) -> ParsedDocument:
    if raw.is_html:
        from .extract import main_blocks, page_meta, parse_tree

        tree = parse_tree(raw.text)
        meta = page_meta(tree)
        return ParsedDocument(raw=raw, blocks=main_blocks(tree, rules.html), meta=meta)
    markdown = raw.path.lower().endswith(".md")
    return ParsedDocument(raw=raw, blocks=tuple(Block(text) for text in paragraphs(raw.text, markdown)))
