"""How far two annotators of circumstances agree: the second scored against the first.

``python scripts/circumstance_agreement.py TEXT_DIR FIRST.jsonl SECOND.jsonl`` reads two
annotations of the same documents (annotations/circumstances/README.md) and scores the second
as if it were the extractor's output, with the scorer of ``saidwhat eval --circumstances``:
per-field precision, recall and F1 over every statement both annotated. F1 is symmetric, so it
is the agreement whichever comes first; it is the ceiling a system scored against one
annotator can be expected to reach on documents the other one would have annotated.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from saidwhat.learning.circumstances import format_circumstance_report, load_circumstance_gold, score_circumstances
from saidwhat.learning.gold import read_text


def as_article(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One annotator's lines for a document in the shape of an extracted article."""
    names = sorted({r["responds_to"] for r in rows if r.get("responds_to")})
    ids = {name: f"p{k}" for k, name in enumerate(names, 1)}
    statements = [{"content": {"spans": r["content"]}, "time": r.get("time"), "addressee": r.get("addressee"),
                   "setting": r.get("setting"), "responds_to": ids.get(r.get("responds_to"))} for r in rows]
    return {"statements": statements, "speakers": [{"id": i, "name": n} for n, i in ids.items()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("text_dir", type=Path, help="the split's text folder")
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    first, second = load_circumstance_gold(args.first), load_circumstance_gold(args.second)
    both = sorted(set(first) & set(second))
    texts = {stem: read_text(args.text_dir / f"{stem}.txt") for stem in both}
    tally = score_circumstances(texts, {stem: first[stem] for stem in both},
                                {stem: as_article(second[stem]) for stem in both})
    print(f"documents annotated by both: {len(both)}")
    print(format_circumstance_report(tally.scores()))


if __name__ == "__main__":
    main()
