"""Resolve source mentions to speakers within one article.

No coreference package runs offline here, so this is a small resolver built for
speakers: names cluster by surname (two different full names never merge), titles
come from the words around a name, pronouns go to the most salient compatible
person, and a definite description ("the US defense chief") goes to the person
whose titles it shares words with. Anonymous sources stay anonymous.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..schema import Speaker
from .lexicon import (
    ANONYMOUS_HEADS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    PRONOUN_GENDER,
    RELATIVE_PRONOUNS,
    TITLE_WORDS,
    honorific_gender,
    is_honorific,
)
from .spans import Candidate, CharSpan, source_range

_STOP = frozenset("the a an of for and in on at to 's ’s".split())
_NAME_LABELS = ("PERSON",)
_GROUP_LABELS = ("ORG", "NORP", "GPE")


@dataclass
class Cluster:
    """Everything known about one speaker while reading the article."""

    name: str
    type: str
    name_words: list[str]
    titles: list[str] = field(default_factory=list)
    mentions: list[CharSpan] = field(default_factory=list)
    gender: str | None = None
    last_seen: int = -1
    speaker_id: str | None = None
    spoke: bool = False

    @property
    def surname(self) -> str:
        return self.name_words[-1].lower() if self.name_words else ""

    def add_title(self, title: str) -> None:
        title = title.strip(" ,")
        if title and title.lower() not in (t.lower() for t in self.titles) \
                and title.lower() != self.name.lower():
            self.titles.append(title)


def _name_words(span: Span | list[Token]) -> list[str]:
    words = [t.text for t in span if not t.is_punct and not is_honorific(t.text)
             and t.lower_ not in ("the", "'s", "’s")]
    return words


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[\w-]+", text)
    out = {w.lower() for w in words if w.lower() not in _STOP}
    caps = [w for w in words if w[:1].isupper()]
    if len(caps) >= 2:
        out.add(_acronym(caps).lower())  # "United States" also answers to "US"
    return out


class SpeakerResolver:
    """Reads an article's mentions in order and assigns each statement a speaker."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.clusters: list[Cluster] = []
        self.last_speaker: Cluster | None = None
        ents = list(doc.ents)
        self.ent_at: dict[int, Span] = {t.i: ent for ent in ents for t in ent}
        self._seen_ents: set[int] = set()
        # named mentions in reading order: entities, and "Ms. Lopez" the tagger missed
        self.name_mentions = sorted(ents + self._honorific_names(), key=lambda e: e.start)
        self._next_mention = 0

    def _honorific_names(self) -> list[Span]:
        out = []
        doc = self.doc
        for tok in doc[:-1]:
            if not is_honorific(tok.text) or doc[tok.i + 1].pos_ != "PROPN":
                continue
            end = tok.i + 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and end - tok.i <= 3:
                end += 1
            if not any(self.ent_at.get(i) is not None and self.ent_at[i].label_ in _NAME_LABELS
                       for i in range(tok.i + 1, end)):
                out.append(Span(doc, tok.i, end, label="PERSON"))
        return [span for span in out if not any(t.i in self.ent_at for t in span)]

    # ---- named mentions
    def _find_by_name(self, words: list[str], allow_group: bool = True) -> Cluster | None:
        if not words:
            return None
        lower = [w.lower() for w in words]
        full = " ".join(lower)
        best = None
        for c in self.clusters:
            if c.type not in _NAME_LABELS and not allow_group:
                continue
            cname = [w.lower() for w in c.name_words]
            if " ".join(cname) == full:
                return c
            if c.type in _NAME_LABELS:
                if len(lower) == 1 and lower[0] in (cname[-1:] + cname[:1]):
                    best = c if best is None or c.last_seen > best.last_seen else best
                elif len(cname) == 1 and len(lower) >= 2 and cname[0] == lower[-1]:
                    best = c if best is None or c.last_seen > best.last_seen else best
                elif len(lower) >= 2 and len(cname) >= 2 and lower[-1] == cname[-1] \
                        and (lower[0] == cname[0] or lower[0][:1] == cname[0][:1] and len(lower[0]) <= 2):
                    best = c if best is None or c.last_seen > best.last_seen else best
        return best

    def _named(self, span: Span, label: str) -> Cluster | None:
        words = _name_words(span)
        role: list[str] = []
        if label in _NAME_LABELS:
            # "Mayor Ana Ruiz" tagged as one name: the office is a title, not a first name
            while len(words) > 1 and words[0].lower() in TITLE_WORDS:
                role.append(words.pop(0))
        if not words:
            return None
        cluster = self._find_by_name(words)
        if cluster is None:
            name = " ".join(words) if label in _NAME_LABELS else span.text.strip()
            if label not in _NAME_LABELS and name.lower().startswith("the "):
                name = name[4:]
            cluster = Cluster(name=name, type=label, name_words=words)
            self.clusters.append(cluster)
        elif len(words) > len(cluster.name_words) and label in _NAME_LABELS and cluster.type in _NAME_LABELS:
            # "Hegseth" seen first, "Pete Hegseth" later: keep the fuller name
            cluster.name, cluster.name_words = " ".join(words), words
        before = honorific_gender(span[0].doc[span.start - 1].text) if span.start > 0 else None
        gender = honorific_gender(span[0].text)
        if "f" in (before, gender):
            cluster.gender = "f"
        elif "m" in (before, gender):
            cluster.gender = "m"
        for title in self._titles(span) + ([" ".join(role)] if role else []):
            cluster.add_title(title)
        cluster.mentions.append((span.start_char, span.end_char))
        cluster.last_seen = span.start_char
        return cluster

    def _titles(self, ent: Span) -> list[str]:
        """'British Defense Minister John Healey', 'The Secretary of Defense, Pete Hegseth'."""
        doc = self.doc
        root = ent.root
        titles = []
        # words before the name inside its noun phrase
        left = [t for t in root.subtree if t.i < ent.start and t.dep_ in ("compound", "amod", "nmod")
                or (t.i < ent.start and t.head.i < ent.start and t.head.dep_ in ("compound", "amod")
                    and t.dep_ in ("compound", "amod", "prep", "pobj"))]
        if left:
            first = min(t.i for t in left)
            words = [t for t in doc[first:ent.start] if not is_honorific(t.text) and t.dep_ != "det"]
            words = [t for t in words if not t.is_punct or t.text == "-"]
            if words and any(t.text[:1].isupper() or t.pos_ == "NOUN" for t in words):
                titles.append(doc[words[0].i:words[-1].i + 1].text)
        # apposition: "<title>, <name>" or "<name>, <title>"
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i < ent.start \
                and root.head.ent_type_ not in _NAME_LABELS:
            head = root.head
            first = head.left_edge.i
            last = head.i
            for c in head.rights:
                if c.i < ent.start and c.dep_ in ("prep", "compound"):
                    last = max(last, c.right_edge.i)
            words = [t for t in doc[first:last + 1] if t.dep_ != "det" and not t.is_punct]
            if words:
                titles.append(doc[words[0].i:words[-1].i + 1].text)
        for c in root.children:
            if c.dep_ == "appos" and c.i > ent.end - 1 and c.pos_ == "NOUN":
                words = [t for t in c.subtree if t.dep_ != "det" and not t.is_punct]
                if words:
                    titles.append(doc[words[0].i:words[-1].i + 1].text)
        return titles

    # ---- other mentions
    def _pronoun(self, tok: Token, position: int) -> Cluster | None:
        lower = tok.lower_
        gender = PRONOUN_GENDER.get(lower)
        if gender:
            people = [c for c in self.clusters if c.type in _NAME_LABELS and c.last_seen < position
                      and c.gender in (None, gender)]
            recent = [c for c in people if position - c.last_seen < 600]
            last = self.last_speaker if self.last_speaker in recent else None
            known = [c for c in recent if c.gender == gender]
            if last is not None and last.gender == gender:
                chosen = last
            elif known:
                chosen = max(known, key=lambda c: c.last_seen)  # a known "she" beats an unknown
            else:
                chosen = last or max(people, key=lambda c: c.last_seen, default=None)
            if chosen is not None and chosen.gender is None:
                chosen.gender = gender
            return chosen
        if lower in GROUP_PRONOUNS:
            groups = [c for c in self.clusters if c.type in _GROUP_LABELS and c.last_seen < position]
            if lower in ("it", "its"):
                groups = [c for c in groups if c.type == "ORG"]
            return max(groups, key=lambda c: c.last_seen, default=None) if lower != "they" else None
        return None

    def _description(self, tok: Token, span: CharSpan) -> Cluster | None:
        """'the US defense chief' -> the person whose titles share the most words with it."""
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this") or tok.tag_ in ("NNS", "NNPS"):
            return None
        if tok.lower_ in ANONYMOUS_HEADS:
            return None
        text = self.text[span[0]:span[1]]
        words = _content_words(text) - {"the", "this"}
        best, best_score = None, 0.0
        for c in self.clusters:
            if c.type not in _NAME_LABELS or c.last_seen > span[0]:
                continue
            title_words = set().union(*(_content_words(t) for t in c.titles)) if c.titles else set()
            score = len(words & title_words) + (0.5 if tok.lower_ in title_words else 0)
            score += c.last_seen / 10 ** 9  # ties go to the most recent
            if score > best_score:
                best, best_score = c, score
        if best is not None and best_score >= 1:
            title = " ".join(t.text for t in self.doc[det.i + 1: tok.i + 1])
            best.add_title(title)
            return best
        return None

    def _proper_noun(self, tok: Token, span: CharSpan) -> Cluster | None:
        ent = self.ent_at.get(tok.i)
        if ent is not None:
            cluster = self._find_by_name(_name_words(ent))
            if cluster is not None or ent.label_ in _NAME_LABELS + _GROUP_LABELS:
                self._seen_ents.add(ent.start)
                return self._named(ent, cluster.type if cluster else ent.label_)
        first = tok.i
        while first > 0 and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].dep_ == "compound":
            first -= 1
        name = self.doc[first:tok.i + 1]
        return self._named(name, "PERSON")

    def resolve_source(self, cand: Candidate) -> Cluster | None:
        tok = cand.source_head
        if tok is None or cand.source is None:
            return None
        if tok.lower_ in RELATIVE_PRONOUNS and tok.dep_.startswith("nsubj"):
            clause = tok.head
            if clause.dep_ == "relcl":
                tok = clause.head
        if tok.pos_ == "PRON" or tok.lower_ in PRONOUN_GENDER:
            if tok.lower_ in FIRST_PERSON:
                return None
            return self._pronoun(tok, cand.source[0])
        ent = self.ent_at.get(tok.i)
        if ent is None or ent.label_ not in _NAME_LABELS:
            # a title with a name inside the source phrase: "The Secretary of Defense, Pete Hegseth"
            first, last = source_range(tok)
            person = next((t for t in self.doc[first:last + 1] if t.ent_type_ == "PERSON"), None)
            if person is not None:
                return self._proper_noun(person, cand.source)
        if tok.pos_ == "PROPN" or (ent is not None and ent.label_ in _NAME_LABELS + _GROUP_LABELS):
            return self._proper_noun(tok, cand.source)
        if tok.text[:1].isupper() and self._find_by_name([tok.text], allow_group=False):
            return self._proper_noun(tok, cand.source)  # a known surname the tagger called a noun
        if tok.lower_ in ANONYMOUS_HEADS or tok.lemma_.lower() in ANONYMOUS_HEADS:
            return None
        return self._description(tok, cand.source)

    def _observe_entities_before(self, position: int) -> None:
        while self._next_mention < len(self.name_mentions):
            ent = self.name_mentions[self._next_mention]
            if ent.start_char >= position:
                break
            self._next_mention += 1
            if ent.start in self._seen_ents:
                continue
            self._seen_ents.add(ent.start)
            if ent.label_ in _NAME_LABELS:
                self._named(ent, ent.label_)
            elif ent.label_ == "ORG" and self._find_by_name(_name_words(ent), allow_group=False):
                self._named(ent, "PERSON")  # NER calls a known surname an ORG now and then

    def resolve(self, cands: list[Candidate]) -> list[Cluster | None]:
        """Each candidate's speaker cluster (also kept on ``cand.extra["cluster"]``), in order."""
        for cand in sorted(cands, key=lambda c: (c.source or (c.anchor, c.anchor))[0]):
            pos = cand.source[0] if cand.source else cand.anchor
            self._observe_entities_before(pos)
            cluster = self.resolve_source(cand)
            if cluster is not None:
                if cand.source not in cluster.mentions:
                    cluster.mentions.append(cand.source)
                cluster.last_seen = max(cluster.last_seen, pos)
                cluster.spoke = True
                if cand.kind != "headline":
                    self.last_speaker = cluster
            cand.extra["cluster"] = cluster
        self._observe_entities_before(len(self.text) + 1)
        return [c.extra["cluster"] for c in cands]

    def speakers(self) -> list[Speaker]:
        """Speaker records for clusters that said something, numbered in order of appearance."""
        records = []
        for c in sorted((c for c in self.clusters if c.spoke), key=lambda c: min(c.mentions)):
            c.speaker_id = f"p{len(records) + 1}"
            records.append(Speaker(id=c.speaker_id, name=c.name, type=c.type, titles=c.titles,
                                   mentions=sorted(set(c.mentions))))
        return records
