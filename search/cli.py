"""The `search` command: parse options, make one library call, render.

Every expected failure is a SearchError from the library; here it becomes
one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .index.report import IndexReport, Progress

from .archive import HOME_VARIABLE, Archive
from .errors import SearchError
from .fields import FACETS, FIELDS, NAMES
from .index.store import damaged_message, engine_failure
from .query.request import DEFAULT_TIMEOUT, SORTS, SPEAKER, SearchRequest
from .render.explore import (
    story_json,
    story_lines,
    story_rows,
    terms_json,
    terms_lines,
    terms_rows,
    timeline_json,
    timeline_lines,
    timeline_rows,
    watch_added_json,
    watch_added_lines,
    watch_json,
    watch_list_json,
    watch_list_lines,
    watch_removed_lines,
    watch_run_json,
    watch_run_lines,
    watch_run_rows,
)
from .render.output import FORMATS, REPORT_FORMATS, Output, formatted, json_document, record
from .render.quotes import (
    quote_rows,
    quote_scores_json,
    quote_scores_lines,
    quotes_json,
    quotes_lines,
    speaker_rows,
    speakers_json,
    speakers_lines,
)
from .render.results import (
    EXPORT_FORMATS,
    Mark,
    add_report_json,
    add_report_lines,
    article_json,
    article_lines,
    document_json,
    document_lines,
    evaluation_json,
    evaluation_lines,
    export_lines,
    filed_json,
    filed_lines,
    hit_rows,
    index_report_json,
    index_report_lines,
    index_warning_lines,
    plain_mark,
    relevance_json,
    relevance_lines,
    results_json,
    results_lines,
    stats_json,
    stats_lines,
    stats_rows,
)
from .text.dates import UNITS, Period, parse_period

PROGRESS_MIN_FILES = 200


class DateBound(click.ParamType):  # type: ignore[type-arg]  # generic only from Click 8.2
    """A date as people type it (2021, 2021-02, Feb 2021, 3 February 2021)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return parse_period(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class UsageLine(click.ClickException):
    """A mistake in how a command was called: one line, and exit status 2 as Click and POSIX tools give it."""

    exit_code = 2


class SearchGroup(click.Group):
    """Turns library errors into one clear line (exit status 1), and mistakes
    in the command line into one line (exit status 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.BadParameter as exc:
            raise UsageLine(exc.format_message()) from None
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "search"
            hint = "put -- before words that start with a dash; " if "No such option" in exc.message else ""
            raise UsageLine(f"{exc.format_message()} ({hint}see '{command} --help')") from None
        except SearchError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # Click ends quietly when the reader of a pipe goes away.
            raise click.ClickException(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
        except Exception as exc:
            if not engine_failure(exc):
                raise
            raise click.ClickException(damaged_message(_archive(ctx).store.folder, exc)) from None


@click.group(cls=SearchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    envvar=HOME_VARIABLE,
    show_envvar=True,
    help="Archive folder holding raw/ and index/ (default: the current folder).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Mark matches in colour (default: on a terminal, unless NO_COLOR is set or TERM is dumb).",
)
@click.version_option(package_name="news-search")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, color: bool | None) -> None:
    """Search folders of raw news documents: who said what, when, in which outlets.

    Example: search query vucic putin --from 2021 --outlet "The Moscow Times"
    """
    ctx.obj = home
    ctx.color = _colour_wanted() if color is None else color


def _colour_wanted() -> bool:
    """Colour on a terminal, unless the user said no (https://no-color.org, TERM=dumb)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _archive(ctx: click.Context) -> Archive:
    return Archive.locate(ctx.find_root().obj)


def _echo_lines(lines: Iterable[str], err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)


def _output(*formats: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The output options of a command that prints: `--format` (FORMATS,
    or those given) and `--json`, its synonym, as one `form` argument."""
    chosen = formats or FORMATS

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def run(*args: Any, as_json: bool, **kwargs: Any) -> Any:
            return command(*args, **(kwargs | ({"form": "json"} if as_json else {})))

        others = chosen[1:]
        shown = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else others[0]
        run = click.option("--json", "as_json", is_flag=True, help="The same as --format json.")(run)
        return click.option(
            "--format",
            "form",
            type=click.Choice(chosen),
            default="table",
            show_default=True,
            help=f"table for people; {shown} for programs.",
        )(run)

    return decorate


def _emit(output: Output, form: str) -> None:
    _echo_lines(formatted(output, form))


@contextmanager
def _progress() -> Iterator[Progress]:
    """A progress bar on stderr, shown only on a terminal and for long runs."""
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= PROGRESS_MIN_FILES and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _exit_for(report: IndexReport | None) -> None:
    if report and any(s.failed for s in report.skipped):
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--removed", is_flag=True, help="Also list what was removed, with the class of boilerplate.")
@click.option("--quotes", is_flag=True, help="Also list the quotes found, with their speakers, and the people named.")
@_output()
@click.pass_context
def clean(ctx: click.Context, file: Path, removed: bool, quotes: bool, form: str) -> None:
    """Show what the cleaner keeps of FILE and the metadata it finds; writes nothing.

    Example: search clean raw/004_c9068389083bc5e7.txt --removed
    """
    article = _archive(ctx).clean(file)
    _emit(record(partial(article_lines, article, removed, quotes), partial(article_json, article)), form)


_WORKERS = click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes for a full build (default: one per CPU core; each holds up to 256 MB of postings).",
)


@cli.command()
@_output(*REPORT_FORMATS)
@_WORKERS
@click.pass_context
def index(ctx: click.Context, form: str, workers: int | None) -> None:
    """Update the index from raw/: add new files, re-index changed ones, drop deleted ones.

    Exits 1 when a document could not be read (the others are indexed).
    """
    with _progress() as progress:
        report = _archive(ctx).update(progress, workers)
    _show_index_report(report, form)


@cli.command()
@_output(*REPORT_FORMATS)
@_WORKERS
@click.pass_context
def rebuild(ctx: click.Context, form: str, workers: int | None) -> None:
    """Build the index anew from raw/; the old one is replaced only when the new one is complete."""
    with _progress() as progress:
        report = _archive(ctx).rebuild(progress, workers)
    _show_index_report(report, form)


def _show_index_report(report: IndexReport, form: str) -> None:
    _emit(Output(partial(index_report_lines, report), partial(index_report_json, report)), form)
    _echo_lines(index_warning_lines(report), err=True)
    _exit_for(report)


def _metadata_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """An option for each field of `search.fields`; the command gets their values as one `metadata` mapping."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        return command(*args, metadata={name: kwargs.pop(f"field_{name}") for name in NAMES}, **kwargs)

    for field in reversed(FIELDS):
        run = click.option(f"--{field.name}", f"field_{field.name}", help=field.help)(run)
    return run


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--outlet", help="Outlet of the documents (written to their sidecars).")
@click.option("--date", "date", help="Publication date, e.g. 2024-10-20.")
@click.option("--title", help="Title of the document.")
@_metadata_options
@_output(*REPORT_FORMATS)
@click.pass_context
def add(
    ctx: click.Context,
    paths: tuple[Path, ...],
    outlet: str | None,
    date: str | None,
    title: str | None,
    metadata: dict[str, str | None],
    form: str,
) -> None:
    """Copy files (or the documents of a folder) into raw/ and index them.

    Metadata given here goes into a sidecar next to each copy. A different
    file of the same name in raw/ is never overwritten.

    Example: search add ~/Downloads/tass-2024-10-20.html --outlet TASS
    """
    with _progress() as progress:
        given = {"outlet": outlet, "date": date, "title": title, **metadata}
        report = _archive(ctx).add(list(paths), {k: v for k, v in given.items() if v}, progress)
    _emit(Output(partial(add_report_lines, report), partial(add_report_json, report)), form)
    if report.index:
        _echo_lines(index_warning_lines(report.index), err=True)
    if report.refused:
        sys.exit(1)
    _exit_for(report.index)


def _filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """The date, outlet and facet options every command that searches takes;
    the command gets the facets' values as one `filters` mapping."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        filters = {name: kwargs.pop(f"facet_{name}") for name in FACETS} | {SPEAKER: kwargs.pop("speakers")}
        return command(*args, filters=filters, **kwargs)

    options = [
        click.option(
            "--from",
            "date_from",
            type=DateBound(),
            help="Earliest date, inclusive: 2021, 2021-02, Feb 2021, 2021-02-03.",
        ),
        click.option(
            "--to", "date_to", type=DateBound(), help="Latest date, inclusive: --to 2021 means to the end of 2021."
        ),
        click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeat for several)."),
        click.option(
            "--speaker",
            "speakers",
            multiple=True,
            help="Only documents (or quotes) quoting this person, in any spelling, e.g. lavrov (repeat for several).",
        ),
        *(
            click.option(
                f"--{field.name}",
                f"facet_{field.name}",
                multiple=True,
                help=f"Only this {field.name} (repeat for several).",
            )
            for field in FIELDS
            if field.facet
        ),
    ]
    for option in reversed(options):
        run = option(run)
    return run


def _searching(ctx: click.Context) -> Archive:
    """The archive, its index built first if it has none yet (said on stderr)."""
    archive = _archive(ctx)
    built = archive.ensure_index()
    if built:
        click.echo(f"No index yet: built one from raw/ ({built.documents} documents).", err=True)
    return archive


@cli.command()
@click.argument("words", nargs=-1)
@_filters
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Hits to show [default: 10 in a table, every hit in the other formats]."
)
@click.option("--collapse", is_flag=True, help="One hit per story; its copies in other outlets listed under it.")
@click.option("--people", is_flag=True, help="Also count the persons the hits quote or name (the people facet).")
@_output(*EXPORT_FORMATS, "opensearch")
@click.option(
    "--explain",
    is_flag=True,
    help="Show the query the engine runs instead of running it (with --format opensearch: as an OpenSearch request).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds the query may take to match and rank; past them it stops and says what was costly.",
)
@click.pass_context
def query(
    ctx: click.Context,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    sort: str,
    limit: int | None,
    collapse: bool,
    people: bool,
    form: str,
    explain: bool,
    timeout: float,
) -> None:
    """Search the archive. Words are ANDed; the query language has OR, NOT,
    "phrases", title:word, outlet:word and wildcards (vuč*). In a format
    other than table, every hit is written (trec: a run file).

    Example: search query putin gas --from 2021 --sort newest
    """
    if form == "opensearch" and not explain:
        raise click.UsageError("--format opensearch writes the query for a cluster; add --explain")
    archive = _searching(ctx)
    options = {
        "outlets": outlets,
        "sort": sort,
        "collapse": collapse,
        "people": people,
        "limit": limit or DEFAULT_LIMIT,
        "timeout": timeout,
    }
    request = SearchRequest.build(" ".join(words), date_from, date_to, filters, **options)
    if explain and form == "opensearch":
        click.echo(json_document(archive.opensearch_request(request)))
    elif explain:
        click.echo(archive.explain(request))
    elif form == "table":
        _echo_lines(results_lines(archive.run(request), _marker()))
    else:
        results, hits = archive.stream(request, snippets=form != "trec")
        _echo_lines(export_lines(results, islice(hits, limit), form))


DEFAULT_LIMIT = 10
EVERY = sys.maxsize
"""The limit of a listing written whole (in a format for programs)."""


def _marker() -> Mark:
    """Bold and coloured where colour is wanted (`_colour_wanted`, --color), **word** elsewhere."""
    coloured = click.get_current_context().find_root().color
    return (lambda text: click.style(text, bold=True, fg="yellow")) if coloured else plain_mark


@cli.command("similar")
@click.argument("doc_id", metavar="ID")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Documents to show.")
@_output()
@click.pass_context
def similar_command(ctx: click.Context, doc_id: str, limit: int, form: str) -> None:
    """Documents most like the document ID (more like this), itself excluded.

    Example: search similar 000_bb139807f14e536b.txt --limit 3
    """
    results = _archive(ctx).similar(doc_id, limit)
    tables = partial(results_lines, results, _marker()), partial(results_json, results)
    _emit(Output(*tables, partial(hit_rows, results)), form)


@cli.command()
@click.argument("doc_id", metavar="ID")
@_output()
@click.pass_context
def show(ctx: click.Context, doc_id: str, form: str) -> None:
    """Print a cleaned document with its metadata.

    Example: search show 004_c9068389083bc5e7.txt
    """
    doc = _archive(ctx).document(doc_id)
    _emit(record(partial(document_lines, doc), partial(document_json, doc)), form)


@cli.command()
@_output()
@click.pass_context
def stats(ctx: click.Context, form: str) -> None:
    """Documents by outlet and by year, the date span, the undated documents."""
    archive = _archive(ctx)
    statistics, size = archive.statistics(), archive.index_size()
    tables = partial(stats_lines, statistics, size), partial(stats_json, statistics, size)
    _emit(Output(*tables, partial(stats_rows, statistics)), form)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--open", "open_page", is_flag=True, help="Open the search page in a web browser.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes answering requests: one per core answers several clients faster.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, open_page: bool, workers: int) -> None:
    """Serve the archive in a web browser, with a JSON API beside every page.

    Read-only: it answers from the live index, and from a new one as soon as
    `search index`, `add` or `rebuild` makes one. Ctrl-C stops it.

    Example: search serve --open
    """
    from .web.serve import serve as run

    archive = _searching(ctx)
    run(archive, host, port, open_page, say=lambda line: click.echo(line, err=True), workers=workers)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "form",
    type=click.Choice(["opensearch"]),
    default="opensearch",
    show_default=True,
    help="opensearch: an index mapping and bulk NDJSON files, for OpenSearch or Elasticsearch.",
)
@click.option("--index-name", default="news", show_default=True, help="The index the bulk files write to.")
@click.pass_context
def export(ctx: click.Context, folder: Path, form: str, index_name: str) -> None:
    """Write the archive's cleaned documents for another search engine to take over.

    FOLDER must be new or empty. Example: search export --format opensearch ~/news-export
    (then ask the cluster what you asked here: search query WORDS --explain --format opensearch)
    """
    from .interop.opensearch import load_commands

    report = _archive(ctx).export_opensearch(folder, index_name)
    click.echo(f"Wrote {report.documents} documents to {folder}: {len(report.files) - 1} bulk files and mapping.json.")
    _echo_lines([f"Load them, in {folder}:", *(f"  {command}" for command in load_commands(index_name))])
    click.echo("Ask the cluster what you ask here: search query WORDS --explain --format opensearch")


@cli.command()
@click.argument("words", nargs=-1)
@_filters
@click.option(
    "--by",
    "splits",
    type=click.Choice(("auto", *UNITS, "outlet")),
    multiple=True,
    help="Periods of a day, week, month or year (auto: at most 60 of the finest); outlet: split each period by outlet.",
)
@click.option("--share", is_flag=True, help="Each count as a share of all the archive (or the outlet) published then.")
@_output()
@click.option("--csv", "as_csv", is_flag=True, help="The same as --format csv: a row per period (and outlet).")
@click.pass_context
def timeline(
    ctx: click.Context,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    splits: tuple[str, ...],
    share: bool,
    form: str,
    as_csv: bool,
) -> None:
    """Matching documents over time, as a bar chart: one row per period, empty ones too.

    Example: search timeline vucic putin --by year --by outlet --share
    """
    units = [split for split in splits if split != "outlet"]
    if len(units) > 1:
        raise click.UsageError(f"give one period with --by, not {' and '.join(units)}")
    text = " ".join(words)
    request = SearchRequest.build(text, date_from, date_to, filters, outlets=outlets)
    found = _searching(ctx).timeline(request, units[0] if units else "auto", "outlet" in splits)
    output = Output(partial(timeline_lines, found, text, share), partial(timeline_json, found, text))
    _emit(output._replace(rows=partial(timeline_rows, found)), "csv" if as_csv else form)


@cli.command()
@click.argument("words", nargs=-1)
@_filters
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Quotes to show [default: 10 in a table, every quote in the other formats].",
)
@_output()
@click.pass_context
def quotes(
    ctx: click.Context,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    sort: str,
    limit: int | None,
    form: str,
) -> None:
    """Who said what: the quotes whose words match WORDS (every quote, newest
    first, without words), each with its speaker, document, date and outlet,
    and counts by speaker, outlet and year.

    Example: search quotes gas --speaker vucic
    """
    every = DEFAULT_LIMIT if form == "table" else EVERY
    request = SearchRequest.build(
        " ".join(words), date_from, date_to, filters, outlets=outlets, sort=sort, limit=limit or every
    )
    found = _searching(ctx).quotes(request)
    _emit(Output(partial(quotes_lines, found), partial(quotes_json, found), partial(quote_rows, found)), form)


@cli.command()
@click.argument("words", nargs=-1)
@_filters
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Speakers to show.")
@_output()
@click.pass_context
def speakers(
    ctx: click.Context,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    limit: int,
    form: str,
) -> None:
    """Who is quoted most saying WORDS (about anything, without words): their
    quotes by outlet, and the first and last day they were quoted.

    Example: search speakers sanctions --from 2022
    """
    request = SearchRequest.build(" ".join(words), date_from, date_to, filters, outlets=outlets, limit=limit)
    found = _searching(ctx).speakers(request)
    tables = partial(speakers_lines, request, found), partial(speakers_json, request, found)
    _emit(Output(*tables, partial(speaker_rows, found)), form)


@cli.command()
@click.argument("doc_id", metavar="ID")
@_filters
@_output()
@click.pass_context
def story(
    ctx: click.Context,
    doc_id: str,
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    form: str,
) -> None:
    """The documents that tell the same story as ID, in any outlet, oldest first:
    who published first, who re-ran it, how much later.

    Example: search story 004_c9068389083bc5e7.txt
    """
    request = SearchRequest.build("", date_from, date_to, filters, outlets=outlets)
    members = _searching(ctx).story(doc_id, request)
    tables = partial(story_lines, doc_id, members), partial(story_json, doc_id, members)
    _emit(Output(*tables, partial(story_rows, members)), form)


@cli.command()
@click.argument("words", nargs=-1)
@_filters
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Terms and names to show.")
@_output()
@click.pass_context
def terms(
    ctx: click.Context,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    limit: int,
    form: str,
) -> None:
    """The names and words that set the matches apart from the whole archive.

    Example: search terms gas --from 2024
    """
    text = " ".join(words)
    found = _searching(ctx).terms(SearchRequest.build(text, date_from, date_to, filters, outlets=outlets), limit)
    _emit(Output(partial(terms_lines, found, text), partial(terms_json, found, text), partial(terms_rows, found)), form)


@cli.group(invoke_without_command=True)
@click.pass_context
def watch(ctx: click.Context) -> None:
    """Saved searches: run one again to see what is new since it last ran.

    Alone, lists them (as `search watch list`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(watch_list, form="table")


@watch.command("add")
@click.argument("name")
@click.argument("words", nargs=-1)
@_filters
@_output()
@click.pass_context
def watch_add(
    ctx: click.Context,
    name: str,
    words: tuple[str, ...],
    date_from: Period | None,
    date_to: Period | None,
    outlets: tuple[str, ...],
    filters: dict[str, tuple[str, ...]],
    form: str,
) -> None:
    """Save the search WORDS as NAME; what it matches now counts as seen.

    Example: search watch add serbia-gas gas serbia --from 2024
    """
    from .explore.watches import Watch  # only here: a query does not import saved searches

    saved = Watch(
        name,
        " ".join(words),
        date_from.text if date_from else None,
        date_to.text if date_to else None,
        outlets,
        tuple((name, values) for name, values in filters.items() if values),
    )
    run = _searching(ctx).watch_add(saved)
    _emit(record(partial(watch_added_lines, run), partial(watch_added_json, run)), form)


@watch.command("run")
@click.argument("name", required=False)
@click.option("--dry-run", is_flag=True, help="Show what is new without marking it as seen.")
@_output()
@click.pass_context
def watch_run(ctx: click.Context, name: str | None, dry_run: bool, form: str) -> None:
    """List what each saved search (or NAME) finds that was added or changed since it last ran."""
    runs = _searching(ctx).watch_run(name, dry_run)
    tables = partial(watch_run_lines, runs, _marker()), partial(watch_run_json, runs)
    _emit(Output(*tables, partial(watch_run_rows, runs)), form)


@watch.command("list")
@_output()
@click.pass_context
def watch_list(ctx: click.Context, form: str) -> None:
    """The saved searches, with when each last ran."""
    watches = _archive(ctx).watches.all()
    every = partial(watch_list_json, watches)
    _emit(Output(partial(watch_list_lines, watches), every, every), form)


@watch.command("remove")
@click.argument("name")
@_output()
@click.pass_context
def watch_remove(ctx: click.Context, name: str, form: str) -> None:
    """Forget the saved search NAME."""
    removed = _archive(ctx).watches.remove(name)
    _emit(record(partial(watch_removed_lines, removed), partial(watch_json, removed)), form)


@cli.command("eval-clean")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--details", is_flag=True, help="Also score each page, worst first.")
@click.option(
    "--filed",
    type=click.Path(path_type=Path),
    help='Also the word recall of articles in this JSON-lines file ({"id", "title", "text"}), filed as text files.',
)
@_output(*REPORT_FORMATS)
@click.pass_context
def eval_clean(ctx: click.Context, folder: Path, details: bool, filed: Path | None, form: str) -> None:
    """Score the cleaner against gold article text in FOLDER (pages/<id>.html
    and gold.json), with the archive's rules: the HTML path, and the page's
    text as a text file of each shape (a block a line, hard-wrapped at 72
    columns with and without blank lines).

    Example: search eval-clean PAGES --details --filed NEWS.jsonl
    """
    from .evaluate.cleaner import evaluate_cleaner, evaluate_filed, trafilatura_reference

    rules = _archive(ctx).rules
    evaluation = evaluate_cleaner(folder, rules, trafilatura_reference())
    filed_score = evaluate_filed(filed, rules) if filed else None

    def lines() -> Iterator[str]:
        yield from evaluation_lines(evaluation, details)
        yield from filed_lines(filed_score) if filed_score else ()

    def document() -> dict[str, Any]:
        return evaluation_json(evaluation, details) | ({"filed": filed_json(filed_score)} if filed_score else {})

    _emit(Output(lines, document), form)


@cli.command("eval-quotes")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    show_default=True,
    help="The folder the gold file's document paths start from.",
)
@click.option("--details", is_flag=True, help="Also list each span the finder got wrong.")
@_output(*REPORT_FORMATS)
@click.pass_context
def eval_quotes(ctx: click.Context, gold: Path, root: Path, details: bool, form: str) -> None:
    """Score the quotation finder against spans labelled by hand in GOLD:
    quote recall, speaker accuracy, and non-speech taken for speech.
    Documents whose file is not there are skipped (and counted).

    Example: search eval-quotes tests/fixtures/quotes-gold.json --details
    """
    from .evaluate.quotes import evaluate_quotes

    scores = evaluate_quotes(gold, _archive(ctx).rules, root)
    _emit(Output(partial(quote_scores_lines, scores, details), partial(quote_scores_json, scores, details)), form)


@cli.command("eval")
@click.option("--docs", type=click.Path(path_type=Path), required=True, help="Documents, JSON lines.")
@click.option("--queries", type=click.Path(path_type=Path), required=True, help="Queries, id<TAB>text.")
@click.option("--qrels", type=click.Path(path_type=Path), required=True, help="Judgements, TREC qrels.")
@click.option("--run", "run_file", type=click.Path(path_type=Path), help="Also write the ranking as a TREC run file.")
@_output(*REPORT_FORMATS)
def evaluate(docs: Path, queries: Path, qrels: Path, run_file: Path | None, form: str) -> None:
    """Measure ranking quality on a test collection: nDCG@10, MAP, Recall@100, MRR.

    The documents go into a temporary index with the product's own analysis
    and ranking; each query runs as a bag of words.

    Example: search eval --docs cisi/docs.jsonl --queries cisi/queries.tsv --qrels cisi/qrels.txt
    """
    from .evaluate.ranking import evaluate as score
    from .evaluate.ranking import read_qrels, run_collection, write_run

    judgements = read_qrels(qrels)
    run = run_collection(docs, queries)
    if run_file:
        write_run(run, run_file)
    scores = score(run, judgements)
    _emit(Output(partial(relevance_lines, scores), partial(relevance_json, scores)), form)


def main() -> None:
    """The command in a process of its own. What the imports made (modules,
    classes, Whoosh's and Click's tables) lives as long as the process, so it
    is moved out of the garbage collector's way: each collection during the
    command would traverse it again."""
    gc.freeze()
    cli(prog_name="search")
