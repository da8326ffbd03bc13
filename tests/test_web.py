"""`search serve`: every page and its JSON twin, on a real index, through
Starlette's test client; and the server itself, in a process of its own."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from search import Archive
from search.deadline import Deadline
from search.web import create_app

from .browser import free_port, served
from .conftest import Invoke, write

DOCUMENT = "004_c9068389083bc5e7.txt"


@pytest.fixture
def client(archive: Archive) -> TestClient:
    archive.update()
    return TestClient(create_app(archive))


def test_the_search_page_shows_hits_facets_and_links_that_filter(client: TestClient) -> None:
    page = client.get("/", params={"q": "putin gas"})
    assert page.status_code == 200 and "3</strong> hits for <q>putin gas</q>" in page.text
    assert "<mark>Putin</mark>" in page.text and DOCUMENT in page.text
    narrowed = client.get("/", params={"q": "putin gas", "outlet": "The Moscow Times"})
    assert "1</strong> hit for" in narrowed.text and 'class="chosen"' in narrowed.text
    assert "/?q=putin+gas&amp;outlet=The+Moscow+Times" in page.text  # the facet's link
    dated = client.get("/", params={"q": "vucic", "from": "Feb 2021", "to": "2024"})
    assert "3</strong> hits" in dated.text and "2020" not in _facet(dated.text, "year")


def _facet(html: str, name: str) -> str:
    start = html.index(f'data-facet="{name}"')
    return html[start : html.index("</section>", start)]


def test_pages_sort_collapse_and_suggest(client: TestClient) -> None:
    newest = client.get("/", params={"q": "vucic", "sort": "newest"}).text
    assert newest.index("2024-10-20") < newest.index("2020-09-10")
    assert "Did you mean" in client.get("/", params={"q": "sanctoins"}).text
    assert client.get("/", params={"q": "vucic", "collapse": "1"}).status_code == 200


def test_every_page_has_a_json_twin_with_the_clis_shape(client: TestClient, invoke: Invoke) -> None:
    api = client.get("/api/query", params={"q": "gas"}).json()
    cli = json.loads(invoke("query", "gas", "--people", "--json").stdout)
    assert api["total"] == cli["total"] and api["facets"] == cli["facets"]
    assert [hit["id"] for hit in api["hits"]] == [hit["id"] for hit in cli["hits"]]
    assert client.get(f"/api/documents/{DOCUMENT}").json() == json.loads(invoke("show", DOCUMENT, "--json").stdout)
    assert client.get("/api/stats").json()["documents"] == 5
    assert client.get("/api/timeline", params={"q": "vucic", "unit": "year"}).json() == json.loads(
        invoke("timeline", "vucic", "--by", "year", "--json").stdout
    )
    assert client.get(f"/api/story/{DOCUMENT}").json()["id"] == DOCUMENT
    assert client.get(f"/api/similar/{DOCUMENT}").json()["total"] >= 1
    assert client.get("/api/terms", params={"q": "gas"}).json()["total"] == 3
    assert client.get("/api/watches").json() == {"watches": [], "runs": []}
    explained = client.get("/api/explain", params={"q": "gas", "from": "2021"}).json()
    assert explained["engine"] == invoke("query", "gas", "--from", "2021", "--explain").stdout.rstrip("\n")
    assert explained["opensearch"] == json.loads(
        invoke("query", "gas", "--from", "2021", "--explain", "--format", "opensearch").stdout
    )


def test_the_quotes_page_and_its_twins(client: TestClient, invoke: Invoke) -> None:
    page = client.get("/quotes", params={"q": "gas"})
    assert page.status_code == 200 and "1</strong> quote of <q>gas</q>" in page.text
    assert '<span class="speaker">Aleksandar Vučić</span> · 2024-10-20 · The Moscow Times' in page.text
    chosen = client.get("/quotes", params={"speaker": "lavrov"}).text
    assert "5</strong> quotes" in chosen and "speaker: lavrov ✕" in chosen
    assert "/quotes?speaker=Sergey+Lavrov" in client.get("/quotes").text  # the speaker facet's link
    api = client.get("/api/quotes", params={"q": "sanctions"}).json()
    cli = json.loads(invoke("quotes", "sanctions", "--format", "json").stdout)
    assert api == cli | {"page": 1}
    speakers = client.get("/api/speakers", params={"q": "serbia"}).json()
    assert speakers == json.loads(invoke("speakers", "serbia", "--format", "json").stdout)
    documents = client.get("/", params={"q": "gas", "speaker": "vucic"}).text
    assert "3</strong> hits" in documents and "speaker: vucic ✕" in documents
    assert "1</strong> hit for" in client.get("/", params={"speaker": "lavrov"}).text
    people = _facet(client.get("/", params={"q": "gas"}).text, "people")
    assert "/?q=gas+people%3AVu%C4%8Di%C4%87" in people  # a person's link adds people:SURNAME
    assert "1</strong> hit" in client.get("/", params={"q": "gas people:Lavrov"}).text


def test_the_csv_download_carries_every_hit(client: TestClient, invoke: Invoke) -> None:
    answer = client.get("/api/query.csv", params={"q": "vucic"})
    assert (
        answer.headers["content-type"].startswith("text/csv") and "attachment" in answer.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 5 and answer.text == invoke("query", "vucic", "--format", "csv").stdout


def test_errors_are_answers_with_a_status_never_a_traceback(client: TestClient) -> None:
    assert client.get("/api/documents/nope.txt").status_code == 404
    assert client.get("/api/documents/nope.txt").json()["error"].startswith("no document 'nope.txt'")
    bad = client.get("/api/query", params={"q": '"unbalanced'})
    assert bad.status_code == 400 and "unbalanced quote" in bad.json()["error"]
    assert client.get("/api/query", params={"from": "someday"}).status_code == 400
    assert client.get("/api/query", params={"page": "0"}).status_code == 400
    page = client.get("/", params={"from": "2024", "to": "2021"})
    assert page.status_code == 400 and "swap them" in page.text and "Traceback" not in page.text
    assert client.get("/documents/nope.txt").status_code == 404


def test_the_document_page_marks_the_query_and_shows_what_was_removed(client: TestClient) -> None:
    page = client.get(f"/documents/{DOCUMENT}", params={"q": "putin gas"}).text
    assert "<mark>Putin</mark>" in page and "<mark>gas</mark>" in page
    assert "from sidecar" in page and "What the cleaner removed (21)" in page and "donation appeal" in page
    assert "Similar documents" in page and "The same story in other outlets" in page
    assert "Who is quoted (5)" in page and '<span class="speaker">Kremlin</span>' in page


def test_the_raw_file_is_text_that_never_runs(client: TestClient, archive: Archive) -> None:
    write(
        archive.raw_dir / "page.html",
        "<html><body><script>alert(1)</script><p>Serbia gas deal text here.</p></body></html>",
    )
    archive.update()
    raw = client.get("/documents/page.html/raw")
    assert raw.headers["content-type"].startswith("text/plain") and raw.headers["x-content-type-options"] == "nosniff"
    assert "<script>alert(1)</script>" in raw.text and raw.headers["content-security-policy"] == "sandbox"
    assert client.get("/documents/../pyproject.toml/raw").status_code == 404
    shown = client.get("/documents/page.html").text
    assert "<script>alert" not in shown


def test_the_timeline_is_drawn_and_its_bars_filter(client: TestClient) -> None:
    page = client.get("/timeline", params={"q": "vucic", "unit": "year", "by": "outlet"}).text
    assert "<svg" in page and page.count("<rect") >= 3 and "The Moscow Times" in page
    assert "/?q=vucic&amp;from=2024-01-01&amp;to=2024-12-31" in page
    assert "%" in client.get("/timeline", params={"q": "vucic", "share": "1"}).text


def test_stats_and_saved_searches(client: TestClient, archive: Archive, invoke: Invoke) -> None:
    assert "The archive at a glance" in client.get("/stats").text
    invoke("watch", "add", "gas", "gas")
    write(archive.raw_dir / "late.txt", "Gas again\n\nSerbia will buy more gas from Russia this winter.\n")
    archive.update()
    page = client.get("/watches").text
    assert "New or changed since then (1)" in page and "late.txt" in page
    assert "New or changed since then (1)" in client.get("/watches").text  # looking marks nothing as seen


def test_a_new_index_generation_is_answered_without_a_restart(client: TestClient, archive: Archive) -> None:
    assert client.get("/api/query", params={"q": "danube"}).json()["total"] == 0
    write(archive.raw_dir / "new.txt", "Danube shipping\n\nBarges on the Danube carried more grain this year.\n")
    archive.update()
    assert client.get("/api/query", params={"q": "danube"}).json()["total"] == 1


def test_nothing_a_page_does_writes_to_raw_or_the_index(client: TestClient, archive: Archive) -> None:
    """(The analysed alias table, a cache beside the index, is written by the
    first query of all; `search serve` makes it before it serves.)"""
    archive.search("gas")
    before = _files(archive.home)
    for url in ("/", "/?q=gas", f"/documents/{DOCUMENT}", f"/documents/{DOCUMENT}/raw", "/timeline", "/stats",
                "/watches", "/api/query?q=gas", "/api/query.csv?q=gas", "/api/stats", "/api/watches"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert _files(archive.home) == before


def _files(home: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(home)): (p.stat().st_size, p.stat().st_mtime_ns) for p in home.rglob("*") if p.is_file()}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_listens_on_this_machine_and_stops_on_ctrl_c(archive: Archive, workers: str) -> None:
    archive.update()
    port = free_port()
    serve = ["serve", "--port", str(port), "--workers", workers]
    command = [sys.executable, "-m", "search", "--home", str(archive.home), *serve]
    environment = os.environ | {"PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=environment) as server:
        assert server.stderr is not None
        try:
            said = server.stderr.readline()
            assert f"at http://127.0.0.1:{port}/ (only this machine can reach it)" in said
            assert json.loads(_get(f"http://127.0.0.1:{port}/api/stats"))["documents"] == 5
        finally:
            server.send_signal(signal.SIGINT)
            assert server.wait(10) == 0
        assert "Traceback" not in server.stderr.read()


def _get(url: str) -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return str(answer.read().decode())
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer")


def test_a_taken_port_is_one_line(archive: Archive, invoke: Invoke) -> None:
    archive.update()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = invoke("serve", "--port", str(port))
    assert (
        refused.exit_code == 1
        and refused.stderr == f"Error: port {port} on 127.0.0.1 is in use; give another with --port\n"
    )


def test_a_long_query_is_cut_off_while_others_are_answered(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker thread has its own searcher: one query past its time
    budget holds up no other."""
    import search.engine.whoosh.searching as searching

    checked = searching._check_expansions

    def slow(query: object, reader: object, deadline: Deadline) -> None:
        if "snail" in str(query):
            time.sleep(2.5)  # past the 2 s budget, then the deadline is checked
        checked(query, reader, deadline)

    monkeypatch.setattr(searching, "_check_expansions", slow)
    archive.update()
    with served(archive.home) as base:
        slow_answer: list[tuple[int, str]] = []
        waiting = threading.Thread(target=lambda: slow_answer.append(_status(f"{base}/api/query?q=snail")))
        waiting.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert _status(f"{base}/api/query?q=gas")[0] == 200
        assert time.monotonic() - started < 1.0
        waiting.join(10)
    status, body = slow_answer[0]
    assert status == 400 and json.loads(body)["error"].startswith("the query took more than 2 s")


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status), str(answer.read().decode())
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.read().decode())
