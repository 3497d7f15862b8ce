"""``saidwhat eval`` and ``saidwhat train``: scores against brat gold, and training the model."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..inputs.batch import run_extraction
from ..learning.gold import load_gold, load_predictions, statements_from_article
from ..learning.metrics import format_report, score_predictions
from .common import (
    AttributionModelOption,
    DeprecatedModelOption,
    NoModelOption,
    PipelineOption,
    ProcessesOption,
    document_progress,
    err_console,
    extract_settings,
    fail,
    pipeline_name,
    print_error,
    require_pipeline,
)


def _require_brat_dir(path: Path, option: str) -> None:
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        raise fail(f"{option} {path}: expected text/ and attributions/ inside")


def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="brat gold in the PolNeAR layout (text/, attributions/)")],
    pred: Annotated[Optional[Path], typer.Option(help="predictions (JSONL); default: run the extractor")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="write the scores as JSON here")] = None,
    processes: ProcessesOption = 1,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
    no_model: NoModelOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Score statements against brat gold with the metrics of design.md."""
    _require_brat_dir(gold_dir, "GOLD_DIR")
    gold = load_gold(gold_dir)
    if pred is not None:
        predictions = load_predictions(pred)
    else:
        settings = extract_settings(pipeline_name(pipeline, model), no_model, attribution_model)
        items = [str(gold_dir / "text" / f"{stem}.txt") for stem in sorted(gold)]
        errors: list[str] = []
        predictions = {}
        with document_progress(items, "extracting", enabled=True) as advance:
            for origin, article in run_extraction(items, settings, processes, errors):
                advance()
                if article is not None:
                    predictions[Path(origin).stem] = statements_from_article(article)
        for e in errors:
            print_error(e)
    scores = score_predictions(gold, predictions)
    typer.echo(format_report(scores))
    if json_out:
        json_out.write_text(json.dumps(scores, indent=1))


def train(
    train_dir: Annotated[Path, typer.Option("--train", help="training split (brat, PolNeAR layout)")],
    dev_dir: Annotated[Path, typer.Option("--dev", help="dev split: picks the threshold, gives the scores")],
    out: Annotated[Path, typer.Option("--out", help="model directory to write")],
    seed: Annotated[int, typer.Option(help="random seed (same data and seed, same model)")] = 0,
    rounds: Annotated[Optional[int], typer.Option(min=1, help="boosting rounds")] = None,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
) -> None:
    """Train the attribution model on brat corpora; use it with --attribution-model OUT."""
    from ..learning.train import TrainSettings
    from ..learning.train import train as train_model

    _require_brat_dir(train_dir, "--train")
    _require_brat_dir(dev_dir, "--dev")
    pipeline = pipeline_name(pipeline, model)
    require_pipeline(pipeline)
    settings = TrainSettings(seed=seed) if rounds is None else TrainSettings(seed=seed, rounds=rounds)
    try:
        meta = train_model(train_dir, dev_dir, out, settings, pipeline=pipeline,
                           progress=lambda msg: err_console.print(f"[dim]{msg}[/]", highlight=False))
    except ValueError as err:
        raise fail(str(err)) from None
    typer.echo(format_report({**meta["dev_scores"], "documents": meta["dev"]["documents"]}))
    err_console.print(f"[green]model written to {out} (threshold {meta['threshold']}, "
                      f"{meta['seconds']['total']:.0f} s)[/]", highlight=False)
