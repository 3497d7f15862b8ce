"""Datasette reads a store as it is: every table, and the FTS5 search box on statements/articles.

Uses Datasette's Python API (``Datasette([path]).client.get(...)``, in-process over ASGI,
no server) on a small store built in ``tmp_path``.
"""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

import saidwhat
from saidwhat.corpus import Store

datasette_app = pytest.importorskip("datasette.app", reason="datasette is in the test extra")

DOCS = [
    ("Lopez Warns Allies on Spending\n\nDefense Secretary Maria Lopez said on Monday that allies "
     "must spend more. \"We cannot defend a continent that will not defend itself,\" Lopez told "
     "reporters in Brussels.", "Daily Planet", "2025-01-02", "https://planet.example/lopez"),
    ("Spending Row\n\n\"We cannot defend a continent that refuses to defend itself,\" said John "
     "Carter, a senator. Anonymous officials said the plan was unrealistic.",
     "Morning Post", "2025-01-04", "https://post.example/carter"),
    ("Readiness Plan\n\nPete Hegseth said the plan was ready. \"Every unit will be certified "
     "again before the summer,\" Hegseth said.", "Evening Star", "2025-02-03",
     "https://star.example/hegseth"),
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ds") / "corpus.db"
    with Store(db) as store:
        for text, outlet, published, url in DOCS:
            article = saidwhat.extract(text, url=url, outlet=outlet, published=published)
            assert store.add_article(article) is not None
        store.optimize()
    return db


def _get_all(db: Path, paths: list[str]) -> list[tuple[int, dict]]:
    """GET each path from a fresh Datasette on ``db``; (status, JSON) per path."""
    async def run() -> list[tuple[int, dict]]:
        ds = datasette_app.Datasette([str(db)])
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            out.append((response.status_code, response.json()))
        return out
    return asyncio.run(run())


def _expected(db: Path, sql: str, *params: object) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_datasette_lists_every_table_with_fts(store_path: Path) -> None:
    [(status, data)] = _get_all(store_path, ["/corpus.json"])
    assert status == 200, data
    tables = {t["name"]: t for t in data["tables"]}
    for name in ("meta", "articles", "statements", "speakers", "people", "quotes",
                 "quote_variants", "flags", "statement_blocks", "statements_fts", "articles_fts"):
        assert name in tables, f"{name} missing from {sorted(tables)}"
    assert tables["statements"]["fts_table"] == "statements_fts"
    assert tables["articles"]["fts_table"] == "articles_fts"
    n_statements = _expected(store_path, "SELECT count(*) FROM statements")[0][0]
    assert n_statements > 0
    assert tables["statements"]["count"] == n_statements


def test_datasette_search_and_read_tables(store_path: Path) -> None:
    want_defend = sorted(r[0] for r in _expected(
        store_path, "SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'defend'"))
    want_hegseth = sorted(r[0] for r in _expected(
        store_path, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'hegseth'"))
    assert len(want_defend) >= 2 and want_hegseth
    paths = [
        "/corpus/statements.json?_search=defend&_shape=objects",
        "/corpus/statements.json?_search=nosuchwordanywhere&_shape=objects",
        "/corpus/articles.json?_search=hegseth&_shape=objects",
        "/corpus/meta.json?_shape=objects",
        "/corpus/people.json?_shape=objects",
        "/corpus/quotes.json?_shape=objects",
        "/corpus/statements.json?_shape=objects&_size=max",
        "/corpus.json?sql=select+count(*)+as+n+from+statements_fts+where+statements_fts+match+'defend'"
        "&_shape=objects",
    ]
    results = _get_all(store_path, paths)
    for path, (status, data) in zip(paths, results):
        assert status == 200, (path, data)
    (_, defend), (_, nothing), (_, hegseth), (_, meta), (_, people), (_, quotes), \
        (_, statements), (_, sql) = results

    assert sorted(r["id"] for r in defend["rows"]) == want_defend
    assert all("defend" in r["content"].lower() for r in defend["rows"])
    assert nothing["rows"] == []
    assert sorted(r["id"] for r in hegseth["rows"]) == want_hegseth

    assert {r["key"]: r["value"] for r in meta["rows"]}["format"] == "saidwhat-store"
    names = {r["name"] for r in people["rows"]}
    assert {"Maria Lopez", "John Carter", "Pete Hegseth"} <= names, names
    assert any(r["n_occurrences"] >= 1 for r in quotes["rows"])
    rows = statements["rows"]
    assert sorted(r["id"] for r in rows) == sorted(
        r[0] for r in _expected(store_path, "SELECT id FROM statements"))
    assert {r["outlet"] for r in rows} <= {d[1] for d in DOCS}
    assert sql["rows"] == [{"n": len(want_defend)}]
