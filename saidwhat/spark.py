"""Who said what over a corpus with Apache Spark: input files in, Parquet tables out.

``python -m saidwhat.spark INPUT... --output DIR [--master URL] [--partitions N] [--link]``

* Input files are read whole with ``SparkContext.binaryFiles`` and split into documents on the
  executors with the same readers as :mod:`saidwhat.ingest` (text, HTML, JSONL, WARC), from
  bytes instead of a local path.
* Documents are spread over ``N`` partitions (default twice the cores) and each partition runs
  :func:`saidwhat.extractor.extract_many` once; the spaCy pipeline is loaded once per Python
  worker process (``load_pipeline`` is lru-cached and Spark reuses its workers).
* Tables (Parquet, the explicit schemas of :func:`schemas`, spans as ``array<array<int>>``)
  under ``DIR``: ``articles`` (with the text), ``statements``, ``speakers``, ``flags``
  partitioned by ``date`` (the ``published`` day, ``YYYY-MM-DD``, or ``unknown``), and
  ``errors`` (``origin``, ``reason``, ``stage``, ``path``) for every file, line, record or
  document that could not be read or extracted: nothing is dropped silently.
* ``--link`` then runs :mod:`saidwhat.spark_link` over ``DIR`` (people, quotes, variants,
  corpus flags); ``--link`` without INPUT links an existing ``DIR``.

``article_id`` in the statement, speaker and flag tables is the article's ``id``, the same id
``saidwhat extract --format jsonl`` writes (``Document.id``); ``origin`` (unique per document)
is what joins the tables. Needs the ``spark`` extra.
"""
from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from .extractor import MAX_ARTICLE_CHARS, extract_many
from .ingest import (HTML_SUFFIXES, JSONL_SUFFIXES, MAX_BYTES, MAX_HTML_BYTES, WARC_SUFFIXES,
                     Document, InputError, JsonlFields, _suffix, read_jsonl_stream,
                     _warc_records, decode_text, doc_stem, expand_paths, first_line, read_html)
from .schema import Article
from .store import sha256_text

TABLES = ("articles", "statements", "speakers", "flags", "errors")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
UNKNOWN_DATE = "unknown"


# ------------------------------------------------------------------ reading bytes

def local_name(uri: str) -> str:
    """A ``file:`` URI as the plain local path (so ids and origins match the CLI's); any other
    URI (``hdfs://``, ``s3a://``) as it is."""
    if uri.startswith("file:"):
        return unquote(urlparse(uri).path)
    return uri


def _error(message: str, path: str, stage: str = "read") -> tuple:
    """An error row ``(origin, reason, stage, path)``: the message of an :class:`InputError`
    starts with its origin (the path, ``path:line`` or ``path record n (byte b)``)."""
    origin, reason = path, message
    if message.startswith(path):
        cut = message.find(": ", len(path))
        if cut >= 0:
            origin, reason = message[:cut], message[cut + 2:]
    return ("error", (origin, reason, stage, path))


def _gunzip(data: bytes, name: str, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as gz:
            out = gz.read(limit + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise InputError(f"{name}: cannot read ({err})") from None
    if len(out) > limit:
        raise InputError(f"{name}: over the {limit:,}-byte limit for one article once decompressed")
    return out


def read_bytes(name: str, data: bytes,
               fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """The documents in one file given by its name and bytes, as :func:`saidwhat.ingest.iter_documents`
    reads them from a path (suffix decides the format; anything else is text)."""
    path = PurePosixPath(name)
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_stream(io.BytesIO(data), name, fields)
        return
    if suffix in WARC_SUFFIXES:
        try:
            gz = data[:2] == b"\x1f\x8b" or name.lower().endswith(".gz")
            yield from _warc_records(io.BytesIO(data), path, gz)
        except OSError as err:
            yield InputError(f"{name}: cannot read ({err})")
        return
    try:
        if suffix in HTML_SUFFIXES:
            if name.lower().endswith(".gz"):
                data = _gunzip(data, name, MAX_HTML_BYTES)
            yield read_html(data, name, doc_stem(path))
            return
        if name.lower().endswith(".gz"):
            data = _gunzip(data, name, MAX_BYTES)
        elif len(data) > MAX_BYTES:
            raise InputError(f"{name}: {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for one article")
        text = decode_text(data, name)
        yield Document(id=path.stem, text=text, meta={"title": first_line(text)}, origin=name)
    except InputError as err:
        yield err


def _read_file(fields: JsonlFields):
    def read(item: tuple[str, bytes]) -> Iterator[tuple]:
        name = local_name(item[0])
        try:
            index = 0
            for doc in read_bytes(name, item[1], fields):
                if isinstance(doc, InputError):
                    yield _error(str(doc), name)
                else:
                    yield ("doc", (doc, name, index))
                    index += 1
        except Exception as err:  # noqa: BLE001 - a reader bug must not kill the job
            yield _error(f"{name}: reading failed ({type(err).__name__}: {err})", name)
    return read


# ------------------------------------------------------------------ articles to rows

def _spans(spans: Iterable[Iterable[int]] | None) -> list[list[int]] | None:
    return None if spans is None else [[int(s), int(e)] for s, e in spans]


def day(published: str | None) -> str:
    """The partition value: the ``YYYY-MM-DD`` the published date starts with, else ``unknown``."""
    m = _DAY.match(published or "")
    return m.group(0) if m else UNKNOWN_DATE


def article_rows(article: Article, origin: str, path: str, doc_index: int
                 ) -> Iterator[tuple[str, tuple]]:
    """``(table, row)`` pairs for one article, rows in the order of the schemas below.
    ``origin`` (unique per document) joins the tables; ``path`` and ``doc_index`` (its place
    in the file) give the corpus order (:func:`article_order`)."""
    aid, date = article.id, day(article.published)
    names = {sp.id: sp.name for sp in article.speakers}
    yield "articles", (aid, article.title, article.url, article.published, article.outlet, origin,
                       path, doc_index, sha256_text(article.text), list(article.article_sources),
                       len(article.statements), len(article.speakers), len(article.flags),
                       article.text, date)
    for n, st in enumerate(article.statements, 1):
        cue, source = st.cue, st.source
        yield "statements", (aid, origin, n, st.id, st.kind, st.content.text,
                             _spans(st.content.spans), cue.text if cue else None,
                             _spans(cue.spans) if cue else None, source.text if source else None,
                             _spans(source.spans) if source else None,
                             st.speaker, names.get(st.speaker), float(st.confidence), date)
    for n, sp in enumerate(article.speakers, 1):
        yield "speakers", (aid, origin, n, sp.id, sp.name, sp.type, list(sp.titles),
                           _spans(sp.mentions), date)
    for n, fl in enumerate(article.flags, 1):
        yield "flags", (aid, origin, n, fl.kind, fl.message, _spans(fl.spans), fl.suggestion, date)


def article_order(row: Mapping[str, Any]) -> tuple:
    """The corpus order of an ``articles`` row: by day, ``published``, file, place in the file
    (``origin`` last, unique).
    Linking (:mod:`saidwhat.spark_link`) and ``ingest --from-parquet`` both go in this order,
    so "earlier" in a flag means earlier in time where dates are known."""
    return (row["date"], row["published"] or "", row["path"], row["doc_index"], row["origin"])


def article_order_columns() -> list:
    """:func:`article_order` as Spark sort columns."""
    from pyspark.sql import functions as F

    return [F.col("date"), F.coalesce(F.col("published"), F.lit("")), F.col("path"),
            F.col("doc_index"), F.col("origin")]


def _extract_partition(model: str | None, max_chars: int, attribution_model: str | None,
                       rules_only: bool):
    # no attribution_model: extract_many's default, the model shipped in the executor's own
    # saidwhat package (the driver's path to it need not exist there)
    chosen = {"attribution_model": None} if rules_only else \
        {"attribution_model": attribution_model} if attribution_model else {}

    def run(docs: Iterator[tuple[Document, str, int]]) -> Iterator[tuple[str, tuple]]:
        items = ((d, d[0].text, {"id": d[0].id, **d[0].meta}) for d in docs)
        for (doc, path, index), article, error in extract_many(items, model=model,
                                                               max_chars=max_chars, **chosen):
            if error or article is None:
                yield "errors", (doc.origin, error or "nothing extracted", "extract", path)
                continue
            yield from article_rows(article, doc.origin, path, index)
    return run


# ------------------------------------------------------------------ schemas

def schemas() -> dict[str, Any]:
    """The Spark schema of each table (imported lazily: pyspark is an optional extra)."""
    from pyspark.sql.types import (ArrayType, DoubleType, IntegerType, StringType, StructField,
                                   StructType)

    def s(name: str, nullable: bool = True) -> StructField:
        return StructField(name, StringType(), nullable)

    spans = ArrayType(ArrayType(IntegerType(), False), False)
    n = StructField("n", IntegerType(), False)
    return {
        "articles": StructType([s("id", False), s("title"), s("url"), s("published"), s("outlet"),
                                s("origin", False), s("path", False),
                                StructField("doc_index", IntegerType(), False), s("text_hash", False),
                                StructField("article_sources", ArrayType(StringType(), False)),
                                StructField("n_statements", IntegerType(), False),
                                StructField("n_speakers", IntegerType(), False),
                                StructField("n_flags", IntegerType(), False), s("text", False),
                                s("date", False)]),
        "statements": StructType([s("article_id", False), s("origin", False), n, s("id", False),
                                  s("kind", False), s("content_text", False),
                                  StructField("content_spans", spans, False),
                                  s("cue_text"), StructField("cue_spans", spans),
                                  s("source_text"), StructField("source_spans", spans),
                                  s("speaker"), s("speaker_name"),
                                  StructField("confidence", DoubleType(), False), s("date", False)]),
        "speakers": StructType([s("article_id", False), s("origin", False), n, s("id", False),
                                s("name", False), s("type"),
                                StructField("titles", ArrayType(StringType(), False)),
                                StructField("mentions", spans), s("date", False)]),
        "flags": StructType([s("article_id", False), s("origin", False), n, s("kind", False),
                             s("message"), StructField("spans", spans), s("suggestion"),
                             s("date", False)]),
        "errors": StructType([s("origin", False), s("reason", False), s("stage", False), s("path")]),
    }


# ------------------------------------------------------------------ the job

def input_files(paths: Iterable[str]) -> tuple[list[str], list[tuple]]:
    """Files to read and errors for missing ones. Local paths are expanded like the CLI's
    (directories walked for supported files, globs); URIs with a scheme go to Spark as given."""
    files, errors = [], []
    local = []
    for p in paths:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", p) and not p.startswith("file://"):
            files.append(p)
        else:
            local.append(local_name(p) if p.startswith("file:") else p)
    for item in expand_paths(local):
        if item == "-":
            errors.append(("-", "standard input cannot be read by a Spark job", "read", "-"))
        elif not Path(item).is_file():
            what = "no such file" if not Path(item).exists() else "not a file"
            errors.append((str(item), what, "read", str(item)))
        else:
            files.append(Path(item).resolve().as_uri())
    # a file named twice is read once: `origin` must name one document
    return list(dict.fromkeys(files)), errors


def spark_session(master: str | None = None, app_name: str = "saidwhat",
                  conf: Mapping[str, str] | None = None):
    """A session; a ``local`` one bound to 127.0.0.1 and without the web UI. ``conf``:
    more Spark settings (``spark.hadoop.fs.s3a.…``, ``spark.executor.memory``, …). Without
    ``master``: ``$SAIDWHAT_SPARK_MASTER``, else the ``--master`` of ``spark-submit`` when it
    started this process, else ``local[*]``."""
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = master or os.environ.get("SAIDWHAT_SPARK_MASTER")
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit,
        SparkContext._ensure_initialized()                       # whose JVM has its --master
        master = SparkConf().get("spark.master", None)
    master = master or "local[*]"
    builder = SparkSession.builder.master(master).appName(app_name) \
        .config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):  # on a cluster the web UI is how a run is watched
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.ui.enabled", "false") \
            .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def add_session_options(ap: argparse.ArgumentParser) -> None:
    """``--master``, ``--partitions`` and ``--conf``: shared by the extract and link jobs."""
    ap.add_argument("--master", default=None,
                    help="Spark master URL (default: $SAIDWHAT_SPARK_MASTER, else spark-submit's "
                         "--master, else local[*])")
    ap.add_argument("--partitions", type=int, default=None,
                    help="partitions to work in (default: 2 x Spark's default parallelism)")
    ap.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                    help="a Spark setting, e.g. spark.executor.memory=4g (repeatable)")


def session_from_args(ap: argparse.ArgumentParser, args: argparse.Namespace):
    """``(session, stop)``: the session the options ask for, and whether this run started it
    (a session that was already running, as under ``spark-submit`` or in tests, is left running)."""
    if args.partitions is not None and args.partitions < 1:
        ap.error("--partitions must be at least 1")
    conf = {}
    for item in args.conf:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            ap.error(f"--conf {item!r}: expected KEY=VALUE")
        conf[key.strip()] = value
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print(f"{ap.prog} needs pyspark: pip install 'saidwhat[spark]'", file=sys.stderr)
        raise SystemExit(2) from None
    running = SparkSession.getActiveSession() is not None
    return spark_session(args.master, conf=conf), not running


def default_partitions(sc: Any, partitions: int | None) -> int:
    """Twice the cores unless told: a slow document then holds up half a core's share, not all
    of it, and the per-task cost (worker reuse, no pipeline reload) stays small."""
    return partitions or 2 * sc.defaultParallelism


def table_path(output: str, table: str) -> str:
    """Where table ``table`` of an output folder (local path or URI) lives."""
    return str(Path(output) / table) if "://" not in output else f"{output.rstrip('/')}/{table}"


def write_table(df: Any, output: str, table: str, mode: str, by_date: bool) -> None:
    """One Parquet table under ``output``, partitioned by ``date`` when ``by_date``."""
    writer = df.write.mode(mode)
    if by_date:
        writer = writer.partitionBy("date")
    writer.parquet(table_path(output, table))


def run(spark, paths: list[str], output: str, partitions: int | None = None, model: str | None = None,
        max_chars: int = MAX_ARTICLE_CHARS, mode: str = "errorifexists",
        fields: JsonlFields = JsonlFields(), attribution_model: str | None = None,
        rules_only: bool = False) -> dict[str, int]:
    """Extract from ``paths`` and write the tables under ``output``; returns rows per table.
    ``attribution_model``: a model directory every executor can read (default: the shipped
    one); ``rules_only``: cues by the hand-written rules alone (``--no-model``)."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    parts = default_partitions(sc, partitions)
    files, missing = input_files(paths)
    read = sc.binaryFiles(",".join(files), minPartitions=parts) if files else sc.emptyRDD()
    parsed = read.flatMap(_read_file(fields)).persist(StorageLevel.MEMORY_AND_DISK)
    docs = parsed.filter(lambda r: r[0] == "doc").map(lambda r: r[1]).repartition(parts)
    rows = docs.mapPartitions(_extract_partition(model, max_chars, attribution_model, rules_only))
    read_errors = parsed.filter(lambda r: r[0] == "error").map(lambda r: ("errors", r[1]))
    rows = rows.union(read_errors).union(sc.parallelize([("errors", e) for e in missing], 1)) \
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m saidwhat.spark",
                                 description="Who said what over many files with Spark; Parquet out.")
    ap.add_argument("inputs", nargs="*", metavar="INPUT",
                    help="files, directories or globs (txt, html, jsonl, warc); hdfs:// etc. as given "
                         "(none with --link: link an existing --output)")
    ap.add_argument("--output", "-o", required=True, help="folder for the Parquet tables")
    add_session_options(ap)
    ap.add_argument("--model", default=None, help="spaCy pipeline (default as for saidwhat extract)")
    ap.add_argument("--max-chars", type=int, default=MAX_ARTICLE_CHARS)
    ap.add_argument("--attribution-model", default=None, metavar="DIR",
                    help="a model directory made by `saidwhat train`, readable on every executor "
                         "(default: the shipped model)")
    ap.add_argument("--no-model", action="store_true",
                    help="find cues with the hand-written rules alone, not the learned model")
    ap.add_argument("--link", action="store_true",
                    help="then link people, quotes and variants across articles (saidwhat.spark_link)")
    ap.add_argument("--overwrite", action="store_true", help="replace tables already in --output")
    args = ap.parse_args(argv)
    if not args.inputs and not args.link:
        ap.error("give INPUT files (or --link alone to link an existing --output)")
    if args.no_model and args.attribution_model:
        ap.error("give --no-model or --attribution-model, not both")
    spark, stop = session_from_args(ap, args)
    mode = "overwrite" if args.overwrite else "errorifexists"
    try:
        if args.inputs:
            counts = run(spark, args.inputs, args.output, args.partitions, args.model, args.max_chars,
                         mode, attribution_model=args.attribution_model, rules_only=args.no_model)
            print(" ".join(f"{t}={n}" for t, n in counts.items()), f"-> {args.output}", file=sys.stderr)
        if args.link:
            from .spark_link import LinkInputError, link

            try:
                counts = link(spark, args.output, args.partitions, mode)
            except LinkInputError as err:
                print(err, file=sys.stderr)
                return 2
            print(" ".join(f"{t}={n}" for t, n in counts.items()), f"-> {args.output}", file=sys.stderr)
    finally:
        if stop:
            spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
