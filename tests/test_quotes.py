"""Who said what: quotes found while cleaning, their speakers, and the
commands that search them, on real archives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search import Archive
from search.evaluate.quotes import evaluate_quotes
from search.ingest.quotes import marked, quotations
from search.ingest.rules import load_rules
from search.model import Quote
from search.query.request import SearchRequest

from .conftest import FIXTURES, PROJECT, Invoke, write

RULES = load_rules()
ENGLISH = RULES.quotes.of("en")
GOLD = FIXTURES / "quotes-gold.json"
DEV_PAGES = PROJECT.parent / "shared" / "dev" / "extraction" / "pages"


def said(body: str, language: str = "en") -> list[tuple[str, str | None]]:
    quotes, _ = quotations(body, RULES.quotes.of(language))
    return [(quote.text, quote.speaker) for quote in quotes]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"), ("“", "’’")],
)
def test_every_quotation_mark_our_archives_use(opening: str, closing: str) -> None:
    body = f"{opening}We will not change our stance,{closing} Foreign Minister Ana Brnabic said."
    assert said(body) == [("We will not change our stance", "Ana Brnabic")]


def test_apostrophes_open_and_close_nothing() -> None:
    body = "Serbia's leaders' talks went on. ‘It is done,’ said Mr Petrov, who didn't stay."
    assert said(body) == [("It is done", "Petrov")]


def test_cues_before_and_after_and_the_fullest_name() -> None:
    body = (
        "Energy Minister Dubravka Djedovic met the company on Monday.\n\n"
        '"The pipeline is ready," Djedovic told reporters.\n\n'
        'Djedovic said: "Gas will flow in May."\n\n'
        'According to Djedovic, "prices will stay where they are."\n\n'
        'She said the talks were "long but useful" for both sides.'
    )
    assert [speaker for _, speaker in said(body)] == ["Dubravka Djedovic"] * 4


def test_a_quote_left_open_runs_on_into_the_next_paragraph() -> None:
    body = (
        'Prime Minister Milos Vucevic spoke first. "We have done what we promised.\n\n'
        '"We will do more next year," he said.'
    )
    assert said(body) == [("We have done what we promised. We will do more next year", "Milos Vucevic")]


def test_a_sentence_quoted_alone_goes_on_with_the_last_speaker() -> None:
    body = (
        '"Our answer is no," said Foreign Minister Sergey Lavrov.\n\n'
        "He then left the room.\n\n"
        '"There is nothing to discuss."'
    )
    assert [speaker for _, speaker in said(body)] == ["Sergey Lavrov", "Sergey Lavrov"]


def test_pronouns_titles_and_organisations() -> None:
    body = (
        "President Aleksandar Vucic met President Vladimir Putin in Moscow.\n\n"
        'Vucic thanked his host. "Serbia will stay neutral," he said.\n\n'
        '"We are friends," the President added.\n\n'
        '"The talks were constructive," the Kremlin said in a statement.'
    )
    assert [speaker for _, speaker in said(body)] == ["Aleksandar Vucic", "Aleksandar Vucic", "Kremlin"]


def test_scare_quotes_titles_and_names_are_not_speech() -> None:
    body = (
        "The so-called \"reset\" failed. Crowds gathered at the 'Eternal Flame' in Belgrade "
        'to watch "The Battle of Kosovo", while critics called the plan "sensational".'
    )
    assert marked(body, ENGLISH) and said(body) == []


def test_a_partial_quote_is_attributed_by_the_cue_of_its_sentence() -> None:
    body = 'President Vucic stated that he spoke "as a friend" with the Russian leader.'
    assert said(body) == [("as a friend", "Vucic")]


def test_serbian_and_russian_cues_are_data_read_for_the_document_language() -> None:
    serbian = "Predsednik Aleksandar Vučić je rekao: „Srbija neće uvesti sankcije Rusiji.“"
    assert said(serbian, "sr") == [("Srbija neće uvesti sankcije Rusiji.", "Aleksandar Vučić")]
    russian = "«Мы готовы к диалогу», — заявил министр Сергей Лавров."
    assert said(russian, "ru") == [("Мы готовы к диалогу", "Сергей Лавров")]
    assert said("He walked on the road.", "sr") == []  # "on" is Serbian for "he", not an English cue


def test_the_people_a_document_names_with_a_title_or_quotes() -> None:
    _, people = quotations(
        'Russian President Vladimir Putin met Patriarch Irinej. "It was warm," said Ivan Petrov of the Hill Hotel.',
        ENGLISH,
    )
    assert people == ("Vladimir Putin", "Irinej", "Ivan Petrov")


def test_the_samples_quotes_are_found_with_their_speakers(archive: Archive) -> None:
    moscow = archive.clean(archive.home / "raw" / "004_c9068389083bc5e7.txt")
    gas = [quote for quote in moscow.quotes if "gas" in quote.text]
    assert [quote.speaker for quote in gas] == ["Aleksandar Vucic"]
    presidency = archive.clean(archive.home / "raw" / "002_87ee450b78c6a74d.txt")
    assert {quote.speaker for quote in presidency.quotes} == {"Aleksandar Vučić", "Sergey Lavrov"}
    assert not any("Eternal" in quote.text[:10] for quote in presidency.quotes)


def test_search_quotes_gas_lists_vucics_words(invoke: Invoke) -> None:
    result = invoke("quotes", "gas")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 quote for 'gas'"
    assert lines[2] == "1. Aleksandar Vučić · 2024-10-20 · The Moscow Times"
    assert "quantities of gas for Serbia" in result.stdout


def test_search_quotes_json_contract(invoke: Invoke) -> None:
    data = json.loads(invoke("quotes", "sanctions", "--format", "json").stdout)
    assert set(data) == {"query", "total", "facets", "quotes"}
    assert data["total"] == len(data["quotes"]) == 2
    assert set(data["facets"]) == {"speaker", "outlet", "year"}
    assert data["facets"]["speaker"] == {"Aleksandar Vučić": 1, "Sergey Lavrov": 1}
    for quote in data["quotes"]:
        assert set(quote) == {"rank", "text", "speaker", "id", "title", "date", "outlet"}
        assert "sanction" in quote["text"] and len(quote["date"]) == 10
    rows = invoke("quotes", "--format", "jsonl").stdout.splitlines()
    assert len(rows) == 24 and json.loads(rows[0])["date"] == "2024-10-20"  # every quote, newest first


def test_speaker_filters_quotes_and_documents_in_any_spelling(invoke: Invoke) -> None:
    lavrov = json.loads(invoke("quotes", "--speaker", "lavrov", "--format", "json").stdout)
    assert lavrov["total"] == 5 and {q["speaker"] for q in lavrov["quotes"]} == {"Sergey Lavrov"}
    assert {q["id"] for q in lavrov["quotes"]} == {"002_87ee450b78c6a74d.txt"}
    cyrillic = json.loads(invoke("quotes", "--speaker", "Вучић", "--format", "json").stdout)
    assert cyrillic["total"] == 17
    documents = json.loads(invoke("query", "--speaker", "lavrov", "--json").stdout)
    assert [hit["id"] for hit in documents["hits"]] == ["002_87ee450b78c6a74d.txt"]
    assert json.loads(invoke("query", "gas", "--speaker", "kremlin", "--json").stdout)["total"] == 1
    assert json.loads(invoke("query", "--speaker", "nobody", "--json").stdout)["total"] == 0


def test_speakers_counts_who_is_quoted_on_a_subject(invoke: Invoke) -> None:
    data = json.loads(invoke("speakers", "serbia", "--format", "json").stdout)
    first = data["speakers"][0]
    assert first["name"] == "Aleksandar Vučić" and first["quotes"] == 9 and first["documents"] == 4
    assert first["outlets"] == {"Presidency of the Republic of Serbia": 6, "The Moscow Times": 3}
    assert (first["first"], first["last"]) == ("2020-09-10", "2024-10-20")
    assert "1. Aleksandar Vučić · 9 quotes in 4 documents" in invoke("speakers", "serbia").stdout


def test_the_people_facet_merges_spellings(archive: Archive, invoke: Invoke) -> None:
    assert "people" not in archive.search("putin").facets  # counted when asked
    people = archive.search("putin", people=True).facets["people"]
    assert people["Aleksandar Vučić"] == 5  # "Vucic" (two outlets) and "Vučić" (the Presidency) are one
    assert people["Vladimir Putin"] == 4
    assert archive.search("people:shoigu").total == 1
    data = json.loads(invoke("query", "vucic", "--from", "2020", "--to", "Dec 2020", "--people", "--json").stdout)
    assert data["facets"]["people"] == {
        "Aleksandar Vučić": 2,
        "Vladimir Putin": 2,
        "Irinej": 1,
        "Sergei Shoigu": 1,
        "Sergey Lavrov": 1,
    }
    assert (
        "By people: Aleksandar Vučić 5 · Vladimir Putin 4 · Sergey Lavrov 2"
        in invoke("query", "vucic", "--people").stdout
    )


def test_quotes_follow_the_documents_as_they_are_added_changed_and_removed(empty_home: Path) -> None:
    story = write(empty_home / "raw" / "story.txt", 'Talks\n\n"The border stays open," said Minister Ana Brnabic.\n')
    archive = Archive(empty_home)
    archive.update()

    def found(words: str) -> list[tuple[str | None, str]]:
        return [(q.speaker, q.text) for q in archive.quotes(SearchRequest.build(words)).quotes]

    assert found("border") == [("Ana Brnabic", "The border stays open")]
    story.write_text('Talks\n\n"The border is closed," said Minister Ana Brnabic.\n', "utf-8")
    archive.update()
    assert found("open") == [] and found("closed") == [("Ana Brnabic", "The border is closed")]
    story.unlink()
    archive.update()
    assert archive.quotes(SearchRequest.build("")).total == 0


def test_eval_quotes_on_the_samples(invoke: Invoke) -> None:
    result = invoke("eval-quotes", str(GOLD), "--root", str(PROJECT), "--format", "json")
    data = json.loads(result.stdout)
    assert data["documents"] >= 5
    assert data["recall"] >= 0.9 and data["speaker_accuracy"] >= 0.85 and data["non_speech_taken"] <= 0.15


def test_the_targets_hold_on_the_development_gold_set() -> None:
    if not DEV_PAGES.is_dir():
        pytest.skip("needs ../shared/dev/extraction")
    scores = evaluate_quotes(GOLD, RULES, PROJECT)
    assert scores.skipped == 0 and scores.documents == 22
    assert scores.recall >= 0.90
    assert scores.speaker_accuracy >= 0.85
    assert scores.other_taken_share <= 0.15


def test_a_bad_gold_file_is_one_line_of_error(invoke: Invoke, tmp_path: Path) -> None:
    bad = write(tmp_path / "gold.json", '{"documents": [{"file": "x"}]}')
    result = invoke("eval-quotes", str(bad))
    assert result.exit_code != 0 and "not a gold file of quotations" in result.stderr
    assert "Traceback" not in result.output


def test_clean_shows_what_the_finder_makes_of_one_file(invoke: Invoke) -> None:
    sample = str(PROJECT / "raw" / "004_c9068389083bc5e7.txt")
    shown = invoke("clean", sample, "--quotes").stdout
    assert "--- quotes (5) ---" in shown and "[Kremlin] The situation in Ukraine was also discussed." in shown
    assert shown.rstrip().endswith("people: Aleksandar Vucic, Vladimir Putin")
    data = json.loads(invoke("clean", sample, "--json").stdout)
    assert data["quotes"][0] == {"text": data["quotes"][0]["text"], "speaker": "Aleksandar Vucic"}
    assert data["people"] == ["Aleksandar Vucic", "Vladimir Putin"]


def test_the_archive_at_a_glance_counts_its_people(archive: Archive, invoke: Invoke) -> None:
    assert archive.statistics().facets["people"]["Aleksandar Vučić"] == 5
    table = invoke("stats").stdout
    assert "By people:\n       5  Aleksandar Vučić\n       4  Vladimir Putin" in table


def test_serbian_and_russian_words_that_are_never_names() -> None:
    serbian = (
        "У Београду је председник Александар Вучић рекао: „Србија неће увести санкције.“ У понедељак је отпутовао."
    )
    assert quotations(serbian, RULES.quotes.of("sr")) == (
        (Quote("Србија неће увести санкције.", "Александар Вучић"),),
        ("Александар Вучић",),
    )
    russian = "В Москве министр Сергей Лавров заявил: «Мы готовы к диалогу». В понедельник он уехал."
    assert quotations(russian, RULES.quotes.of("ru"))[1] == ("Сергей Лавров",)


@pytest.mark.parametrize("table", ["wrong = 3\n", '[marks]\n"<<" = [">>"]\n', "[limits]\nname_words = 'three'\n"])
def test_a_bad_quotes_table_is_one_line_of_error(invoke: Invoke, home: Path, table: str) -> None:
    write(home / "quotes.toml", table)
    result = invoke("index")
    assert result.exit_code != 0 and "quotes.toml: bad cue" in result.stderr
    assert "Traceback" not in result.output
