"""``saidwhat ingest --from-parquet DIR``: the tables of a ``saidwhat spark`` output into the store.

Spark extracts a crawl on many machines; the web app serves one SQLite file. This turns the
rows of ``DIR/articles``, ``statements``, ``speakers`` and ``flags`` back into
:class:`~saidwhat.schema.Article` objects (no extraction) and stores each with
``Store.add_article``: people and quotes are linked as on a normal ingest, documents the
store has (same URL, or same text without URL) are skipped, and every article is its own
transaction, so a killed load is finished by running it again.

Days go in order (``unknown`` last), articles within a day in
:func:`saidwhat.spark.article_order`: the order :mod:`saidwhat.spark_link` links in, so an
empty store gets the ids of the Spark link tables. One day's rows are in memory at a time.
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

from .schema import Article, Flag, Speaker, Statement, TextSpans
from .spark import UNKNOWN_DATE, article_order
from .store import Store

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: columns each table must have (an output of an older ``saidwhat spark`` lacks some)
COLUMNS = {
    "articles": ("id", "title", "url", "published", "outlet", "origin", "path", "doc_index",
                 "text_hash", "article_sources", "text"),
    "statements": ("origin", "n", "id", "kind", "content_text", "content_spans", "cue_text",
                   "cue_spans", "source_text", "source_spans", "speaker", "confidence"),
    "speakers": ("origin", "n", "id", "name", "type", "titles", "mentions"),
    "flags": ("origin", "n", "kind", "message", "spans", "suggestion"),
}


class ParquetInputError(Exception):
    """A folder that is not (or not entirely) a readable ``saidwhat spark`` output."""


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
    missing = [c for c in COLUMNS[table] if c not in data.column_names]
    if missing:
        raise ParquetInputError(f"{path}: no column(s) {', '.join(missing)}: written by an older "
                                "saidwhat spark; run the extract job again")
    rows = data.select(list(COLUMNS[table])).to_pylist()
    for row in rows:
        row["date"] = day
    return rows


def _part(text: str | None, spans: list | None) -> TextSpans | None:
    return None if spans is None else TextSpans(text or "", [tuple(s) for s in spans])


def _by_origin(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["origin"], r["n"])):
        out[row["origin"]].append(row)
    return out


def day_articles(folder: Path, day: str) -> Iterator[tuple[Article, str]]:
    """``(article, text hash)`` for every article of one day, in corpus order."""
    statements = _by_origin(_rows(folder, "statements", day))
    speakers = _by_origin(_rows(folder, "speakers", day))
    flags = _by_origin(_rows(folder, "flags", day))
    for a in sorted(_rows(folder, "articles", day), key=article_order):
        origin = a["origin"]
        yield Article(
            id=a["id"], text=a["text"], title=a["title"], url=a["url"], published=a["published"],
            outlet=a["outlet"],
            statements=[Statement(s["id"], s["kind"], _part(s["content_text"], s["content_spans"]),
                                  _part(s["cue_text"], s["cue_spans"]),
                                  _part(s["source_text"], s["source_spans"]), s["speaker"],
                                  s["confidence"]) for s in statements.get(origin, [])],
            speakers=[Speaker(s["id"], s["name"], s["type"], list(s["titles"] or []),
                              [tuple(m) for m in s["mentions"] or []])
                      for s in speakers.get(origin, [])],
            article_sources=list(a["article_sources"] or []),
            flags=[Flag(f["kind"], f["message"] or "", [tuple(x) for x in f["spans"] or []],
                        f["suggestion"]) for f in flags.get(origin, [])],
        ), a["text_hash"]


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
