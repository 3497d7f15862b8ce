"""``saidwhat spark`` and ``saidwhat spark-link``: the Spark jobs from the command line.

The same commands run as ``python -m saidwhat.spark`` and under ``spark-submit`` (the file
``saidwhat/spark/submit.py``), through :func:`run_spark_command`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import LinkInputError
from ..extraction.extractor import MAX_ARTICLE_CHARS
from .common import (
    DeprecatedModelOption,
    FastOption,
    MaxCharsOption,
    NoModelOption,
    PipelineOption,
    fail,
    pipeline_name,
    require_one_model,
)

MasterOption = Annotated[Optional[str], typer.Option(
    help="Spark master URL (default: $SAIDWHAT_SPARK_MASTER, else spark-submit's --master, else local[*])")]
PartitionsOption = Annotated[Optional[int], typer.Option(
    min=1, help="partitions to work in (default: 2 x Spark's default parallelism)")]
ConfOption = Annotated[Optional[list[str]], typer.Option(
    "--conf", metavar="KEY=VALUE", help="a Spark setting, e.g. spark.executor.memory=4g (repeatable)")]
OverwriteOption = Annotated[bool, typer.Option("--overwrite", help="replace tables already in the output folder")]


def _session(master: str | None, conf: list[str] | None) -> tuple[Any, bool]:
    """``(session, stop)``: the session the options ask for, and whether this run started it
    (a session that was already running, as under ``spark-submit`` or in tests, is left running)."""
    settings = {}
    for item in conf or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise typer.BadParameter(f"{item!r}: expected KEY=VALUE", param_hint="--conf")
        settings[key.strip()] = value
    try:
        from ..spark.session import active_session, spark_session
        running = active_session() is not None
    except ImportError:
        raise fail("saidwhat spark needs pyspark: pip install 'saidwhat[spark]'") from None
    return spark_session(master, conf=settings), not running


def _counts(counts: dict[str, int], output: str) -> None:
    typer.echo(" ".join(f"{t}={n}" for t, n in counts.items()) + f" -> {output}", err=True)


def _link(session: Any, output: str, partitions: int | None, mode: str) -> None:
    from ..spark.link import link

    try:
        _counts(link(session, output, partitions, mode), output)
    except LinkInputError as err:
        raise fail(str(err)) from None


def spark(
    inputs: Annotated[Optional[list[str]], typer.Argument(
        metavar="INPUT", help="files, directories or globs (txt, html, jsonl, warc); hdfs:// etc. as "
                                   "given (none with --link: link an existing --output)")] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="folder for the Parquet tables")] = ...,
    master: MasterOption = None,
    partitions: PartitionsOption = None,
    conf: ConfOption = None,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
    max_chars: MaxCharsOption = MAX_ARTICLE_CHARS,
    attribution_model: Annotated[Optional[str], typer.Option(
        "--attribution-model", metavar="DIR", help="a model directory made by `saidwhat train`, readable "
                                                   "on every executor (default: the shipped model)")] = None,
    no_model: NoModelOption = False,
    fast: FastOption = False,
    link: Annotated[bool, typer.Option(
        "--link", help="then link people, quotes and variants across articles (as spark-link)")] = False,
    overwrite: OverwriteOption = False,
) -> None:
    """Run saidwhat over a crawl on Apache Spark: Parquet tables by day, and an errors table."""
    if not inputs and not link:
        raise fail("give INPUT files (or --link alone to link an existing --output)")
    require_one_model(no_model, attribution_model, fast)
    pipeline = pipeline_name(pipeline, model)
    session, stop = _session(master, conf)
    mode = "overwrite" if overwrite else "errorifexists"
    try:
        if inputs:
            from ..spark.extract import run

            _counts(run(session, inputs, output, partitions, pipeline, max_chars, mode,
                        attribution_model=attribution_model, rules_only=no_model, fast=fast), output)
        if link:
            _link(session, output, partitions, mode)
    finally:
        if stop:
            session.stop()


def spark_link(
    output: Annotated[Path, typer.Argument(metavar="DIR", help="the --output folder of saidwhat spark")],
    master: MasterOption = None,
    partitions: PartitionsOption = None,
    conf: ConfOption = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Link people, quotes, variants and corpus flags over a `saidwhat spark` output folder."""
    session, stop = _session(master, conf)
    try:
        _link(session, str(output), partitions, "overwrite" if overwrite else "errorifexists")
    finally:
        if stop:
            session.stop()


def run_spark_command(argv: list[str] | None = None) -> int:
    """``saidwhat spark ARGS`` in this process (``python -m saidwhat.spark``, ``spark-submit``);
    the exit code."""
    app = typer.Typer(add_completion=False)
    app.command()(spark)
    try:
        app(args=argv, prog_name="saidwhat spark")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0
