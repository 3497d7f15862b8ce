"""The learned attribution model: which words of a parsed article are cues, and for what.

The rules of :mod:`.rules` decide a cue from a word's lemma and complement
frame. The model scores every reading a word allows -- each complement frame ("X said
*that ...*", "X called *for ...*"), a noun's that-clause, and the fallbacks for clauses the
parser left unattached -- with gradient-boosted trees over parse features (lemma, frame,
dependency context, the subject's kind, quotation marks, neighbouring words) and corpus
statistics of the (lemma, frame) pair. The best reading of each word above a threshold
becomes a statement; its content, cue and source spans are built by the same functions the
rules use, and quote pairing, overlap resolution and speaker resolution stay rule-based.

A model may be joined to the span tagger (:mod:`.tagger`, in its ``tagger/`` subdirectory): the
tagger's content spans are then more readings (frame ``tagger``), and every reading gets the
tagger's probabilities as numeric columns, so the trees can choose contents the parse does not
give. :data:`JOINED_MODEL` is such a model; :data:`FAST_MODEL` (``--fast``) the trees alone, for now
also :data:`DEFAULT_MODEL`.

Two smaller tree models finish the spans the way the training corpus marks them: which
adjuncts after a cue verb belong to the cue ("said *Friday*"), and how far a source
mention reaches (with or without its appositive). A model directory holds one LightGBM
file per part (:data:`PARTS`), ``features.json`` (feature vocabularies and the (lemma,
frame) counts) and ``meta.json`` (threshold, training data hash, settings, dev scores);
:mod:`saidwhat.learning.train` makes one; the rows the trees read are built in
:mod:`.features`. See docs/model.md.
"""
from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .features import (
    N_NUMERIC,
    TAGGER_NUMERIC,
    FrameOption,
    PairStats,
    adjunct_features,
    adjunct_options,
    build_candidate,
    doc_options,
    feature_matrix,
    merge_spans,
    reading_row,
    source_features,
    source_options,
)
from .quotes import QuoteIndex
from .spans import Candidate
from .tagger import Tagger, Tagging

_DATA = Path(__file__).resolve().parents[1] / "data"
#: the trees alone, over the parse (``--fast``)
FAST_MODEL = str(_DATA / "model")
#: the trees joined to the span tagger (:mod:`.tagger`), which lives inside it
JOINED_MODEL = str(_DATA / "joined")
#: the model used unless told otherwise: still the trees alone -- the joined model scores higher on
#: every PolNeAR dev metric but runs at 0.58x spaCy's parse, under the default's bar of 0.7x
#: (docs/model.md)
DEFAULT_MODEL = FAST_MODEL


class Trees:
    """A LightGBM booster with its feature vocabulary: numeric columns first, then binary ones.

    ``booster`` is None when the training corpus had no example of the decision (a small
    corpus may have no cue adjunct at all); every row then scores 0.
    """

    def __init__(self, booster, vocab: Iterable[str], n_numeric: int = 0):
        self.booster = booster
        self.n_numeric = n_numeric
        self.vocab = {name: n_numeric + i for i, name in enumerate(vocab)}

    def names(self) -> list[str]:
        return sorted(self.vocab, key=self.vocab.get)

    def predict(self, rows: list[tuple[list[float], list[str]]]) -> np.ndarray:
        if not rows or self.booster is None:
            return np.zeros(len(rows))
        return self.booster.predict(feature_matrix(rows, self.vocab, self.n_numeric), num_threads=1)


#: the tree models of a model directory: file stem -> what it decides
PARTS = {"readings": "which reading of a word is a cue", "cue_adjuncts": "what else the cue spans",
         "sources": "how far a source mention reaches"}


class AttributionModel:
    """A trained model; :meth:`frames` stands in for the rules' ``rule_frames``."""

    def __init__(self, trees: dict[str, Trees], stats: PairStats, threshold: float, meta: dict,
                 tagger: Tagger | None = None):
        self.trees = trees
        self.stats = stats
        self.threshold = threshold
        self.meta = meta
        self.tagger = tagger  # a model joined to the span tagger reads its readings and probabilities

    @classmethod
    def load(cls, model_dir: str | Path) -> AttributionModel:
        import lightgbm  # imported here: the rules alone don't need it

        d = Path(model_dir)
        for name in [f"{part}.txt" for part in PARTS] + ["features.json", "meta.json"]:
            if not (d / name).is_file():
                raise FileNotFoundError(f"{d}: not a saidwhat model directory (no {name})")
        features = json.loads((d / "features.json").read_text(encoding="utf-8"))
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        tagger = Tagger(d / "tagger") if (d / "tagger").is_dir() else None
        trees = {}
        for part in PARTS:
            path = d / f"{part}.txt"
            booster = lightgbm.Booster(model_file=str(path)) if path.stat().st_size else None
            trees[part] = Trees(booster, features["vocab"][part], reading_columns(tagger) if part == "readings" else 0)
        return cls(trees, PairStats(features["pair_counts"]), float(meta["threshold"]), meta, tagger)

    def save(self, model_dir: str | Path) -> None:
        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        for part, trees in self.trees.items():
            if trees.booster is None:
                (d / f"{part}.txt").write_text("")
            else:
                trees.booster.save_model(str(d / f"{part}.txt"))
        features = {"vocab": {part: t.names() for part, t in self.trees.items()},
                    "pair_counts": self.stats.counts}
        (d / "features.json").write_text(json.dumps(features, sort_keys=True), encoding="utf-8")
        (d / "meta.json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")
        if self.tagger is not None and self.tagger.dir.resolve() != (d / "tagger").resolve():
            shutil.copytree(self.tagger.dir, d / "tagger", dirs_exist_ok=True)

    def tagging(self, doc: Doc) -> Tagging | None:
        """The tagger's reading of ``doc`` (None for the trees alone)."""
        return self.tagger.tag(doc) if self.tagger is not None else None

    def score(self, options: list[tuple[FrameOption, bool]], tagging: Tagging | None = None) -> np.ndarray:
        return self.trees["readings"].predict([reading_row(self.stats, o, q, tagging) for o, q in options])

    def frames(self, doc: Doc, headline: tuple[int, int] | None = None,
               quotes: QuoteIndex | None = None) -> list[Candidate]:
        """Statements whose cue the model reads in ``doc`` (best reading per word).

        The headline is read too: the model learned how far to trust its parse there.
        """
        text = doc.text  # a property that rebuilds the string: read it once
        tagging = self.tagging(doc)
        options = list(doc_options(doc, quotes or QuoteIndex(text), tagging))
        scores = self.score(options, tagging)
        best: dict[int, tuple[float, FrameOption]] = {}
        for (opt, _), p in zip(options, scores):
            if p >= self.threshold and p > best.get(opt.tok.i, (-1.0, None))[0]:
                best[opt.tok.i] = (float(p), opt)
        out = []
        for _, (p, opt) in sorted(best.items()):
            cand = build_candidate(opt, p)
            if cand is not None:
                out.append((opt, cand))
        self.extend_cues(out, text)
        self.choose_sources([cand for _, cand in out], text)
        return [cand for _, cand in out]

    def extend_cues(self, chosen: list[tuple[FrameOption, Candidate]], text: str) -> None:
        """Add the adjuncts the model reads as part of each cue ('said *on Friday*')."""
        rows, where = [], []
        for opt, cand in chosen:
            for child in adjunct_options(opt, cand):
                rows.append(([], adjunct_features(opt, cand, child)))
                where.append((opt, cand, child))
        for (_, cand, child), p in zip(where, self.trees["cue_adjuncts"].predict(rows)):
            if p >= 0.5:
                end = child.right_edge.idx + len(child.right_edge.text)
                cand.cue = merge_spans(text, cand.cue + [(child.left_edge.idx, end)])

    def choose_sources(self, cands: list[Candidate], text: str) -> None:
        """Give each source mention the extent the model scores highest."""
        rows, where = [], []
        for cand in cands:
            options = source_options(cand)
            if len(options) > 1:
                for name, span in options.items():
                    rows.append(([], source_features(cand, name, span, text)))
                    where.append((cand, span))
        best: dict[int, tuple[float, tuple[int, int]]] = {}
        for (cand, span), p in zip(where, self.trees["sources"].predict(rows)):
            if p > best.get(id(cand), (-1.0, None))[0]:
                best[id(cand)] = (float(p), span)
        for cand in cands:
            if id(cand) in best:
                cand.source = best[id(cand)][1]


def reading_columns(tagger: Tagger | None) -> int:
    """How many numeric columns the reading trees read: the tagger's follow the statistics."""
    return N_NUMERIC + (TAGGER_NUMERIC if tagger is not None else 0)


@functools.lru_cache(maxsize=4)
def load_model(model_dir: str = DEFAULT_MODEL) -> AttributionModel:
    """The model in ``model_dir`` (by default the shipped one), loaded once per process."""
    return AttributionModel.load(model_dir)
