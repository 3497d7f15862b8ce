"""The corpus commands: ``ingest``, ``search``, ``people``, ``quotes``, ``flags``, ``export``, ``serve``."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..corpus.ingest import ingest as ingest_paths
from ..corpus.search import count_text
from ..errors import ParquetInputError, QueryError
from ..extraction.extractor import MAX_ARTICLE_CHARS
from ..schema import STATEMENT_KINDS
from .common import (
    DEFAULT_DB,
    AttributionModelOption,
    DbOption,
    DeprecatedModelOption,
    FastOption,
    FieldsOption,
    ListFormatOption,
    MaxCharsOption,
    NoModelOption,
    PipelineOption,
    ProcessesOption,
    document_progress,
    err_console,
    extract_settings,
    fail,
    input_items,
    open_store,
    pipeline_name,
    report,
    report_languages,
    show,
)


def ingest(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATH", help="files (.txt .html .html.gz .jsonl .warc .warc.gz), directories, globs, or -")] = None,
    db: DbOption = DEFAULT_DB,
    processes: ProcessesOption = 1,
    fields: FieldsOption = None,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
    from_parquet: Annotated[Optional[Path], typer.Option(
        "--from-parquet", help="load the tables of a `saidwhat spark` output folder instead "
                               "of extracting (no PATHS)")] = None,
    since: Annotated[Optional[str], typer.Option(
        help="with --from-parquet: only days on or after this (YYYY-MM-DD)")] = None,
    until: Annotated[Optional[str], typer.Option(
        help="with --from-parquet: only days on or before this (YYYY-MM-DD)")] = None,
    no_model: NoModelOption = False,
    fast: FastOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Extract and store articles; documents already stored (same URL or text) are skipped."""
    if from_parquet is not None:
        if paths:
            raise fail("give either PATHS or --from-parquet, not both")
        return _ingest_parquet(from_parquet, db, since, until)
    if since or until:
        raise fail("--since / --until select days of a --from-parquet folder")
    items, jsonl = input_items(paths or [], fields)
    settings = extract_settings(pipeline_name(pipeline, model), no_model, attribution_model, max_chars, fast=fast)
    with open_store(db, readonly=False) as store, \
            document_progress(items, "ingesting", enabled=True) as advance:
        counts = ingest_paths(store, items, settings, processes, jsonl, on_document=advance)
    if counts.skipped:
        err_console.print(f"{counts.skipped} document(s) already in {db}, skipped", highlight=False)
    report_languages(counts.languages)
    report(counts.errors, counts.added, f"added to {db}", True)


def _ingest_parquet(folder: Path, db: Path, since: str | None, until: str | None) -> None:
    """Spark output into the store: rows as written, no extraction; linked as on ingest."""
    from ..corpus.from_parquet import load_parquet

    with open_store(db, readonly=False) as store:
        try:
            counts = load_parquet(store, folder, since=since, until=until)
        except ParquetInputError as err:
            raise fail(str(err)) from None
        store.optimize()
    if counts["skipped"]:
        err_console.print(f"{counts['skipped']} document(s) already in {db}, skipped", highlight=False)
    err_console.print(f"[green]{counts['added']} document(s) added to {db}[/]", highlight=False)


def search(
    text: Annotated[Optional[str], typer.Argument(
        help='words the statement must contain: "a phrase", a OR b, -word, prefix*')] = None,
    speaker: Annotated[Optional[str], typer.Option(help="a name, or the start of its words")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="outlet name, in any case")] = None,
    since: Annotated[Optional[str], typer.Option(help="published on or after (YYYY-MM-DD, YYYY-MM or YYYY)")] = None,
    until: Annotated[Optional[str], typer.Option(help="published on or before (YYYY-MM-DD, YYYY-MM or YYYY)")] = None,
    kind: Annotated[Optional[str], typer.Option(help=f"statement kind: {', '.join(STATEMENT_KINDS)}")] = None,
    said_since: Annotated[Optional[str], typer.Option(
        help="said on or after, where the text dates the statement (YYYY-MM-DD, YYYY-MM or YYYY)")] = None,
    said_until: Annotated[Optional[str], typer.Option(
        help="said on or before, where the text dates the statement (YYYY-MM-DD, YYYY-MM or YYYY)")] = None,
    to: Annotated[Optional[str], typer.Option(help="said to: part of the addressee's words or name")] = None,
    order: Annotated[str, typer.Option(help="relevance (best match first) or date (newest first)")] = "relevance",
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """Statements by text, speaker, outlet, kind and date."""
    with open_store(db, readonly=True) as store:
        try:
            filters = {"speaker": speaker, "outlet": outlet, "since": since, "until": until, "kind": kind,
                       "said_since": said_since, "said_until": said_until, "to": to}
            rows = store.search(text=text, **filters, order=order, limit=limit)
            total = store.count(text=text, **filters) if rows else 0
        except QueryError as err:
            raise fail(str(err)) from None
    show(rows, format, f"{len(rows)} of {count_text(total)} statement(s)",
         [("speaker", {"style": "bold cyan", "ratio": 2}), ("cue", {"style": "magenta", "ratio": 1}),
          ("statement", {"ratio": 6}), ("outlet", {"ratio": 1}), ("date", {"ratio": 1})],
         lambda r: [(r["person"] or r["speaker"] or {}).get("name") or (r["source"] or {}).get("text")
                    or "—", (r["cue"] or {}).get("text") or "", r["content"]["text"], r["outlet"] or "",
                    (r["published"] or "")[:10]])


def people(
    query: Annotated[Optional[str], typer.Argument(help="part of a name")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """People across articles: titles, outlets, first and last seen, statements."""
    with open_store(db, readonly=True) as store:
        rows = store.people(limit=limit, query=query)
    show(rows, format, f"{len(rows)} people",
         [("name", {"style": "bold cyan"}), ("titles", {}), ("outlets", {}),
          ("first seen", {}), ("last seen", {}), ("statements", {"justify": "right"})],
         lambda r: [r["name"], "; ".join(r["titles"][:3]), ", ".join(r["outlets"][:4]),
                    (r["first_seen"] or "")[:10], (r["last_seen"] or "")[:10], str(r["n_statements"])])


def quotes(
    variants: Annotated[bool, typer.Option("--variants", help="only quotes with altered versions")] = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """Quotes across articles, with how often and by whom they ran."""
    with open_store(db, readonly=True) as store:
        rows = store.quotes(variants=variants, limit=limit)
        if variants:
            rows = [store.quote(r["id"]) for r in rows]
    show(rows, format, f"{len(rows)} quote(s)",
         [("quote", {"ratio": 6}), ("people", {"style": "bold cyan", "ratio": 2}),
          ("occurrences", {"justify": "right", "ratio": 1}), ("variants", {"justify": "right", "ratio": 1}),
          ("first seen", {"ratio": 1})],
         lambda r: [r["text"], ", ".join(p["name"] for p in r.get("people", [])),
                    str(r["n_occurrences"]), str(r["n_variants"]), (r["first_seen"] or "")[:10]])


def flags(
    kind: Annotated[Optional[str], typer.Option(
        help="headline_speaker_not_in_body, quote_altered, speaker_conflict, ...")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """What does not add up: headline speakers, altered quotes, conflicting speakers."""
    with open_store(db, readonly=True) as store:
        rows = store.flags(kind=kind, limit=limit)
    show(rows, format, f"{len(rows)} flag(s)", [("kind", {"style": "bold yellow"}), ("message", {"ratio": 5})],
         lambda r: [r["kind"], r["message"]])


class ExportFormat(str, Enum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"


def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")],
    out: Annotated[Path, typer.Option("--out", "-o", help="a file for jsonl, a directory for parquet/csv")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the store: articles as JSONL (the extract schema), or every table as Parquet/CSV."""
    from ..corpus.export import export_store

    with open_store(db, readonly=True) as store:
        written = export_store(store, format.value, out)
    for path, n in written:
        err_console.print(f"{path}: {n} row(s)", highlight=False)


def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="address to bind; localhost unless told otherwise")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """Browse a store in the browser (and a JSON API under /api, docs at /docs)."""
    from ..web import serve as run_server

    open_store(db, readonly=True).close()  # a clear error before the server starts
    err_console.print(f"serving {db} at http://{host}:{port}/", highlight=False)
    run_server(db, host=host, port=port)
