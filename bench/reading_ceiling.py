"""How many gold contents the parse-reading model could get exactly right, at best.

The model (``saidwhat/model.py``) only ever predicts a content that some reading of a cue
word gives (``frame_options``): a complement's subtree, a trimmed variant, a fallback. This
script counts, for every gold statement of a split, the best that any reading of a word in
its gold cue reaches:

* ``exact``: some reading gives exactly the gold content (normalised as ``saidwhat eval`` does);
* ``end only`` / ``start only`` / ``both ends``: a reading has the gold's span count and overlaps
  it, and would be exact if its last end / first start / both moved elsewhere within the sentence;
* ``no exact reading``: readings exist, none is near enough for that;
* ``no reading``: no word of the gold cue has any reading (nominal cues, clauses the parser
  attached elsewhere, headlines, questions).

``exact`` over all gold statements is the recall ceiling of content_exact for the readings
(the rules' quote and "according to" candidates come on top); adding the boundary rows gives
the ceiling with perfect boundary choices.

Reproduce::

    cd /work/main && .venv/bin/python bench/reading_ceiling.py ../shared/data/polnear/dev
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from saidwhat import load_pipeline
from saidwhat.extraction.features import FrameOption, doc_options
from saidwhat.extraction.pipeline import parse
from saidwhat.extraction.quotes import QuoteIndex
from saidwhat.extraction.spans import sentence_of
from saidwhat.learning.metrics import load_gold, normalise_spans
from saidwhat.learning.train import reading_content


def best_reach(options: list[FrameOption], content: tuple[tuple[int, int], ...], text: str) -> str:
    """The best outcome any of a gold cue's readings reaches for the gold ``content``."""
    if not options:
        return "no reading"
    outcomes = set()
    for opt in options:
        spans = reading_content(opt, text)
        if spans == content:
            return "exact"
        if not spans or len(spans) != len(content):
            continue
        if not (spans[0][0] < content[0][1] and content[0][0] < spans[-1][1]):
            continue
        sent = sentence_of(opt.tok)
        if not (sent.start_char <= content[0][0] and content[-1][1] <= sent.end_char):
            continue
        # only the outer ends may differ
        if spans[1:-1] != content[1:-1] or len(spans) > 1 and (
                spans[0][1] != content[0][1] or spans[-1][0] != content[-1][0]):
            continue
        same_start, same_end = spans[0][0] == content[0][0], spans[-1][1] == content[-1][1]
        outcomes.add("end only" if same_start else "start only" if same_end else "both ends")
    for outcome in ("end only", "start only", "both ends"):
        if outcome in outcomes:
            return outcome
    return "no exact reading"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split", help="a brat split in the PolNeAR layout (text/, attributions/)")
    ap.add_argument("--json", help="also write the counts here")
    args = ap.parse_args()
    nlp = load_pipeline(None)
    counts: Counter[str] = Counter()
    for text, statements in load_gold(args.split).values():
        doc = parse(nlp, text)
        options = [opt for opt, _quoted in doc_options(doc, QuoteIndex(text))]
        for statement in statements:
            content = normalise_spans(text, statement.content)
            if not content:
                continue
            cue = normalise_spans(text, statement.cue)
            mine = [o for o in options if any(a <= o.tok.idx < b for a, b in cue)]
            counts[best_reach(mine, content, text)] += 1
    total = sum(counts.values())
    order = ("exact", "end only", "start only", "both ends", "no exact reading", "no reading")
    running = 0
    print(f"{'best reading':18s} {'gold':>6s} {'%':>6s} {'ceiling %':>10s}")
    for name in order:
        running += counts[name] if name in order[:4] else 0
        ceiling = f"{100 * running / total:10.1f}" if name in order[:4] else ""
        print(f"{name:18s} {counts[name]:6d} {100 * counts[name] / total:6.1f} {ceiling}")
    print(f"{'gold statements':18s} {total:6d}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"split": args.split, "counts": dict(counts), "total": total}, fh, indent=1)


if __name__ == "__main__":
    main()
