"""`search serve` under load, beside the library's warm query in the same run.

Not part of the test run. Uses the archive bench_scale.py makes (built if
missing; brought up to date with `search index`), starts `search serve` in a
process of its own and measures:

  - start-up: from the command to its first answer (a static file), and the
    first query, which opens the index
  - the library's warm query in this process, median / p95: Archive.search,
    and the request /api/query makes of it (the people facet counted, as
    the search page shows it), which the ratios are taken against
  - the queueing floor: with C clients that each send their next request as
    the last is answered, and N cores, a request waits on average for C / N
    - 1 others, so no server answers faster on average than C / N times the
    library's mean (Little's law)
  - /api/query over HTTP with 1, 8 and 32 clients at once, each on a kept-alive
    connection, over the benchmark's one-word, two-word and phrase queries
  - failed requests while `search add` commits 100 documents under 8 clients

    python tests/benchmarks/bench_serve.py --docs 100000 [--work /tmp/news-bench] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import _ENV, PAIRS, PHRASES, WORDS, _cli, _p95, archive_for  # noqa: E402
from corpus import documents  # noqa: E402

from search import Archive  # noqa: E402
from search.web import params  # noqa: E402

QUERIES = [*WORDS, *PAIRS, *(f'"{phrase}"' for phrase in PHRASES)]
REQUESTS = 240
"""Requests a load sends in all, shared among its clients."""


def main() -> None:
    options = _options()
    home, base, _ = archive_for(options)
    _cli(home, "index")
    plain = _library(home, Archive.search)
    library = _library(home, _as_api_asks)
    rows = [
        _row("library, warm (Archive.search)", plain, 0, library),
        _row("library, warm, as /api/query asks", library, 0, library),
        _floor(8, library),
    ]
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "search",
            "--home",
            str(home),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(options.workers),
        ],
        env=_ENV,
        stderr=subprocess.DEVNULL,
    )
    try:
        _answer(port, "/static/style.css", wait=True)
        rows.append(("start-up, to the first answer", f"{time.perf_counter() - started:.2f} s", "", ""))
        opened = time.perf_counter()
        _answer(port, "/api/query?q=oil")
        rows.append(("first query (opens the index)", f"{time.perf_counter() - opened:.2f} s", "", ""))
        for clients in (1, 8, 32):
            latencies, failed = _load(port, clients)
            rows.append(_row(f"/api/query, {clients} client{'s' * (clients > 1)}", latencies, failed, library))
        latencies, failed = _while_adding(home, port, base, options.docs)
        rows.append(_row("/api/query, 8 clients, during `add`", latencies, failed, library))
    finally:
        server.terminate()
        server.wait(30)
    _print(rows, options.docs)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-bench"))
    parser.add_argument("--workers", type=int, default=1, help="passed to `search serve --workers`")
    return parser.parse_args()


Row = tuple[str, str, str, str]


def _as_api_asks(archive: Archive, text: str) -> object:
    return archive.run(params.search_request({"q": [text]}, people=True))


def _library(home: Path, query: Callable[[Archive, str], object]) -> list[float]:
    """Latencies (ms) of the queries run by `query` in this process, warm."""
    archive = Archive(home)
    query(archive, WORDS[0])
    latencies = []
    for _ in range(REQUESTS // len(QUERIES)):
        for text in QUERIES:
            started = time.perf_counter()
            query(archive, text)
            latencies.append((time.perf_counter() - started) * 1000)
    archive.close()
    return latencies


def _load(port: int, clients: int) -> tuple[list[float], int]:
    """Latencies (ms) of REQUESTS queries sent by `clients` threads at once, and how many failed."""
    latencies: list[float] = []
    failed = [0]
    each = REQUESTS // clients

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for n in range(each):
            text = QUERIES[(offset + n) % len(QUERIES)]
            started = time.perf_counter()
            connection.request("GET", "/api/query?" + urlencode({"q": text}))
            answer = connection.getresponse()
            answer.read()
            latencies.append((time.perf_counter() - started) * 1000)
            failed[0] += answer.status != 200
        connection.close()

    threads = [threading.Thread(target=client, args=(k * 7,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failed[0]


def _while_adding(home: Path, port: int, base: list[tuple[str, list[str]]], n: int) -> tuple[list[float], int]:
    """8 clients querying while `search add` commits 100 new documents."""
    folder = home.parent / f"serve-added-{time.time_ns()}"
    for doc in list(documents(n + 100, base))[-100:]:
        (folder / doc.name).parent.mkdir(parents=True, exist_ok=True)
        (folder / doc.name).write_text(doc.raw_text(), "utf-8")
    adding = subprocess.Popen([sys.executable, "-m", "search", "--home", str(home), "add", str(folder)], env=_ENV)
    latencies, failed = _load(port, 8)
    adding.wait()
    shutil.rmtree(folder)
    for added in (home / "raw").glob("serve-added-*"):
        shutil.rmtree(added)
    _cli(home, "index")
    return latencies, failed


def _floor(clients: int, library: list[float]) -> Row:
    """The least mean latency `clients` closed-loop clients can see on this machine's cores."""
    cores = len(os.sched_getaffinity(0))
    floor = clients / cores * statistics.mean(library)
    ratio = f"{floor / _p95(library):.1f}x"
    return f"queueing floor, {clients} clients on {cores} cores", f"mean {floor:.1f} ms", "", ratio


def _row(name: str, latencies: list[float], failed: int, library: list[float]) -> Row:
    shown = f"{statistics.median(latencies):.1f} / {_p95(latencies):.1f} ms"
    return name, shown, f"{failed} of {len(latencies)}", f"{_p95(latencies) / _p95(library):.1f}x"


def _print(rows: list[Row], docs: int) -> None:
    ratio = "p95 ratio = p95 / the warm p95 of the library as /api/query asks"
    print(f"\n{docs:,} documents, {os.cpu_count()} cores; {ratio}\n")
    width = max(len(row[0]) for row in rows)
    print(f"| {'operation':<{width}} | {'median / p95':>18} | {'failed':>10} | {'p95 ratio':>9} |")
    print(f"|{'-' * (width + 2)}|{'-' * 19}:|{'-' * 11}:|{'-' * 10}:|")
    for name, shown, failed, ratio in rows:
        print(f"| {name:<{width}} | {shown:>18} | {failed:>10} | {ratio:>9} |")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answer(port: int, path: str, wait: bool = False) -> None:
    for _ in range(600 if wait else 1):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.01)
    raise SystemExit(f"the server did not answer {path}")


if __name__ == "__main__":
    main()
