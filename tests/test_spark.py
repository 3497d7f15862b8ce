"""The Spark jobs: extraction (``saidwhat spark``, ``python -m saidwhat.spark``) gives the statements of the
single-process CLI path, Parquet tables partitioned by day and every bad file/line/record in
``errors``; linking (``--link`` / ``saidwhat spark-link``) gives the people, quotes, variants
and corpus flags of the SQLite store; ``saidwhat ingest --from-parquet`` gives the store a
direct ingest gives.

One SparkSession (session fixture, local[2]) runs one extract+link job over one small input
folder; the tests skip only when ``java`` or pyspark is missing.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import cli_command, sqlite_dump
from test_store import DOCS, art
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from saidwhat.corpus import Store, linking
from saidwhat.inputs import Document, iter_documents, read_bytes
from saidwhat.inputs.batch import ExtractSettings, run_extraction
from saidwhat.schema import day

ARTICLES = {
    "bridge.txt": "Mayor Backs New Bridge\n\n“We will build it before winter,” Mayor Jane Holt said on Monday. "
                  "She added that the council had found the money.\n",
    "budget.txt": "Council Split on Budget\n\nCouncillor Tom Reyes said the budget was “a mistake”. "
                  "According to the treasurer, costs rose by a third.\n",
    "school.txt": "Schools to Reopen\n\nThe education minister, Ana Ruiz, told reporters that schools would "
                  "reopen next week. “Children need their teachers,” she said.\n",
}
JSONL = [
    json.dumps({"id": "storm", "text": "Storm Hits Coast\n\n“It was terrible,” said resident Ann Lee. "
                "Police said two roads were closed.", "published": "2024-05-03T10:00:00Z", "outlet": "Gazette"}),
    "{this line is not json",
    json.dumps({"text": "Port Strike Ends\n\nUnion leader Sam Okafor said the workers had won. "
                "“This is a good day,” he told the crowd.", "published": "2024-05-04"}),
]
# the store tests' corpus (shared surnames, a bare surname absorbed by a full name, a quote
# altered and credited to two people), one JSON line each in date order, then a re-crawl of a
# stored URL and a copy of a stored text without URL: both must be dropped as the store drops them
LINKED = [{"id": k, "text": text, "outlet": outlet, "published": pub, **({"url": url} if url else {})}
          for k, (text, outlet, pub, url) in DOCS.items()]
LINKED += [{**LINKED[0], "id": "lopez-recrawl", "text": LINKED[0]["text"] + " (Updated.)",
            "published": "2025-04-01"},
           {**LINKED[3], "id": "lopez-bare-copy", "published": "2025-04-02"}]
PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge Vote Delayed</title></head><body>"
        "<article><h1>Bridge Vote Delayed</h1><p>“We need more time to study the costs,” council member "
        "Lisa Grant said on Tuesday, adding that the vote would come in June.</p><p>The mayor said she "
        "was disappointed by the delay.</p></article></body></html>").encode()


def write_inputs(folder: Path) -> list[str]:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "wire.jsonl").write_text("\n".join(JSONL) + "\n", encoding="utf-8")
    (folder / "linked.jsonl").write_text("".join(json.dumps(d) + "\n" for d in LINKED), encoding="utf-8")
    with (folder / "crawl.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://x.example/bridge", "response", payload=io.BytesIO(PAGE), http_headers=http,
            warc_headers_dict={"WARC-Date": "2021-03-04T05:06:07Z"}))
    (folder / "empty.txt").write_bytes(b"  \n")
    return [str(folder), str(folder.parent / "missing.txt")]


# ------------------------------------------------------------------ no Spark needed

def _items(items):
    return [(x.id, x.text, x.meta, x.origin) if isinstance(x, Document) else str(x) for x in items]


def test_read_bytes_matches_the_path_readers(tmp_path):
    write_inputs(tmp_path / "in")
    (tmp_path / "in" / "page.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01abc")
    data = (tmp_path / "in" / "crawl.warc.gz").read_bytes()
    (tmp_path / "in" / "cut.warc.gz").write_bytes(data[:len(data) // 2])
    for path in sorted((tmp_path / "in").iterdir()):
        assert _items(read_bytes(str(path), path.read_bytes())) == _items(iter_documents([str(path)])), path


def test_partitions_extract_with_the_chosen_attribution_model():
    from saidwhat.extraction.extractor import extract_many
    from saidwhat.schema import parquet_rows
    from saidwhat.spark.extract import _extract_partition

    [doc] = read_bytes("in/bridge.txt", ARTICLES["bridge.txt"].encode())
    got = {}
    for rules_only in (False, True):
        rows = list(_extract_partition(None, 100_000, None, rules_only)(iter([(doc, "in/bridge.txt", 0)])))
        kwargs = {"attribution_model": None} if rules_only else {}
        [(_, article, _)] = extract_many([(doc.id, doc.text, {"id": doc.id, **doc.meta})], **kwargs)
        assert rows == parquet_rows(article, doc.origin, "in/bridge.txt", 0)
        got[rules_only] = rows
    assert got[False] != got[True]  # the learned model and the rules alone differ here


def test_day_partition_value():
    assert day("2024-05-03T10:00:00Z") == "2024-05-03"
    assert day(None) == day("") == day("May 3, 2024") == "unknown"


def _people_replayed(keys: list[str]) -> list[tuple]:
    """People as :class:`linking.PeopleGroup` links the extracted articles, group by group."""
    groups: dict[tuple, linking.PeopleGroup] = {}
    for seq, key in enumerate(keys, 1):
        a = art(key)
        said = {sp.id: sum(st.speaker == sp.id for st in a.statements) for sp in a.speakers}
        speakers: dict[tuple, list[linking.GroupSpeaker]] = {}
        for n, sp in enumerate(a.speakers, 1):
            group = linking.person_group(sp.name, sp.type)
            if group is not None:
                speakers.setdefault(group, []).append(linking.GroupSpeaker(
                    seq, n, sp.name, sp.type, sp.titles, a.outlet, a.published, said[sp.id]))
        for group, sps in speakers.items():
            groups.setdefault(group, linking.PeopleGroup()).add_article(
                sorted(sps, key=linking.GroupSpeaker.order))
    people = [p for g in groups.values() for p in g.people.values()]
    return [(p.name, p.type, p.summary.titles, p.summary.aliases, p.summary.outlets,
             p.summary.first_seen, p.summary.last_seen, p.summary.n_statements, p.summary.n_articles)
            for p in sorted(people, key=lambda p: p.key)]


def test_people_replayed_per_group_equal_the_store(tmp_path):
    keys = list(DOCS)
    store = Store(tmp_path / "c.db")
    for k in keys:
        store.add_article(art(k))
    expected = [(p["name"], p["type"], p["titles"], p["aliases"], p["outlets"], p["first_seen"],
                 p["last_seen"], p["n_statements"], p["n_articles"])
                for p in sorted(store.people(limit=1000), key=lambda p: p["id"])]
    assert any(p[3] == ["Hegseth", "Pete Hegseth"] for p in expected)  # a bare name absorbed
    assert _people_replayed(keys) == expected


def test_from_parquet_refuses_an_output_of_an_older_layout(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from saidwhat.corpus.from_parquet import load_parquet
    from saidwhat.errors import ParquetInputError

    day = tmp_path / "articles" / "date=2024-05-03"
    day.mkdir(parents=True)
    pq.write_table(pa.table({"id": ["a"], "title": ["T"], "origin": ["a.txt"]}), day / "part-0.parquet")
    with Store(tmp_path / "c.db") as store, pytest.raises(ParquetInputError) as err:
        load_parquet(store, tmp_path)
    assert str(err.value).startswith(f"{day}: no column(s) doc_id, url, published, outlet, ")
    missing = str(err.value).split("no column(s) ")[1].split(":")[0].split(", ")
    assert {"language", "text", "text_hash"} <= set(missing) and "title" not in missing
    assert "older saidwhat spark" in str(err.value)


def test_person_name_at_an_article():
    assert linking.name_at("Pete Hegseth", "Hegseth", 5, 4) == "Hegseth"
    assert linking.name_at("Pete Hegseth", "Hegseth", 5, 5) == "Pete Hegseth"
    assert linking.name_at("Ana Ruiz", None, None, 1) == "Ana Ruiz"


# ------------------------------------------------------------------ the Spark jobs

@pytest.fixture(scope="session")
def spark():
    """One local[2] session for every Spark test (the commands leave a running session running)."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime and `java` is not on PATH")
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install -e '.[spark]')")
    from saidwhat.spark.session import spark_session

    session = spark_session("local[2]", conf={"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def job(spark, tmp_path_factory):
    from saidwhat.cli.spark import run_spark_command as main

    base = tmp_path_factory.mktemp("spark")
    inputs = write_inputs(base / "in")
    out = base / "out"
    started = time.monotonic()
    assert main([*inputs, "--output", str(out), "--master", "local[2]", "--partitions", "2",
                 "--link"]) == 0
    return inputs, out, time.monotonic() - started


def table(out: Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def _key(st: dict, names: dict) -> tuple:
    part = lambda p: None if p is None else [list(s) for s in p]  # noqa: E731
    return (st["kind"], part(st["content_spans"]), part(st["cue_spans"]), part(st["source_spans"]), names)


def test_statements_equal_the_single_process_run(job):
    inputs, out, _ = job
    errors: list[str] = []
    expected: dict[str, list] = {}
    for _, d in run_extraction(inputs, ExtractSettings(), 1, errors):
        if d is None:
            continue
        names = {sp["id"]: sp["name"] for sp in d["speakers"]}
        expected[d["id"]] = sorted((s["kind"], s["content"]["spans"], s["cue"]["spans"] if s["cue"] else None,
                                    s["source"]["spans"] if s["source"] else None, names.get(s["speaker"]))
                                   for s in d["statements"])
    assert len(expected) == 6 + len(LINKED) and sum(map(len, expected.values())) >= 30, expected
    got: dict[str, list] = {}
    for st in table(out, "statements"):
        got.setdefault(st["article_id"], []).append(_key(st, st["speaker_name"]))
    got = {k: sorted(v) for k, v in got.items()}
    assert got == {k: v for k, v in expected.items() if v}
    articles = {a["doc_id"]: a for a in table(out, "articles")}
    assert set(articles) == set(expected)
    assert {a["doc_id"]: a["n_statements"] for a in articles.values()} == {k: len(v) for k, v in expected.items()}
    speakers = {(s["article_id"], s["name"]) for s in table(out, "speakers")}
    assert ("bridge", "Jane Holt") in speakers and ("storm", "Ann Lee") in speakers


def test_tables_are_partitioned_by_day_with_explicit_span_types(job):
    import pyarrow as pa
    import pyarrow.parquet as pq
    _, out, _ = job
    days = {p.name for p in (out / "statements").iterdir() if p.is_dir()}
    assert {"date=2024-05-03", "date=2024-05-04", "date=unknown"} <= days, days
    assert "date=2021-03-04" in {p.name for p in (out / "articles").iterdir()}  # the WARC page's day
    by_day = {a["doc_id"]: a["date"] for a in table(out, "articles")}
    assert by_day["storm"] == "2024-05-03" and by_day["bridge"] == "unknown"
    schema = pq.read_schema(next((out / "statements").rglob("*.parquet")))
    spans = schema.field("content_spans").type
    assert pa.types.is_list(spans) and pa.types.is_list(spans.value_type) \
        and spans.value_type.value_type == pa.int32()
    for name in ("speakers", "flags"):
        assert (out / name / "_SUCCESS").exists()


def test_every_bad_input_is_in_errors(job):
    inputs, out, seconds = job
    errors = {(e["origin"], e["stage"]): e["reason"] for e in table(out, "errors")}
    folder = Path(inputs[0])
    assert errors[(f"{folder / 'wire.jsonl'}:2", "read")].startswith("not JSON")
    assert errors[(str(folder / "empty.txt"), "read")] == "empty file"
    assert errors[(inputs[1], "read")] == "no such file"
    assert len(errors) == 3, errors
    # a sanity bound (about 90-110 s here with the 2 cores shared with a training job) that
    # still catches a pathological set-up: with Spark's default 200 shuffle partitions the link
    # step alone took over 2 minutes
    assert seconds < 180, f"the local extract+link job took {seconds:.0f} s"


# ------------------------------------------------------------------ linking, and back into SQLite

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *args], capture_output=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


@pytest.fixture(scope="module")
def direct_db(job, tmp_path_factory) -> Path:
    """The same inputs through the real ``saidwhat ingest``, files named in corpus order (by
    day; the undated text files last), which is the order the link step and --from-parquet use."""
    folder = Path(job[0][0])
    db = tmp_path_factory.mktemp("direct") / "direct.db"
    order = ["crawl.warc.gz", "wire.jsonl", "linked.jsonl", "bridge.txt", "budget.txt", "school.txt"]
    res = cli("ingest", *[str(folder / f) for f in order], "--db", str(db))
    err = res.stderr.decode()
    assert res.returncode == 1 and "wire.jsonl:2: not JSON" in err, err  # the one bad line
    assert f"{len(DOCS) + 6} document(s) added" in err and "2 document(s) already in" in err, err
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_link_tables_equal_the_store(job, direct_db):
    _, out, _ = job
    j = json.loads
    people = rows(direct_db, "SELECT id, name, name_key, surname, type, titles, aliases, outlets, "
                             "first_seen, last_seen, n_statements, n_articles FROM people ORDER BY id")
    assert [tuple(p.values()) for p in table(out, "people")] == \
        [(*p[:5], j(p[5]), j(p[6]), j(p[7]), *p[8:]) for p in people]
    assert ("Pete Hegseth", ["Hegseth", "Pete Hegseth"]) in [(p[1], j(p[6])) for p in people]

    stored = [(a["seq"], a["article_id"]) for a in table(out, "corpus_articles") if a["seq"]]
    assert sorted(stored) == rows(direct_db, "SELECT id, doc_id FROM articles ORDER BY id")
    dropped = {a["article_id"]: a["duplicate_of"] for a in table(out, "corpus_articles") if not a["seq"]}
    assert dropped == {"lopez-recrawl": f"{job[0][0]}/linked.jsonl:1",
                       "lopez-bare-copy": f"{job[0][0]}/linked.jsonl:4"}

    speakers = rows(direct_db, "SELECT a.doc_id, sp.sid, sp.person_id FROM speakers sp "
                               "JOIN articles a ON a.id = sp.article_id")
    got = [(s["article_id"], s["speaker"], s["person_id"]) for s in table(out, "speaker_people")]
    assert sorted(got, key=str) == sorted(speakers, key=str)

    quotes = rows(direct_db, "SELECT q.id, q.text, q.norm, q.n_words, q.n_occurrences, q.n_variants, "
                             "q.first_seen, q.last_seen, min(s.id) FROM quotes q "
                             "JOIN statements s ON s.quote_id = q.id GROUP BY q.id ORDER BY q.id")
    assert [tuple(q.values()) for q in table(out, "quotes")] == quotes
    occurrences = rows(direct_db, "SELECT id, quote_id, article_id, sid, person_id, published, outlet "
                                  "FROM statements WHERE quote_id IS NOT NULL ORDER BY id")
    got = sorted((o["statement_seq"], o["quote_id"], o["article_seq"], o["statement"], o["person_id"],
                  o["published"], o["outlet"]) for o in table(out, "quote_occurrences"))
    assert got == occurrences

    variants = rows(direct_db, "SELECT quote_id, variant_id, similarity, diff FROM quote_variants "
                               "ORDER BY quote_id, variant_id")
    assert [(v["quote_id"], v["variant_id"], v["similarity"], v["diff"]) for v in table(out, "variants")] \
        == [(*v[:3], j(v[3])) for v in variants] and variants

    flags = rows(direct_db, "SELECT kind, article_id, statement_id, quote_id, quote2_id, person_id, "
                            "person2_id, message, data, key FROM flags WHERE scope = 'corpus' ORDER BY id")
    got = sorted(table(out, "corpus_flags"), key=lambda f: (
        f["statement_seq"], f["kind"] != "quote_altered", f["quote2_id"] if f["kind"] == "quote_altered"
        else f["person2_id"]))
    assert [(f["kind"], f["article_seq"], f["statement_seq"], f["quote_id"], f["quote2_id"],
             f["person_id"], f["person2_id"], f["message"], f["data"], f["key"]) for f in got] == flags
    assert {f[0] for f in flags} == {"quote_altered", "speaker_conflict"}


def test_ingest_from_parquet_equals_a_direct_ingest(job, direct_db, tmp_path):
    _, out, _ = job
    db = tmp_path / "from-parquet.db"
    res = cli("ingest", "--from-parquet", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr.decode()
    assert f"{len(DOCS) + 6} document(s) added" in res.stderr.decode()
    assert sqlite_dump(db) == sqlite_dump(direct_db)
    again = cli("ingest", "--from-parquet", str(out), "--db", str(db))
    assert again.returncode == 0 and "0 document(s) added" in again.stderr.decode()
    assert sqlite_dump(db) == sqlite_dump(direct_db)


def test_ingest_from_parquet_a_slice_and_bad_folders(job, tmp_path):
    _, out, _ = job
    db = tmp_path / "january.db"
    res = cli("ingest", "--from-parquet", str(out), "--since", "2025-01-01", "--until", "2025-01-31",
              "--db", str(db))
    assert res.returncode == 0, res.stderr.decode()
    assert rows(db, "SELECT doc_id FROM articles ORDER BY id") == [
        ("lopez-planet",), ("lopez-star",), ("carter-post",), ("lopez-bare",)]
    res = cli("ingest", "--from-parquet", str(tmp_path / "nowhere"), "--db", str(db))
    assert res.returncode == 2 and f"{tmp_path / 'nowhere' / 'articles'}: no articles table" \
        in res.stderr.decode()
    res = cli("ingest", "--from-parquet", str(out), "--since", "May 2025", "--db", str(db))
    assert res.returncode == 2 and "--since 'May 2025': expected a day as YYYY-MM-DD" in res.stderr.decode()
    res = cli("ingest", str(out), "--from-parquet", str(out), "--db", str(db))
    assert res.returncode == 2 and "either PATHS or --from-parquet" in res.stderr.decode()


def test_link_reports_a_folder_without_tables(spark, tmp_path, capsys):
    from typer.testing import CliRunner

    from saidwhat.cli import app
    from saidwhat.cli.spark import run_spark_command
    from saidwhat.spark import link as spark_link

    result = CliRunner().invoke(app, ["spark-link", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'articles'}: cannot read the articles table" in result.stderr
    assert run_spark_command(["--output", str(tmp_path), "--link"]) == 2  # link only, no INPUT
    assert f"{tmp_path / 'articles'}: cannot read the articles table" in capsys.readouterr().err
    assert spark.range(3).count() == 3  # the shared session is still running
    (tmp_path / "statements").mkdir()  # what Spark leaves for a table without rows
    (tmp_path / "statements" / "_SUCCESS").touch()
    assert spark_link._read(spark, str(tmp_path), "statements").count() == 0
