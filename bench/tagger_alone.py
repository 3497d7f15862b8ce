"""The span tagger alone on a PolNeAR-layout split: its own spans as statements, scored.

The ablation of docs/model.md: what the shipped int8 ONNX tagger finds without the trees. Every
content span it decodes is a statement, with the nearest cue span it decodes and the source span
nearest that cue (:func:`saidwhat.learning.tagger_train.tagger_statements`), scored with the six
metrics of ``saidwhat eval``. Also times the tagger alone (tokenizer and onnxruntime, on the
sentences it reads) in words/s of the whole texts.

    .venv/bin/python bench/tagger_alone.py [--gold ../shared/data/polnear/dev] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from saidwhat.extraction.model import JOINED_MODEL, load_model
from saidwhat.extraction.pipeline import load_pipeline, parse
from saidwhat.learning.gold import load_gold
from saidwhat.learning.metrics import format_report, score
from saidwhat.learning.tagger_train import tagger_statements

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared/data/polnear/dev"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--model", default=JOINED_MODEL, help="a model directory joined to a tagger")
    ap.add_argument("--json", type=Path, help="also write the scores here")
    args = ap.parse_args()
    model = load_model(str(args.model))
    if model.tagger is None:
        raise SystemExit(f"{args.model}: not joined to a tagger")
    nlp = load_pipeline()
    gold = load_gold(args.gold)
    docs, seconds, words = {}, 0.0, 0
    for stem, (text, statements) in sorted(gold.items()):
        doc = parse(nlp, text)
        started = time.perf_counter()
        tagging = model.tagger.tag(doc)
        seconds += time.perf_counter() - started
        words += len(text.split())
        docs[stem] = (text, statements, tagger_statements(tagging))
    scores = score(docs)
    print(format_report({**scores, "documents": len(docs)}))
    print(f"tagger alone: {words / seconds:,.0f} words/s ({words:,} words, {seconds:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps({"scores": scores, "words_per_s": round(words / seconds)}, indent=1))


if __name__ == "__main__":
    main()
