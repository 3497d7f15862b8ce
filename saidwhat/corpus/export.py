"""Exporting a store for DuckDB, Spark, pandas or a spreadsheet."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from .store import Store

# the tables worth exchanging; index tables (shingles, FTS shadows) stay behind
EXPORT_TABLES = ("articles", "statements", "speakers", "people", "quotes", "quote_variants", "flags")
_BATCH = 10_000


def _rows(store: Store, table: str):
    cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    columns = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(_BATCH):
        yield columns, [dict(zip(columns, row)) for row in batch]


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]


def export_store(store: Store, format: str, out: Path) -> list[tuple[Path, int]]:
    """Write the store to ``out``; returns (file, rows) for each file written."""
    if format == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with out.open("w", encoding="utf-8") as f:
            for article in store.iter_articles():
                f.write(json.dumps(article, ensure_ascii=False) + "\n")
                n += 1
        return [(out, n)]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in EXPORT_TABLES:
        path = out / f"{table}.{format}"
        written.append((path, _write_table(store, table, format, path)))
    return written


def _write_table(store: Store, table: str, format: str, path: Path) -> int:
    n = 0
    if format == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(_columns(store, table))
            for _, rows in _rows(store, table):
                writer.writerows(list(r.values()) for r in rows)
                n += len(rows)
        return n
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"INTEGER": pa.int64(), "REAL": pa.float64()}
    schema = pa.schema([(r[1], types.get(str(r[2]).upper(), pa.string()))
                        for r in store.conn.execute(f"PRAGMA table_info({table})")])
    with pq.ParquetWriter(path, schema) as writer:
        for _, rows in _rows(store, table):
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
