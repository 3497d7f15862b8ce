"""Speed of ``saidwhat extract`` against spaCy's own ``nlp.pipe`` on the same model and documents.

What is measured (PolNeAR dev by default: every ``.txt`` under ``../shared/data/polnear/dev/text``):

* **spaCy baseline**: ``spacy.load(saidwhat.extraction.pipeline.default_pipeline_name())`` with its default
  components, ``list(nlp.pipe(texts))`` with ``n_process=1`` and ``n_process=2``; texts are
  already in memory, so this is parsing alone. With ``n_process=2`` the batch size is
  ``--mp-batch-size`` (default 4): with spaCy's default (256 for this model) all 84 documents
  would form one batch, go to one worker, and the second process would idle.
* **saidwhat, in process**: ``list(saidwhat.extract_many((i, text, {"id", "title"}) ...))``
  (texts in memory, ``Article`` objects out) with the shipped attribution model (the default,
  the trees alone, what ``--fast`` also runs), with the trees joined to the span tagger
  (``JOINED_MODEL``, or ``--joined DIR``) and with the rules alone
  (``attribution_model=None``, what ``--no-model`` runs), and the CLI code path
  ``saidwhat.inputs.batch.run_extraction(paths, ExtractSettings(), processes=1 | 2, errors=[])`` consumed in
  full: it reads the files and returns JSON-able dicts, with a forked pool for 2 processes.
* **the real command** (only with ``--cli``): ``saidwhat extract DIR --format jsonl --out /dev/null``
  in a subprocess, with ``--processes 1`` and ``2``; this includes interpreter and model
  start-up and is reported apart, without a ratio.

Every row gets a warm-up on the first ``--warmup-docs`` documents, then timed runs of the whole
set. The timed runs go round-robin over the rows (spaCy and saidwhat alternate, so load from
other processes hits both alike) and a row's figure is its best run. Round 1 always runs; the
further rounds up to ``--repeat`` run while they fit into ``--budget`` seconds (``0``: no limit),
so the default run stays under about four minutes on a slow machine; the runs actually made are
reported. Throughput is docs/s and words/s (words = ``len(text.split())``); the ratio is
saidwhat's words/s over spaCy's at the same number of processes (the bars of issue 15: >= 0.9 for
``--fast``, the trees alone, today the default; >= 0.7 for the joined model).

Reproduce::

    cd /work/main && .venv/bin/python bench/speed.py                 # defaults
    .venv/bin/python bench/speed.py --repeat 1 --json /tmp/speed.json  # quick
    .venv/bin/python bench/speed.py --cli                              # plus the real command
    .venv/bin/python bench/speed.py --docs some/dir --budget 0         # other docs, no time cap
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from machine import cpu_seconds, loadavg, machine_info

import saidwhat
from saidwhat.extraction.model import DEFAULT_MODEL, JOINED_MODEL
from saidwhat.extraction.pipeline import default_pipeline_name, load_pipeline
from saidwhat.inputs import expand_paths, read_document
from saidwhat.inputs.batch import ExtractSettings, run_extraction

DEFAULT_DOCS = Path(__file__).resolve().parents[1].parent / "shared/data/polnear/dev/text"
BAR = 0.9  # issue 15: --fast (the trees alone, today also the default) >= 0.9x
JOINED_BAR = 0.7  # the trees joined to the span tagger >= 0.7x, to become the default


@dataclass
class Row:
    """One configuration to time: ``run()`` does the whole set, ``warm()`` a few documents."""

    key: str
    label: str
    group: str  # "spacy", "saidwhat" or "cli"
    processes: int
    run: Callable[[], Any]
    warm: Callable[[], Any]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU seconds per run, reaped children included

    @property
    def best(self) -> float:
        return min(self.times)


@dataclass
class Corpus:
    paths: list[Path]
    ids: list[str]
    texts: list[str]
    titles: list[str | None]

    @property
    def words(self) -> int:
        return sum(len(t.split()) for t in self.texts)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


def load_corpus(directory: Path) -> Corpus:
    """The documents as the CLI reads them (same walk, same decoding, same title)."""
    paths = [Path(p) for p in expand_paths([str(directory)])]
    if not paths:
        sys.exit(f"no .txt/.text/.md files under {directory}")
    docs = [read_document(p) for p in paths]
    return Corpus(paths=paths, ids=[d.id for d in docs], texts=[d.text for d in docs],
                  titles=[d.meta.get("title") for d in docs])


def consume_extract_many(corpus: Corpus, n: int | None = None,
                         attribution_model: str | None = DEFAULT_MODEL) -> int:
    """``extract_many`` over the texts in memory; returns the number of statements."""
    items = ((i, text, {"id": doc_id, "title": title}) for i, (doc_id, text, title)
             in enumerate(zip(corpus.ids[:n], corpus.texts[:n], corpus.titles[:n])))
    statements = 0
    for _, article, error in list(saidwhat.extract_many(items, attribution_model=attribution_model)):
        if error or article is None:
            raise RuntimeError(f"extract_many failed: {error}")
        statements += len(article.statements)
    return statements


def consume_run_extraction(paths: list[Path], processes: int) -> int:
    """The CLI's ``run_extraction`` consumed in full; returns the number of statements."""
    errors: list[str] = []
    articles = list(run_extraction(list(paths), ExtractSettings(), processes=processes, errors=errors))
    if errors or any(a is None for _, a in articles):
        raise RuntimeError(f"run_extraction failed: {errors[:3]}")
    return sum(len(a["statements"]) for _, a in articles)  # type: ignore[index]


def saidwhat_command() -> list[str]:
    exe = Path(sys.executable).parent / "saidwhat"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("saidwhat")
    return [found] if found else [sys.executable, "-c", "from saidwhat.cli import app; app()"]


def run_cli(inputs: list[str], processes: int) -> None:
    cmd = [*saidwhat_command(), "extract", *inputs, "--format", "jsonl", "--out", os.devnull,
           "--processes", str(processes)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... exited {proc.returncode}: {proc.stderr[-500:]}")




def timed(row: Row) -> None:
    gc.collect()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    result = row.run()
    elapsed = time.perf_counter() - t0
    row.cpu.append(cpu_seconds() - cpu0)
    row.times.append(elapsed)
    del result


def run_rounds(rows: list[Row], repeat: int, budget: float, log: Callable[[str], None]) -> int:
    """Round-robin timed runs; round 1 always, later rounds while they fit into ``budget``."""
    spent = 0.0
    rounds = 0
    for r in range(repeat):
        if r > 0 and budget > 0 and spent + spent / r > budget:
            log(f"  stopping after {r} round(s): another would pass the {budget:.0f} s budget")
            break
        t0 = time.perf_counter()
        for row in rows:
            timed(row)
            log(f"  round {r + 1}: {row.label:<44} {row.times[-1]:7.2f} s")
        spent += time.perf_counter() - t0
        rounds += 1
    return rounds








def row_record(row: Row, docs: int, words: int) -> dict[str, Any]:
    best = row.best
    return {
        "key": row.key, "label": row.label, "group": row.group, "processes": row.processes,
        "runs": len(row.times), "times_s": [round(t, 3) for t in row.times],
        "best_s": round(best, 3), "median_s": round(statistics.median(row.times), 3),
        "spread": round(max(row.times) / best, 3),
        "docs_per_s": round(docs / best, 2), "words_per_s": round(words / best, 1),
        "cpu_per_wall": round(row.cpu[row.times.index(best)] / best, 2),
    }


def print_table(records: list[dict[str, Any]], ratios: list[dict[str, Any]], info: dict[str, Any],
                corpus: dict[str, Any], rounds: int, repeat: int) -> None:
    print()
    print(f"machine: {info['nproc']} CPU(s), {info['cpu']}; Python {info['python']}, "
          f"spaCy {info['spacy']}, model {info['model']} {info['model_version']}")
    print(f"corpus:  {corpus['dir']}  {corpus['docs']} docs, {corpus['words']:,} words, "
          f"{corpus['chars']:,} chars")
    print(f"runs:    best of {rounds} (asked {repeat}) after a warm-up; "
          f"load average before {corpus['load_before']}, after {corpus['load_after']}")
    print()
    head = f"{'':44} {'proc':>4} {'best s':>8} {'spread':>7} {'docs/s':>8} {'words/s':>9} {'cpu/wall':>8}"
    print(head)
    print("-" * len(head))
    group = None
    for rec in records:
        if group is not None and rec["group"] != group and "cli" in (group, rec["group"]):
            print("-" * len(head))
        group = rec["group"]
        print(f"{rec['label']:44} {rec['processes']:>4} {rec['best_s']:8.2f} {rec['spread']:7.2f} "
              f"{rec['docs_per_s']:8.2f} {rec['words_per_s']:9,.0f} {rec['cpu_per_wall']:8.2f}")
    print()
    print(f"ratio saidwhat / spaCy parse alone (words/s, same processes; bar >= {BAR}, joined >= {JOINED_BAR}):")
    for r in ratios:
        mark = "ok" if r["meets_bar"] else f"BELOW BAR {r['bar']}"
        print(f"  {r['label']:54} {r['ratio']:.2f}x  {mark}")
    print()
    print("spread = slowest / best run; cpu/wall = CPU seconds of the run (worker processes included)")
    print("per wall second: about 1 for one process and 2 for two when the machine is quiet; less means")
    print("the run waited for a CPU (other load), so the figures are noisy.")
    starved = [r["label"] for r in records if r["cpu_per_wall"] < 0.9 * r["processes"]]
    if starved:
        print(f"NOTE: noisy: {len(starved)} row(s) got under 90% of their CPUs "
              f"({', '.join(starved)}).")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="directory of .txt documents")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per row, best is kept (default 3)")
    ap.add_argument("--budget", type=float, default=170.0,
                    help="seconds for timed rounds after the first (0: no limit; default 170)")
    ap.add_argument("--mp-batch-size", type=int, default=4,
                    help="nlp.pipe batch_size for the n_process=2 baseline (default 4)")
    ap.add_argument("--warmup-docs", type=int, default=8, help="documents in each warm-up (default 8)")
    ap.add_argument("--cli", action="store_true",
                    help="also time the real command end to end (1 and 2 processes)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON here")
    ap.add_argument("--joined", default=JOINED_MODEL, metavar="DIR",
                    help="the joined model of the joined row (default: the shipped one)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    load_before = loadavg()
    started = time.perf_counter()
    corpus = load_corpus(args.docs)
    n_docs, n_words = len(corpus.texts), corpus.words
    k = max(1, min(args.warmup_docs, n_docs))
    model = default_pipeline_name()
    info = machine_info()
    log(f"{n_docs} docs, {n_words:,} words from {args.docs}; model {model}; {info['nproc']} CPU(s)")

    t0 = time.perf_counter()
    nlp = spacy.load(model)
    load_spacy_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_pipeline(None)  # what `saidwhat extract` loads before forking its pool
    load_saidwhat_s = time.perf_counter() - t0
    log(f"spaCy pipeline {nlp.pipe_names} loaded in {load_spacy_s:.2f} s; "
        f"saidwhat's {load_pipeline(None).pipe_names} in {load_saidwhat_s:.2f} s")

    texts, paths = corpus.texts, corpus.paths
    mp_bs = max(1, args.mp_batch_size)
    rows = [
        Row("spacy_1", "spaCy nlp.pipe", "spacy", 1,
            run=lambda: list(nlp.pipe(texts)), warm=lambda: list(nlp.pipe(texts[:k]))),
        Row("saidwhat_extract_many_1", "saidwhat extract_many (texts in memory)", "saidwhat", 1,
            run=lambda: consume_extract_many(corpus), warm=lambda: consume_extract_many(corpus, k)),
        Row("saidwhat_joined_1", "saidwhat extract_many, joined to the tagger", "saidwhat", 1,
            run=lambda: consume_extract_many(corpus, attribution_model=args.joined),
            warm=lambda: consume_extract_many(corpus, k, attribution_model=args.joined)),
        Row("saidwhat_rules_1", "saidwhat extract_many, rules alone (--no-model)", "saidwhat", 1,
            run=lambda: consume_extract_many(corpus, attribution_model=None),
            warm=lambda: consume_extract_many(corpus, k, attribution_model=None)),
        Row("saidwhat_run_extraction_1", "saidwhat run_extraction (files -> dicts)", "saidwhat", 1,
            run=lambda: consume_run_extraction(paths, 1),
            warm=lambda: consume_run_extraction(paths[:k], 1)),
        Row("spacy_2", f"spaCy nlp.pipe n_process=2 batch_size={mp_bs}", "spacy", 2,
            run=lambda: list(nlp.pipe(texts, n_process=2, batch_size=mp_bs)),
            warm=lambda: list(nlp.pipe(texts[:k], n_process=2, batch_size=mp_bs))),
        Row("saidwhat_run_extraction_2", "saidwhat run_extraction processes=2", "saidwhat", 2,
            run=lambda: consume_run_extraction(paths, 2),
            warm=lambda: consume_run_extraction(paths[:max(k, 2)], 2)),
    ]
    log("warm-up ...")
    for row in rows:
        row.warm()
    log("timed runs ...")
    rounds = run_rounds(rows, args.repeat, args.budget, log)

    cli_rows: list[Row] = []
    if args.cli:
        warm_inputs = [str(p) for p in paths[:max(k, 2)]]
        cli_rows = [
            Row(f"cli_{p}", f"saidwhat extract DIR (end to end){'' if p == 1 else ' -p 2'}", "cli", p,
                run=lambda p=p: run_cli([str(args.docs)], p), warm=lambda p=p: run_cli(warm_inputs, p))
            for p in (1, 2)
        ]
        log("real command: warm-up ...")
        for row in cli_rows:
            row.warm()
        log("real command: timed runs ...")
        # one round per row unless there is no budget limit: each run pays start-up again
        run_rounds(cli_rows, args.repeat if args.budget <= 0 else 1, 0, log)

    by_key = {r.key: r for r in rows}
    ratios = []
    for sw_key, base_key, label in (
            ("saidwhat_extract_many_1", "spacy_1", "1 process: extract_many / nlp.pipe"),
            ("saidwhat_joined_1", "spacy_1", "1 process: extract_many joined / nlp.pipe"),
            ("saidwhat_rules_1", "spacy_1", "1 process: extract_many --no-model / nlp.pipe"),
            ("saidwhat_run_extraction_1", "spacy_1", "1 process: run_extraction / nlp.pipe"),
            ("saidwhat_run_extraction_2", "spacy_2", "2 processes: run_extraction / nlp.pipe n_process=2")):
        ratio = by_key[base_key].best / by_key[sw_key].best  # same words, so time ratio = rate ratio
        bar = JOINED_BAR if sw_key == "saidwhat_joined_1" else BAR
        ratios.append({"label": label, "saidwhat": sw_key, "spacy": base_key, "processes":
                       by_key[sw_key].processes, "ratio": round(ratio, 3), "bar": bar, "meets_bar": ratio >= bar})
    records = [row_record(r, n_docs, n_words) for r in rows + cli_rows]
    for rec in records:
        if rec["group"] == "cli":
            inproc = by_key[f"saidwhat_run_extraction_{rec['processes']}"].best
            rec["startup_overhead_s"] = round(rec["best_s"] - inproc, 2)

    corpus_info = {"dir": str(args.docs), "docs": n_docs, "words": n_words, "chars": corpus.chars,
                   "load_before": load_before, "load_after": loadavg()}
    print_table(records, ratios, info, corpus_info, rounds, args.repeat)
    for rec in records:
        if "startup_overhead_s" in rec:
            print(f"{rec['label']}: {rec['startup_overhead_s']:+.2f} s over run_extraction in process "
                  f"(interpreter, imports, model load, JSON output)")
    total = time.perf_counter() - started
    print(f"total benchmark time {total:.0f} s")
    if args.json:
        result = {
            "machine": info,
            "corpus": corpus_info,
            "config": {"repeat": args.repeat, "rounds": rounds, "budget_s": args.budget,
                       "warmup_docs": k, "cli": args.cli, "mp_batch_size": mp_bs,
                       "spacy_batch_size_1": nlp.batch_size,
                       "spacy_pipes": nlp.pipe_names, "saidwhat_pipes": load_pipeline(None).pipe_names},
            "load_s": {"spacy": round(load_spacy_s, 3), "saidwhat": round(load_saidwhat_s, 3)},
            "rows": records,
            "ratios": ratios,
            "bar": BAR, "joined_bar": JOINED_BAR,
            "total_s": round(total, 1),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
