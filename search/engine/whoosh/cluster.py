"""A search request as the OpenSearch query DSL, for an archive exported to
a cluster (`interop.opensearch`): the query Whoosh runs, term for term, on
the exported fields, with the request's filters, sort and facets.

The words are already analysed here (stemmed, widened to their folded and
alias spellings, as `parsing` widens them), so they go to the cluster as
`term` queries: an exact form to the field as written, a folded one to its
`folded` subfield. Phrases go as `match_phrase` of the words the user typed,
so that the cluster places them with its own analysis (its positions keep
a gap where a stop word was; ours do not: docs/cluster.md).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from whoosh import query as Q
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ...errors import QueryError
from ...fields import EXPORTED_NAMES, FACETS, FIELDS, FOLDED
from ...query.request import SearchRequest
from ...text.names import Aliases, fold
from .parsing import facet_filter, known_outlet, parse_text, speaker_filter
from .schema import outlet_key, query_schema
from .searching import PEOPLE_SHOWN, known_outlets, known_values

Json = dict[str, Any]
KEYWORDS = {field.name for field in FIELDS if field.kind != "text"} | {"date_source"}
FUZZY_EXPANSIONS = 1000


def opensearch_request(searcher: Searcher, request: SearchRequest, aliases: Aliases | None = None) -> Json:
    """The body of a `_search` request finding what `request` finds in
    `searcher`'s index (filters on an outlet or a facet value it does not
    hold are refused, as the request itself is)."""
    body: Json = {"query": _filtered(searcher, request, aliases), "size": request.limit}
    if request.sort != "relevance":
        body["sort"] = [{"date": {"order": "desc" if request.sort == "newest" else "asc"}}, "_score"]
    body["aggs"] = _facets(request)
    body["highlight"] = {"fields": {"body": {}, f"body.{FOLDED}": {}}}
    return body


def _filtered(searcher: Searcher, request: SearchRequest, aliases: Aliases | None) -> Json:
    translate = _Translation(request.text).query
    filters = [_range(request.start, request.end)] if request.start or request.end else []
    if request.outlets:
        filters.append({"terms": {"outlet": _outlets(request.outlets, known_outlets(searcher))}})
    for name, values in request.filters:
        filters.append(translate(facet_filter(name, values, known_values(searcher, name))))
    speakers = speaker_filter(request, aliases)
    if speakers is not None:
        filters.append(translate(speakers))
    query = translate(parse_text(request, aliases))
    return {"bool": {"must": [query], "filter": filters}} if filters else query


def _outlets(names: tuple[str, ...], known: list[str]) -> list[str]:
    """The outlets' names as the index holds them, case and spacing as `--outlet` ignores them."""
    keys = {known_outlet(name, known) for name in names}
    return [name for name in known if outlet_key(name) in keys]


def _facets(request: SearchRequest) -> Json:
    """The counts `search query` shows: by outlet, by year, by each facet (and people, when asked)."""
    aggs: Json = {
        "outlet": {"terms": {"field": "outlet", "size": 100}},
        "year": {"date_histogram": {"field": "date", "calendar_interval": "year", "format": "yyyy"}},
        **{name: {"terms": {"field": name, "size": 100}} for name in FACETS},
    }
    if request.people:
        aggs["people"] = {"terms": {"field": "people", "size": PEOPLE_SHOWN}}
    return aggs


def _range(start: datetime | None, end: datetime | None, start_open: bool = False, end_open: bool = False) -> Json:
    bounds = {}
    if start:
        bounds["gt" if start_open else "gte"] = start.isoformat()
    if end:
        bounds["lt" if end_open else "lte"] = end.isoformat()
    return {"range": {"date": bounds}}


class _Translation:
    """One request's Whoosh query, node by node; its phrases found again in its text."""

    def __init__(self, text: str) -> None:
        analyse = query_schema()["body"].analyzer
        self.phrases: dict[tuple[str, ...], str] = {}
        for quoted in re.findall(r'"([^"]*)"', text):
            self.phrases.setdefault(tuple(fold(token.text) for token in analyse(quoted)), quoted)

    def query(self, node: Q.Query) -> Json:
        boost = getattr(node, "boost", 1.0)
        found = self._node(node)
        if boost != 1.0 and not isinstance(node, Q.Term | Q.PatternQuery | Q.Phrase):
            found = {"bool": {"must": [found], "boost": boost}}
        return found

    def _node(self, node: Q.Query) -> Json:
        match node:
            case Q.And():
                return {"bool": {"must": [self.query(sub) for sub in node.subqueries]}}
            case Q.Require():
                return {"bool": {"must": [self.query(node.a), self.query(node.b)]}}
            case Q.Or():
                return {"bool": {"should": [self.query(sub) for sub in node.subqueries], "minimum_should_match": 1}}
            case Q.AndNot():
                return {"bool": {"must": [self.query(node.a)], "must_not": [self.query(node.b)]}}
            case Q.AndMaybe():
                return {"bool": {"must": [self.query(node.a)], "should": [self.query(node.b)]}}
            case Q.Not():
                return {"bool": {"must_not": [self.query(node.query)]}}
            case Q.Every():
                return {"match_all": {}}
            case Q.NullQuery:
                return {"match_none": {}}
            case Q.NumericRange(fieldname="date"):
                start, end = (long_to_datetime(v) if v is not None else None for v in (node.start, node.end))
                return _range(start, end, node.startexcl, node.endexcl)
            case Q.FuzzyTerm():
                return {"fuzzy": {_field(node.fieldname, node.text): _fuzzy(node)}}
            case Q.Term() | Q.Prefix() | Q.Wildcard():
                return self._word(node)
            case Q.Phrase():
                return self._phrase(node)
        raise QueryError(f"{node} has no OpenSearch equivalent here; leave it out of the query to translate it")

    def _word(self, node: Q.Term | Q.PatternQuery) -> Json:
        name, text = node.fieldname, node.text
        if name == "id":
            return {"ids": {"values": [text]}}
        if name == "year":
            year = int(text)
            return _range(datetime(year, 1, 1), datetime(year + 1, 1, 1), end_open=True)
        kind = {Q.Prefix: "prefix", Q.Wildcard: "wildcard"}.get(type(node), "term")
        value: Json = {"value": text}
        if node.boost != 1.0:
            value["boost"] = node.boost
        return {kind: {_field(name, text): value}}

    def _phrase(self, node: Q.Phrase) -> Json:
        typed = self.phrases.get(tuple(node.words))
        if typed is None:
            raise QueryError(f"the phrase {node} is not in the query's text; write it in double quotes")
        phrase: Json = {"query": typed, "analyzer": "news_folded", "slop": node.slop - 1}
        if node.boost != 1.0:
            phrase["boost"] = node.boost
        return {"match_phrase": {_folded(node.fieldname): phrase}}


def _fuzzy(node: Q.FuzzyTerm) -> Json:
    """Whoosh's edit distance counts a transposition as two edits, and has no
    cap on the words it widens to (a cluster's default is 50)."""
    return {
        "value": node.text,
        "fuzziness": node.maxdist,
        "prefix_length": node.prefixlength,
        "transpositions": False,
        "max_expansions": FUZZY_EXPANSIONS,
    }


def _field(name: str, term: str) -> str:
    """Where a term of our field `name` is in the export: a keyword's field;
    for words, the field as written, or its folded subfield for a folded form."""
    if name in KEYWORDS:
        return name
    if term == fold(term):
        return _folded(name)
    return f"{name}.text" if name in EXPORTED_NAMES else name


def _folded(name: str) -> str:
    return f"{name}.{FOLDED}"
