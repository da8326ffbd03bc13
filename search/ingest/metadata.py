"""Who published an article and when, from the best source that says so.

Precedence, highest first: the user's sidecar; what the page declares in its
markup; what the text itself shows (a dateline, an outlet's fingerprint).
What no source gives stays empty and is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from urllib.parse import urlsplit

from ..fields import FIELDS, ordered
from ..model import Article, ParsedDocument
from ..text.dates import Found, parse_date
from .clean import Draft, short_title
from .rules import Rules

DATE_SOURCES = ("sidecar", "html-meta", "dateline", "none")


def detect_outlet(parsed: ParsedDocument, rules: Rules) -> str | None:
    """Sidecar, then a URL on a domain the rules know, then the page's site
    name, then the URL's bare domain, then fingerprints in the text."""
    if parsed.raw.sidecar.outlet:
        return parsed.raw.sidecar.outlet
    host = _host(parsed.raw.sidecar.metadata.get("url") or parsed.meta.metadata.get("url"))
    known = rules.outlet_for_domain(host) if host else None
    return (
        known
        or parsed.meta.outlet
        or (host.removeprefix("www.") if host else None)
        or rules.outlet_by_fingerprint([block.text for block in parsed.blocks])
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname
    return host.lower() if host else None


def publication_date(parsed: ParsedDocument, draft: Draft) -> tuple[Found | None, str]:
    """The date and where it came from: one of DATE_SOURCES."""
    side = parsed.raw.sidecar
    if side.date and side.date_text:
        return Found(side.date, side.date_text), "sidecar"
    declared = parse_date(parsed.meta.date_text) if parsed.meta.date_text else None
    if declared:
        return declared, "html-meta"
    if draft.dateline:
        return draft.dateline, "dateline"
    return None, "none"


def metadata(parsed: ParsedDocument, body: str) -> dict[str, str]:
    """Each field of `search.fields`: the sidecar's value, else the page's;
    a field with a `derive` function is made by it, from the sidecar's value
    alone (the user's word, only normalised) or from the page's and the body."""
    values = {}
    for field in FIELDS:
        given = parsed.raw.sidecar.metadata.get(field.name)
        declared = given or parsed.meta.metadata.get(field.name)
        if field.derive:
            declared = _derived(field.derive)(declared, None if given else body) or given
        values[field.name] = declared
    return ordered(values)


@cache
def _derived(reference: str) -> Callable[[str | None, str | None], str | None]:
    module, _, function = reference.partition(":")
    made: Callable[[str | None, str | None], str | None] = getattr(import_module(module), function)
    return made


def build_article(parsed: ParsedDocument, outlet: str | None, draft: Draft) -> Article:
    raw, side = parsed.raw, parsed.raw.sidecar
    date, date_source = publication_date(parsed, draft)
    body = "\n\n".join(line.text for line in draft.lines)
    return Article(
        doc_id=raw.doc_id,
        title=short_title(side.title or draft.title),
        body=body,
        date=date.when if date else None,
        date_text=date.text if date else None,
        date_source=date_source,
        outlet=outlet,
        metadata=metadata(parsed, body),
        removed=draft.removed,
        sha=raw.sha,
        stamp=raw.stamp,
        truncated=raw.truncated,
        encoding=raw.encoding,
    )
