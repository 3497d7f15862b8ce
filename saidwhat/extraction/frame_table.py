"""The learned frame table: how often a word with a given complement is a cue.

``data/frames.tsv`` is made by ``scripts/learn_frames.py`` from a brat corpus (PolNeAR
train): for each (lemma, frame) seen outside quotations, how many times it occurred and
how many times the corpus annotated it as a cue whose content is that complement.
The rules use a frame when that precision is high enough; frames the corpus never
showed fall back to the hand-written cue lexicon (:mod:`.lexicon`).
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

FRAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "frames.tsv"
MIN_FRAME_PRECISION = 0.6
PRIOR_WEIGHT = 3.0  # pseudo-occurrences: a few corpus sightings refine, not replace, the prior


@functools.lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], tuple[int, int]]:
    table: dict[tuple[str, str], tuple[int, int]] = {}
    if not FRAMES_FILE.exists():
        return table
    with FRAMES_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            table[(row["lemma"], row["frame"])] = (int(row["n"]), int(row["hits"]))
    return table


def frame_precision(lemma: str, frame: str, prior: float = 0.0) -> float:
    """Estimated share of (lemma, frame) occurrences that are cues with that content.

    ``prior`` is what the hand-written lexicon expects; the corpus counts pull it
    toward what was observed.
    """
    n, hits = _table().get((lemma, frame), (0, 0))
    return (hits + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)


@functools.lru_cache(maxsize=1)
def _lemmas_with_frames() -> frozenset[str]:
    return frozenset(lemma for (lemma, frame) in _table()
                     if frame_precision(lemma, frame) >= MIN_FRAME_PRECISION)


def has_frames(lemma: str) -> bool:
    """Whether any frame of ``lemma`` is precise enough to use without the lexicon."""
    return lemma in _lemmas_with_frames()
