"""Lucene, the engine an OpenSearch cluster runs, driven from Python:
`LuceneCheck.java` compiled against Debian's Lucene jars, and our own terms
of a text to compare with what it makes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from search.engine import engine
from search.text.analysis import WORD

JARS = [
    max(Path("/usr/share/java").glob(f"lucene-{name}-8.*.jar"), default=Path(f"lucene-{name}-8.jar"))
    for name in ("core", "analyzers-common")
]
"""Debian's Lucene 8 (liblucene8-java: 8.7.0 in bookworm), whichever 8.x is installed."""
SOURCE = Path(__file__).parent / "LuceneCheck.java"
INSTALL = "apt-get install default-jdk-headless liblucene8-java"


def missing() -> list[str]:
    """What Lucene needs that this machine lacks (nothing: an empty list)."""
    return [str(jar) for jar in JARS if not jar.is_file()] + [t for t in ("javac", "java") if not shutil.which(t)]


class Lucene:
    """LuceneCheck compiled into `folder`, run with arguments, its JSON lines read back."""

    def __init__(self, folder: Path) -> None:
        self.path = ":".join(map(str, [folder, *JARS]))
        subprocess.run(["javac", "-nowarn", "-cp", self.path, "-d", str(folder), str(SOURCE)], check=True)

    def __call__(self, *args: str | Path) -> list[Any]:
        done = subprocess.run(
            ["java", "-cp", self.path, "LuceneCheck", *map(str, args)], capture_output=True, check=True
        )
        return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]

    def terms(self, mapping: dict[str, Any], texts: list[str], folder: Path) -> list[dict[str, list[str]]]:
        """Each text's terms from each analyzer of `mapping`, as Lucene makes them."""
        (folder / "mapping.json").write_text(json.dumps(mapping), "utf-8")
        (folder / "texts.json").write_text(json.dumps(texts), "utf-8")
        lines = self("analyze", folder / "mapping.json", folder / "texts.json")
        return [{name: [term for _, term in tokens] for name, tokens in line.items()} for line in lines]


def our_terms(text: str) -> tuple[list[str], list[str]]:
    """Each word's exact term and folded term, as our index holds them (one field for both)."""
    analysis = engine().analysis()
    words = [terms for match in WORD.finditer(text) if (terms := analysis.terms(match.group().lower()))]
    return [terms[0] for terms in words], [terms[-1] for terms in words]
