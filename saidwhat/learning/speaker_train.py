"""Train the speaker ranker (:mod:`saidwhat.extraction.ranking`) on PolNeAR speaker annotations and GUM.

The resolver is run over gold source mentions exactly as it runs over found ones, and every
ranking it makes is recorded: one row per (mention, entity met so far), labelled by the gold.

* PolNeAR (``annotations/speakers/``): each annotated statement's source mention; an entity
  is right when its name is the annotated speaker's (:func:`~.speakers.same_name`); for an
  anonymous source no entity is right, which teaches the ranker to stay below its threshold.
* GUM (``../shared/data/gum/``): every pronoun and definite description ("the company", "the
  governor") that refers to a person or an organisation mentioned before; an entity is right
  when one of its mentions is a gold mention of the same GUM entity.

LightGBM trees (binary, deterministic for a seed) over the pronoun rows; descriptions are too
few to learn from and keep the hand weights. The pronoun threshold is the one that resolves
most dev pronouns right (the top entity right and above it, or no entity right and the top
below it). ``saidwhat train-speakers`` writes ``model.txt`` and ``ranker.json`` (features,
thresholds, data hashes, counts, dev accuracy).
"""
from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import spacy

from ..extraction.entities import Entity, Mention
from ..extraction.headline import find_headline, first_line
from ..extraction.lexicon import DOCUMENT_SPEAKER_NOUNS, ORGANIZATION_NOUNS, PERSON_NOUNS, PRONOUN_GENDER
from ..extraction.pipeline import load_pipeline, parse
from ..extraction.quotes import QuoteIndex
from ..extraction.ranking import HOWS, Features, LearnedRanker, RuleRanker, always_resolves
from ..extraction.spans import Candidate
from ..extraction.speakers import SpeakerResolver
from .gold import load_gold
from .gum import GumDocument, GumMention, gum_documents, gum_split
from .speakers import GoldSpeaker, load_speaker_gold, same_name

_PRONOUNS = frozenset(PRONOUN_GENDER) | {"it", "its", "they", "them", "their"}
GUM_NOTICE = """This speaker ranker was trained in part on the GUM corpus (Georgetown University
Multilayer corpus, https://gucorpling.org/gum/): its annotations are licensed CC BY 4.0; the
texts used (genres news and interview from Wikinews, CC BY 2.5; academic and court, CC BY 4.0)
are licensed as stated in GUM's LICENSE file. Zeldes, Amir (2017) "The GUM Corpus: Creating
Multilayer Resources in the Classroom". Language Resources and Evaluation 51(3), 581-612.
"""
#: GUM entity types the ranker learns to find
_GUM_TYPES = frozenset({"person", "organization"})


@dataclass(frozen=True)
class SpeakerTrainSettings:
    seed: int = 0
    rounds: int = 300
    learning_rate: float = 0.05
    num_leaves: int = 7
    min_data_in_leaf: int = 5
    polnear_weight: float = 3.0  # in-domain rankings count this much more than GUM's
    thresholds: tuple[float, ...] = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
    threads: int = 2
    # GUM genres learned from: those whose texts are CC BY (not the ShareAlike bio and voyage)
    gum_genres: tuple[str, ...] = ("news", "interview", "academic", "court")


@dataclass
class Ranking:
    """One ranking the resolver made: the feature rows of its options and which are right."""

    rows: list[Features]
    labels: list[int]
    source: str  # "polnear" or "gum"

    @property
    def how(self) -> str:
        """``pronoun`` or ``description``: which threshold decides it."""
        return "pronoun" if self.rows and self.rows[0].get("how=pronoun") else "description"


def _pseudo_candidate(doc: Any, source: tuple[int, int], content: list[tuple[int, int]],
                      anchor: int) -> Candidate | None:
    span = doc.char_span(*source, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return Candidate(kind="indirect", content=content, cue=[], source=source, source_head=span.root,
                     confidence=1.0, anchor=anchor)


def _record(resolver: SpeakerResolver, label: Callable[[Candidate, Entity], bool] | None,
            out: list[Ranking], source: str) -> None:
    def hook(cand: Candidate, options: list[tuple[Entity, Mention]], rows: list[Features]) -> None:
        if label is not None:
            out.append(Ranking(rows, [int(label(cand, e)) for e, _ in options], source))
    resolver.on_rank = hook


def polnear_rankings(split_dir: Path, annotations: Path, nlp: Any) -> list[Ranking]:
    """The rankings over the annotated statements' source mentions of a PolNeAR split."""
    gold = load_gold(split_dir)
    out: list[Ranking] = []
    for stem, rows in sorted(load_speaker_gold(annotations).items()):
        if stem not in gold:
            continue
        text, _ = gold[stem]
        statements = {row.source: row for row in rows}
        doc = parse(nlp, text)
        cands, truth = [], {}
        for st in gold[stem][1]:
            row = statements.get(st.source)
            if row is None:
                continue
            source = (min(s for s, _ in st.source), max(e for _, e in st.source))
            cand = _pseudo_candidate(doc, source, list(st.content), (st.cue or st.source)[0][0])
            if cand is not None:
                cands.append(cand)
                truth[id(cand)] = row
        resolver = SpeakerResolver(doc, QuoteIndex(text), find_headline(text, first_line(text)), RuleRanker())
        _record(resolver, lambda c, e, truth=truth: is_speaker(e, truth[id(c)]), out, "polnear")
        resolver.resolve(cands)
    return out


def is_speaker(entity: Entity, gold: GoldSpeaker) -> bool:
    """Whether an entity is the annotated speaker."""
    if gold.type == "anonymous":
        return False
    return any(same_name(entity.name, g, gold.type == "person") for g in (gold.speaker or "", *gold.members) if g)


def _gum_sources(document: GumDocument, doc: Any) -> list[tuple[GumMention, list[GumMention]]]:
    """GUM mentions the ranker should resolve, each with the earlier mentions of its entity."""
    out = []
    seen: dict[int, list[GumMention]] = {}
    for m in document.mentions:
        earlier = seen.setdefault(m.entity, [])
        words = document.text[m.start:m.end].split()
        if m.type in _GUM_TYPES and earlier and words:
            pronoun = len(words) == 1 and words[0].casefold() in _PRONOUNS
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            head = span.root if span is not None and len(span) else None
            description = head is not None and words[0].casefold() in ("the", "this") and len(words) <= 5 \
                and head.pos_ == "NOUN" and head.lemma_.casefold() in PERSON_NOUNS | ORGANIZATION_NOUNS | \
                DOCUMENT_SPEAKER_NOUNS
            if pronoun or description:
                out.append((m, list(earlier)))
        earlier.append(m)
    return out


def gum_rankings(documents: Iterable[GumDocument], nlp: Any) -> list[Ranking]:
    """The rankings over GUM pronouns and descriptions of people and organisations."""
    out: list[Ranking] = []
    for document in documents:
        doc = parse(nlp, document.text)
        sources = _gum_sources(document, doc)
        cands, truth = [], {}
        for m, earlier in sources:
            cand = _pseudo_candidate(doc, (m.start, m.end), [], m.start)
            if cand is not None:
                cands.append(cand)
                truth[id(cand)] = earlier
        resolver = SpeakerResolver(doc, QuoteIndex(document.text), find_headline(document.text), RuleRanker())

        def label(cand: Candidate, entity: Entity, truth: dict = truth) -> bool:
            return any(mention.start < g.end and g.start < mention.end
                       for mention in entity.mentions for g in truth[id(cand)])
        _record(resolver, label, out, "gum")
        resolver.resolve(cands)
    return out


def vocabulary(rankings: Iterable[Ranking]) -> list[str]:
    return sorted({name for r in rankings for row in r.rows for name in row})


def _matrix(rankings: list[Ranking], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    rows = [row for r in rankings for row in r.rows]
    x = np.zeros((len(rows), len(index)))
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name in index:
                x[i, index[name]] = value
    y = np.array([label for r in rankings for label in r.labels], dtype=np.float64)
    return x, y


def accuracy(rankings: list[Ranking], scores: np.ndarray, thresholds: dict[str, float],
             how: str | None = None) -> float:
    """Share of rankings (of mentions of kind ``how``, or all) decided right: the top option
    right and taken (at or above its threshold, or a mention that always resolves: see
    :func:`~saidwhat.extraction.ranking.always_resolves`), or no option right and none taken."""
    right, i, n = 0, 0, 0
    for r in rankings:
        s = scores[i:i + len(r.rows)]
        i += len(r.rows)
        if how is not None and r.how != how:
            continue
        n += 1
        threshold = thresholds[r.how]
        top = int(np.argmax(s)) if len(s) else -1
        taken = top >= 0 and (s[top] >= threshold or always_resolves(r.rows[top]))
        right += int(taken and r.labels[top] == 1) if any(r.labels) else int(not taken)
    return right / max(1, n)


def _scores(booster: Any, rankings: list[Ranking], index: dict[str, int]) -> np.ndarray:
    """Scores as the shipped ranker gives them: trees for pronouns, hand weights for descriptions."""
    out = []
    for r in rankings:
        if r.how == "pronoun":
            x, _ = _matrix([r], index)
            out.extend(booster.predict(x, num_threads=1) if len(x) else [])
        else:
            out.extend(RuleRanker().score(r.rows))
    return np.array(out)


def data_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).is_dir() else [Path(root)]
        for p in files:
            h.update(str(p.relative_to(root) if p != Path(root) else p.name).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def train_speakers(train_split: Path, train_annotations: Path, dev_split: Path, dev_annotations: Path,
                   gum: Path | None, out_dir: Path, settings: SpeakerTrainSettings = SpeakerTrainSettings(),
                   pipeline: str | None = None, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Train, choose the threshold on dev, write the model; returns its meta."""
    import lightgbm

    started = time.perf_counter()
    nlp = load_pipeline(pipeline)
    train = polnear_rankings(train_split, train_annotations, nlp)
    progress(f"PolNeAR train: {len(train)} rankings")
    gum_train: list[Ranking] = []
    gum_dev: list[Ranking] = []
    if gum is not None:
        dev_names = gum_split(gum, "dev") | gum_split(gum, "test")
        for document in gum_documents(gum, None):
            if document.genre in settings.gum_genres:
                (gum_dev if document.name in dev_names else gum_train).extend(gum_rankings([document], nlp))
        progress(f"GUM: {len(gum_train)} train, {len(gum_dev)} dev/test rankings")
    dev = polnear_rankings(dev_split, dev_annotations, nlp)
    progress(f"PolNeAR dev: {len(dev)} rankings")
    # the trees learn pronouns (GUM has plenty); descriptions keep the hand weights
    fit = [r for r in train + gum_train if r.rows and r.how == "pronoun"]
    vocab = vocabulary(fit)
    index = {name: i for i, name in enumerate(vocab)}
    x, y = _matrix(fit, index)
    weights = np.concatenate([np.full(len(r.rows), settings.polnear_weight if r.source == "polnear" else 1.0)
                              for r in fit]) if fit else None
    params = {"objective": "binary", "learning_rate": settings.learning_rate, "num_leaves": settings.num_leaves,
              "min_data_in_leaf": settings.min_data_in_leaf, "seed": settings.seed, "deterministic": True,
              "force_row_wise": True, "num_threads": settings.threads, "verbose": -1}
    booster = lightgbm.train(params, lightgbm.Dataset(x, y, weight=weights), num_boost_round=settings.rounds)
    dev_scores = _scores(booster, dev, index)
    rule = RuleRanker()
    by = {t: accuracy(dev, dev_scores, dict.fromkeys(HOWS, t), "pronoun") for t in settings.thresholds}
    thresholds = {**rule.thresholds, "pronoun": max(settings.thresholds, key=lambda t: (by[t], -t))}
    rule_dev = accuracy(dev, np.array(rule.score([row for r in dev for row in r.rows])), rule.thresholds)
    gum_accuracy = None
    if gum_dev:
        gum_accuracy = {"learned": round(100 * accuracy(gum_dev, _scores(booster, gum_dev, index), thresholds), 1),
                        "rules": round(100 * accuracy(gum_dev, np.array(rule.score(
                            [row for r in gum_dev for row in r.rows])), rule.thresholds), 1),
                        "rankings": len(gum_dev)}
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / "model.txt"))
    meta = {
        "features": vocab, "thresholds": thresholds, "settings": asdict(settings),
        "data": {"polnear_train": data_hash([train_split / "text", train_annotations]),
                 "polnear_dev": data_hash([dev_split / "text", dev_annotations]),
                 "gum": data_hash([gum / "conllu"]) if gum is not None else None},
        "rankings": {"polnear_train": len(train), "gum_train": len(gum_train), "polnear_dev": len(dev)},
        "dev_ranking_accuracy": {"learned": round(100 * accuracy(dev, dev_scores, thresholds), 1),
                                 "rules": round(100 * rule_dev, 1),
                                 **{how: round(100 * accuracy(dev, dev_scores, thresholds, how), 1) for how in HOWS}},
        "gum_dev_ranking_accuracy": gum_accuracy,
        "pipeline": nlp.meta.get("name"), "versions": {"spacy": spacy.__version__, "lightgbm": lightgbm.__version__,
                                                        "python": platform.python_version()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out_dir / "ranker.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if gum is not None:
        (out_dir / "NOTICE.txt").write_text(GUM_NOTICE, encoding="utf-8")
    LearnedRanker(out_dir)  # loads as the extractor will
    return meta
