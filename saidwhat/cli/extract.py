"""``saidwhat extract``: who said what in each article, as a table, JSON or JSONL."""
from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..extraction.extractor import MAX_ARTICLE_CHARS
from ..inputs.batch import run_extraction
from ..inputs.documents import is_container
from .common import (
    AttributionModelOption,
    DeprecatedModelOption,
    FastOption,
    FieldsOption,
    MaxCharsOption,
    NoModelOption,
    PipelineOption,
    ProcessesOption,
    document_progress,
    extract_settings,
    input_items,
    pipeline_name,
    report,
    report_languages,
)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def render_table(article: dict, console: Console) -> None:
    """One article's statements as a terminal table, then its flags and sources."""
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


def extract(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH",
        help="files (.txt .html .html.gz .jsonl .warc .warc.gz), directories, globs, or - for stdin")],
    format: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="table in a terminal; json for one article, jsonl for several")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="write here instead of stdout")] = None,
    processes: ProcessesOption = 1,
    fields: FieldsOption = None,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
    no_model: NoModelOption = False,
    fast: FastOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Find who said what in each article; JSON with the text and every field in docs/output.md."""
    items, jsonl = input_items(paths, fields)
    settings = extract_settings(pipeline_name(pipeline, model), no_model, attribution_model, max_chars, fast=fast)
    many = len(items) > 1 or any(is_container(i) for i in items)
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    if format is None:
        format = Format.table if out is None and sys.stdout.isatty() else \
            (Format.jsonl if many else Format.json)
    console = Console(file=sink) if format is Format.table else None
    errors: list[str] = []
    done = 0
    languages: Counter = Counter()
    with document_progress(items, "extracting", enabled=many) as advance:
        for _, article in run_extraction(items, settings, processes, errors, jsonl):
            advance()
            if article is None:
                continue
            done += 1
            if article["language"] != "en":
                languages[article["language"]] += 1
            if format is Format.table:
                render_table(article, console)
            elif format is Format.json:
                sink.write(json.dumps(article, ensure_ascii=False, indent=1) + "\n")
            else:
                sink.write(json.dumps(article, ensure_ascii=False) + "\n")
    if out:
        sink.close()
    report_languages(languages)
    report(errors, done, "extracted", many)


def schema() -> None:
    """Print the JSON Schema of what `saidwhat extract` writes (fields explained in docs/output.md)."""
    from ..schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=1, ensure_ascii=False))
