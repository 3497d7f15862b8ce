"""Who said what over a corpus with Apache Spark: input files in, Parquet tables out.

``saidwhat spark INPUT... --output DIR [--master URL] [--partitions N] [--link]``
(or ``python -m saidwhat.spark``, or ``spark-submit saidwhat/spark/submit.py``):

* Input files are read whole with ``SparkContext.binaryFiles`` and split into documents on the
  executors with the reader the CLI uses (:func:`saidwhat.inputs.readers.read_bytes`: text,
  HTML, JSONL, WARC), from bytes instead of a local path.
* Documents are spread over ``N`` partitions (default twice the cores) and each partition runs
  :func:`saidwhat.extraction.extractor.extract_many` once; the spaCy pipeline is loaded once per
  Python worker process (``load_pipeline`` is lru-cached and Spark reuses its workers).
* Tables (Parquet, :data:`saidwhat.schema.PARQUET_COLUMNS`) under ``DIR``: ``articles`` (with
  the text), ``statements``, ``speakers``, ``flags`` partitioned by ``date`` (the ``published``
  day, ``YYYY-MM-DD``, or ``unknown``), and ``errors`` (``origin``, ``reason``, ``stage``,
  ``path``) for every file, line, record or document that could not be read or extracted:
  nothing is dropped silently.

``article_id`` in the statement, speaker and flag tables is the article's ``doc_id``, the id
``saidwhat extract --format jsonl`` writes (``Document.id``); ``origin`` (unique per document)
is what joins the tables. Needs the ``spark`` extra.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import InputError
from ..extraction.extractor import MAX_ARTICLE_CHARS, extract_many
from ..inputs.documents import Document, JsonlFields, expand_paths
from ..inputs.readers import read_bytes
from ..schema import parquet_row, parquet_rows
from .layout import TABLES, schemas, write_table
from .session import default_partitions

Row = tuple[str, tuple]


def local_name(uri: str) -> str:
    """A ``file:`` URI as the plain local path (so ids and origins match the CLI's); any other
    URI (``hdfs://``, ``s3a://``) as it is."""
    if uri.startswith("file:"):
        return unquote(urlparse(uri).path)
    return uri


def _error_row(origin: str, reason: str, stage: str, path: str) -> Row:
    return ("errors", parquet_row("errors", {"origin": origin, "reason": reason, "stage": stage,
                                             "path": path}))


def _read_error(message: str, path: str) -> Row:
    """The ``errors`` row of a reading error: its message starts with its origin (the path,
    ``path:line`` or ``path record n (byte b)``)."""
    origin, reason = path, message
    if message.startswith(path):
        cut = message.find(": ", len(path))
        if cut >= 0:
            origin, reason = message[:cut], message[cut + 2:]
    return _error_row(origin, reason, "read", path)


def _read_file(fields: JsonlFields) -> Callable[[tuple[str, bytes]], Iterator[tuple]]:
    def read(item: tuple[str, bytes]) -> Iterator[tuple]:
        name = local_name(item[0])
        try:
            index = 0
            for doc in read_bytes(name, item[1], fields):
                if isinstance(doc, InputError):
                    yield _read_error(str(doc), name)
                else:
                    yield ("doc", (doc, name, index))
                    index += 1
        except Exception as err:  # noqa: BLE001 - a reader bug must not kill the job
            yield _read_error(f"{name}: reading failed ({type(err).__name__}: {err})", name)
    return read


def _extract_partition(pipeline: str | None, max_chars: int, attribution_model: str | None,
                       rules_only: bool, fast: bool = False
                       ) -> Callable[[Iterator[tuple[Document, str, int]]], Iterator[Row]]:
    # no attribution_model: extract_many's default, the model shipped in the executor's own
    # saidwhat package (the driver's path to it need not exist there); --fast: the executor's own
    # trees-only model, its path looked up there. Either is loaded once per executor process.
    chosen = {"attribution_model": None} if rules_only else \
        {"attribution_model": attribution_model} if attribution_model else {}

    def run(docs: Iterator[tuple[Document, str, int]]) -> Iterator[Row]:
        if fast:
            from ..extraction.model import FAST_MODEL

            chosen["attribution_model"] = FAST_MODEL
        items = ((d, d[0].text, {"id": d[0].id, **d[0].meta}) for d in docs)
        for (doc, path, index), article, error in extract_many(items, model=pipeline,
                                                               max_chars=max_chars, **chosen):
            if error or article is None:
                yield _error_row(doc.origin, error or "nothing extracted", "extract", path)
                continue
            yield from parquet_rows(article, doc.origin, path, index)
    return run


def input_files(paths: Iterable[str]) -> tuple[list[str], list[Row]]:
    """Files to read and ``errors`` rows for missing ones. Local paths are expanded like the
    CLI's (directories walked for supported files, globs); URIs with a scheme go to Spark as given."""
    files, errors = [], []
    local = []
    for p in paths:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", p) and not p.startswith("file://"):
            files.append(p)
        else:
            local.append(local_name(p) if p.startswith("file:") else p)
    for item in expand_paths(local):
        if item == "-":
            errors.append(_error_row("-", "standard input cannot be read by a Spark job", "read", "-"))
        elif not Path(item).is_file():
            what = "no such file" if not Path(item).exists() else "not a file"
            errors.append(_error_row(str(item), what, "read", str(item)))
        else:
            files.append(Path(item).resolve().as_uri())
    # a file named twice is read once: `origin` must name one document
    return list(dict.fromkeys(files)), errors


def run(spark: Any, paths: list[str], output: str, partitions: int | None = None,
        pipeline: str | None = None, max_chars: int = MAX_ARTICLE_CHARS, mode: str = "errorifexists",
        fields: JsonlFields = JsonlFields(), attribution_model: str | None = None,
        rules_only: bool = False, fast: bool = False) -> dict[str, int]:
    """Extract from ``paths`` and write the tables under ``output``; returns rows per table.
    ``attribution_model``: a model directory every executor can read (default: the shipped
    one); ``rules_only``: cues by the hand-written rules alone (``--no-model``); ``fast``: the
    shipped trees without the span tagger (``--fast``)."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    parts = default_partitions(sc, partitions)
    files, missing = input_files(paths)
    read = sc.binaryFiles(",".join(files), minPartitions=parts) if files else sc.emptyRDD()
    parsed = read.flatMap(_read_file(fields)).persist(StorageLevel.MEMORY_AND_DISK)
    docs = parsed.filter(lambda r: r[0] == "doc").map(lambda r: r[1]).repartition(parts)
    rows = docs.mapPartitions(_extract_partition(pipeline, max_chars, attribution_model, rules_only, fast))
    read_errors = parsed.filter(lambda r: r[0] == "errors")
    rows = rows.union(read_errors).union(sc.parallelize(missing, 1)) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    counts = {}
    try:
        for table, schema in schemas().items():
            df = spark.createDataFrame(rows.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1]), schema)
            write_table(df, output, table, mode, by_date=table != "errors")
        counts = dict(rows.map(lambda r: (r[0], 1)).countByKey())
    finally:
        rows.unpersist()
        parsed.unpersist()
    return {t: int(counts.get(t, 0)) for t in TABLES}
