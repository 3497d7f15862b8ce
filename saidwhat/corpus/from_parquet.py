"""``saidwhat ingest --from-parquet DIR``: the tables of a ``saidwhat spark`` output into the store.

Spark extracts a crawl on many machines; the web app serves one SQLite file. This turns the
rows of ``DIR/articles``, ``statements``, ``speakers`` and ``flags`` back into
:class:`~saidwhat.schema.Article` objects (no extraction, the one row mapping of
:mod:`saidwhat.schema`) and stores each with ``Store.add_article``: people and quotes are
linked as on a normal ingest, documents the store has (same URL, or same text without URL)
are skipped, and every article is its own transaction, so a killed load is finished by
running it again.

Days go in order (``unknown`` last), articles within a day in
:func:`saidwhat.schema.article_order`: the order the Spark link step links in, so an empty
store gets the ids of the Spark link tables. One day's rows are in memory at a time.
Read with pyarrow (a core dependency): no Spark or Java needed; local folders only.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ParquetInputError
from ..schema import PARQUET_COLUMNS, UNKNOWN_DATE, Article, ArticleRows, article_from_rows, article_order
from .store import Store

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TABLES = ("articles", "statements", "speakers", "flags")


def days(folder: Path, since: str | None = None, until: str | None = None) -> list[str]:
    """The ``date`` partitions of ``folder/articles`` to load, in order; with ``since`` /
    ``until`` (``YYYY-MM-DD``, both inclusive) only dated days in that range."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not _DAY.match(value):
            raise ParquetInputError(f"{name} {value!r}: expected a day as YYYY-MM-DD")
    table = folder / "articles"
    if not table.is_dir():
        raise ParquetInputError(f"{table}: no articles table (is {folder} the --output folder of "
                                "saidwhat spark?)")
    found = sorted(p.name.split("=", 1)[1] for p in table.iterdir()
                   if p.is_dir() and p.name.startswith("date="))
    if since or until:
        found = [d for d in found if d != UNKNOWN_DATE and (not since or d >= since)
                 and (not until or d <= until)]
    return found


def _rows(folder: Path, table: str, day: str) -> list[dict[str, Any]]:
    """One day of one table (no rows when Spark wrote no partition for that day)."""
    path = folder / table / f"date={day}"
    if not path.is_dir():
        return []
    try:
        data = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        raise ParquetInputError(f"{path}: cannot read Parquet ({err})") from None
    columns = [c.name for c in PARQUET_COLUMNS[table] if c.name != "date"]
    missing = [c for c in columns if c not in data.column_names]
    if missing:
        raise ParquetInputError(f"{path}: no column(s) {', '.join(missing)}: written by an older "
                                "saidwhat spark; run the extract job again")
    rows = data.select(columns).to_pylist()
    for row in rows:
        row["date"] = day
    return rows


def _by_origin(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["origin"], r["n"])):
        out[row["origin"]].append(row)
    return out


def day_articles(folder: Path, day: str) -> Iterator[tuple[Article, str]]:
    """``(article, text hash)`` for every article of one day, in corpus order."""
    parts = {table: _by_origin(_rows(folder, table, day)) for table in _TABLES[1:]}
    for a in sorted(_rows(folder, "articles", day), key=article_order):
        origin = a["origin"]
        yield article_from_rows(ArticleRows(a, *(parts[t].get(origin, []) for t in _TABLES[1:]))), \
            a["text_hash"]


def load_parquet(store: Store, folder: str | Path, since: str | None = None,
                 until: str | None = None) -> dict[str, int]:
    """Store the articles of a ``saidwhat spark`` output (days ``since`` … ``until``);
    returns ``{"added": n, "skipped": m}`` (skipped: the store had them already)."""
    folder = Path(folder)
    counts = {"added": 0, "skipped": 0}
    for day in days(folder, since, until):
        for article, text_hash in day_articles(folder, day):
            added = store.add_article(article, text_hash=text_hash)
            counts["added" if added is not None else "skipped"] += 1
    return counts
