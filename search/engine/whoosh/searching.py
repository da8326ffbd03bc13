"""Run a request against the index: ranked hits, snippets, facet counts.

Also the two read-only views of the index: one document (`document`) and
the whole archive at a glance (`statistics`).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from itertools import compress, islice
from typing import Any

from whoosh import query as Q
from whoosh import scoring
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ...deadline import NO_DEADLINE, Deadline
from ...errors import QueryError, UnknownDocument
from ...fields import FACETS, IN_HITS, PEOPLE, ordered
from ...model import NO_SNIPPET, NO_VALUE, Also, Hit, Quote, SearchResults, Snippet, Statistics, StoredDocument
from ...query.request import SearchRequest
from ...text.analysis import Analysis
from ...text.marks import MARKS
from ...text.names import Aliases, people_counts
from ...text.snippets import MAX_ANALYZED, highlighted, snippet
from ...text.spelling import edit_distance
from .columns import Columns, column_reader
from .parsing import NO_ALIASES, facet_filter, outlet_filter, parse_text, speaker_filter
from .schema import PEOPLE_SEPARATOR, column_text
from .scores import Scores, scores


def known_outlets(searcher: Searcher) -> list[str]:
    return [column_text(name) for name in searcher.lexicon("outlet_name")]


class BM25(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F with the idf of BM25 (Robertson and Spärck Jones).

    Whoosh's own idf, log(N / (df + 1)) + 1, gives a word found in every
    document a weight of 1; with long queries the common words then outweigh
    the rare ones (CISI nDCG@10 0.30 against 0.36 with this idf).
    """

    def idf(self, searcher: Searcher, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        return math.log(1 + (parent.doc_count_all() - df + 0.5) / (df + 0.5))


def _weighting(request: SearchRequest) -> scoring.WeightingModel:
    return BM25(B=request.ranking.b, K1=request.ranking.k1)


def open_searcher(ix: Index) -> Searcher:
    """A searcher that ranks with our idf. Whoosh's scorers take a term's idf
    from the searcher's own weighting, whatever weighting a query is scored
    with: a searcher opened with Whoosh's default ranks with Whoosh's idf."""
    return ix.searcher(weighting=BM25())


def _ranking(searcher: Searcher) -> Searcher:
    """`searcher`, or one on its reader with our idf if it was opened otherwise."""
    if isinstance(searcher.weighting, BM25):
        return searcher
    return Searcher(searcher.reader(), weighting=BM25(), closereader=False)


def ranked_ids(
    searcher: Searcher, request: SearchRequest, aliases: Aliases | None, columns: Columns
) -> list[tuple[str, float]]:
    """Ids and scores of the best `limit` documents, ranked as `search query`
    ranks them (for evaluation runs: what is measured is what users get)."""
    found, _ = collect(searcher, request, aliases, columns)
    ranked = _ordered(found, "relevance", request.limit, columns)
    return [(column_text(columns.ids[docnum]), score) for docnum, score in ranked]


def best(
    searcher: Searcher, request: SearchRequest, aliases: Aliases | None, columns: Columns, size: int
) -> tuple[list[int], int, set[str]]:
    """The numbers of the `size` best matches, how many match in all, and
    the body terms the query matches."""
    found, query = collect(searcher, request, aliases, columns)
    ordered = _ordered(found, "relevance", size, columns)
    return [docnum for docnum, _ in ordered], len(found), _body_terms(query, searcher)


def matching(searcher: Searcher, request: SearchRequest, aliases: Aliases | None, columns: Columns) -> list[int]:
    """The numbers of every document a request matches, in order."""
    return sorted(collect(searcher, request, aliases, columns)[0])


def search(
    searcher: Searcher,
    request: SearchRequest,
    aliases: Aliases | None,
    columns: Columns,
    ranked: int | None,
    snippets: bool,
    only: set[int] | None = None,
) -> tuple[SearchResults, Iterator[Hit]]:
    """The counts over every match, and the hits, each made as it is read:
    the first `ranked` (None: all), of those numbered `only` if given."""
    deadline = Deadline(request.timeout)
    found, query = collect(searcher, request, aliases, columns, deadline)
    by_outlet, by_year = columns.facets(found)
    outlets, no_outlet = _counts(by_outlet)
    years, undated = _counts(by_year)
    total = len(found)
    suggestion = suggest(searcher, request.text, deadline) if total < FEW_HITS and not request.bag_of_words else None
    facets = {name: _with_none(columns.facet(name, found)) for name in FACETS}
    if request.people:
        facets[PEOPLE] = people_facet(columns.people_of(found), aliases or NO_ALIASES)
    results = SearchResults(request, total, (), outlets, years, no_outlet, undated, suggestion, facets)
    ordered: Iterable[tuple[int, float]] = _ordered(found, request.sort, ranked, columns)
    if only is not None:
        ordered = (item for item in ordered if item[0] in only)
    grouped = _grouped(searcher, ordered, found, request.collapse)
    terms = _body_terms(query, searcher) if snippets else set()
    analysis = body_analysis(searcher) if snippets else None
    score = request.sort == "relevance"
    hits = (
        _hit(rank, searcher.stored_fields(docnum), value if score else None, terms, analysis, also)
        for rank, ((docnum, value), also) in enumerate(grouped, 1)
    )
    return results, hits


def collect(
    searcher: Searcher,
    request: SearchRequest,
    aliases: Aliases | None,
    columns: Columns,
    deadline: Deadline | None = None,
    quotes: bool = False,
) -> tuple[Scores, Q.Query]:
    """Every match the request allows, with its score; and the query (of
    the words quoted, with `quotes`)."""
    deadline = deadline or Deadline(request.timeout)
    query, ranges = _date_ranges(parse_text(request, aliases, quotes))
    _check_expansions(query, searcher.reader(), deadline)
    found = scores(_ranking(searcher), query, _weighting(request), columns, deadline)
    deadline.check("scoring")
    for start, end in ranges:
        found = {docnum: found[docnum] for docnum in columns.dated_among(found, start, end)}
    if not request.filtered:
        return found, query
    return {docnum: found[docnum] for docnum in allowed(searcher, request, columns, found, aliases)}, query


DateRange = tuple[datetime | None, datetime | None]


def _date_ranges(query: Q.Query) -> tuple[Q.Query, list[DateRange]]:
    """The query without the date ranges it must meet (`date:[2021 TO 2022]`
    beside its words), and those ranges: they filter on the date column as
    --from/--to do, where Whoosh would expand each into index terms, a cost
    that grows with the archive (docs/performance.md). A range scores the
    same for every match, so leaving it out of the scores changes no order."""
    parts = list(query.subqueries) if type(query) is Q.And else [query]
    ranges = [p for p in parts if isinstance(p, Q.NumericRange) and p.fieldname == "date" and p.boost == 1.0]
    if not ranges:
        return query, []
    rest = [p for p in parts if not any(p is r for r in ranges)]
    bounds = [(_when(r.start), _when(r.end)) for r in ranges]
    return (Q.And(rest) if len(rest) > 1 else rest[0] if rest else Q.Every()), bounds


def _when(bound: int | None) -> datetime | None:
    return None if bound is None else long_to_datetime(bound)


MAX_EXPANSIONS = 256
"""The most words the wildcards, prefixes and fuzzy words of a query may
stand for together (in the title and the body). Whoosh builds a matcher for
each before it matches anything, which no time budget can interrupt; this
many stay near the default budget at 100,000 documents (docs/performance.md)."""


def _check_expansions(query: Q.Query, reader: IndexReader, deadline: Deadline) -> None:
    words = 0
    for leaf in [query] if query.is_leaf() else query.leaves():
        if isinstance(leaf, Q.MultiTerm):
            typed = f"{leaf.text}*" if isinstance(leaf, Q.Prefix) else leaf.text
            words += sum(1 for _ in islice(leaf.expanded_terms(reader), MAX_EXPANSIONS + 1 - words))
            if words > MAX_EXPANSIONS:
                raise QueryError(
                    f"the wildcards and fuzzy words of the query stand for more than {MAX_EXPANSIONS:,} words "
                    f"(up to {typed!r}); narrow them"
                )
            deadline.check(f"expanding {typed!r}")


def _ordered(found: Scores, sort: str, limit: int | None, columns: Columns) -> list[tuple[int, float]]:
    """The first `limit` matches (all with None) and their scores, in order:
    by relevance, equal scores (to six places) newest first; by date, dated
    documents first whichever the direction."""
    if sort != "relevance":
        dates, newest = columns.dates, sort == "newest"

        def by_date(docnum: int) -> tuple[bool, int, int]:
            when = dates[docnum]
            return when is None, (-when if newest else when) if when is not None else 0, docnum

        chosen = sorted(found, key=by_date) if limit is None else heapq.nsmallest(limit, found, key=by_date)
        return [(docnum, found[docnum]) for docnum in chosen]
    contenders = list(found) if limit is None else _contenders(found, limit)
    known = columns.dates_of(contenders)

    def by_score(docnum: int) -> tuple[float, bool, int, float, int]:
        when = known[docnum]
        return -round(found[docnum], 6), when is None, -(when or 0), -found[docnum], docnum

    return [(docnum, found[docnum]) for docnum in sorted(contenders, key=by_score)[:limit]]


def _contenders(found: Scores, limit: int) -> list[int]:
    """The matches that can be among the best `limit`: scores within rounding of the limit-th."""
    best = heapq.nlargest(limit, found.values())
    if not best:
        return []
    cutoff = best[-1] - 1e-6
    return list(compress(found, map(cutoff.__le__, found.values())))  # C loops: every match passes here


def _grouped(
    searcher: Searcher, ordered: Iterable[tuple[int, float]], found: Scores, collapse: bool
) -> Iterator[tuple[tuple[int, float], tuple[Also, ...]]]:
    """Each hit with nothing else; or, collapsed, the best hit of each story
    with the story's other matching documents."""
    if not collapse:
        yield from ((item, ()) for item in ordered)
        return
    from .stories import Stories

    stories, shown = Stories(searcher), set()
    for docnum, score in ordered:
        if docnum in shown:
            continue
        story = [n for n in stories.story(docnum) if n in found]
        shown.update(story)
        others = (searcher.stored_fields(n) for n in story if n != docnum)
        also = (Also(f["id"], f.get("date_text"), f.get("outlet_name")) for f in others)
        yield (docnum, score), tuple(sorted(also, key=lambda a: (a.date is None, a.date or "", a.doc_id)))


def _body_terms(query: Q.Query, searcher: Searcher) -> set[str]:
    return matched_terms(query, searcher, "body")


def matched_terms(query: Q.Query, searcher: Searcher, field: str) -> set[str]:
    """The terms of `field` a query can match, wildcards expanded: what snippets mark.

    (Whoosh's `existing_terms` would do, but its loop variable overwrites its
    field argument and drops the terms of every leaf after the first.)
    """
    reader = searcher.reader()
    found = (term for leaf in query.leaves() for term in leaf.expanded_terms(reader, phrases=True))
    return {column_text(text) for name, text in found if name == field}


def highlight(searcher: Searcher, doc_id: str, request: SearchRequest, aliases: Aliases | None) -> Snippet:
    """The body of `doc_id` with the words the request's text matches marked."""
    body = searcher.stored_fields(number(searcher, doc_id)).get("body", "")
    terms = _body_terms(parse_text(request, aliases), searcher) if request.text.strip() else set()
    return highlighted(body, terms, body_analysis(searcher))


def allowed(
    searcher: Searcher,
    request: SearchRequest,
    columns: Columns,
    documents: Collection[int],
    aliases: Aliases | None = None,
) -> list[int]:
    """Those of `documents` the request's dates, outlets, speakers and facet filters allow."""
    kept = columns.dated_among(documents, request.start, request.end) if request.start or request.end else documents
    filters = [facet_filter(name, values, known_values(searcher, name)) for name, values in request.filters]
    if request.outlets:
        filters.append(outlet_filter(request, known_outlets(searcher)))
    if request.speakers:
        filters.append(speaker_filter(request, aliases))
    for chosen in (set(searcher.docs_for_query(query)) for query in filters):
        kept = [docnum for docnum in kept if docnum in chosen]
    return list(kept)


def known_values(searcher: Searcher, name: str) -> list[str]:
    """The values of a facet of `search.fields` the index holds."""
    return [column_text(value) for value in searcher.lexicon(name)]


FEW_HITS = 3
"""Fewer hits than this, and the query's unknown words get a suggestion."""
SUGGEST_WORDS = 5
SUGGEST_LENGTH = 24
"""At most this many unknown words of a query are corrected, each of at most
this many letters: the cost of a correction grows with the word's length,
and no misspelling worth correcting is longer."""


def suggest(searcher: Searcher, text: str, deadline: Deadline = NO_DEADLINE) -> str | None:
    """The query with each word the archive does not hold replaced by the
    closest word it does, from the index's own vocabulary; None if nothing changes.

    The vocabulary is the body's stemmed terms, so a misspelling is corrected
    stem to stem ("sanctoins" to "sanction"), and the word shown is the form
    of that stem that archive documents use closest to what was typed
    ("sanctions"). A separate unstemmed spelling field would cost a third of
    indexing time and size for a message shown only on near-empty results.
    A suggestion is extra: when the query's `deadline` has passed, no more
    words are corrected.
    """
    analysis = body_analysis(searcher)
    changed, tried = False, 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed, tried
        word = match.group(0)
        if len(word) > SUGGEST_LENGTH or tried == SUGGEST_WORDS or word in ("AND", "OR", "NOT", "TO"):
            return word
        stems = analysis.terms(word.lower())
        if len(stems) != 1 or searcher.doc_frequency("body", stems[0]) or deadline.passed():
            return word
        tried += 1
        best = _closest(searcher, stems[0])
        surface = _surface(searcher, best, word.lower()) if best else None
        changed = changed or surface is not None
        return surface or word

    corrected = re.sub(_PLAIN_WORD, replace, text)  # compiled on first use, cached by re
    return corrected if changed else None


def _closest(searcher: Searcher, stem: str) -> str | None:
    """The body term nearest `stem`, one edit away before two, the most
    frequent among equals; None if none is within two.

    Only the terms that share its first letter and are within two letters of
    its length are compared ("most misspellings do not involve the first
    letter", as Whoosh's own corrector notes). Whoosh's corrector compares
    every term of the vocabulary, which grows with the archive."""
    found: list[tuple[int, int, str]] = []
    for btext in searcher.reader().expand_prefix("body", stem[:1]):
        term = column_text(btext)
        if abs(len(term) - len(stem)) <= 2 and (distance := edit_distance(term, stem)) <= 2:
            found.append((distance, -searcher.doc_frequency("body", term), term))
    return min(found)[2] if found else None


def _surface(searcher: Searcher, stem: str, typed: str) -> str | None:
    """The word, among those a few documents write for `stem`, closest to
    `typed`; None if they write none (a stem is not a word to suggest)."""
    analysis = body_analysis(searcher)
    forms: Counter[str] = Counter()
    for docnum in islice(searcher.postings("body", stem).all_ids(), SURFACE_DOCUMENTS):
        body = searcher.stored_fields(docnum).get("body", "")[:MAX_ANALYZED]
        forms.update(body[start:end].lower() for start, end, _ in analysis.spans(body, {stem}))
    if not forms:
        return None
    return min(forms, key=lambda form: (edit_distance(form, typed), -forms[form], form))


SURFACE_DOCUMENTS = 3
"""How many documents holding a suggested stem are read for the word to show."""


# Words outside quotes that are not field names (nor a piece of a word between its combining marks).
_PLAIN_WORD = rf"(?<![\w{MARKS}:*?~])[^\W\d_]{{3,}}(?![\w{MARKS}:*?~])"


def similar(searcher: Searcher, doc_id: str, limit: int) -> SearchResults:
    """The documents most like `doc_id` (more like this), itself excluded.

    The document's most distinctive body words (Bo1, as Whoosh's
    `more_like` picks them) become a query, and mark the snippets; the
    facets count the hits shown.
    """
    docnum = number(searcher, doc_id)
    body = searcher.stored_fields(docnum).get("body", "")
    key_terms = searcher.key_terms_from_text("body", body, numterms=SIMILAR_TERMS)
    query = Q.Or([Q.Term("body", word, boost=weight) for word, weight in key_terms])
    found = searcher.search(query, limit=limit, mask={docnum})
    terms = {word for word, _ in key_terms}
    analysis = body_analysis(searcher)
    hits = tuple(_hit(rank, hit.fields(), hit.score, terms, analysis) for rank, hit in enumerate(found, 1))
    outlets, no_outlet = _counts(Counter(hit.outlet for hit in hits))
    years, undated = _counts(Counter(hit.date[:4] if hit.date else None for hit in hits))
    request = SearchRequest(f"similar to {doc_id}", limit=limit)
    return SearchResults(request, len(hits), hits, outlets, years, no_outlet, undated)


SIMILAR_TERMS = 20
"""How many of a document's most distinctive words describe it for `similar`."""


def _hit(
    rank: int,
    fields: dict[str, Any],
    score: float | None,
    terms: set[str],
    analysis: Analysis | None,
    also: tuple[Also, ...] = (),
) -> Hit:
    """A hit as shown; without an analysis, without a snippet."""
    return Hit(
        rank=rank,
        doc_id=fields["id"],
        title=fields.get("title") or None,
        date=fields.get("date_text"),
        outlet=fields.get("outlet_name"),
        score=round(score, 4) if score is not None else None,
        snippet=snippet(fields.get("body", ""), terms, analysis) if analysis else NO_SNIPPET,
        also=also,
        metadata={name: fields[name] for name in IN_HITS if name in fields},
        date_source=fields.get("date_source", "none"),
    )


PEOPLE_SHOWN = 50
"""The persons a people facet counts, most counted first (as a terms
aggregation's size): an archive names thousands."""


def people_facet(groups: Counter[bytes], aliases: Aliases) -> dict[str, int]:
    """How many documents quote or name each person (`text.names.people_counts`),
    from how many have each joined value of the people_names column."""
    named = {names(joined): count for joined, count in groups.items() if joined}
    return people_counts(named, aliases, PEOPLE_SHOWN)


@lru_cache(maxsize=100_000)
def names(joined: bytes) -> tuple[str, ...]:
    """The names of a people_names value (remembered: broad queries meet the same ones)."""
    return tuple(column_text(joined).split(PEOPLE_SEPARATOR))


def _with_none(groups: dict[Any, int]) -> dict[str, int]:
    """Named counts, most first, and NO_VALUE's count of documents without a value."""
    named, missing = _counts(groups)
    return named | ({NO_VALUE: missing} if missing else {})


def _counts(groups: dict[Any, int]) -> tuple[dict[str, int], int]:
    """Named counts, most first, and the count of documents without a value."""
    named = {column_text(k): n for k, n in groups.items() if k not in (None, b"", "")}
    missing = sum(n for k, n in groups.items() if k in (None, b"", ""))
    return dict(sorted(named.items(), key=lambda item: (-item[1], item[0]))), missing


def number(searcher: Searcher, doc_id: str) -> int:
    """The number of the live document of `doc_id`; UnknownDocument if none."""
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        raise UnknownDocument(f"no document {doc_id!r} in the index; `search query` lists ids")
    return int(docnum)


def body_analysis(searcher: Searcher) -> Analysis:
    analysis: Analysis = searcher.schema["body"].analyzer.analysis
    return analysis


def stored(fields: dict[str, Any], quotes: tuple[Quote, ...] = (), people: tuple[str, ...] = ()) -> StoredDocument:
    """A document as its stored fields hold it (with its quotes and people, when read from their columns)."""
    return StoredDocument(
        doc_id=fields["id"],
        title=fields.get("title") or None,
        body=fields.get("body", ""),
        date=fields.get("date_text"),
        date_source=fields.get("date_source", "none"),
        outlet=fields.get("outlet_name"),
        metadata=ordered(fields),
        quotes=quotes,
        people=people,
    )


def statistics(searcher: Searcher, mostly_cut: int, aliases: Aliases | None = None) -> Statistics:
    """Counts by outlet and year (and the facets, people among them), the
    date span, the undated documents and those that lost more than
    `mostly_cut` percent of their words, read from the columns rather than
    from every stored document."""
    reader = searcher.reader()
    live = [n for n in range(reader.doc_count_all()) if not reader.is_deleted(n)]
    if not live:
        return Statistics(0, {}, {}, None, None, (), (), {})
    ids, outlets, years, dated, cut = (
        column_reader(reader, name, translate=True) for name in ("id", "outlet_name", "year", "dated", "cut")
    )
    dates = column_reader(reader, "date", translate=True)
    when = [dates[n] for n in live if dated[n]]
    return Statistics(
        documents=len(live),
        outlets=_counts(Counter(outlets[n] for n in live))[0],
        years=dict(sorted(_counts(Counter(years[n] for n in live))[0].items())),
        first_date=min(when).date().isoformat() if when else None,
        last_date=max(when).date().isoformat() if when else None,
        undated=tuple(sorted(column_text(ids[n]) for n in live if not dated[n])),
        no_outlet=tuple(sorted(column_text(ids[n]) for n in live if not outlets[n])),
        mostly_cut=dict(sorted((column_text(ids[n]), cut[n]) for n in live if cut[n] > mostly_cut)),
        facets=_archive_facets(Columns(reader), live, aliases),
    )


def _archive_facets(columns: Columns, live: list[int], aliases: Aliases | None) -> dict[str, dict[str, int]]:
    facets = {name: _with_none(columns.facet(name, live)) for name in FACETS}
    return facets | {PEOPLE: people_facet(columns.people_of(live), aliases or NO_ALIASES)}
