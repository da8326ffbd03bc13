"""`search serve`: the application in an ASGI server of its own (uvicorn),
bound to this machine unless told otherwise."""

from __future__ import annotations

import errno
import os
import socket
import threading
import webbrowser
from collections.abc import Callable

from ..archive import HOME_VARIABLE, Archive
from ..errors import AddressTaken

LOCAL = ("127.0.0.1", "localhost", "::1")


def serve(
    archive: Archive, host: str, port: int, open_page: bool, say: Callable[[str], None], workers: int = 1
) -> None:
    """Serve `archive` until interrupted (Ctrl-C stops it cleanly). Its
    alias table is analysed first, so that no request writes the cache of it.

    Python runs one thread of a process at a time: `workers` processes, each
    with its own searchers, answer on as many cores."""
    import uvicorn

    from .app import create_app

    _check_free(host, port)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    reach = "only this machine can reach it" if host in LOCAL else f"every machine that reaches {host} can read it"
    archive.aliases  # noqa: B018  (made, and its cache written, before serving)
    say(f"Serving {archive.home} at {url} ({reach}); Ctrl-C stops it.")
    if open_page:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    if workers == 1:
        uvicorn.run(create_app(archive), host=host, port=port, log_level="warning")
        return
    os.environ[HOME_VARIABLE] = str(archive.home.resolve())  # what each worker process serves
    app = "search.web.app:from_environment"
    uvicorn.run(app, factory=True, workers=workers, host=host, port=port, log_level="warning")


def _check_free(host: str, port: int) -> None:
    """Fail with one line before the server starts when it could not listen."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise AddressTaken(f"port {port} on {host} is in use; give another with --port") from None
        raise AddressTaken(f"cannot serve on {host}:{port} ({exc.strerror or exc}); check --host") from None
