"""Worksheets for annotating circumstances: one JSON line per gold statement.

``python scripts/circumstance_worksheet.py SPLIT_DIR STEM... --out FILE`` writes, for each gold
statement of each document (the reference annotator, as ``saidwhat eval`` reads them), a line
with its content, cue and source as the gold marks them, the article's publication date (from
the split's ``metadata.tsv`` when there is one) and empty fields for the annotator: ``time``,
``addressee``, ``setting`` and ``responds_to``. ``--seed GOLD_JSON`` writes the same for the
bundled example, whose gold is JSON. See annotations/circumstances/README.md for the rules.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from saidwhat.learning.gold import (
    SpanStatement,
    annotator_files,
    publication_dates,
    read_brat,
    read_text,
    statements_from_article,
)


def rows_for(doc: str, text: str, statements: list[SpanStatement], published: str | None) -> list[dict]:
    piece = lambda spans: " … ".join(text[s:e] for s, e in spans)  # noqa: E731
    ordered = sorted(statements, key=lambda s: (s.cue or s.source or s.content)[0])
    return [{"doc": doc, "n": n, "published": published,
             "content": [list(s) for s in st.content], "cue": [list(s) for s in st.cue],
             "source": [list(s) for s in st.source], "cue_text": piece(st.cue),
             "source_text": piece(st.source), "content_text": piece(st.content)[:200],
             "time": None, "addressee": None, "setting": None, "responds_to": None}
            for n, st in enumerate(ordered, 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path, help="a PolNeAR split folder (text/, attributions/)")
    ap.add_argument("stems", nargs="*")
    ap.add_argument("--seed", type=Path, help="the example's gold JSON (its text beside it, .txt)")
    ap.add_argument("--published", help="publication date for --seed (YYYY-MM-DD)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    dates = publication_dates(args.split)
    rows = []
    for stem in args.stems:
        text = read_text(args.split / "text" / f"{stem}.txt")
        rows += rows_for(stem, text, read_brat(annotator_files(args.split)[stem][0], text), dates.get(stem))
    if args.seed:
        article = json.loads(args.seed.read_text(encoding="utf-8"))
        text = read_text(args.seed.with_name(args.seed.name.replace(".gold.json", ".txt")))
        for st in article["statements"]:  # the example's gold gives bare span lists
            for part in ("content", "cue", "source"):
                st[part] = {"spans": st.get(part) or []}
        rows += rows_for(article["id"], text, statements_from_article(article), args.published)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
