"""The entities of one article that can speak: people, organisations, documents.

Read once per article, in reading order, as a careful reader meets them:

* names: the tagger's entities and honorific names ("Ms. Lopez"), cleaned of what the
  tagger folds into them (a sentence-initial verb, a title, an honorific); people cluster by
  surname (two different full names never merge, a bare surname goes to the most recent
  compatible person, "Mrs. Clinton" never to a man), organisations by their normalised name,
  acronym or last word ("the Post" after "the Washington Post");
* organisations described by their owner: "the Clinton campaign", "Trump's campaign";
* documents: "a Bloomberg poll", "the Quinnipiac survey", "a memo".

Each entity keeps its mentions (character spans with their head token), titles and the
description nouns it is known by ("Wells Fargo, the bank" is a bank), and its gender where
an honorific, a first name or a pronoun already resolved to it tells.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import (
    DOCUMENT_SPEAKER_NOUNS,
    ORGANIZATION_NOUNS,
    PERSON_NOUNS,
    STATE_BODY_NOUNS,
    TITLE_WORDS,
    first_name_gender,
    honorific_gender,
    is_courtesy_title,
    is_honorific,
)

PERSON, ORGANIZATION, GROUP, DOCUMENT, ANONYMOUS = "person", "organization", "group", "document", "anonymous"
#: the tagger's labels and the entity type each names
LABEL_TYPES = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": ORGANIZATION, "FAC": ORGANIZATION,
               "WORK_OF_ART": DOCUMENT, "LAW": DOCUMENT}
_KEY_WORD = re.compile(r"[^\W_]+")
# parts of speech that never start a name: the tagger folds a sentence-initial verb or
# adverb into a capitalised name ("Injecting Clinton", "Say Mexico")
_NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "INTJ", "NUM",
                           "PART", "PUNCT", "SPACE", "SYM", "X"})


@dataclass
class Mention:
    """One place an entity is mentioned: characters, the head token, how it was found."""

    start: int
    end: int
    head: int  # token index
    how: str   # "name", "description", "pronoun", ...


@dataclass
class Entity:
    """Someone or something in the article that can speak."""

    key: int
    name: str
    type: str
    words: list[str]
    label: str = ""
    titles: list[str] = field(default_factory=list)
    nouns: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None
    members: list[Entity] = field(default_factory=list)
    statements: int = 0  # statements resolved to it so far
    speaker_id: str | None = None

    @property
    def surname(self) -> str:
        return self.words[-1].casefold() if self.words else ""

    @property
    def first_seen(self) -> int:
        return self.mentions[0].start if self.mentions else -1

    def last_before(self, position: int) -> Mention | None:
        """The latest mention that starts before ``position``."""
        best = None
        for m in self.mentions:
            if m.start < position and (best is None or m.start > best.start):
                best = m
        return best

    def mentions_before(self, position: int) -> int:
        return sum(1 for m in self.mentions if m.start < position)

    def add_mention(self, mention: Mention) -> None:
        if all((m.start, m.end) != (mention.start, mention.end) for m in self.mentions):
            self.mentions.append(mention)
            self.mentions.sort(key=lambda m: m.start)

    def add_title(self, title: str) -> None:
        title = " ".join(title.split()).strip(" ,")
        if title and title.casefold() not in (t.casefold() for t in self.titles) \
                and title.casefold() != self.name.casefold():
            self.titles.append(title)
            self.nouns.update(w.casefold() for w in _KEY_WORD.findall(title))

    def learn_gender(self, gender: str | None) -> None:
        if gender and self.type == PERSON and self.gender is None:
            self.gender = gender


def name_key(words: list[str]) -> str:
    return " ".join(w.casefold() for w in words)


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper()).casefold()


def _opening_participle(tokens: list[Token]) -> bool:
    """A capitalised "-ing" word opening the sentence before a name ("Hosting Cook, Trump
    said"), which the tagger folds into the name; never a known first name ("Sterling")."""
    first = tokens[0]
    return (len(tokens) > 1 and first.is_sent_start and first.lower_.endswith("ing") and len(first) > 5
            and first_name_gender(first.text) is None)


def _clean_name(span: Span, headline_end: int, body_words: set[str]) -> tuple[list[Token], list[Token], str | None]:
    """``(name tokens, title tokens, honorific gender)`` of a tagged name. In the headline,
    where every word is capitalised, words that no name of the body has are dropped before
    the name ("Injecting Clinton", "A Lesson From Loretta Lynch") and cut it after ("Obama
    Seeks")."""
    tokens = [t for t in span if not t.is_space]
    cut = next((i for i, t in enumerate(tokens) if t.text in (":", ";", ",", "(", ")") or "\n" in t.whitespace_), None)
    if cut is not None:  # "WALLACE: Let’s start": a name never runs over a colon or a line's end
        tokens = tokens[:cut + 1 if tokens[cut].text not in (":", ";", ",", "(", ")") else cut]
    gender = None
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and is_honorific(before.text):
        gender = honorific_gender(before.text)
    while tokens and (tokens[0].pos_ in _NOT_NAME_POS or tokens[0].lower_ in ("the", "'s", "’s")
                      or _opening_participle(tokens)):
        tokens.pop(0)
    if tokens and tokens[0].idx < headline_end:
        while len(tokens) > 1 and tokens[0].text.casefold() not in body_words:
            tokens.pop(0)
        # and cut where such a word follows ("Hillary Clinton Slams Donald Trump")
        cut = next((i for i, t in enumerate(tokens) if i and t.text.casefold() not in body_words), len(tokens))
        tokens = tokens[:cut]
    titles = []
    while tokens and is_honorific(tokens[0].text):
        gender = gender or honorific_gender(tokens[0].text)
        if not is_courtesy_title(tokens[0].text):
            titles.append(tokens[0])
        tokens.pop(0)
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in TITLE_WORDS:
        titles.append(tokens.pop(0))
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in ("'s", "’s")):
        tokens.pop()
    return tokens, titles, gender


class EntityTable:
    """The speaking entities of one parsed article (see the module docstring)."""

    def __init__(self, doc: Doc, headline_end: int = 0):
        self.doc = doc
        self.text = doc.text
        self.headline_end = headline_end
        self.entities: list[Entity] = []
        self.at_token: dict[int, Entity] = {}  # token index -> the entity mentioned there
        self.ents = list(doc.ents)
        self.ent_at: dict[int, Span] = {t.i: ent for ent in self.ents for t in ent}
        self.body_words = {t.text.casefold() for e in self.ents if e.start_char >= headline_end for t in e}
        for span in sorted(self.ents + self._honorific_names() + self._first_name_names(),
                           key=lambda e: e.start):
            self._named(span)
        self._surnames()
        for tok in doc:
            if tok.pos_ == "NOUN" and tok.i not in self.at_token:
                self.described(tok)

    def _surnames(self) -> None:
        """Bare surnames of known people that the tagger did not tag ("Footage of Al-Awlaki")."""
        people: dict[str, list[Entity]] = {}
        for e in self.entities:
            if e.type == PERSON and len(e.words) > 1:
                people.setdefault(e.surname, []).append(e)
        for tok in self.doc:
            if tok.pos_ == "PROPN" and tok.i not in self.at_token and tok.text[:1].isupper() \
                    and tok.idx >= self.headline_end and len(people.get(tok.lower_, ())) == 1 \
                    and tok.dep_ != "compound":
                entity = people[tok.lower_][0]
                if entity.first_seen < tok.idx:
                    self._mention(entity, tok.idx, tok.idx + len(tok.text), tok.i, "name")

    # ---------------------------------------------------------------- names

    def _honorific_names(self) -> list[Span]:
        """'Ms. Lopez' where the tagger found no name."""
        doc, out = self.doc, []
        for tok in doc[:-1]:
            if not is_honorific(tok.text) or doc[tok.i + 1].pos_ != "PROPN":
                continue
            end = tok.i + 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and end - tok.i <= 3:
                end += 1
            if not any(i in self.ent_at for i in range(tok.i, end)):
                out.append(Span(doc, tok.i + 1, end, label="PERSON"))
        return out

    def _first_name_names(self) -> list[Span]:
        """'Jane Roe' where the tagger found no name: proper nouns led by a known first name."""
        doc, out = self.doc, []
        i = 0
        while i < len(doc) - 1:
            tok = doc[i]
            if tok.pos_ == "PROPN" and tok.i not in self.ent_at and tok.idx >= self.headline_end \
                    and first_name_gender(tok.text) is not None and tok.text[:1].isupper():
                end = i + 1
                while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                        and end not in self.ent_at and end - i < 4:
                    end += 1
                if end - i >= 2:
                    out.append(Span(doc, i, end, label="PERSON"))
                i = end
            else:
                i += 1
        return out

    def _named(self, span: Span) -> Entity | None:
        kind = LABEL_TYPES.get(span.label_)
        if kind is None:
            return None
        tokens, titles, gender = _clean_name(span, self.headline_end, self.body_words)
        if not tokens:
            return None
        words = [t.text for t in tokens]
        if len(words) == 1 and words[0].casefold() in PERSON_NOUNS | ORGANIZATION_NOUNS:
            return None  # "Judge", "General", "Bank": a common noun the tagger took for a name
        if kind == ORGANIZATION and self._person_surname(words) is not None:
            kind = PERSON  # the tagger calls a known surname an ORG now and then
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        head = tokens[-1].i
        entity = self.find_name(words, kind, start, gender)
        if entity is None:
            entity = self._new(" ".join(self.text[start:end].split()), kind, words, span.label_)
        elif kind == PERSON and len(words) > len(entity.words) and entity.words[-1:] == words[-1:]:
            entity.name, entity.words = " ".join(self.text[start:end].split()), words  # "Hegseth", then "Pete Hegseth"
        if kind == PERSON:
            entity.learn_gender(gender or (first_name_gender(words[0]) if len(words) > 1 else None))
        for title in titles:
            entity.add_title(title.text)
        for title in self._titles(span, tokens):
            entity.add_title(title)
        self._mention(entity, start, end, head, "name")
        return entity

    def _new(self, name: str, kind: str, words: list[str], label: str) -> Entity:
        entity = Entity(len(self.entities), name, kind, words, label)
        self.entities.append(entity)
        return entity

    def _mention(self, entity: Entity, start: int, end: int, head: int, how: str) -> None:
        entity.add_mention(Mention(start, end, head, how))
        first = self.doc.char_span(start, end, alignment_mode="expand")
        for t in first if first is not None else ():
            self.at_token.setdefault(t.i, entity)

    def _person_surname(self, words: list[str]) -> Entity | None:
        return next((e for e in self.entities if e.type == PERSON and len(words) == 1
                     and e.surname == words[0].casefold()), None)

    def find_name(self, words: list[str], kind: str, position: int, gender: str | None = None) -> Entity | None:
        """The entity a name names, if the article has met it: the same full name; for a
        person's single word the most recent person of that surname (or first name) whose
        gender fits; for an organisation the same name, acronym or last word."""
        key = name_key(words)
        lower = [w.casefold() for w in words]
        best: Entity | None = None
        for e in self.entities:
            if e.type != kind:
                continue
            if name_key(e.words) == key:
                return e
            if kind == PERSON:
                if gender and e.gender and gender != e.gender:
                    continue
                ew = [w.casefold() for w in e.words]
                if len(lower) == 1 and lower[0] in (ew[-1:] + ew[:1]) \
                        or len(ew) == 1 and len(lower) >= 2 and ew[0] == lower[-1] \
                        or len(lower) >= 2 and len(ew) >= 2 and lower[-1] == ew[-1] \
                        and (lower[0] == ew[0] or lower[0][:1] == ew[0][:1] and len(lower[0]) <= 2):
                    if best is None or self._salience(e, position) > self._salience(best, position):
                        best = e
            elif kind == ORGANIZATION:
                ew = e.words
                if len(words) == 1 and (lower[0] == acronym(ew) and len(lower[0]) > 1
                                        or len(ew) > 1 and lower[0] == ew[-1].casefold() and words[0][:1].isupper()) \
                        or len(ew) == 1 and acronym(words) == ew[0].casefold() and len(ew[0]) > 1:
                    best = best or e
        return best

    @staticmethod
    def _salience(entity: Entity, position: int) -> tuple[int, int]:
        """How present an entity is at ``position``: name mentions so far, then recency."""
        names = sum(1 for m in entity.mentions if m.start < position and m.how == "name")
        last = entity.last_before(position)
        return names, last.start if last is not None else -1

    def _titles(self, ent: Span, tokens: list[Token]) -> list[str]:
        """'British Defense Minister John Healey', 'The Secretary of Defense, Pete Hegseth',
        'Wells Fargo, the bank'."""
        doc = self.doc
        root = tokens[-1]
        first_name = tokens[0].i
        titles = []
        left = [t for t in doc[root.left_edge.i:first_name]
                if t.dep_ in ("compound", "amod", "nmod") and t.head.i >= first_name - 3]
        if left:
            words = [t for t in doc[min(t.i for t in left):first_name]
                     if not is_courtesy_title(t.text) and t.dep_ != "det" and (not t.is_punct or t.text == "-")]
            if words and any(t.text[:1].isupper() or t.pos_ == "NOUN" for t in words) \
                    and all(t.ent_type_ != "PERSON" for t in words):
                titles.append(doc[words[0].i:words[-1].i + 1].text)
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i < first_name \
                and root.head.ent_type_ != "PERSON":
            titles.append(self._noun_phrase(root.head, stop=first_name))
        for c in root.children:
            if c.dep_ == "appos" and c.i > root.i and c.pos_ == "NOUN":
                titles.append(self._noun_phrase(c))
        return [t for t in titles if t]

    def _noun_phrase(self, head: Token, stop: int | None = None) -> str:
        """A description without its determiner, relative clause or trailing punctuation."""
        doc = self.doc
        first, last = head.left_edge.i, head.i
        for c in head.rights:
            if c.dep_ in ("prep", "compound", "amod") and (stop is None or c.i < stop):
                last = max(last, c.right_edge.i if stop is None else min(c.right_edge.i, stop - 1))
        words = [t for t in doc[first:last + 1] if t.dep_ not in ("det", "poss") and not t.is_punct
                 and not t.is_space and t.lower_ not in ("'s", "’s")]
        return doc[words[0].i:words[-1].i + 1].text if words else ""

    @functools.cached_property
    def author(self) -> Entity | None:
        """Who wrote an opinion piece, where the article says: a headline "Ann Coulter: ...",
        or a closing line "James Bovard is the author of ..."."""
        head, colon, _ = self.text[:self.headline_end].partition(":")
        if colon:
            words = head.split()
            entity = self.find_name(words, PERSON, 0) if 1 < len(words) <= 3 else None
            if entity is not None:
                return entity
        body = self.text.rstrip()
        last_line = body.rfind("\n") + 1
        for e in self.entities:
            for m in e.mentions:
                tok = self.doc[m.head] if 0 <= m.head < len(self.doc) else None
                if e.type == PERSON and m.start >= max(last_line, self.headline_end) and tok is not None \
                        and tok.dep_ == "nsubj" and tok.head.lemma_ == "be" \
                        and any(c.dep_ == "attr" for c in tok.head.children):
                    return e
        return None

    def group(self, members: list[Entity], where: Mention) -> Entity:
        """The group of these entities (one per set of members), named "A and B", mentioned at ``where``."""
        keys = sorted(m.key for m in members)
        for e in self.entities:
            if e.type == GROUP and sorted(m.key for m in e.members) == keys:
                return e
        names = [m.name for m in members]
        name = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        group = self._new(name, GROUP, name.split(), "GROUP")
        group.members = list(members)
        group.add_mention(where)
        return group

    # ---------------------------------------------------------------- descriptions

    def owner(self, tok: Token) -> Entity | None:
        """The named entity a noun belongs to: "Trump's campaign", "the Clinton campaign"."""
        for c in tok.children:
            if c.dep_ in ("poss", "compound") and c.i in self.at_token:
                return self.at_token[c.i]
        return None

    def described(self, tok: Token) -> Entity | None:
        """The organisation or document a noun phrase names: an owner's organisation ("the
        Clinton campaign") or a document with its maker ("a Bloomberg poll"); None for a plain
        description ("the poll", "the bank"), which is resolved against the entities instead."""
        lemma = tok.lemma_.casefold()
        if lemma not in ORGANIZATION_NOUNS and lemma not in DOCUMENT_SPEAKER_NOUNS \
                or tok.tag_ in ("NNS", "NNPS") and tok.lower_ != lemma:  # "Cleveland police" is one body
            return None
        owner = self.owner(tok)
        proper = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")
                  and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE") and lemma in STATE_BODY_NOUNS)]
        if owner is None and not proper:
            return None
        kind = ORGANIZATION if lemma in ORGANIZATION_NOUNS else DOCUMENT
        words = ([*owner.words] if owner is not None else [t.text for t in self.doc[proper[0].left_edge.i:tok.i]
                                                              if not t.is_punct]) + [tok.text]
        entity = self._described_entity(kind, words, lemma)
        first = min([tok.i] + [c.left_edge.i for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")])
        first = next((t.i for t in self.doc[first:tok.i + 1] if t.dep_ != "det"), tok.i)
        self._mention(entity, self.doc[first].idx, tok.idx + len(tok.text), tok.i, "description")
        return entity

    def _described_entity(self, kind: str, words: list[str], lemma: str) -> Entity:
        """The organisation or document named by its owner's words and its noun, made once."""
        words = [w for w in words if w.casefold() not in ("the", "a", "an", "'s", "’s")]
        key = (kind, name_key(words))
        entity = next((e for e in self.entities if (e.type, name_key(e.words)) == key), None)
        if entity is None:
            entity = self._new(" ".join(words), kind, words, "DESC")
            entity.nouns.add(lemma)
        return entity

    def organization_of(self, owner: Entity, tok: Token) -> Entity:
        """'his campaign' once "his" is known to be Sanders: the Sanders campaign."""
        entity = self._described_entity(ORGANIZATION, [*owner.words[-1:], tok.text], tok.lemma_.casefold())
        first = min([tok.i] + [c.i for c in tok.children if c.dep_ == "poss"])
        self._mention(entity, self.doc[first].idx, tok.idx + len(tok.text), tok.i, "description")
        return entity
