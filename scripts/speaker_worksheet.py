"""Worksheets for annotating speakers: one JSON line per gold statement that has a source.

``python scripts/speaker_worksheet.py SPLIT_DIR STEM... --out FILE`` writes, for each gold
statement of each document (the reference annotator, as ``saidwhat eval`` reads them) whose
source mention is marked, a line with the source, cue and content as the gold marks them and
empty fields for the annotator: ``speaker`` (the fullest name a careful reader would give),
``type``, ``name_span`` (a mention of that name in the text) and ``members`` for a group.
See annotations/speakers/README.md for the rules.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from saidwhat.learning.gold import annotator_files, read_brat, read_text


def worksheet(split: Path, stem: str) -> list[dict]:
    text = read_text(split / "text" / f"{stem}.txt")
    statements = read_brat(annotator_files(split)[stem][0], text)
    rows = []
    for n, st in enumerate(sorted(statements, key=lambda s: (s.source or s.content or s.cue)[0]), 1):
        if not st.source:
            continue
        piece = lambda spans: " … ".join(text[s:e] for s, e in spans)  # noqa: E731
        rows.append({"doc": stem, "n": n, "source": [list(s) for s in st.source],
                     "source_text": piece(st.source), "cue_text": piece(st.cue),
                     "content_text": piece(st.content)[:300],
                     "speaker": None, "type": None, "name_span": None, "members": []})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path, help="a PolNeAR split folder (text/, attributions/)")
    ap.add_argument("stems", nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    with args.out.open("w", encoding="utf-8") as f:
        for stem in args.stems:
            for row in worksheet(args.split, stem):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
