"""Who published an article and when, from the best source that says so.

Precedence, highest first: the user's sidecar; what the page declares in its
markup; what the text itself shows (a dateline, an outlet's fingerprint).
What no source gives stays empty and is reported, never guessed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
    host = _host(parsed.raw.sidecar.url or parsed.meta.url)
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


def build_article(parsed: ParsedDocument, outlet: str | None, draft: Draft) -> Article:
    raw, side = parsed.raw, parsed.raw.sidecar
    date, date_source = publication_date(parsed, draft)
    return Article(
        doc_id=raw.doc_id,
        title=short_title(side.title or draft.title),
        body="\n\n".join(line.text for line in draft.lines),
        date=date.when if date else None,
        date_text=date.text if date else None,
        date_source=date_source,
        outlet=outlet,
        url=side.url or parsed.meta.url,
        author=side.author or parsed.meta.author,
        removed=draft.removed,
        sha=raw.sha,
        stamp=raw.stamp,
        truncated=raw.truncated,
        encoding=raw.encoding,
    )
