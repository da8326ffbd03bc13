"""Files replaced whole: a reader finds the old file or the new one, never half of one.

Each write goes to a temporary file of its own beside the target (hidden,
named at random, so that two writers never share one and the scan of `raw/`
never takes one for a document) and is moved over the target with
`os.replace`, which is atomic within a file system. The temporary file is
made with the user's usual permissions, not `tempfile`'s owner-only ones:
an archive may be shared with readers who are not its writer.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_whole(path: Path, data: bytes, durable: bool = False) -> None:
    """Replace `path` by `data`; `durable`: on disk before the old one goes (what a crash must not lose)."""
    with _replacing(path) as temporary, open(temporary, "xb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())


def copy_whole(source: Path, target: Path) -> None:
    """Copy `source` (with its times) over `target`."""
    with _replacing(target) as temporary:
        shutil.copy2(source, temporary)


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A new name beside `path` for its next content, moved over it when the
    block ends, removed when the block fails."""
    temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.partial")
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
