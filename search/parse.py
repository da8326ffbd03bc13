"""Raw text into blocks in reading order, plus what the markup says about itself.

A text dump becomes one block per non-empty line. An HTML page loses what is
never article text (scripts, navigation, forms, hidden elements), keeps the
most article-like container, and becomes one block per paragraph, heading,
list item or quote; its head, JSON-LD and <time> give the page's metadata.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from .documents import Block, PageMeta, ParsedDocument, RawDocument

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "input",
    "textarea",
    "figure",
    "figcaption",
    "menu",
)
BLOCK_TAGS = {
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
}
CONTAINERS = ('[itemprop="articleBody"]', "article", "main", '[role="main"]')
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}
DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "publication_date",
)


def parse(raw: RawDocument) -> ParsedDocument:
    if raw.is_html:
        return parse_html(raw)
    lines = (" ".join(line.split()) for line in raw.text.splitlines())
    blocks = tuple(Block(line) for line in lines if line)
    return ParsedDocument(raw=raw, blocks=blocks)


def parse_html(raw: RawDocument) -> ParsedDocument:
    soup = BeautifulSoup(raw.text, "html.parser")
    meta = page_meta(soup)
    _strip_non_content(soup)
    container = _content_container(soup)
    blocks = tuple(_blocks(container)) if container is not None else ()
    return ParsedDocument(raw=raw, blocks=blocks, meta=meta)


def page_meta(soup: BeautifulSoup) -> PageMeta:
    """Metadata from JSON-LD first, then Open Graph and other meta tags."""
    ld = _json_ld_article(soup)
    metas = _meta_tags(soup)
    time_tag = soup.find("time", attrs={"datetime": True})
    canonical = soup.find("link", rel="canonical", href=True)
    title_tag = soup.find("title")
    publisher = ld.get("publisher")
    return PageMeta(
        title=_first(
            ld.get("headline"),
            metas.get("og:title"),
            metas.get("twitter:title"),
            title_tag.get_text(" ", strip=True) if title_tag else None,
        ),
        date_text=_first(
            ld.get("datePublished"),
            *(metas.get(k) for k in DATE_META),
            time_tag["datetime"] if isinstance(time_tag, Tag) else None,
        ),
        outlet=_first(metas.get("og:site_name"), _name(publisher)),
        url=_first(canonical["href"] if isinstance(canonical, Tag) else None, metas.get("og:url")),
        author=_first(_name(ld.get("author")), metas.get("author"), metas.get("article:author")),
    )


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all(["meta", "span", "div"], attrs={"itemprop": "datePublished"}):
        value = tag.get("content") or tag.get_text(strip=True)
        found.setdefault("datepublished", str(value))
    for tag in soup.find_all("meta", content=True):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        if key:
            found.setdefault(str(key).lower(), str(tag["content"]).strip())
    return found


def _json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = set(kinds) if isinstance(kinds, list) else {kinds}
            if kinds & ARTICLE_TYPES:
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


def _first(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _strip_non_content(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()


def _is_hidden(tag: Tag) -> bool:
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return (
        tag.has_attr("hidden")
        or tag.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _content_container(soup: BeautifulSoup) -> Tag | None:
    """The semantic article container with the most text, else the body."""
    for selector in CONTAINERS:
        candidates = soup.select(selector)
        if candidates:
            return max(candidates, key=lambda tag: len(tag.get_text()))
    return soup.body or soup


def _blocks(node: Tag) -> Iterator[Block]:
    """Text of `node` cut at block-level elements, in reading order."""
    pending: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            pending.append(str(child))
        elif isinstance(child, Tag) and (child.name in BLOCK_TAGS or child.find(BLOCK_TAGS)):
            yield from _flush(pending, node.name)
            pending = []
            yield from _blocks(child)
        elif isinstance(child, Tag):
            pending.append(child.get_text())
    yield from _flush(pending, node.name)


def _flush(pieces: list[str], tag: str) -> Iterator[Block]:
    text = " ".join("".join(pieces).split())
    if text:
        yield Block(text, tag)
