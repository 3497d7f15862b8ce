"""``saidwhat eval`` and ``saidwhat train``: scores against brat gold, and training the model."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..inputs.batch import run_extraction
from ..learning.circumstances import format_circumstance_report, load_circumstance_gold, score_circumstances
from ..learning.gold import load_articles, load_gold, publication_dates, statements_from_article
from ..learning.metrics import format_report, score_predictions
from ..learning.speakers import format_speaker_report, load_speaker_gold, predicted_speakers, score_speakers
from .common import (
    AttributionModelOption,
    DeprecatedModelOption,
    FastOption,
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
    speakers: Annotated[Optional[Path], typer.Option(
        "--speakers", help="speaker annotations (JSONL, annotations/speakers/): also score speaker accuracy")] = None,
    circumstances: Annotated[Optional[list[Path]], typer.Option(
        "--circumstances", help="circumstance annotations (JSONL, annotations/circumstances/; repeat for several "
                                "files): also score time, date, addressee, setting and responds_to")] = None,
    processes: ProcessesOption = 1,
    pipeline: PipelineOption = None,
    model: DeprecatedModelOption = None,
    no_model: NoModelOption = False,
    fast: FastOption = False,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Score statements against brat gold with the metrics of design.md."""
    _require_brat_dir(gold_dir, "GOLD_DIR")
    gold = load_gold(gold_dir)
    annotations = None
    if speakers is not None:
        try:
            annotations = load_speaker_gold(speakers)
        except (OSError, ValueError, KeyError) as err:
            raise fail(f"--speakers {speakers}: cannot read speaker annotations ({err})") from None
    circumstance_rows: dict[str, list[dict]] = {}
    for path in circumstances or ():
        try:
            circumstance_rows.update(load_circumstance_gold(path))
        except (OSError, ValueError, KeyError) as err:
            raise fail(f"--circumstances {path}: cannot read circumstance annotations ({err})") from None
    if pred is not None:
        articles = load_articles(pred)
    else:
        settings = extract_settings(pipeline_name(pipeline, model), no_model, attribution_model, fast=fast)
        items = [str(gold_dir / "text" / f"{stem}.txt") for stem in sorted(gold)]
        errors: list[str] = []
        articles = {}
        with document_progress(items, "extracting", enabled=True) as advance:
            dates = {stem: {"published": day} for stem, day in publication_dates(gold_dir).items()}
            for origin, article in run_extraction(items, settings, processes, errors, metadata=dates):
                advance()
                if article is not None:
                    articles[Path(origin).stem] = article
        for e in errors:
            print_error(e)
    predictions = {stem: statements_from_article(a) for stem, a in articles.items()}
    scores = score_predictions(gold, predictions)
    typer.echo(format_report(scores))
    if annotations is not None:
        tally = score_speakers(gold, annotations, {stem: (predictions[stem], predicted_speakers(a))
                                                   for stem, a in articles.items()})
        scores["speakers"] = tally.scores()
        typer.echo("")
        typer.echo(format_speaker_report(scores["speakers"]))
    if circumstance_rows:
        tally = score_circumstances({stem: text for stem, (text, _) in gold.items()}, circumstance_rows, articles)
        scores["circumstances"] = tally.scores()
        typer.echo("")
        typer.echo(format_circumstance_report(scores["circumstances"]))
    if json_out:
        json_out.write_text(json.dumps(scores, indent=1))


def train(
    train_dir: Annotated[Path, typer.Option("--train", help="training split (brat, PolNeAR layout)")],
    dev_dir: Annotated[Path, typer.Option("--dev", help="dev split: picks the threshold, gives the scores")],
    out: Annotated[Path, typer.Option("--out", help="model directory to write")],
    seed: Annotated[int, typer.Option(help="random seed (same data and seed, same model)")] = 0,
    rounds: Annotated[Optional[int], typer.Option(min=1, help="boosting rounds")] = None,
    tagger: Annotated[Optional[Path], typer.Option(
        help="a span tagger (saidwhat train-tagger): join the model to it, to read its spans")] = None,
    cross_fit: Annotated[Optional[list[Path]], typer.Option(
        help="taggers trained with --hold-out K/N, one per fold: each tags the training documents "
             "it never saw (repeat the option)")] = None,
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
    if tagger is not None and not (tagger / "model.onnx").is_file():
        raise fail(f"--tagger {tagger}: no model.onnx inside")
    for d in cross_fit or ():
        if not (d / "model.onnx").is_file():
            raise fail(f"--cross-fit {d}: no model.onnx inside")
    if cross_fit and tagger is None:
        raise fail("--cross-fit needs --tagger (the tagger the model is joined to)")
    try:
        meta = train_model(train_dir, dev_dir, out, settings, pipeline=pipeline,
                           progress=lambda msg: err_console.print(f"[dim]{msg}[/]", highlight=False),
                           tagger_dir=tagger, cross_fit=cross_fit or ())
    except ValueError as err:
        raise fail(str(err)) from None
    typer.echo(format_report({**meta["dev_scores"], "documents": meta["dev"]["documents"]}))
    err_console.print(f"[green]model written to {out} (threshold {meta['threshold']}, "
                      f"{meta['seconds']['total']:.0f} s)[/]", highlight=False)


def _fold_option(value: str | None) -> tuple[int, int] | None:
    """``K/N`` as (K, N), with 0 <= K < N."""
    if value is None:
        return None
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 2 <= int(n) and int(k) < int(n)):
        raise fail(f"--hold-out {value!r}: expected K/N with 0 <= K < N and N >= 2, e.g. 0/2")
    return int(k), int(n)


def train_tagger(
    train_dir: Annotated[Path, typer.Option("--train", help="training split (brat, PolNeAR layout)")],
    dev_dir: Annotated[Path, typer.Option("--dev", help="dev split: picks the epoch, gives the scores")],
    out: Annotated[Path, typer.Option("--out", help="tagger directory to write")],
    seed: Annotated[int, typer.Option(help="random seed (same data and seed, same tagger)")] = 0,
    epochs: Annotated[Optional[int], typer.Option(
        min=1, help="passes over the training windows (default: the shipped tagger's)")] = None,
    threads: Annotated[Optional[int], typer.Option(min=1, help="torch threads (default 2)")] = None,
    layers: Annotated[Optional[int], typer.Option(
        min=1, max=6, help="encoder layers kept (default all 6; fewer run faster)")] = None,
    hold_out: Annotated[Optional[str], typer.Option(
        help="K/N: train without fold K of N of --train, to tag that fold for saidwhat train --cross-fit")] = None,
    pipeline: PipelineOption = None,
) -> None:
    """Fine-tune the span tagger (needs the train extra: torch, transformers, the encoder) and
    export it as int8 ONNX; join it to the trees with saidwhat train --tagger OUT."""
    from ..learning.tagger_train import TaggerSettings, missing_train_extra
    from ..learning.tagger_train import train_tagger as train_spans

    held_out = _fold_option(hold_out)
    missing = missing_train_extra()
    if missing:
        raise fail(f"training the tagger needs the train extra (pip install 'saidwhat[train]'): "
                   f"{', '.join(missing)} not installed")

    _require_brat_dir(train_dir, "--train")
    _require_brat_dir(dev_dir, "--dev")
    require_pipeline(pipeline)
    chosen = {k: v for k, v in (("epochs", epochs), ("threads", threads), ("layers", layers),
                                ("held_out", held_out)) if v is not None}
    meta = train_spans(train_dir, dev_dir, out, TaggerSettings(seed=seed, **chosen),
                       pipeline=pipeline, progress=lambda msg: err_console.print(f"[dim]{msg}[/]", highlight=False))
    best = next(h for h in meta["history"] if h["epoch"] == meta["best_epoch"])
    typer.echo(format_report({**best["dev"]}))
    err_console.print(f"[green]tagger written to {out} (epoch {meta['best_epoch']}, {meta['seconds']} s)[/]",
                      highlight=False)


def train_speakers(
    train_dir: Annotated[Path, typer.Option("--train", help="PolNeAR training split (brat layout)")],
    train_speakers: Annotated[Path, typer.Option("--train-speakers", help="speaker annotations of --train")],
    dev_dir: Annotated[Path, typer.Option("--dev", help="dev split: picks the threshold, gives the scores")],
    dev_speakers: Annotated[Path, typer.Option("--dev-speakers", help="speaker annotations of --dev")],
    out: Annotated[Path, typer.Option("--out", help="model directory to write")],
    gum: Annotated[Optional[Path], typer.Option(help="GUM folder (conllu/, splits.md): more pronouns and "
                                                     "descriptions to learn from")] = None,
    seed: Annotated[int, typer.Option(help="random seed (same data and seed, same model)")] = 0,
    pipeline: PipelineOption = None,
) -> None:
    """Train the speaker ranker (pronouns and descriptions) on speaker annotations and GUM."""
    from ..learning.speaker_train import SpeakerTrainSettings
    from ..learning.speaker_train import train_speakers as train_ranker

    _require_brat_dir(train_dir, "--train")
    _require_brat_dir(dev_dir, "--dev")
    for option, path in (("--train-speakers", train_speakers), ("--dev-speakers", dev_speakers)):
        if not path.is_file():
            raise fail(f"{option} {path}: no such file")
    if gum is not None and not (gum / "conllu").is_dir():
        raise fail(f"--gum {gum}: expected conllu/ inside")
    require_pipeline(pipeline)
    meta = train_ranker(train_dir, train_speakers, dev_dir, dev_speakers, gum, out, SpeakerTrainSettings(seed=seed),
                        pipeline=pipeline, progress=lambda msg: err_console.print(f"[dim]{msg}[/]", highlight=False))
    acc = meta["dev_ranking_accuracy"]
    typer.echo(f"dev rankings: learned {acc['learned']} % right (pronouns {acc['pronoun']}, descriptions "
               f"{acc['description']}), rules {acc['rules']} % (thresholds {meta['thresholds']})")
    if meta["gum_dev_ranking_accuracy"]:
        g = meta["gum_dev_ranking_accuracy"]
        typer.echo(f"GUM dev/test rankings: learned {g['learned']} %, rules {g['rules']} % ({g['rankings']})")
    err_console.print(f"[green]speaker ranker written to {out} ({meta['seconds']:.0f} s)[/]", highlight=False)
