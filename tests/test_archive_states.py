"""Every state an archive can reach, and every read command in each: an answer
or one line, never a traceback; and the index holds exactly the readable
documents of raw/ after each `index`, `add` or `rebuild`.

A hypothesis state machine adds files with and without each optional field,
changes, deletes and spoils them, indexes, adds, rebuilds, leaves what a
killed build leaves and damages the index, in any order.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from search import Archive
from search.cli import cli

from .conftest import whoosh_index

NAMES = ("a.txt", "b.txt", "news/c.txt", "news/d.html", "e f.txt")
FIELDS = ("date", "outlet", "title", "url", "author")
VALUES = {
    "date": "2021-02-03T10:00:00",
    "outlet": "Danube Wire",
    "title": "Gas talks resume",
    "url": "https://example.org/gas",
    "author": "Ana Petrovic",
}
BODY = "Gas talks in Belgrade went on for a {n}th day, the minister said on Tuesday.\n"


def document(name: str, n: int) -> str:
    if name.endswith(".html"):
        return (
            f"<html><head><title>Gas {n}</title></head><body><article><p>{BODY.format(n=n)}</p></article></body></html>"
        )
    return f"Gas story {n}\n\n{BODY.format(n=n)}\n{BODY.format(n=n + 1)}"


READS: tuple[tuple[str, ...], ...] = (
    ("query", "gas"),
    ("query", "gas", "--json"),
    ("query", "gas OR talks", "--format", "csv"),
    ("query", "--format", "jsonl", "--sort", "newest"),
    ("query", "gas", "--format", "trec", "--from", "2021"),
    ("stats", "--json"),
    ("timeline", "gas", "--by", "year"),
    ("terms", "gas"),
    ("watch", "run", "gas", "--json"),
)


class ArchiveStates(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.home = Path(tempfile.mkdtemp(prefix="states-"))
        (self.home / "raw").mkdir()
        self.readable: dict[str, bool] = {}
        self.indexed = False
        self.edits = 0

    def teardown(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

    def run(self, *args: str) -> Result:
        """A command that ends as it should: an answer, or one line (a write
        that skipped a file also exits 1, after its report)."""
        result = CliRunner().invoke(cli, ["--home", str(self.home), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        writes = args[0] in ("index", "rebuild", "add") and "skipped" in result.stdout
        if result.exit_code and not writes:
            assert result.exit_code in (1, 2) and result.stderr.startswith("Error: "), (args, result.output)
            assert result.stderr.count("\n") == 1, (args, result.stderr)
        return result

    @initialize()
    def watch_gas(self) -> None:
        self.run("watch", "add", "gas", "gas")

    @rule(name=st.sampled_from(NAMES), fields=st.sets(st.sampled_from(FIELDS)))
    def write_file(self, name: str, fields: set[str]) -> None:
        self.edits += 1
        path = self.home / "raw" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document(name, self.edits), "utf-8")
        sidecar = path.with_name(path.name + ".meta.json")
        sidecar.unlink(missing_ok=True)
        if fields:
            sidecar.write_text(json.dumps({field: VALUES[field] for field in fields}), "utf-8")
        self.readable[name] = True

    @precondition(lambda self: self.readable)
    @rule(data=st.data(), how=st.sampled_from(["binary", "bad sidecar", "empty"]))
    def spoil_file(self, data: st.DataObject, how: str) -> None:
        name = data.draw(st.sampled_from(sorted(self.readable)))
        path = self.home / "raw" / name
        if how == "bad sidecar":
            path.with_name(path.name + ".meta.json").write_text("{not json", "utf-8")
        else:
            path.write_bytes(b"\0\1\2\3 binary" if how == "binary" else b"")
        self.readable[name] = False

    @precondition(lambda self: self.readable)
    @rule(data=st.data())
    def delete_file(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.readable)))
        path = self.home / "raw" / name
        path.unlink()
        path.with_name(path.name + ".meta.json").unlink(missing_ok=True)
        del self.readable[name]

    @rule()
    def index(self) -> None:
        self.run("index")
        self.indexed = True
        self.check_holdings()

    @rule()
    def rebuild(self) -> None:
        self.run("rebuild")
        self.indexed = True
        self.check_holdings()

    @rule(outlet=st.sampled_from(["", "Steppe Post"]))
    def add(self, outlet: str) -> None:
        self.edits += 1
        source = self.home / f"incoming-{self.edits}.txt"
        source.write_text(document(source.name, self.edits), "utf-8")
        self.run("add", str(source), *(["--outlet", outlet] if outlet else []))
        self.readable[source.name] = True
        self.indexed = True
        self.check_holdings(only=source.name)

    @precondition(lambda self: self.indexed)
    @rule()
    def leave_a_killed_build(self) -> None:
        partial = self.home / "index" / "gen-20200101T000000000000-1"
        partial.mkdir(exist_ok=True)
        (partial / "MAIN_partial.seg").write_bytes(b"\0" * 1000)

    @precondition(lambda self: self.indexed)
    @rule()
    def damage_the_index(self) -> None:
        store = Archive(self.home).store
        if store.exists():
            for segment in sorted((store.folder / store.manifest().generation).glob("*.seg"))[:1]:
                with open(segment, "r+b") as handle:
                    handle.truncate(segment.stat().st_size // 2)

    @invariant()
    def every_read_answers_or_says_one_line(self) -> None:
        for args in READS:
            self.run(*args)
        self.run("show", next(iter(self.readable), "none.txt"))
        self.run("similar", next(iter(self.readable), "none.txt"))
        self.run("story", next(iter(self.readable), "none.txt"))

    def check_holdings(self, only: str | None = None) -> None:
        """After a write, the index holds the readable documents of raw/ (an
        `add` brings only its own file up to date, so only that one is checked)."""
        with whoosh_index(Archive(self.home)).searcher() as searcher:
            ids = {fields["id"] for fields in searcher.all_stored_fields()}
        readable = {name for name, ok in self.readable.items() if ok}
        if only is None:
            assert ids == readable, (ids, readable)
        else:
            assert only in ids


ArchiveStates.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_archive_states = ArchiveStates.TestCase
