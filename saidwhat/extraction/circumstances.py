"""When, to whom, on what occasion and in answer to whom each statement was made.

A record of who said what is only checkable with its circumstances: "Hegseth stated *on
Wednesday*", "He told *reporters*", "*In a speech before the Ukraine Defense Liaison Group
meeting*", "Healey *responded*". They are read from the parse around the statement's cue: the
phrases that hang on the verb of saying (or on a participle of speaking that frames it:
"*Speaking to reporters on Tuesday*, Trump said"), never from inside the content, where a time
belongs to what was said ("X said the vote is on Friday"). A statement that goes on from the
previous one of the same speaker ("he added") keeps that one's occasion.

The words these readings need (occasion nouns and their kinds, verbs of addressing and of
answering) live in :mod:`.lexicon`; dates are resolved by :mod:`.dates`.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from .dates import WEEKDAYS, resolve_date
from .entities import Entity, EntityTable
from .lexicon import (
    ADDRESSING_VERBS,
    AUDIENCE_PREPOSITIONS,
    CHANNEL_VERBS,
    PHRASAL_RESPONDING_VERBS,
    RESPONDING_PARTICLES,
    RESPONDING_VERBS,
    SETTING_NOUNS,
    SETTING_PREPOSITIONS,
    SPEAKING_PARTICIPLES,
    TIME_WORDS,
    TO_ADDRESSEE_VERBS,
)
from .spans import Candidate, CharSpan, SpanSet, token_span

# time prepositions that say when ("on Wednesday"), not how long or by when ("for a week")
_TIME_PREPOSITIONS = frozenset({"on", "in", "during", "at", "over", "earlier", "later", "late", "early"})
# words that go before a time word as part of it ("last week", "early Saturday morning")
_TIME_MODIFIERS = frozenset({"last", "this", "next", "early", "late", "earlier", "later", "that", "same"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
_NOT_A_TIME = frozenset({"old", "long", "year-old", "years-old"})
_NOUN_POS = frozenset({"NOUN", "PROPN", "PRON"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# verbs that take their audience after "before" ("testified before Congress")
_BEFORE_AUDIENCE_VERBS = frozenset({"testify", "speak", "appear"})
# how far back (characters) an unanswered "responded" looks for the statement it answers
_RESPONSE_REACH = 1500


@dataclass
class Circumstances:
    """What the text says about one statement's making; every part None when it says nothing."""

    time: CharSpan | None = None
    date: str | None = None
    addressee: CharSpan | None = None
    addressee_entity: Entity | None = None
    setting: CharSpan | None = None
    setting_kind: str | None = None
    responds_to: Entity | None = None

    def occasion(self) -> Circumstances:
        """What a continuing statement inherits: time, addressee and setting."""
        return replace(self, responds_to=None)


def _is_time_token(tok: Token) -> bool:
    if tok.lower_ in _NOT_A_TIME or any(c.lower_ in _NOT_A_TIME for c in tok.children):
        return False
    return tok.ent_type_ in _DATE_LABELS or tok.lower_ in WEEKDAYS or tok.lower_ in TIME_WORDS


def _phrase(doc: Doc, first: int, last: int) -> CharSpan | None:
    return token_span(doc, first, last)


class CircumstanceReader:
    """Reads the circumstances of an article's statements from its parse."""

    def __init__(self, doc: Doc, table: EntityTable, published: str | None = None):
        self.doc = doc
        self.table = table
        self.published = published

    # ---------------------------------------------------------------- driver

    def read(self, cands: Sequence[Candidate]) -> list[Circumstances]:
        """The circumstances of each candidate, aligned with ``cands``; continuing statements
        inherit the occasion of the one they continue."""
        found = [self._read_one(c) for c in cands]
        order = sorted(range(len(cands)), key=lambda k: cands[k].anchor)
        previous: int | None = None
        for k in order:
            cand = cands[k]
            if cand.kind == "headline":
                continue
            if previous is not None and self._continues(cand, cands[previous]) \
                    and found[k].time is None and found[k].setting is None:
                mine, theirs = found[k], found[previous].occasion()
                found[k] = replace(mine, **{f: getattr(theirs, f) for f in ("time", "date", "addressee",
                                                                             "addressee_entity", "setting",
                                                                             "setting_kind")
                                            if getattr(mine, f) is None and getattr(theirs, f) is not None
                                            and (f != "date" or mine.time is None)})
            previous = k
        self._answers(cands, found, order)
        return found

    @staticmethod
    def _speaker(cand: Candidate) -> Entity | None:
        resolution = cand.extra.get("resolution")
        return resolution.entity if resolution is not None else None

    def _continues(self, cand: Candidate, before: Candidate) -> bool:
        speaker = self._speaker(cand)
        if speaker is None or speaker is not self._speaker(before):
            return False
        return True

    def _answers(self, cands: Sequence[Candidate], found: list[Circumstances], order: list[int]) -> None:
        """"X responded": with no one named, X answers the last other speaker before."""
        for n, k in enumerate(order):
            if found[k].responds_to is not None or not self._answering(cands[k]) or self._has_target(cands[k]):
                continue
            speaker = self._speaker(cands[k])
            for j in reversed(order[:n]):
                other = self._speaker(cands[j])
                if cands[k].anchor - cands[j].anchor > _RESPONSE_REACH:
                    break
                if other is not None and other is not speaker and cands[j].kind != "headline":
                    found[k].responds_to = other
                    break

    # ---------------------------------------------------------------- one statement

    def _cue_verb(self, cand: Candidate) -> Token | None:
        if not cand.cue or cand.kind == "according_to":
            return None
        span = self.doc.char_span(cand.cue[0][0], cand.cue[0][1], alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
        return verbs[0] if verbs else span.root

    def _scope(self, verb: Token) -> Iterator[Token]:
        """The heads whose phrases may say the circumstances: the cue verb and participles of
        speaking that frame it."""
        yield verb
        if verb.dep_ in ("advcl", "conj") and verb.tag_ == "VBG" and verb.head.pos_ == "VERB":
            yield verb.head  # "sued the DNC on Friday, claiming ...": the act it comes with
        for child in verb.children:
            if child.dep_ in ("advcl", "xcomp") and child.lemma_ in SPEAKING_PARTICIPLES \
                    and child.tag_ in ("VBG", "VBN"):
                yield child

    def _read_one(self, cand: Candidate) -> Circumstances:
        found = Circumstances()
        verb = self._cue_verb(cand)
        if verb is None:
            return found
        content = SpanSet(cand.content)
        source = set()
        if cand.source_head is not None:
            source = {t.i for t in cand.source_head.subtree}

        def outside(tok: Token) -> bool:
            return tok.i not in source and not content.overlaps(tok.left_edge.idx,
                                                                tok.right_edge.idx + len(tok.right_edge.text))

        for head in self._scope(verb):
            for child in head.children:
                if child.dep_ in ("dobj", "dative", "iobj") and head.lemma_ in ADDRESSING_VERBS \
                        and child.pos_ in _NOUN_POS and found.addressee is None and child.i not in source:
                    self._addressee(child, found)  # "reminded his staff that ...", however the content reads
                    continue
                if not outside(child) or child.i == verb.i:
                    continue
                self._time(child, found)
                if child.dep_ == "prep":
                    self._preposition(head, child, found)
                elif child.dep_ in ("dobj", "dative", "iobj") and child.pos_ in _NOUN_POS:
                    if head.lemma_ in ADDRESSING_VERBS and found.addressee is None:
                        self._addressee(child, found)
                    elif is_answering_cue(head) and found.responds_to is None:
                        found.responds_to = self._entity_of(child)
        if found.setting is None and verb.lemma_ in CHANNEL_VERBS:
            found.setting = (verb.idx, verb.idx + len(verb.text))
            found.setting_kind = CHANNEL_VERBS[verb.lemma_]
        if found.time is not None:
            found.date = resolve_date(self.doc.text[found.time[0]:found.time[1]], self.published)
        speaker = self._speaker(cand)
        if found.responds_to is speaker:
            found.responds_to = None
        if found.addressee_entity is speaker:
            found.addressee_entity = None
        return found

    # ---------------------------------------------------------------- time

    def _time(self, tok: Token, found: Circumstances) -> None:
        """"said Tuesday", "said last week", "stated on Wednesday", "earlier on Wednesday"."""
        if found.time is not None:
            return
        if tok.dep_ in ("npadvmod", "tmod", "obl", "nmod", "advmod") and _is_time_token(tok):
            found.time = self._time_words(tok, tok)
        elif tok.dep_ in ("prep", "advmod") and tok.lower_ in _TIME_PREPOSITIONS:
            # "on Wednesday"; "earlier on Wednesday" (an adverb with its own phrase)
            objects = [c for c in tok.children if c.dep_ == "pobj"] \
                + [o for c in tok.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
            if objects and _is_time_token(objects[0]):
                found.time = self._time_words(tok, objects[0])

    def _time_words(self, first: Token, time: Token) -> CharSpan | None:
        """From ``first`` (a preposition, or the time word itself) to the end of the time
        expression ``time`` is in: the tagger's date or time entity where there is one."""
        doc = self.doc
        ent = next((e for e in doc.ents if e.start <= time.i < e.end and e.label_ in _DATE_LABELS), None)
        start = first.i
        if first.i == time.i:  # a bare time: its own words before it ("last week", "Wednesday afternoon")
            while start > time.left_edge.i and (doc[start - 1].ent_type_ in _DATE_LABELS
                                                or doc[start - 1].lower_ in _TIME_MODIFIERS
                                                or _is_time_token(doc[start - 1])):
                start -= 1
        end = ent.end - 1 if ent is not None else time.right_edge.i
        # the tagger's entity can run on into a name ("Last week Stumpf")
        while end > max(start, time.i) and (doc[end].dep_ == "case" or doc[end].pos_ == "PROPN"
                                            and not _is_time_token(doc[end])):
            end -= 1
        return _phrase(doc, start, end)

    def _time_of_occasion(self, noun: Token, found: Circumstances) -> None:
        """"a 2012 interview", "Wednesday's debate", "an interview on Sunday"."""
        if found.time is not None:
            return
        for child in noun.children:
            if child.dep_ in ("compound", "nummod", "poss", "amod", "npadvmod", "nmod") and _is_time_token(child):
                found.time = self._time_words(child, child)
                return
            if child.dep_ == "prep" and child.i > noun.i:
                self._time(child, found)

    # ---------------------------------------------------------------- occasion and audience

    def _preposition(self, head: Token, prep: Token, found: Circumstances) -> None:
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects:
            return
        noun = objects[0]
        word = prep.lower_
        if word == "to" and head.lemma_ in TO_ADDRESSEE_VERBS | SPEAKING_PARTICIPLES and found.addressee is None:
            self._addressee(noun, found)
            return
        if word == "before" and head.lemma_ in _BEFORE_AUDIENCE_VERBS and found.addressee is None:
            self._addressee(noun, found)
            return
        if word in ("to", "at", "with") and is_answering_cue(head) and found.responds_to is None \
                and self._setting_kind(word, noun) is None:
            found.responds_to = self._entity_of(noun)
            return
        if word == "in" and noun.lower_ == "response" and found.responds_to is None:
            target = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ == "to"
                           for o in c.children if o.dep_ == "pobj"), None)
            if target is not None:
                found.responds_to = self._entity_of(target)
            return
        if word not in SETTING_PREPOSITIONS or found.setting is not None:
            return
        kind = self._setting_kind(word, noun)
        if kind is None:
            return
        # the occasion's own words: its phrases ("a rally in Ohio"), and a time among them, but
        # not a time that ends it ("in a statement on Tuesday") nor a clause on it
        last = noun.i
        for child in noun.rights:
            if child.dep_ == "prep" and not self._is_time_phrase(child):
                last = child.right_edge.i
            elif not (child.dep_ in ("npadvmod", "nmod", "compound") and _is_time_token(child)
                      or child.dep_ == "prep"):
                break
        for inner in self.doc[prep.i + 1:last + 1]:  # a time that ends a phrase inside it ("... meeting on Wednesday")
            if inner.dep_ == "prep" and inner.right_edge.i == last and inner.i > noun.i and self._is_time_phrase(inner):
                self._time(inner, found)
                last = inner.left_edge.i - 1
                break
        found.setting = _phrase(self.doc, prep.i, last)
        found.setting_kind = kind
        self._time_of_occasion(noun, found)
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in AUDIENCE_PREPOSITIONS and found.addressee is None:
                audience = [o for o in child.children if o.dep_ == "pobj"]
                if audience:
                    self._addressee(audience[0], found)

    def _is_time_phrase(self, prep: Token) -> bool:
        probe = Circumstances()
        self._time(prep, probe)
        return probe.time is not None

    @staticmethod
    def _setting_kind(word: str, noun: Token) -> str | None:
        lower = noun.lower_
        kind = SETTING_NOUNS.get(lower) or SETTING_NOUNS.get(noun.lemma_.casefold())
        if kind == "press conference":  # "a press call", but "a conference", "a call"
            return kind if any(c.lower_ in ("press", "news") for c in noun.children) else "other"
        modifier = next((SETTING_NOUNS[c.lower_] for c in noun.lefts
                         if c.dep_ == "compound" and c.lower_ in SETTING_NOUNS), None)
        if kind is not None:
            return modifier or kind  # "a blog post", "a campaign event"
        if word == "on" and noun.pos_ == "PROPN" and noun.ent_type_ not in _PLACE_LABELS | _DATE_LABELS \
                and noun.ent_type_ and not noun.ent_type_ == "PERSON":
            return "broadcast"  # "said on Fox News", "on CNN's State of the Union"
        return None

    def _addressee(self, noun: Token, found: Circumstances) -> None:
        """The audience noun phrase; an event noun after a name keeps the name ("before the
        Ukraine Defense Liaison Group meeting" speaks to the group)."""
        first, last = noun.left_edge.i, noun.i
        for child in noun.rights:  # "the editorial board of the Washington Post", no clause
            if not (child.dep_ == "prep" and child.lower_ == "of" or child.dep_ in ("compound", "amod", "nummod")):
                break
            last = child.right_edge.i
        if SETTING_NOUNS.get(noun.lower_) == "other" and noun.i > first \
                and any(c.pos_ == "PROPN" for c in noun.lefts):
            last = noun.i - 1
        found.addressee = _phrase(self.doc, first, last)
        found.addressee_entity = self._entity_of(noun)

    def _entity_of(self, noun: Token) -> Entity | None:
        """The article's entity a noun phrase names, or whose thing it names ("Trump's view")."""
        at = self.table.at_token
        if noun.i in at:
            return at[noun.i]
        for child in noun.children:
            if child.dep_ in ("poss", "compound") and child.i in at:
                return at[child.i]
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):  # "attacks from Jeb Bush"
                owner = next((o for o in child.children if o.dep_ == "pobj" and o.i in at), None)
                if owner is not None:
                    return at[owner.i]
        return None

    # ---------------------------------------------------------------- answering

    def _answering(self, cand: Candidate) -> bool:
        verb = self._cue_verb(cand)
        return verb is not None and is_answering_cue(verb) and verb.lemma_ not in ("agree", "disagree")

    def _has_target(self, cand: Candidate) -> bool:
        """Whether the cue names whom it answers ("responded to Trump", "rebutted Clinton")."""
        verb = self._cue_verb(cand)
        return verb is not None and any(c.dep_ == "dobj" and c.pos_ in _NOUN_POS
                                        or c.dep_ == "prep" and c.lower_ in ("to", "at", "with")
                                        for c in verb.children)


def is_answering_cue(verb: Token) -> bool:
    """"responded", "fired back", "hit back": verbs of answering, with their particle where
    the verb alone says something else."""
    if verb.lemma_ in PHRASAL_RESPONDING_VERBS:
        return any(c.dep_ == "prt" and c.lower_ in RESPONDING_PARTICLES for c in verb.children)
    return verb.lemma_ in RESPONDING_VERBS
