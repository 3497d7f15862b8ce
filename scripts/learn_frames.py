"""Learn the frame table (saidwhat/data/frames.tsv) from a brat corpus in the PolNeAR layout.

    .venv/bin/python scripts/learn_frames.py ../shared/data/polnear/train

For every verb, noun or adjective outside a closed quotation and outside other statements'
contents (PolNeAR never annotates nested attributions), and every complement frame
it has (see ``attribution.complement_frames``), count occurrences and how often the gold
marks the word as a cue whose content contains that complement's head.
"""
from __future__ import annotations

import argparse
import collections
import csv
from pathlib import Path

from saidwhat import learning as evaluation
from saidwhat import load_pipeline
from saidwhat.extraction.frame_table import FRAMES_FILE
from saidwhat.extraction.quotes import QuoteIndex
from saidwhat.extraction.readings import complement_frames, is_conversational


def learn(gold_dir: Path) -> dict[tuple[str, str], list[int]]:
    nlp = load_pipeline()
    gold = evaluation.load_gold(gold_dir)
    stems = sorted(gold)
    counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for doc, stem in zip(nlp.pipe(gold[s][0] for s in stems), stems):
        _, statements = gold[stem]
        cue_of, content_of = {}, {}
        for k, st in enumerate(statements):
            for a, b in st.cue:
                cue_of.update((c, k) for c in range(a, b))
            for a, b in st.content:
                content_of.update((c, k) for c in range(a, b))
        quotes = QuoteIndex(doc.text)
        for tok in doc:
            if tok.pos_ not in ("VERB", "NOUN", "ADJ", "AUX"):
                continue
            q = quotes.at(tok.idx)
            if q is not None and q.closed or is_conversational(tok):
                continue  # the extractor never takes these as cues
            k = cue_of.get(tok.idx)
            if k is None and tok.idx in content_of:
                continue  # nested in another statement's content: never annotated (univocal)
            for frame, heads in complement_frames(tok).items():
                row = counts[(tok.lemma_.lower(), frame)]
                row[0] += 1
                head = heads[0]
                if frame.startswith("prep_"):
                    head = next((g for g in head.children if g.dep_ in ("pobj", "pcomp")), head)
                if k is not None and content_of.get(head.idx) == k:
                    row[1] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--out", type=Path, default=FRAMES_FILE)
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()
    counts = learn(args.gold_dir)
    rows = sorted(((lemma, frame, n, hits) for (lemma, frame), (n, hits) in counts.items()
                   if n >= args.min_count), key=lambda r: (r[0], r[1]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["lemma", "frame", "n", "hits"])
        w.writerows(rows)
    print(f"{len(rows)} frames written to {args.out}")


if __name__ == "__main__":
    main()
