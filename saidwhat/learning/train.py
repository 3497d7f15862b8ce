"""Train the attribution model (:mod:`saidwhat.extraction.model`) on brat corpora in the PolNeAR layout.

Every reading of every word (:func:`saidwhat.extraction.features.frame_options`) in the training split is
labelled by the gold annotation: positive when a gold statement's cue holds the word and
its content is (mostly) the content that reading gives. (lemma, frame) statistics are
computed out-of-fold for the training rows, so the trees learn how far to trust them on
unseen documents. The threshold is the one that scores best on the dev split.
"""
from __future__ import annotations

import hashlib
import platform
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import spacy
from spacy.tokens import Doc

from ..extraction.features import (
    FrameOption,
    PairStats,
    adjunct_features,
    adjunct_options,
    build_candidate,
    doc_options,
    feature_matrix,
    lemma_of,
    reading_row,
    source_features,
    source_options,
)
from ..extraction.headline import find_headline, first_line
from ..extraction.model import PARTS, AttributionModel, Trees, reading_columns
from ..extraction.pipeline import load_pipeline, parse
from ..extraction.quotes import QuoteIndex
from ..extraction.spans import token_span
from ..extraction.statements import find_candidates
from ..extraction.tagger import Tagger, Tagging
from .gold import SpanStatement, load_gold
from .metrics import METRICS, normalise_spans, score, span_chars

N_FOLDS = 5


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 0
    rounds: int = 400
    learning_rate: float = 0.05
    num_leaves: int = 31
    min_data_in_leaf: int = 20
    min_feature_count: int = 3  # binary features seen fewer times in training are dropped
    label_jaccard: float = 0.5  # content overlap with the gold content that makes a reading positive
    thresholds: tuple[float, ...] = (0.25, 0.3, 0.35, 0.4)
    threads: int = 2


@dataclass
class Example:
    """A parsed document with its gold statements."""

    stem: str
    doc: Doc
    gold: list[SpanStatement]


def data_hash(split_dir: str | Path) -> str:
    """SHA-256 over the names and bytes of a split's texts and annotations."""
    h = hashlib.sha256()
    root = Path(split_dir)
    for p in sorted(list(root.glob("text/*.txt")) + list(root.glob("attributions/*.ann"))):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def load_examples(split_dir: str | Path, pipeline: str | None = None,
                  progress: Callable[[str], None] | None = None) -> list[Example]:
    """Parse every gold document of a split with the extractor's own pipeline."""
    gold = load_gold(split_dir)
    if not gold:
        raise ValueError(f"{split_dir}: no annotated documents (expected text/*.txt and attributions/*.ann)")
    nlp = load_pipeline(pipeline)
    out = []
    for n, (stem, (text, statements)) in enumerate(gold.items(), 1):
        out.append(Example(stem, parse(nlp, text), statements))
        if progress and n % 50 == 0:
            progress(f"parsed {n}/{len(gold)} documents of {split_dir}")
    return out


def reading_content(opt: FrameOption, text: str) -> tuple[tuple[int, int], ...]:
    """The content a reading gives, normalised as the gold is for scoring."""
    doc = opt.tok.doc
    return normalise_spans(text, [sp for sp in (token_span(doc, a, b) for a, b in opt.ranges) if sp])


def label_options(ex: Example, jaccard: float, tagging: Tagging | None = None) -> list[tuple[FrameOption, bool, bool]]:
    """(option, quoted, positive) for every reading in one document.

    A reading is positive when a gold statement's cue holds its word and the gold content
    is exactly its content; for a word with no exact reading, when the contents overlap
    by at least ``jaccard`` (so the model learns the cue even where spans differ).
    """
    text = ex.doc.text
    gold = []
    for g in ex.gold:
        content = normalise_spans(text, g.content)
        if content:
            gold.append((normalise_spans(text, g.cue), content, span_chars(content)))
    options = list(doc_options(ex.doc, QuoteIndex(text), tagging))
    exact, near = [], []
    for opt, _quoted in options:
        spans = reading_content(opt, text)
        pred = span_chars(spans)
        is_exact = is_near = False
        for cue, content, chars in gold:
            if any(s <= opt.tok.idx < e for s, e in cue):
                if spans == content:
                    is_exact = True
                union = len(pred | chars)
                if union and len(pred & chars) / union >= jaccard:
                    is_near = True
        exact.append(is_exact)
        near.append(is_near)
    exact_words = {opt.tok.i for (opt, _), e in zip(options, exact) if e}
    return [(opt, quoted, e if opt.tok.i in exact_words else n)
            for (opt, quoted), e, n in zip(options, exact, near)]


def fold_of(stem: str, folds: int = N_FOLDS) -> int:
    """The fold (of ``folds``) a training document is in, by its name: the same in every run."""
    return int(hashlib.md5(stem.encode()).hexdigest(), 16) % folds


def predictions(examples: Sequence[Example], frames) -> dict[str, tuple[str, list, list]]:
    """Score input for :func:`saidwhat.learning.metrics.score`: what the extractor finds with ``frames``."""
    docs = {}
    for ex in examples:
        text = ex.doc.text
        # headline as for a .txt file, so these scores are what `saidwhat eval` reports
        headline = find_headline(text, first_line(text))
        cands = find_candidates(ex.doc, headline, QuoteIndex(text), frames=frames)
        pred = [SpanStatement(tuple(c.content), tuple(c.cue), (c.source,) if c.source else ())
                for c in cands]
        docs[ex.stem] = (text, ex.gold, pred)
    return docs


def _trees(rows: list[tuple[list[float], list[str]]], labels: list[int], n_numeric: int,
           settings: TrainSettings) -> Trees:
    """Gradient-boosted trees over numeric columns and the binary features seen often enough."""
    import lightgbm

    counts: Counter[str] = Counter(n for _, names in rows for n in set(names))
    vocab = sorted(n for n, c in counts.items() if c >= settings.min_feature_count)
    index = {n: n_numeric + i for i, n in enumerate(vocab)}
    params = {
        "objective": "binary", "learning_rate": settings.learning_rate,
        "num_leaves": settings.num_leaves, "min_data_in_leaf": settings.min_data_in_leaf,
        "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1,
        "seed": settings.seed, "deterministic": True, "force_row_wise": True,
        "num_threads": settings.threads, "verbose": -1,
    }
    if len(set(labels)) < 2:
        return Trees(None, vocab, n_numeric)  # nothing to learn from
    data = lightgbm.Dataset(feature_matrix(rows, index, n_numeric), np.array(labels))
    return Trees(lightgbm.train(params, data, num_boost_round=settings.rounds), vocab, n_numeric)


def _gold_of(ex: Example, tok_idx: int) -> list[SpanStatement]:
    """The gold statements whose cue holds the character at ``tok_idx``."""
    return [g for g in ex.gold if any(a <= tok_idx < b for a, b in g.cue)]


def cross_fit_tagging(tagger: Tagger | None, held_out: Sequence[Tagger]) -> Callable[[Example], Tagging | None]:
    """How each training document is tagged: by ``tagger``, or, with ``held_out`` taggers (each
    trained without one fold of the split, ``train-tagger --hold-out K/N``), by the one that
    never saw it, so the trees learn how far the tagger is right on new text."""
    if not held_out:
        return lambda ex: tagger.tag(ex.doc) if tagger is not None else None
    if tagger is None:
        raise ValueError("cross-fit taggers need the tagger the model is joined to (--tagger)")
    by_fold: dict[int, Tagger] = {}
    folds = set()
    for t in held_out:
        fold = t.meta.get("settings", {}).get("held_out")
        if not fold:
            raise ValueError(f"{t.dir}: not trained with a fold held out (train-tagger --hold-out K/N)")
        k, n = fold
        if k in by_fold:
            raise ValueError(f"{t.dir}: fold {k}/{n} is held out by {by_fold[k].dir} too")
        by_fold[k] = t
        folds.add(n)
    if len(folds) != 1 or set(by_fold) != set(range(next(iter(folds)))):
        raise ValueError(f"cross-fit taggers hold out folds {sorted(by_fold)} of {sorted(folds)}: "
                         "need every fold of one N once")
    n = folds.pop()
    return lambda ex: by_fold[fold_of(ex.stem, n)].tag(ex.doc)


def fit(train: Sequence[Example], settings: TrainSettings,
        progress: Callable[[str], None] | None = None, tagger: Tagger | None = None,
        held_out: Sequence[Tagger] = ()) -> AttributionModel:
    """Train the three tree models (the threshold is still to be chosen); with a ``tagger``,
    over its readings and probabilities too (the model is then joined to it), read on each
    training document by ``tagger`` or by the held-out tagger that never saw it
    (:func:`cross_fit_tagging`)."""
    say = progress or (lambda _msg: None)
    tagging_of = cross_fit_tagging(tagger, held_out)
    labelled = [(ex, label_options(ex, settings.label_jaccard, tagging_of(ex))) for ex in train]
    fold_stats = [PairStats.count((lemma_of(o.tok), o.frame, y) for ex, rows in labelled
                                  if fold_of(ex.stem) != k for o, _q, y in rows) for k in range(N_FOLDS)]
    full_stats = PairStats.count((lemma_of(o.tok), o.frame, y) for _e, rows in labelled for o, _q, y in rows)
    data: dict[str, tuple[list, list[int]]] = {part: ([], []) for part in PARTS}

    def add(part: str, row: tuple[list[float], list[str]], label: bool) -> None:
        data[part][0].append(row)
        data[part][1].append(int(label))

    for ex, opts in labelled:
        stats = fold_stats[fold_of(ex.stem)]
        text = ex.doc.text
        tagging = tagging_of(ex)
        for o, q, y in opts:
            add("readings", reading_row(stats, o, q, tagging), y)
            cand = build_candidate(o, 1.0) if y else None
            if cand is None:
                continue
            # the gold statement this reading is, not another one nearby
            gold = _gold_of(ex, o.tok.idx)
            cue_chars = span_chars(s for g in gold for s in g.cue)
            for child in adjunct_options(o, cand):
                add("cue_adjuncts", ([], adjunct_features(o, cand, child)), child.idx in cue_chars)
            sources = source_options(cand)
            gold_sources = {normalise_spans(text, g.source) for g in gold}
            matches = {name: normalise_spans(text, [span]) in gold_sources for name, span in sources.items()}
            if len(sources) > 1 and any(matches.values()):
                for name, span in sources.items():
                    add("sources", ([], source_features(cand, name, span, text)), matches[name])
    say(", ".join(f"{part}: {len(labels):,} rows ({sum(labels):,} positive)"
                  for part, (_rows, labels) in data.items()))
    trees = {part: _trees(rows, labels, reading_columns(tagger) if part == "readings" else 0, settings)
             for part, (rows, labels) in data.items()}
    return AttributionModel(trees, full_stats, settings.thresholds[0], {}, tagger)


def train(train_dir: str | Path, dev_dir: str | Path, out_dir: str | Path,
          settings: TrainSettings = TrainSettings(), pipeline: str | None = None,
          progress: Callable[[str], None] | None = None,
          examples: tuple[Sequence[Example], Sequence[Example]] | None = None,
          tagger_dir: str | Path | None = None, cross_fit: Sequence[str | Path] = ()) -> dict:
    """Train on ``train_dir``, pick the threshold on ``dev_dir``, write the model to ``out_dir``.

    Returns the model's metadata (also written to ``meta.json``). ``examples`` lets callers
    that already parsed both splits skip the parse. With ``tagger_dir`` (a span tagger made by
    ``saidwhat train-tagger``) the model is joined to that tagger, which is copied into it;
    ``cross_fit`` taggers, if given, tag the training documents they held out instead.
    """
    say = progress or (lambda _msg: None)
    started = time.time()
    # the taggers are checked before the long parse
    tagger = Tagger(tagger_dir, settings.threads) if tagger_dir else None
    held_out = [Tagger(d, settings.threads) for d in cross_fit]
    train_hash = data_hash(train_dir)
    for t in held_out:
        if t.meta.get("train_data_sha256") != train_hash:
            raise ValueError(f"{t.dir}: trained on other data than {train_dir} (train_data_sha256 differs)")
    cross_fit_tagging(tagger, held_out)
    if examples is None:
        train_ex = load_examples(train_dir, pipeline, progress)
        dev_ex = load_examples(dev_dir, pipeline, progress)
    else:
        train_ex, dev_ex = examples
    parsed = time.time()
    model = fit(train_ex, settings, say, tagger, held_out)
    fitted = time.time()
    best: tuple[float, float, dict] | None = None
    for threshold in settings.thresholds:
        model.threshold = threshold
        scores = score(predictions(dev_ex, model.frames))
        mean_f1 = sum(scores[m]["f1"] for m in METRICS) / len(METRICS)
        say(f"threshold {threshold}: mean F1 {mean_f1:.2f}")
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, threshold, scores)
    assert best is not None
    _, threshold, dev_scores = best
    nlp = load_pipeline(pipeline)
    meta = {
        "threshold": threshold,
        "train": {"path": str(train_dir), "documents": len(train_ex), "sha256": train_hash},
        "dev": {"path": str(dev_dir), "documents": len(dev_ex), "sha256": data_hash(dev_dir)},
        "dev_scores": {m: dev_scores[m] for m in METRICS},
        "settings": asdict(settings),
        "tagger": "tagger/meta.json" if model.tagger is not None else None,
        # the folds whose tagger probabilities came from a tagger that never saw them
        "cross_fit": [t.meta["settings"]["held_out"] for t in held_out],
        "pipeline": f"{nlp.meta.get('name')}-{nlp.meta.get('version')}",
        "versions": {"spacy": spacy.__version__, "python": platform.python_version()},
        "seconds": {"parse": round(parsed - started, 1), "fit": round(fitted - parsed, 1),
                    "total": round(time.time() - started, 1)},
    }
    model.threshold, model.meta = threshold, meta
    model.save(out_dir)
    return meta
