"""The metadata fields of `search.fields`, shown on `language`: declared or
detected, indexed, searched, filtered, counted, and in every output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from search import Archive, QueryError, SearchRequest
from search.ingest.language import code, detect

from .conftest import Invoke, write

SERBIAN = (
    "Председник Србије Александар Вучић је данас у Београду разговарао са амбасадором Русије о снабдевању "
    "гасом. Вучић је рекао да ће Србија и даље да брине о својим интересима и да се ништа неће променити "
    "до краја године. Он је додао да су разговори били отворени и да је договор о гасу важан за све грађане."
)
RUSSIAN = (
    "Президент Сербии Александр Вучич заявил, что страна не будет вводить санкции против России. По его "
    "словам, Сербия также продолжит получать газ, и это было главной темой переговоров. Он сказал, что "
    "отношения двух стран остаются хорошими, но они зависят от того, как будет развиваться ситуация."
)
UKRAINIAN = (
    "Президент Сербії Александр Вучич заявив, що країна не запроваджуватиме санкції проти Росії. За його "
    "словами, Сербія також отримуватиме газ, і це було головною темою переговорів. Він сказав, що відносини "
    "двох країн залишаються добрими, але вони залежать від того, як розвиватиметься ситуація в Європі."
)
ENGLISH = (
    "The president of Serbia said on Monday that the country would not impose sanctions on Russia, and that "
    "gas supplies for the winter had been agreed. He added that the talks were open and that it was in the "
    "interest of all citizens to keep the prices low."
)
GERMAN_PAGE = """<html lang="en"><head><title>Gas und Serbien</title></head><body><article>
<h1>Serbien bleibt bei russischem Gas</h1>
<p>Der serbische Präsident hat am Montag gesagt, dass das Land keine Sanktionen gegen Russland verhängen wird.
Die Gasversorgung für den Winter sei gesichert, und die Gespräche mit Moskau seien offen gewesen.</p>
<p>Nach Angaben der Regierung wird der Preis für die Bürger auch im nächsten Jahr nicht steigen, sagte er.</p>
</article></body></html>"""


def test_languages_are_told_by_their_commonest_words_and_their_scripts() -> None:
    assert [detect(text) for text in (SERBIAN, RUSSIAN, UKRAINIAN, ENGLISH)] == ["sr", "ru", "uk", "en"]
    assert detect("Вучић") is None and detect("2024 12 05") is None  # too little to tell
    assert detect("東京都は5日、新しい計画を発表しました。経済の回復を目指します。") == "ja"
    scripts = ["भारत और रूस के बीच व्यापार बढ़ा", "বাংলাদেশের সরকার বাজেট ঘোষণা করেছে", "தமிழ்நாடு அரசு அறிவித்தது"]
    assert [detect(text) for text in scripts] == ["hi", "bn", "ta"]
    assert code("हिन्दी") == "hi"


def test_declared_languages_become_iso_codes() -> None:
    assert [code(tag) for tag in ("en-US", "sr-Latn-RS", "pt_BR", "English", "Српски", "DE")] == [
        "en",
        "sr",
        "pt",
        "en",
        "sr",
        "de",
    ]
    assert code("1") is None


@pytest.fixture
def languages(home: Path) -> Archive:
    raw = home / "raw"
    shutil.rmtree(raw)
    write(raw / "sr.txt", f"Вучић о гасу\n\n{SERBIAN}\n")
    write(raw / "ru.txt", f"Вучич о санкциях\n\n{RUSSIAN}\n")
    write(raw / "uk.txt", f"Вучич про санкції\n\n{UKRAINIAN}\n")
    write(raw / "en.txt", f"Serbia and gas\n\n{ENGLISH}\n")
    write(raw / "declared.txt", f"Serbia and gas, again\n\n{ENGLISH}\n")
    write(raw / "declared.txt.meta.json", json.dumps({"language": "Ukrainian"}))
    write(raw / "page.html", GERMAN_PAGE)
    archive = Archive(home)
    archive.update()
    return archive


def test_a_sidecar_names_the_language_and_the_text_tells_the_others(languages: Archive) -> None:
    found = {doc_id: languages.document(doc_id).metadata.get("language") for doc_id in _ids(languages)}
    # The page declares English; its text is German, and the text is believed.
    assert found == {
        "sr.txt": "sr",
        "ru.txt": "ru",
        "uk.txt": "uk",
        "en.txt": "en",
        "declared.txt": "uk",
        "page.html": "de",
    }


def _ids(archive: Archive) -> list[str]:
    return [hit.doc_id for hit in archive.search("", limit=100).hits]


def test_language_is_a_facet_over_every_match_and_a_filter(languages: Archive) -> None:
    everything = languages.search("", limit=1)
    assert everything.facets["language"] == {"uk": 2, "de": 1, "en": 1, "ru": 1, "sr": 1}
    only = languages.search("", filters={"language": ["UK", "ru"]}, limit=10)
    assert sorted(hit.doc_id for hit in only.hits) == ["declared.txt", "ru.txt", "uk.txt"]
    assert {hit.metadata["language"] for hit in only.hits} == {"uk", "ru"}
    assert [hit.doc_id for hit in languages.search("language:sr").hits] == ["sr.txt"]
    with pytest.raises(QueryError, match="no language 'fr' in the index; language values: de; en; ru; sr; uk"):
        languages.search("", filters={"language": ["fr"]})
    with pytest.raises(QueryError, match="no facet named 'section'"):
        SearchRequest.build("", filters={"section": ["world"]})


def test_every_command_that_searches_takes_the_filter(languages: Archive, invoke: Invoke) -> None:
    table = invoke("query", "--language", "de").stdout
    assert "1 hit for 'everything'" in table and "By language: de 1" in table
    rows = list(csv.DictReader(io.StringIO(invoke("query", "--language", "sr", "--format", "csv").stdout)))
    assert [(row["id"], row["language"]) for row in rows] == [("sr.txt", "sr")]
    assert json.loads(invoke("query", "--language", "ru", "--format", "jsonl").stdout)["language"] == "ru"
    assert json.loads(invoke("timeline", "--language", "uk", "--json").stdout)["total"] == 2
    assert json.loads(invoke("terms", "--language", "en", "--json").stdout)["total"] == 1
    assert json.loads(invoke("story", "en.txt", "--language", "en", "--json").stdout)["documents"][0]["id"] == "en.txt"
    refused = invoke("query", "--language", "xx")
    assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1
    assert refused.stderr.startswith("Error: no language 'xx' in the index")


def test_documents_and_the_archive_show_the_field(languages: Archive, invoke: Invoke) -> None:
    assert re.search(r"^language: sr$", invoke("show", "sr.txt").stdout, re.M)
    assert json.loads(invoke("show", "page.html", "--json").stdout)["language"] == "de"
    assert json.loads(invoke("stats", "--json").stdout)["facets"]["language"]["uk"] == 2
    assert "By language:" in invoke("stats").stdout
    assert json.loads(invoke("clean", str(languages.raw_dir / "ru.txt"), "--json").stdout)["language"] == "ru"


def test_add_writes_the_field_to_the_sidecar(languages: Archive, invoke: Invoke, tmp_path: Path) -> None:
    note = write(tmp_path / "note.txt", "A short note\n\nToo short to tell.\n")
    invoke("add", str(note), "--language", "sr-Latn")
    assert json.loads((languages.raw_dir / "note.txt.meta.json").read_text())["language"] == "sr-Latn"
    assert languages.document("note.txt").metadata["language"] == "sr"  # the user's value, as a code


def test_a_saved_search_keeps_its_filter(languages: Archive, invoke: Invoke) -> None:
    invoke("watch", "add", "ukrainian", "--language", "uk")
    assert json.loads(invoke("watch", "list", "--json").stdout)[0]["filters"] == {"language": ["uk"]}
    write(languages.raw_dir / "uk2.txt", f"Ще раз про газ\n\n{UKRAINIAN}\n")
    write(languages.raw_dir / "ru2.txt", f"Снова о газе\n\n{RUSSIAN}\n")
    invoke("index")
    runs = json.loads(invoke("watch", "run", "--json").stdout)
    assert [hit["id"] for hit in runs[0]["new"]] == ["uk2.txt"]


def test_the_export_maps_and_carries_the_field(languages: Archive, tmp_path: Path) -> None:
    languages.export_opensearch(tmp_path / "export")
    mapping = json.loads((tmp_path / "export" / "mapping.json").read_text())
    assert mapping["mappings"]["properties"]["language"] == {"type": "keyword"}
    lines = (tmp_path / "export" / "documents-00001.ndjson").read_text().splitlines()
    sources = {json.loads(a)["index"]["_id"]: json.loads(s) for a, s in zip(lines[::2], lines[1::2], strict=True)}
    assert sources["page.html"]["language"] == "de"


DEV_PAGES = Path(__file__).parents[2] / "shared" / "dev" / "extraction"


@pytest.mark.skipif(not DEV_PAGES.is_dir(), reason="development data ../shared/dev is absent")
def test_the_text_tells_the_language_of_every_development_page() -> None:
    """Of the 102 pages, 87 declare a language; 3 declare another one than
    their article's (German text under lang="en", English under "de"). The
    detector, on the gold article text, must say what a reader would."""
    gold = json.loads((DEV_PAGES / "gold.json").read_text("utf-8"))
    miswritten = {"ba07d1e64775": "de", "f81c6c05d9cb": "en", "fde930b01859": "en"}
    checked = 0
    for page, record in gold.items():
        head = (DEV_PAGES / "pages" / f"{page}.html").read_bytes()[:5000].decode("utf-8", "replace")
        declared = re.search(r"<html[^>]*\blang=[\"']?([\w-]+)", head, re.I)
        if declared:
            checked += 1
            assert detect(record["body"]) == miswritten.get(page[:12], code(declared.group(1))), page
    assert checked == 87
