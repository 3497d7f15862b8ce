"""Ranking the entities a pronoun or a description may refer to.

:func:`candidate_features` describes one (mention, entity) pair with what a careful reader
weighs: the mention (pronoun, its gender and number; a description's head noun), the entity
(type, gender, titles, how often and how recently it was mentioned, in which grammatical role,
whether it spoke the previous statement) and how they fit (gender and type agreement, the
description's words among the entity's titles, distance in sentences and paragraphs). A
:class:`Ranker` scores the pairs; the resolver takes the best one above the ranker's
threshold, else leaves the speaker unresolved (or anonymous, for a description).

:class:`RuleRanker` weighs the features by hand; :class:`LearnedRanker` decides pronouns with
gradient-boosted trees over the same features (and the hand score), trained by
:mod:`saidwhat.learning.speaker_train`.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from spacy.tokens import Token

from .entities import DOCUMENT, GROUP, ORGANIZATION, PERSON, Entity, Mention
from .lexicon import ANONYMOUS_HEADS, MEDIA_WORDS, NOUN_GENDER, PLACE_NOUNS, PRONOUN_GENDER
from .spans import sentence_of

if TYPE_CHECKING:
    from .quotes import QuoteIndex
    from .spans import Candidate

Features = dict[str, float]
#: the learned ranker shipped with the package, used when present
DEFAULT_RANKER = Path(__file__).resolve().parents[1] / "data" / "speaker_model"
_WORD = re.compile(r"[^\W_]+")
# abbreviations in titles, read as the nouns a description uses ("Sen." is a senator)
_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                  "lt": "lieutenant", "col": "colonel", "sgt": "sergeant", "capt": "captain",
                  "adm": "admiral", "pres": "president", "gop": "republican", "dem": "democrat"}
_OUTLET_NOUNS = frozenset({"newspaper", "paper", "network", "outlet", "publication", "magazine",
                           "channel", "broadcaster", "station", "website", "site"})
#: what each kind of mention may refer to ("it" no person, "they" no one person)
COMPATIBLE_TYPES = {PERSON: {PERSON}, "thing": {ORGANIZATION, DOCUMENT}, "plural": {ORGANIZATION, GROUP},
                    ORGANIZATION: {ORGANIZATION}, None: {PERSON, ORGANIZATION, DOCUMENT, GROUP}}


def description_nouns(entity: Entity) -> set[str]:
    """The words an entity is known by: its titles (abbreviations spelled out) and nouns."""
    words = {_ABBREVIATIONS.get(w, w) for t in entity.titles for w in _WORD.findall(t.casefold())}
    acronyms = set()  # "United States" is also "US"
    for title in entity.titles:
        words_ = title.split()
        for i in range(len(words_)):
            for n in (2, 3):
                run = words_[i:i + n]
                if len(run) == n and all(w[:1].isupper() for w in run):
                    acronyms.add("".join(w[0] for w in run).casefold())
    return words | acronyms | entity.nouns


def mention_gender(tok: Token, how: str) -> str | None:
    """'m' or 'f' where the mention tells: "he", "she", "the businessman", "his wife"."""
    if how == "description":
        return NOUN_GENDER.get(tok.lemma_.casefold())
    return PRONOUN_GENDER.get(tok.lower_)


def fits_place(tok: Token, entity: Entity) -> bool:
    """A country, state or city is "the state", "the government"; never "the company"."""
    return (entity.label == "GPE") == (tok.lemma_.casefold() in PLACE_NOUNS) or entity.type != ORGANIZATION


def knows(entity: Entity, tok: Token) -> bool:
    """Whether an entity is known by a description's head ("the bank" for "Wells Fargo, the
    bank"; "the university" for "Columbia University")."""
    head = tok.lemma_.casefold()
    return head in description_nouns(entity) or head in (w.casefold() for w in entity.words)


def _role(tok: Token | None) -> str:
    if tok is None:
        return "none"
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return "subject"
    if tok.dep_ in ("dobj", "pobj", "iobj", "attr"):
        return "object"
    if tok.dep_ == "poss":
        return "possessive"
    return "other"


def candidate_features(tok: Token, cand: Candidate, how: str, kind: str | None, entity: Entity, last: Mention,
                       options: Sequence[tuple[Entity, Mention]], text: str, quotes: QuoteIndex | None,
                       previous: Entity | None) -> Features:
    """The features of one (mention, entity) pair; ``text`` is the article's (``doc.text`` is
    rebuilt on every read), ``previous`` spoke the previous statement."""
    doc = tok.doc
    position = cand.source[0]
    f: Features = {}
    f[f"how={how}"] = 1
    f[f"kind={kind}"] = 1
    f[f"type={entity.type}"] = 1
    f["type_ok"] = float(entity.type in COMPATIBLE_TYPES.get(kind, COMPATIBLE_TYPES[None]))
    gender = mention_gender(tok, how)
    if how == "pronoun":
        f[f"pronoun={tok.lower_}"] = 1
    if gender and entity.type == PERSON:
        f["gender_match"] = float(entity.gender == gender)
        f["gender_clash"] = float(entity.gender is not None and entity.gender != gender)
        f["gender_unknown"] = float(entity.gender is None)
    # distance and salience
    chars = max(0, position - last.end)
    f["log_chars"] = math.log1p(chars)
    between = text[last.end:position]
    f["paragraphs"] = min(between.count("\n"), 5)
    last_tok = doc[last.head] if 0 <= last.head < len(doc) else None
    same_sentence = last_tok is not None and sentence_of(last_tok).start == sentence_of(tok).start
    f["same_sentence"] = float(same_sentence)
    recency = sorted((m.start for _, m in options), reverse=True)
    f["recency_rank"] = float(recency.index(last.start)) if last.start in recency else len(recency)
    typed = sorted((m.start for e, m in options if e.type == entity.type), reverse=True)
    f["type_recency_rank"] = float(typed.index(last.start)) if last.start in typed else len(typed)
    f["mentions"] = float(entity.mentions_before(position))
    most = max(e.mentions_before(position) for e, _ in options)
    f["most_mentioned"] = float(entity.mentions_before(position) == most)
    f["statements"] = float(entity.statements)
    f["previous_speaker"] = float(previous is entity)
    f[f"last_role={_role(last_tok)}"] = 1
    f[f"last_how={last.how}"] = 1
    f["last_in_quote"] = float(quotes is not None and quotes.at(last.start) is not None)
    f["mention_in_quote"] = float(quotes is not None and quotes.at(position) is not None)
    f["first_mention_in_headline"] = float(entity.first_seen >= 0 and "\n" not in text[:entity.first_seen])
    f.update(_centre_features(tok, position, entity, last, text, quotes))
    if kind == "plural":  # "Bush campaign officials looked into it. They determined ...": no entity
        f["plural_subject_between"] = float(any(t.tag_ in ("NNS", "NNPS") and t.dep_ == "nsubj"
                                                for t in doc[last.head + 1:tok.i] if 0 <= last.head))
    # a description against what the entity is known by
    if how == "description":
        words = set(_WORD.findall(text[cand.source[0]:cand.source[1]].casefold())) - {"the", "this", "that"}
        known = description_nouns(entity)
        head = tok.lemma_.casefold()
        f["head_known"] = float(head in known or tok.lower_ in known)
        f["words_known"] = float(len(words & known))
        f["share_known"] = len(words & known) / max(1, len(words))
        f["head_in_name"] = float(head in (w.casefold() for w in entity.words))
        f["outlet"] = float(head in _OUTLET_NOUNS and any(w.casefold() in MEDIA_WORDS for w in entity.words))
        f["head_anonymous"] = float(head in ANONYMOUS_HEADS)
    f["rule_score"] = RuleRanker.weigh(f)  # the hand weights, for the trees to correct
    return f


def _centre_features(tok: Token, position: int, entity: Entity, last: Mention, text: str,
                     quotes: QuoteIndex | None) -> Features:
    """Where the entity stands in the reader's attention at the mention: the subject of this
    sentence or the one before, mentioned in this paragraph, mentioned outside quotations."""
    doc = tok.doc
    sent = sentence_of(tok)
    first = sentence_of(doc[sent.start - 1]).start if sent.start > 0 else sent.start
    before = [m for m in entity.mentions if m.start < position]
    subject = any(first <= m.head < tok.i and doc[m.head].dep_ in ("nsubj", "nsubjpass") for m in before)
    paragraph = text.rfind("\n", 0, position) + 1
    return {"recent_subject": float(subject),
            "paragraph_mentions": float(sum(1 for m in before if m.start >= paragraph)),
            "last_same_paragraph": float(last.start >= paragraph),
            "unquoted_mentions": float(sum(1 for m in before if quotes is None or quotes.at(m.start) is None))}


#: the kinds of mention a ranker decides, each with a threshold of its own
HOWS = ("pronoun", "description")


class Ranker(Protocol):
    thresholds: dict[str, float]  # by HOWS

    def score(self, rows: list[Features]) -> list[float]: ...


class RuleRanker:
    """Hand weights over the features: agreement first, then the previous speaker, recency and
    the description's words among the entity's titles."""

    thresholds = {"pronoun": 0.35, "description": 0.35}

    def score(self, rows: list[Features]) -> list[float]:
        return [self.weigh(f) for f in rows]

    @staticmethod
    def weigh(f: Features) -> float:
        if not f["type_ok"] or f.get("gender_clash"):
            return 0.0
        score = 0.3 - 0.05 * min(f["type_recency_rank"], 6) + 0.1 * f.get("gender_match", 0)
        score += 0.25 * f["previous_speaker"] + 0.1 * f.get("last_role=subject", 0)
        score += 0.05 * f["most_mentioned"] - 0.05 * f["paragraphs"] / 2
        if f.get("how=description"):
            known = f["head_known"] or f["outlet"] or f["head_in_name"] or f["words_known"] >= 2
            if not known and not _names_someone(f):
                return 0.0  # "the dispute", "the official": only an entity known by the word
            score += 0.35 * known + 0.1 * min(f["words_known"], 2)
            if not known:
                score += 0.15 * f["most_mentioned"]  # "the candidate": the article's main one
        return max(0.0, min(1.0, score))


def _names_someone(f: Features) -> bool:
    """A definite description of a person or an organisation ("the candidate", "the company"):
    in news it is someone the article has met, even when no title says so."""
    return bool(f.get("kind=person") or f.get("kind=organization")) and not f.get("head_anonymous")


def always_resolves(f: Features) -> bool:
    """Whether a mention names someone for certain, so that its best entity is taken however
    low its score: "he", "she" and "it" (a source, never the expletive "it"), and a definite
    description of a person or an organisation; not "they", often no one in particular."""
    if f.get("how=pronoun"):
        return any(f.get(f"pronoun={p}") for p in (*PRONOUN_GENDER, "it", "its"))
    return _names_someone(f) and f["rule_score"] > 0


class LearnedRanker:
    """Gradient-boosted trees over the features for pronouns (a model directory made by
    ``saidwhat train-speakers``: ``model.txt`` and ``ranker.json`` with the vocabulary and the
    threshold); descriptions, too few in the training data to learn from, keep the hand
    weights of :class:`RuleRanker`."""

    def __init__(self, model_dir: str | Path):
        import lightgbm  # imported here: the rules alone don't need it

        d = Path(model_dir)
        meta = json.loads((d / "ranker.json").read_text(encoding="utf-8"))
        self.vocab: list[str] = meta["features"]
        self.index = {name: i for i, name in enumerate(self.vocab)}
        self.thresholds = {**RuleRanker.thresholds, "pronoun": float(meta["thresholds"]["pronoun"])}
        self.booster = lightgbm.Booster(model_file=str(d / "model.txt"))

    def matrix(self, rows: list[Features]) -> Any:
        import numpy as np

        out = np.zeros((len(rows), len(self.vocab)))
        for i, row in enumerate(rows):
            for name, value in row.items():
                j = self.index.get(name)
                if j is not None:
                    out[i, j] = value
        return out

    def score(self, rows: list[Features]) -> list[float]:
        if not rows:
            return []
        if not rows[0].get("how=pronoun"):  # one ranking's rows are all of one kind
            return RuleRanker().score(rows)
        return [float(p) for p in self.booster.predict(self.matrix(rows), num_threads=1)]


@functools.lru_cache(maxsize=4)
def load_ranker(model_dir: str | None = None) -> Ranker:
    """The learned ranker in ``model_dir`` (default: the shipped one when it exists), else the rules."""
    path = Path(model_dir) if model_dir else DEFAULT_RANKER
    if (path / "model.txt").is_file():
        return LearnedRanker(path)
    return RuleRanker()


def default_ranker() -> Ranker:
    return load_ranker(None)
