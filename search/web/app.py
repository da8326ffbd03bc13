"""The archive in a browser, and its JSON API: an ASGI application.

Every page has a JSON twin under /api with the same parameters and the
shapes of the CLI's --json; every state of a page is in its URL. The
application only reads: no route writes to raw/ or to the index. Each
worker thread keeps an Archive of its own (a searcher is not shared between
threads), and each notices a new index generation on its next request.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..archive import Archive
from ..errors import SearchError, UnknownDocument
from ..explore.timeline import Bucket, Timeline, following
from ..ingest.sources import decode
from ..model import QuoteResults, SearchResults, Snippet
from ..render.explore import story_json, terms_json, timeline_json, watch_list_json, watch_run_json
from ..render.quotes import quotes_json, speakers_json
from ..render.results import (
    MISSING,
    document_json,
    export_lines,
    results_facets,
    results_json,
    stats_facets,
    stats_json,
)
from . import params
from .chart import legend, timeline_svg

Handler = Callable[[Request], Response]
"""A page or an API route: a request in, a response out (run in a worker thread)."""


def create_app(archive: Archive) -> Starlette:
    """The ASGI application serving `archive`, to run in any ASGI server:

    uvicorn.run(create_app(Archive.locate("~/news")), port=8765)
    """
    archives = _Archives(archive.home)
    pages = _Pages(archives)
    routes: list[Route | Mount] = [
        Route("/", pages.search),
        Route("/documents/{doc_id:path}/raw", pages.raw),
        Route("/documents/{doc_id:path}", pages.document),
        Route("/quotes", pages.quotes),
        Route("/timeline", pages.timeline),
        Route("/stats", pages.stats),
        Route("/watches", pages.watches),
        Route("/api/query.csv", pages.api_csv),
        Route("/api/query", pages.api_query),
        Route("/api/documents/{doc_id:path}", pages.api_document),
        Route("/api/similar/{doc_id:path}", pages.api_similar),
        Route("/api/story/{doc_id:path}", pages.api_story),
        Route("/api/quotes", pages.api_quotes),
        Route("/api/speakers", pages.api_speakers),
        Route("/api/timeline", pages.api_timeline),
        Route("/api/terms", pages.api_terms),
        Route("/api/stats", pages.api_stats),
        Route("/api/watches", pages.api_watches),
        Route("/api/explain", pages.api_explain),
        Mount("/static", StaticFiles(packages=[("search.web", "static")]), name="static"),
    ]
    running = threading.BoundedSemaphore(max(2, len(os.sched_getaffinity(0))))
    return Starlette(routes=[_guarded(route, running) for route in routes])


def from_environment() -> Starlette:
    """The application for the archive $NEWS_SEARCH_HOME names: what each
    worker process of `search serve --workers N` runs."""
    return create_app(Archive.locate())


class _Archives(threading.local):
    """An Archive a thread: each keeps its own searcher open between requests."""

    def __init__(self, home: Path) -> None:
        self.archive = Archive.locate(home)

    def get(self) -> Archive:
        return self.archive

    def fresh(self) -> Archive:
        """An Archive for one request alone, with a searcher of its own."""
        return Archive.locate(self.archive.home)


def _guarded(route: Route | Mount, running: threading.BoundedSemaphore) -> Route | Mount:
    """The route, its errors turned into answers: JSON with a message under
    /api, a page elsewhere; 404 for an unknown document, 400 for a bad request.

    At most one request a core (two at least) is answered at a time, the
    others waiting their turn: Python runs one thread at a time, so more at
    once would only share the cores, each query's time budget running out
    while it waits (at 100,000 documents and 32 clients, 11 of 224 queries
    did, and none since)."""
    if isinstance(route, Mount):
        return route
    endpoint: Handler = route.endpoint
    api = route.path.startswith("/api")

    def guarded(request: Request) -> Response:
        try:
            with running:
                return endpoint(request)
        except SearchError as exc:
            status = 404 if isinstance(exc, UnknownDocument) else 400
            if api:
                return JSONResponse({"error": str(exc)}, status_code=status)
            return _page("error.html", request, status=status, message=str(exc))

    return Route(route.path, guarded, name=route.name)


_TEMPLATES = Environment(loader=PackageLoader("search.web"), autoescape=select_autoescape(), trim_blocks=True)


def _page(template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    query = _params(request)
    html = _TEMPLATES.get_template(template).render(
        request=request,
        params=query,
        filters=params.FILTERS,
        missing=MISSING,
        link=params.link,
        toggled=params.toggled,
        person_query=params.person_query,
        marked=_marked,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _params(request: Request) -> dict[str, list[str]]:
    """A request's URL parameters, each with every value it was given."""
    return {name: request.query_params.getlist(name) for name in request.query_params}


def _marked(snippet: Snippet) -> Markup:
    """A snippet's text escaped, its matched words in <mark>."""
    return Markup("").join(Markup("<mark>{}</mark>").format(t) if hit else escape(t) for t, hit in snippet.pieces)


class _Pages:
    def __init__(self, archives: _Archives) -> None:
        self.archives = archives

    # Pages

    def search(self, request: Request) -> Response:
        results, page = self._page_of(_params(request))
        full = len(results.hits) == params.PER_PAGE
        pages = page + full if results.request.collapse else -(-results.total // params.PER_PAGE)
        facets = results_facets(results)
        pages = min(pages, params.MAX_PAGE)
        return _page("search.html", request, results=results, hits=results.hits, page=page, pages=pages, facets=facets)

    def _page_of(self, query: params.Params) -> tuple[SearchResults, int]:
        """The results with the hits of the page asked for, and its number."""
        page = params.page_number(query)
        search = params.search_request(query, limit=page * params.PER_PAGE, people=True)
        results = self.archives.get().run(search)
        return results._replace(hits=results.hits[(page - 1) * params.PER_PAGE :]), page

    def document(self, request: Request) -> Response:
        archive, doc_id = self.archives.get(), request.path_params["doc_id"]
        document = archive.document(doc_id)
        text = params.first(_params(request), "q")
        raw = _raw_path(archive, doc_id)
        cleaned = archive.clean(raw) if raw else None
        return _page(
            "document.html",
            request,
            document=document,
            body=archive.highlight(doc_id, text),
            removed=cleaned.removed if cleaned else (),
            quotes=cleaned.quotes if cleaned else (),
            similar=archive.similar(doc_id, 5).hits,
            story=[member for member in archive.story(doc_id) if member.doc_id != doc_id],
        )

    def raw(self, request: Request) -> Response:
        archive, doc_id = self.archives.get(), request.path_params["doc_id"]
        archive.document(doc_id)  # only documents of the index
        path = _raw_path(archive, doc_id)
        if path is None:
            raise UnknownDocument(f"the raw file of {doc_id!r} is no longer in raw/")
        text, _ = decode(path.read_bytes(), is_html=False)
        return PlainTextResponse(text, headers=_INERT)

    def quotes(self, request: Request) -> Response:
        found, page = self._quotes_of(_params(request))
        pages = min(-(-found.total // params.PER_PAGE), params.MAX_PAGE)
        return _page("quotes.html", request, found=found, page=page, pages=pages)

    def _quotes_of(self, query: params.Params) -> tuple[QuoteResults, int]:
        """The quotes of the page asked for, and its number."""
        page = params.page_number(query)
        found = self.archives.get().quotes(params.search_request(query, limit=page * params.PER_PAGE))
        return found._replace(quotes=found.quotes[(page - 1) * params.PER_PAGE :]), page

    def timeline(self, request: Request) -> Response:
        query = _params(request)
        found, text = self._timeline(query)
        share = params.first(query, "share") in ("1", "on", "true")

        def href(period: Bucket) -> str:
            end = following(period.start, found.unit) - timedelta(days=1)
            return params.link("/", query, from_=period.start.isoformat(), to=end.isoformat(), unit=None, by=None)

        chart = Markup(timeline_svg(found, share, href))
        return _page("timeline.html", request, timeline=found, text=text, chart=chart, legend=legend(found))

    def stats(self, request: Request) -> Response:
        archive = self.archives.get()
        statistics = archive.statistics()
        facets = stats_facets(statistics)
        return _page("stats.html", request, stats=statistics, size=archive.index_size(), facets=facets)

    def watches(self, request: Request) -> Response:
        runs = self.archives.get().watch_run(dry_run=True)
        return _page("watches.html", request, runs=runs)

    # The JSON API

    def api_query(self, request: Request) -> Response:
        results, page = self._page_of(_params(request))
        return JSONResponse(results_json(results) | {"page": page})

    def api_csv(self, request: Request) -> Response:
        """Every hit of the query as CSV, written as it is read, from an
        Archive of its own: the rows are made in whichever worker thread
        Starlette streams from."""
        search = params.search_request(_params(request))
        archive = self.archives.fresh()
        results, hits = archive.stream(search)
        lines = (line + "\n" for line in export_lines(results, hits, "csv"))
        disposition = {"Content-Disposition": 'attachment; filename="news-search.csv"'}
        closing = BackgroundTask(archive.close)
        return StreamingResponse(lines, media_type="text/csv; charset=utf-8", headers=disposition, background=closing)

    def api_document(self, request: Request) -> Response:
        return JSONResponse(document_json(self.archives.get().document(request.path_params["doc_id"])))

    def api_similar(self, request: Request) -> Response:
        limit = params.number(_params(request), "limit", 10, 100)
        return JSONResponse(results_json(self.archives.get().similar(request.path_params["doc_id"], limit)))

    def api_story(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        return JSONResponse(story_json(doc_id, self.archives.get().story(doc_id)))

    def api_quotes(self, request: Request) -> Response:
        found, page = self._quotes_of(_params(request))
        return JSONResponse(quotes_json(found) | {"page": page})

    def api_speakers(self, request: Request) -> Response:
        query = _params(request)
        search = params.search_request(query, limit=params.number(query, "limit", 20, 1000))
        return JSONResponse(speakers_json(search, self.archives.get().speakers(search)))

    def api_timeline(self, request: Request) -> Response:
        found, text = self._timeline(_params(request))
        return JSONResponse(timeline_json(found, text))

    def api_terms(self, request: Request) -> Response:
        search = params.search_request(_params(request))
        return JSONResponse(terms_json(self.archives.get().terms(search), search.text))

    def api_stats(self, request: Request) -> Response:
        archive = self.archives.get()
        return JSONResponse(stats_json(archive.statistics(), archive.index_size()))

    def api_watches(self, request: Request) -> Response:
        archive = self.archives.get()
        runs = archive.watch_run(dry_run=True)
        return JSONResponse({"watches": watch_list_json(archive.watches.all()), "runs": watch_run_json(runs)})

    def api_explain(self, request: Request) -> Response:
        """The query as the engine runs it, and as OpenSearch's query DSL
        (`search query --explain`, and with `--format opensearch`)."""
        search = params.search_request(_params(request))
        archive = self.archives.get()
        return JSONResponse({"engine": archive.explain(search), "opensearch": archive.opensearch_request(search)})

    def _timeline(self, query: params.Params) -> tuple[Timeline, str]:
        search = params.search_request(query)
        unit = params.first(query, "unit", "auto") or "auto"
        split = params.first(query, "by") == "outlet"
        return self.archives.get().timeline(search, unit, split), search.text


_INERT = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
"""A raw file is shown as text: never sniffed as HTML, never run, even if opened as a page."""


def _raw_path(archive: Archive, doc_id: str) -> Path | None:
    """The raw file of a document, if it is still inside raw/."""
    root = archive.raw_dir.resolve()
    path = (root / doc_id).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None
