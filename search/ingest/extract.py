"""The main content of an HTML page, and what the page says about itself.

lxml builds the tree (a BeautifulSoup tree is ten times slower to build, see
docs/architecture.md). Then, as Readability and its descendants do:
1. drop what is never article text (scripts, hidden elements) and what is
   boilerplate by its tag or by a word of its class or id (navigation,
   forms, "share", "related": `[html]` in the rules), unless it holds half
   of the page's text;
2. score every element by the paragraphs it holds (their length and commas),
   lowered by the share of its text that is links; take the best one, with
   those of its siblings that score nearly as well;
3. cut the result into blocks (paragraphs, headings, list items, quotes) in
   reading order, leaving out blocks that are mostly links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..fields import FIELDS, ordered
from ..model import Block, PageMeta
from .rules import HtmlRules

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "dl",
        "br",
        "hr",
        "body",
        "center",
        "address",
    ]
)
PARAGRAPH_TAGS = ("p", "pre", "blockquote", "td", "div", "section", "li")
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle", "WebPage"}
DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article.published", "publication_date", "og:article:published_time",
)  # fmt: skip
MIN_PARAGRAPH = 25


def parse_tree(text: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(text)
    except ValueError:  # a string with an XML encoding declaration
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except etree.ParserError:  # nothing but white space or comments
        return lxml.html.document_fromstring("<html><body></body></html>")


# What the page declares


def page_meta(tree: HtmlElement) -> PageMeta:
    """Metadata from JSON-LD first, then Open Graph and other meta tags."""
    ld = _json_ld_article(tree)
    metas = _meta_tags(tree)
    return PageMeta(
        title=_first(ld.get("headline"), metas.get("og:title"), metas.get("twitter:title"), _text_of(tree, "title")),
        date_text=_first(
            ld.get("datePublished"), *(metas.get(k) for k in DATE_META), *tree.xpath("//time/@datetime")[:1]
        ),
        outlet=_first(metas.get("og:site_name"), _name(ld.get("publisher"))),
        metadata=ordered({field.name: _declared(field.declared, tree, metas, ld) for field in FIELDS}),
    )


def _declared(places: tuple[str, ...], tree: HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The first value a page declares in one of `places` (`fields.Field.declared`)."""
    return _first(*(_place(place, tree, metas, ld) for place in places))


def _place(place: str, tree: HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> Any:
    kind, _, name = place.partition(":")
    if kind == "meta":
        return metas.get(name)
    if kind == "ld":
        return _name(ld.get(name))
    if kind == "link":
        return next(iter(tree.xpath("//link[@rel=$rel]/@href", rel=name)), None)
    return tree.get(name)


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in tree.xpath("//*[@itemprop='datePublished']"):
        found.setdefault("datepublished", tag.get("content") or tag.get("datetime") or tag.text_content())
    head = tree.find("head")
    for tag in (head if head is not None else tree).iter("meta"):
        if tag.get("content") is None:
            continue
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        if key:
            found.setdefault(key.lower(), tag.get("content").strip())
    return found


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            if set(kinds if isinstance(kinds, list) else [kinds]) & ARTICLE_TYPES:
                return item
    return {}


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        yield from _ld_items(data.get("@graph", []))


def _name(value: Any) -> str | None:
    """The name of a JSON-LD person or organisation (or the first of a list)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _text_of(tree: HtmlElement, tag: str) -> str | None:
    found = next(tree.iter(tag), None)
    return found.text_content() if found is not None else None


def _first(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


# The main content


def main_blocks(tree: HtmlElement, rules: HtmlRules) -> tuple[Block, ...]:
    body = tree.find("body")
    if body is None:
        body = tree
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, *rules.drop_tags, with_tail=False)
    _strip_boilerplate(body, rules)
    chosen = _content_elements(body, rules)
    return tuple(block for element in chosen for block in _readable_blocks(element, rules))


@dataclass(frozen=True)
class _Size:
    """Characters of text under an element, of it inside links, and inside paragraphs."""

    text: int
    links: int
    paragraphs: int

    @property
    def link_density(self) -> float:
        return min(1.0, self.links / self.text) if self.text else 0.0


def _measure(root: HtmlElement) -> dict[HtmlElement, _Size]:
    """The size of every element, children first, in one pass."""
    sizes: dict[HtmlElement, _Size] = {}
    for element in reversed(list(root.iter(etree.Element))):
        text, links, paragraphs = len(element.text or ""), 0, 0
        for child in element:
            size = sizes[child]
            text += size.text + len(child.tail or "")
            links += size.links
            paragraphs += size.paragraphs
        if element.tag == "a":
            links = text
        elif element.tag == "p" and text >= MIN_PARAGRAPH:
            paragraphs = text
        sizes[element] = _Size(text, links, paragraphs)
    return sizes


def _strip_boilerplate(body: HtmlElement, rules: HtmlRules) -> None:
    """Drop hidden elements, and boilerplate ones unless they hold half the article."""
    measure = _paragraph_chars if _paragraph_chars(body) else _text_chars
    whole = measure(body)
    doomed = []
    walker = etree.iterwalk(body, events=("start",))
    for _, element in walker:
        if _is_hidden(element) or (_is_boilerplate(element, rules) and measure(element) * 2 < whole):
            doomed.append(element)
            walker.skip_subtree()
    for element in doomed:
        element.drop_tree()


def _text_chars(element: HtmlElement) -> int:
    return len(element.text_content())


def _paragraph_chars(element: HtmlElement) -> int:
    lengths = (len(p.text_content()) for p in element.iter("p"))
    return sum(length for length in lengths if length >= MIN_PARAGRAPH)


def _is_boilerplate(element: HtmlElement, rules: HtmlRules) -> bool:
    if element.tag in rules.boilerplate_tags:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return len(names) > 1 and bool(rules.boilerplate_names.search(names)) and not rules.content_names.search(names)


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return style is not None and bool(_HIDDEN_STYLE.search(style))


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _content_elements(body: HtmlElement, rules: HtmlRules) -> list[HtmlElement]:
    """The best-scoring element and its siblings that score nearly as well."""
    sizes = _measure(body)
    scores: dict[HtmlElement, float] = {}
    for element in body.iter(*PARAGRAPH_TAGS):
        text = _own_text(element) if element.tag in ("div", "section", "td", "li") else element.text_content()
        if len(text) < MIN_PARAGRAPH:
            continue
        points = 1 + text.count(",") + min(len(text) / 100, 3)
        parent = element.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + points
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + points / 2
    if not scores:
        return [body]
    final = {element: points * (1 - sizes[element].link_density) + _name_bonus(element, rules)
             for element, points in scores.items() if element in sizes}  # fmt: skip
    best = max(final, key=lambda element: final[element])
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, final[best] * 0.2)
    chosen = [sibling for sibling in parent if sibling is best or _worth_taking(sibling, sizes, final, threshold)]
    return _with_cousins(body, best, chosen, sizes)


def _with_cousins(
    body: HtmlElement, best: HtmlElement, chosen: list[HtmlElement], sizes: dict[HtmlElement, _Size]
) -> list[HtmlElement]:
    """Add the parts of an article split into containers of the best one's
    tag and class elsewhere on the page (one per section, say), in page order."""
    kind = best.get("class")
    if not kind:
        return chosen
    taken = set(chosen)
    for element in body.iter(best.tag):
        size = sizes.get(element)
        if (
            element.get("class") == kind
            and element not in taken
            and size
            and size.paragraphs
            and size.link_density < 0.25
            and not any(ancestor in taken for ancestor in element.iterancestors())
        ):
            taken.add(element)
    return [element for element in body.iter() if element in taken]


def _worth_taking(
    sibling: HtmlElement, sizes: dict[HtmlElement, _Size], scores: dict[HtmlElement, float], threshold: float
) -> bool:
    if not isinstance(sibling.tag, str):
        return False
    if scores.get(sibling, 0.0) >= threshold:
        return True
    if sibling.tag != "p":
        return False
    size = sizes[sibling]
    ends_sentence = sibling.text_content().rstrip()[-1:] in ".!?"
    return (size.text > 80 and size.link_density < 0.25) or (0 < size.text <= 80 and not size.links and ends_sentence)


def _name_bonus(element: HtmlElement, rules: HtmlRules) -> float:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    bonus = 25.0 if rules.content_names.search(names) or element.tag == "article" else 0.0
    return bonus + (25.0 if element.get("itemprop") == "articleBody" else 0.0)


def _own_text(element: HtmlElement) -> str:
    """Text directly inside an element, with its inline children but no block children."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _readable_blocks(element: HtmlElement, rules: HtmlRules) -> Iterator[Block]:
    for text, tag, link_chars in _blocks(element):
        if link_chars / len(text) <= rules.max_link_density or len(text) > 300:
            yield Block(text, tag)


def _blocks(element: HtmlElement) -> Iterator[tuple[str, str, int]]:
    """(text, tag, characters inside links) of each block, in reading order."""
    pending: list[str] = [element.text or ""]
    links = 0
    for child in element:
        if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or _holds_blocks(child)):
            yield from _flush(pending, element.tag, links)
            pending, links = [], 0
            yield from _blocks(child)
        elif isinstance(child.tag, str):
            inline = child.text_content()
            pending.append(inline)
            if child.tag == "a":
                links += len(inline.strip())
            else:
                links += sum(len(a.text_content().strip()) for a in child.iter("a"))
        pending.append(child.tail or "")
    yield from _flush(pending, element.tag, links)


def _holds_blocks(element: HtmlElement) -> bool:
    return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in element.iterdescendants())


def _flush(pieces: list[str], tag: str, links: int) -> Iterator[tuple[str, str, int]]:
    text = " ".join("".join(pieces).split())
    if text:
        yield text, tag, min(links, len(text))
