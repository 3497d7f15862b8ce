"""The corpus commands end to end, through the real ``saidwhat`` command and a real SQLite file."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import cli_command, sqlite_dump

OUTLETS = ["Riverton Gazette", "Valley Times", "Harbor Post"]
QUOTE = "We will rebuild the bridge before winter and we will not raise taxes to do it"
ALTERED = "We will rebuild the bridge before spring and we will not raise taxes to do it"


def article(n: int, quote: str = QUOTE, speaker: str = "Maria Lopez", title: str = "Mayor") -> str:
    """A short article in which ``speaker`` says ``quote``; filler makes parsing take a moment."""
    surname = speaker.split()[-1]
    filler = " ".join(
        f"Council member Tom Reed said that item {n}-{k} of the budget was reviewed on Monday."
        for k in range(30))
    return (f"Bridge Plan Story {n}\n\n"
            f"{title} {speaker} spoke to residents on day {n}. “{quote},” {surname} said.\n\n"
            f"{filler}\n\n“The vote is close,” Reed added.\n")


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*cli_command(), *args], capture_output=True, timeout=timeout, env=env)


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for n in range(12):
        (d / f"a{n:02d}.txt").write_text(article(n), encoding="utf-8")
    (d / "b_altered.txt").write_text(article(20, quote=ALTERED), encoding="utf-8")
    (d / "c_conflict.txt").write_text(article(21, speaker="Daniel Ortiz", title="Senator"),
                                      encoding="utf-8")
    (d / "z_broken.txt").write_bytes(b"Headline\n\nThe caf\xe9 owner said the rent rose.")
    return d


@pytest.fixture(scope="module")
def db(corpus, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "corpus.db"
    res = run("ingest", str(corpus), "--db", str(path))
    assert res.returncode == 1  # the broken file is reported ...
    err = res.stderr.decode()
    assert "z_broken.txt" in err and "UTF-8" in err
    assert "14 document(s) added" in err  # ... and everything else is stored
    return path


def test_ingest_twice_adds_nothing(corpus, db, tmp_path):
    before = sqlite_dump(db)
    res = run("ingest", str(corpus), "--db", str(db))
    assert "14 document(s) already in" in res.stderr.decode()
    assert sqlite_dump(db) == before


def test_ingest_with_two_processes_gives_the_same_db(corpus, db, tmp_path):
    parallel = tmp_path / "parallel.db"
    res = run("ingest", str(corpus), "--db", str(parallel), "--processes", "2")
    err = res.stderr.decode()
    assert res.returncode == 1 and "z_broken.txt" in err and "14 document(s) added" in err, err
    assert "Traceback" not in err
    assert sqlite_dump(parallel) == sqlite_dump(db)
    # and a rerun with two processes skips what is stored, from the worker pool's side too
    again = run("ingest", str(corpus), "--db", str(parallel), "-p", "2")
    assert "14 document(s) already in" in again.stderr.decode()
    assert sqlite_dump(parallel) == sqlite_dump(db)


def test_kill_9_mid_ingest_then_rerun_gives_the_same_db(corpus, db, tmp_path):
    killed = tmp_path / "killed.db"
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([*cli_command(), "ingest", str(corpus), "--db", str(killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 240
    while count_articles(killed) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = count_articles(killed)
    assert 3 <= stored < 14, stored  # really interrupted in the middle
    res = run("ingest", str(corpus), "--db", str(killed))
    assert f"{stored} document(s) already in" in res.stderr.decode()
    assert sqlite_dump(killed) == sqlite_dump(db)


def test_search_people_quotes_flags_as_json(db):
    rows = json.loads(run("search", "bridge", "--db", str(db), "--format", "json").stdout)
    assert rows and all("bridge" in r["content"]["text"].lower() for r in rows)
    by_speaker = json.loads(run("search", "--speaker", "Lopez", "--db", str(db), "-f", "json").stdout)
    assert by_speaker and {(r["person"] or {}).get("name") for r in by_speaker} == {"Maria Lopez"}

    people = json.loads(run("people", "--db", str(db), "--format", "json").stdout)
    lopez = next(p for p in people if p["name"] == "Maria Lopez")
    assert lopez["n_statements"] == 13 and "Mayor" in lopez["titles"]
    assert not any(p["name"] == "Lopez" for p in people)  # the surname joined the full name

    quotes = json.loads(run("quotes", "--db", str(db), "--format", "json").stdout)
    bridge = next(q for q in quotes if QUOTE.lower() in q["text"].lower())
    assert bridge["n_occurrences"] == 13  # twelve by Lopez, one credited to Ortiz
    assert {p["name"] for p in bridge["people"]} == {"Maria Lopez", "Daniel Ortiz"}
    variants = json.loads(run("quotes", "--variants", "--db", str(db), "-f", "json").stdout)
    assert variants and any("spring" in json.dumps(v["variants"]) for v in variants)

    kinds = {f["kind"] for f in json.loads(run("flags", "--db", str(db), "-f", "json").stdout)}
    assert {"quote_altered", "speaker_conflict"} <= kinds


def test_people_table_in_a_terminal_layout(db):
    out = run("people", "--db", str(db), "--format", "table").stdout.decode()
    assert "Maria Lopez" in out and "Mayor" in out and "statements" in out


def test_search_filters_by_date_and_outlet(tmp_path):
    path = tmp_path / "dated.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for n, outlet in enumerate(OUTLETS):
            f.write(json.dumps({"text": article(n), "url": f"https://example.test/{n}",
                                "published": f"2025-0{n + 1}-15", "outlet": outlet}) + "\n")
    dbp = tmp_path / "dated.db"
    assert run("ingest", str(path), "--db", str(dbp)).returncode == 0
    rows = json.loads(run("search", "bridge", "--since", "2025-02-01", "--until", "2025-02-28",
                          "--db", str(dbp), "-f", "json").stdout)
    assert {r["outlet"] for r in rows} == {OUTLETS[1]}
    rows = json.loads(run("search", "--outlet", OUTLETS[2], "--db", str(dbp), "-f", "json").stdout)
    assert rows and {r["published"][:10] for r in rows} == {"2025-03-15"}


def test_export_parquet_csv_jsonl(db, tmp_path):
    import pyarrow.parquet as pq

    assert run("export", "--format", "parquet", "--out", str(tmp_path / "pq"), "--db", str(db)).returncode == 0
    statements = pq.read_table(tmp_path / "pq" / "statements.parquet")
    conn = sqlite3.connect(db)
    assert statements.num_rows == conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    assert pq.read_table(tmp_path / "pq" / "people.parquet").num_rows == \
        conn.execute("SELECT count(*) FROM people").fetchone()[0]
    conn.close()

    assert run("export", "--format", "csv", "--out", str(tmp_path / "csv"), "--db", str(db)).returncode == 0
    header = (tmp_path / "csv" / "statements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "content" in header.split(",")

    out = tmp_path / "all.jsonl"
    assert run("export", "--format", "jsonl", "--out", str(out), "--db", str(db)).returncode == 0
    articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(articles) == 14 and all(a["statements"] for a in articles)


def test_queries_on_a_missing_db_say_so(tmp_path):
    res = run("search", "x", "--db", str(tmp_path / "nope.db"))
    assert res.returncode == 2 and b"nope.db" in res.stderr


def test_search_refuses_a_date_it_cannot_read(db):
    res = run("search", "--since", "11/19/2019", "--db", str(db))
    assert res.returncode == 2 and b"since '11/19/2019': expected a date" in res.stderr
    assert b"Traceback" not in res.stderr
    every = json.loads(run("search", "--db", str(db), "-f", "json", "--limit", "500").stdout)
    years = json.loads(run("search", "--since", "1000", "--until", "2999", "--db", str(db), "-f", "json",
                           "--limit", "500").stdout)
    assert every and years == [r for r in every if r["published"]]  # a year range keeps dated rows
