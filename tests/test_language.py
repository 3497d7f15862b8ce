"""The language of every article: English is read, any other language is kept with its code
and no statements (never junk statements from the English model), and said so at the end."""
from __future__ import annotations

import json
import subprocess

from conftest import cli_command

import saidwhat
from saidwhat.corpus import Store
from saidwhat.extraction.language import detect_language

GERMAN = ("Regierung plant neue Steuer\n\nDie Regierung will die Steuer im nächsten Jahr erhöhen, "
          "sagte der Finanzminister am Montag in Berlin. „Das ist notwendig“, sagte er vor Journalisten.")
PORTUGUESE = ("Prefeito anuncia obras\n\nO prefeito disse nesta segunda-feira que as obras da ponte "
              "começam em março. “Vamos terminar antes do fim do ano”, afirmou ele aos jornalistas.")
ENGLISH = "Mayor Backs Bridge\n\nMayor Jane Holt said on Monday that the bridge would be rebuilt before winter."


def test_languages_are_told_apart():
    assert detect_language(GERMAN) == "de" and detect_language(PORTUGUESE) == "pt"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("OK") == "en"  # too short to tell: the language the pipeline reads


def test_an_article_not_in_english_has_its_language_and_no_statements():
    art = saidwhat.extract(GERMAN)
    assert art.language == "de" and art.statements == [] and art.speakers == []
    assert art.title == "Regierung plant neue Steuer"
    assert art.to_dict()["language"] == "de"
    english = saidwhat.extract(ENGLISH)
    assert english.language == "en" and english.statements


def test_a_batch_reports_them_and_the_store_keeps_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("de", GERMAN), ("pt", PORTUGUESE), ("en", ENGLISH)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    res = subprocess.run([*cli_command(), "extract", str(folder), "--format", "jsonl"], capture_output=True,
                         timeout=300, env={"NO_COLOR": "1", "COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    rows = {r["id"]: r for r in map(json.loads, res.stdout.decode().splitlines())}
    assert {k: (r["language"], len(r["statements"])) for k, r in rows.items()} == {
        "de": ("de", 0), "pt": ("pt", 0), "en": ("en", 1)}
    assert "2 document(s) not in English (de 1, pt 1)" in res.stderr.decode()
    db = tmp_path / "c.db"
    res = subprocess.run([*cli_command(), "ingest", str(folder), "--db", str(db)], capture_output=True, timeout=300)
    assert res.returncode == 0 and b"not in English" in res.stderr
    with Store(db, readonly=True) as store:
        assert {a["doc_id"]: store.article(a["id"])["language"] for a in store.articles()} == {
            "de": "de", "en": "en", "pt": "pt"}


def test_an_english_report_quoting_another_language_is_english():
    text = ("Café Owners Protest\n\n\"Les prix augmentent chaque semaine sans explication, et personne "
            "ne nous dit pourquoi,\" said Émile Durand, a café owner in Montréal. He said rents were "
            "“déjà trop élevés pour nous”.")
    assert detect_language(text) == "en"
    assert detect_language(text.replace("said Émile Durand, a café owner in Montréal. He said rents were",
                                        "a déclaré Émile Durand, patron d'un café à Montréal. Selon lui, les "
                                        "loyers sont")) == "fr"
