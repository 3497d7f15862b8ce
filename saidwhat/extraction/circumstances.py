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

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..schema import SETTING_KINDS
from .dates import MONTHS, WEEKDAYS, resolve_date
from .entities import Entity, EntityTable
from .lexicon import (
    ADDRESSING_VERBS,
    AGREEING_VERBS,
    ANSWERED_NOUNS,
    AUDIENCE_PREPOSITIONS,
    CHANNEL_VERBS,
    CITING_VERBS,
    FREQUENCY_ADVERBS,
    GATHERING_NOUNS,
    OCCASION_PARTICIPLES,
    OCCASION_VERBS,
    ORGANIZATION_NOUNS,
    PERIOD_WORDS,
    PERSON_NOUNS,
    PHRASAL_RESPONDING_VERBS,
    REMARK_NOUNS,
    REMARK_VERBS,
    RESPONDING_PARTICLES,
    RESPONDING_VERBS,
    SETTING_NOUNS,
    SETTING_PREPOSITIONS,
    SPEAKING_PARTICIPLES,
    THING_OBJECT_VERBS,
    TIME_WORDS,
    TO_ADDRESSEE_VERBS,
)
from .spans import Candidate, CharSpan, SpanSet, token_span

# time prepositions that say when ("on Wednesday"), not how long or by when ("for a week")
_TIME_PREPOSITIONS = frozenset({"on", "in", "during", "at", "over", "earlier", "later", "late", "early"})
# prepositions that time a statement by an event ("after the meeting", "before the debate")
_EVENT_PREPOSITIONS = frozenset({"after", "before"})
# words that go before a time word as part of it ("last week", "early Saturday morning")
_TIME_MODIFIERS = frozenset({"last", "this", "next", "early", "late", "earlier", "later", "that", "same"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
_CALENDAR_NAMES = frozenset(WEEKDAYS) | frozenset(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}
_NOT_A_TIME = frozenset({"old", "long", "year-old", "years-old"})
_NOUN_POS = frozenset({"NOUN", "PROPN", "PRON"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_OUTLET_LABELS = frozenset({"ORG", "WORK_OF_ART", "PERSON"})
_ADDRESSEE_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# clauses that hang on a noun without being part of its phrase ("..., who was ...")
_ASIDES = frozenset({"relcl", "acl", "advcl"})
# the longest "of" phrase an addressee keeps ("the board of the Washington Post")
_NAME_OF_TOKENS = 6
# verbs that take their audience after "before" ("testified before Congress")
_BEFORE_AUDIENCE_VERBS = frozenset({"testify", "speak", "appear"})
# determiners of an object that is no occasion made by the verb: none, or one told before
_NOT_MADE_NOW = frozenset({"no", "this", "that", "these", "those", "the"})
# nouns of a number of things, whose "of" phrase names them ("a series of tweets")
_COLLECTIVE_NOUNS = frozenset({"series", "flurry", "barrage", "string", "stream", "volley", "pair", "couple"})
# how many paragraphs on a speaker's next statement still goes on from their last one
_OCCASION_PARAGRAPHS = 2
_PARAGRAPH_BREAK = re.compile(r"\n\s*")
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



# kinds not said on an occasion another statement sets (a belief is: annotators agree)
_NO_OCCASION = frozenset({"headline"})
# what a statement on the same occasion shares: time, addressee and setting
_OCCASION_FIELDS = ("time", "date", "addressee", "addressee_entity", "setting", "setting_kind")
# what another speaker on the same occasion shares: not whom the first one spoke to
_EVENT_FIELDS = ("time", "date", "setting", "setting_kind")
# occasions that are themselves acts of speaking ("In a statement, Clinton was more circumspect")
_SPEAKING_OCCASIONS = frozenset(SETTING_KINDS) - {"report", "other"}
# occasions that "on" makes a topic, not a channel ("seized on a remark", "on the letter", but
# "said on Twitter", "on the campaign's website"), with the words for someone's words
_TOPIC_ON = frozenset({"letter", "report", "op-ed", "interview"})
# how many paragraphs a transcript's first turn may come after the statement introducing it
_INTRO_PARAGRAPHS = 3


def _inherit(mine: Circumstances, theirs: Circumstances, fields: Sequence[str]) -> Circumstances:
    """``mine`` with the parts of ``theirs`` (among ``fields``) it does not say itself; a date
    only with the time it comes from."""
    return replace(mine, **{f: getattr(theirs, f) for f in fields
                            if getattr(mine, f) is None and getattr(theirs, f) is not None
                            and (f != "date" or mine.time is None)})


@dataclass
class _Occasion:
    """A sentence that says when or where someone spoke: where, whose, and what it says."""

    position: int
    paragraph: int
    entity: Entity | None
    looks_back: bool
    said: bool  # an occasion of speaking (not just the time of some act): its subject may be "he"
    found: Circumstances


def _is_time_token(tok: Token) -> bool:
    if tok.lower_ in _NOT_A_TIME or any(c.lower_ in _NOT_A_TIME for c in tok.children):
        return False
    if tok.lower_ in PERIOD_WORDS or any(c.lower_ in PERIOD_WORDS for c in tok.children):
        return False
    if tok.pos_ == "PROPN" and tok.lower_.rstrip(".") not in _CALENDAR_NAMES:
        return False  # a name the tagger's date entity ran into ("Last week Stumpf")
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
        return False  # "on a day rich in symbolism": some day, not a time said
    return tok.ent_type_ in _DATE_LABELS or tok.lower_ in WEEKDAYS or tok.lower_ in TIME_WORDS


def _phrase_end(tok: Token) -> int:
    """The last token of ``tok``'s phrase without the clauses on its nouns ("a letter to Kevin
    McAleenan, who was ..." ends at the comma, which the span trims)."""
    last = tok.i
    for child in tok.rights:
        if child.dep_ in _ASIDES:
            break
        last = _phrase_end(child)
    return last


def _object_of(tok: Token, preposition: str) -> Token | None:
    """The object of ``tok``'s ``preposition`` phrase ("a meeting of *leaders*", "in response to
    *Trump*")."""
    return next((o for c in tok.children if c.dep_ == "prep" and c.lower_ == preposition
                 for o in c.children if o.dep_ == "pobj"), None)


def _occasion_kind(noun: Token) -> str | None:
    """The setting kind the lexicon gives the noun ("statement", "rally"), by its form or lemma."""
    return SETTING_NOUNS.get(noun.lower_) or SETTING_NOUNS.get(noun.lemma_.casefold())


def _names_someone(noun: Token, verb: Token) -> bool:
    """Whether the object of a verb of addressing is someone addressed: always for "told"; for
    "urged" a name, a pronoun, people ("voters") or a body ("the administration"), not a thing
    ("urged an end to"); "told many of the workers" by whom the "of" phrase names."""
    if noun.pos_ in ("ADJ", "NUM", "DET"):
        noun = _object_of(noun, "of") or noun
    if noun.pos_ not in _NOUN_POS:
        return False
    if verb.lemma_ not in THING_OBJECT_VERBS:
        return True
    return noun.pos_ in ("PROPN", "PRON") or noun.tag_ == "NNS" or noun.ent_type_ in _ADDRESSEE_LABELS \
        or noun.lemma_ in PERSON_NOUNS or noun.lemma_ in ORGANIZATION_NOUNS


class CircumstanceReader:
    """Reads the circumstances of an article's statements from its parse."""

    def __init__(self, doc: Doc, table: EntityTable, published: str | None = None):
        self.doc = doc
        self.text = doc.text  # a property that rebuilds the string: read it once
        self.table = table
        self.published = published
        self._breaks: list[int] | None = None

    # ---------------------------------------------------------------- driver

    def read(self, cands: Sequence[Candidate]) -> list[Circumstances]:
        """The circumstances of each candidate, aligned with ``cands``; continuing statements
        inherit the occasion of the one they continue."""
        verbs = [self._cue_verb(c) for c in cands]
        found = [self._read_one(c, verb) for c, verb in zip(cands, verbs)]
        own = [f.time is not None or f.setting is not None for f in found]  # an occasion of their own
        # "Graham has acknowledged", "he often says": a stance over time, said on no one occasion
        timeless = [_of_no_one_occasion(verb) for verb in verbs]
        self._from_occasions(cands, found)
        order = sorted(range(len(cands)), key=lambda k: cands[k].anchor)
        last_of: dict[int, int] = {}  # speaker entity key -> their latest statement so far
        for k in order:
            cand = cands[k]
            speaker = self._speaker(cand)
            if cand.kind in _NO_OCCASION or speaker is None or timeless[k]:
                continue
            previous = last_of.get(speaker.key)
            # the speaker's last statement goes on for two paragraphs, their interview however far
            if previous is not None and not own[k] and (
                    self._paragraph(cand.anchor) - self._paragraph(cands[previous].anchor) <= _OCCASION_PARAGRAPHS
                    or found[previous].setting_kind == "interview"):
                found[k] = _inherit(found[k], found[previous], _OCCASION_FIELDS)
            last_of[speaker.key] = k
        self._transcript(cands, found, order)
        self._answers(cands, verbs, found, order)
        return found

    def _transcript(self, cands: Sequence[Candidate], found: list[Circumstances], order: list[int]) -> None:
        """A transcript's turns ("PENCE: Well, ...") answer the turn before them, and were all
        said on the occasion its introduction gives ("On this weekend's broadcast of Fox News
        Sunday, Pence said")."""
        turns = [k for k in order if cands[k].extra.get("turn")]
        if not turns:
            return
        for previous, k in zip(turns, turns[1:]):
            asked = self._speaker(cands[previous])
            if found[k].responds_to is None and asked is not self._speaker(cands[k]):
                found[k].responds_to = asked
        first = cands[turns[0]].anchor
        intro = next((k for k in reversed(order) if cands[k].anchor < first and cands[k].kind not in _NO_OCCASION
                      and (found[k].time is not None or found[k].setting is not None)), None)
        if intro is None or self._paragraph(first) - self._paragraph(cands[intro].anchor) > _INTRO_PARAGRAPHS:
            return
        for k in turns:
            if found[k].time is None and found[k].setting is None:
                found[k] = _inherit(found[k], found[intro], _EVENT_FIELDS)

    @staticmethod
    def _speaker(cand: Candidate) -> Entity | None:
        resolution = cand.extra.get("resolution")
        return resolution.entity if resolution is not None else None

    def _answers(self, cands: Sequence[Candidate], verbs: Sequence[Token | None], found: list[Circumstances],
                 order: list[int]) -> None:
        """"X responded": with no one named, X answers the last other speaker before."""
        for n, k in enumerate(order):
            verb = verbs[k]
            if found[k].responds_to is not None or verb is None or not _answers_no_one_named(verb):
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
        verbs = [t for t in span if t.pos_ == "VERB"] or [t for t in span if t.pos_ == "AUX"]
        return verbs[0] if verbs else span.root  # "is warning": the verb, not its auxiliary

    def _scope(self, verb: Token) -> Iterator[Token]:
        """The heads whose phrases may say the circumstances: the cue verb and participles of
        speaking that frame it."""
        yield verb
        if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.pos_ == "VERB" \
                and (verb.tag_ == "VBG" or verb.head.lemma_ in OCCASION_VERBS):
            # "sued the DNC on Friday, claiming ...", "spoke at a gathering to discuss ...": the act
            # it comes with
            yield verb.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for child in [*verb.children, *(c for s in subjects for c in s.children)]:
            # "Speaking to reporters, Trump said"; "Trump, speaking to a veterans group, said";
            # "Obama, dedicating the museum on Saturday, said"
            if child.dep_ in ("advcl", "xcomp", "acl") and (child.lemma_ in SPEAKING_PARTICIPLES
                                                            and child.tag_ in ("VBG", "VBN") or child.tag_ == "VBG"):
                yield child

    def _read_one(self, cand: Candidate, verb: Token | None) -> Circumstances:
        if verb is None:
            return Circumstances()
        source = {t.i for t in cand.source_head.subtree} if cand.source_head is not None else set()
        content = SpanSet(cand.content)
        found = self._around(verb, content, source)
        speaker = self._speaker(cand)
        if found.responds_to is None:
            said = [t for start, end in cand.content
                    for t in self.doc.char_span(start, end, alignment_mode="expand") or ()]
            found.responds_to = self._agreed_with(said, content) or self._words_taken_up(said, verb, content, speaker)
        if found.responds_to is speaker:
            found.responds_to = None
        if found.addressee_entity is speaker:
            found.addressee_entity = None
        return found

    def _around(self, verb: Token, content: SpanSet, source: set[int]) -> Circumstances:
        """The circumstances said around ``verb``, outside the ``content`` and the ``source``."""
        found = Circumstances()

        def outside(tok: Token) -> bool:
            return tok.i not in source and not content.overlaps(tok.left_edge.idx,
                                                                tok.right_edge.idx + len(tok.right_edge.text))

        for head in self._scope(verb):
            for child in head.children:
                if child.dep_ in ("dobj", "dative", "iobj") and head.lemma_ in ADDRESSING_VERBS \
                        and _names_someone(child, head) and found.addressee is None and child.i not in source:
                    self._addressee(child, found)  # "reminded his staff that ...", however the content reads
                    continue
                # a phrase on the verb of saying is never what was said, however the content reads
                on_the_cue = head is verb and child.i not in source and (
                    child.dep_ in ("prep", "npadvmod") or child.dep_ == "dobj" and verb.lemma_ in REMARK_VERBS)
                if not (outside(child) or on_the_cue) or child.i == verb.i:
                    continue
                self._time(child, found)
                if child.dep_ == "prep":
                    self._preposition(head, child, found)
                elif child.dep_ in ("dobj", "dative", "iobj") and child.pos_ in _NOUN_POS:
                    if head.lemma_ in ADDRESSING_VERBS and found.addressee is None:
                        if _names_someone(child, head):
                            self._addressee(child, found)
                    elif is_answering_cue(head) and found.responds_to is None:
                        found.responds_to = self._entity_of(child)
                    elif child.dep_ == "dobj" and found.setting is None and head.lemma_ in REMARK_VERBS \
                            and not any(c.lower_ in _NOT_MADE_NOW for c in child.children):
                        self._made_occasion(child, found)  # not "made no statement", "made this statement"
        if found.setting is None and verb.lemma_ in CHANNEL_VERBS:
            found.setting = (verb.idx, verb.idx + len(verb.text))
            found.setting_kind = CHANNEL_VERBS[verb.lemma_]
        self._date(found)
        return found

    def _date(self, found: Circumstances) -> None:
        """The date ``found``'s time words mean, against the publication date."""
        if found.time is not None:
            found.date = resolve_date(self.text[found.time[0]:found.time[1]], self.published)

    # ---------------------------------------------------------------- occasions told apart

    def _occasions(self, cues: set[int]) -> list[_Occasion]:
        """Sentences that say when or where someone spoke without being a statement themselves:
        "Trump spoke Friday at a rally in Michigan" (what follows was said there), "Trump made
        the comments during a brief appearance" (what came before was), and the time of a
        sentence's main act ("Warren grilled Stumpf on Tuesday": only when, not where)."""
        out = []
        for verb in self.doc:
            if verb.pos_ not in ("VERB", "AUX") or verb.i in cues:
                continue
            if verb.lemma_ in REMARK_VERBS and any(c.dep_ == "dobj" and c.lemma_ in REMARK_NOUNS
                                                   for c in verb.children):
                how = "back"
            elif verb.lemma_ in OCCASION_VERBS:
                how = "on"
            elif verb.dep_ == "ROOT" and any(_may_say_when_or_where(c) for c in verb.children):
                how = "when"
            else:
                continue
            found = self._around(verb, SpanSet(), set())
            said = how != "when"
            if not said:  # the time of any act; a place only where it is one of speaking
                said = found.setting_kind in _SPEAKING_OCCASIONS
                found = Circumstances(time=found.time, date=found.date, setting=found.setting if said else None,
                                      setting_kind=found.setting_kind if said else None)
            if found.time is None and found.setting is None:
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            entity = self._entity_of(subject) if subject is not None else None
            if entity is None and how == "when":
                continue  # whose act it was must be known: "In our last epistle, ..." is the writer's
            out.append(_Occasion(verb.idx, self._paragraph(verb.idx), entity, how == "back", said, found))
        return out

    def _paragraph(self, position: int) -> int:
        """The number of the paragraph (lines apart, however many blank lines between) at ``position``."""
        if self._breaks is None:
            self._breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(self.text)]
        return bisect.bisect_right(self._breaks, position)

    def _from_occasions(self, cands: Sequence[Candidate], found: list[Circumstances]) -> None:
        """A statement with no occasion of its own takes that of the nearest occasion sentence
        of its speaker in its paragraph (after it, for "made the comments") or the one before."""
        cues = {t.i for c in cands for s, e in c.cue for t in (self.doc.char_span(s, e, alignment_mode="expand") or ())}
        occasions = self._occasions(cues)
        if not occasions:
            return
        for k, cand in enumerate(cands):
            if cand.kind in _NO_OCCASION or found[k].time is not None or found[k].setting is not None:
                continue
            speaker = self._speaker(cand)
            paragraph = self._paragraph(cand.anchor)
            fitting = [o for o in occasions
                       if (o.entity is speaker or o.entity is None and o.said) and speaker is not None
                       and (o.looks_back and paragraph <= o.paragraph <= paragraph + 1 and o.position > cand.anchor
                            or not o.looks_back and paragraph - 1 <= o.paragraph <= paragraph
                            and o.position < cand.anchor)]
            for near in sorted(fitting, key=lambda o: abs(o.position - cand.anchor)):  # nearest first
                found[k] = _inherit(found[k], near.found, _OCCASION_FIELDS)

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
        elif tok.dep_ == "prep" and tok.lower_ in _EVENT_PREPOSITIONS:
            event = next((c for c in tok.children if c.dep_ == "pobj"), None)
            kind = _occasion_kind(event) if event is not None else None
            if kind is not None and (kind != "other" or event.lemma_.casefold() in GATHERING_NOUNS):
                found.time = token_span(self.doc, tok.i, _phrase_end(event))  # "after the day-long meeting"

    def _time_words(self, first: Token, time: Token) -> CharSpan | None:
        """From ``first`` (a preposition, or the time word itself) to the end of the time
        expression ``time`` is in: the tagger's date or time entity where there is one."""
        doc = self.doc
        ent = self.table.ent_at.get(time.i)
        ent = ent if ent is not None and ent.label_ in _DATE_LABELS else None
        start = first.i
        while start > 0 and doc[start - 1].lower_ in _TIME_MODIFIERS and doc[start - 1].head in (first, first.head):
            start -= 1  # "earlier on Wednesday"
        if first.i == time.i:  # a bare time: its own words before it ("last week", "Wednesday afternoon")
            while start > time.left_edge.i and (doc[start - 1].ent_type_ in _DATE_LABELS
                                                or doc[start - 1].lower_ in _TIME_MODIFIERS
                                                or _is_time_token(doc[start - 1])):
                start -= 1
        end = ent.end - 1 if ent is not None else time.right_edge.i
        after = doc[end + 1] if end + 1 < len(doc) else None
        if after is not None and after.dep_ == "prep" and after.lower_ in _EVENT_PREPOSITIONS \
                and after.head in (time, time.head):  # "the morning after the debate", however parsed
            end = after.right_edge.i
        # the tagger's entity can run on into a name ("Last week Stumpf")
        while end > max(start, time.i) and (doc[end].dep_ == "case" or doc[end].pos_ == "PROPN"
                                            and not _is_time_token(doc[end])):
            end -= 1
        return token_span(doc, start, end)

    def _time_of_occasion(self, prep: Token, noun: Token, found: Circumstances) -> None:
        """"a 2012 interview", "Wednesday's debate", "an interview on Sunday", "in a statement
        early Saturday morning", "in an article published Wednesday evening"."""
        if found.time is not None:
            return
        for child in [*noun.children, *(c for c in prep.children if c.i != noun.i)]:
            if child.dep_ in ("compound", "nummod", "poss", "amod", "npadvmod", "nmod") and _is_time_token(child):
                found.time = self._time_words(child, child)
                return
            if child.dep_ == "prep" and child.i > noun.i:
                self._time(child, found)
            elif child.dep_ == "acl" and child.lemma_ in OCCASION_PARTICIPLES:
                for grandchild in child.children:
                    self._time(grandchild, found)

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
        if word == "on" and head.lemma_ == "call" and found.addressee is None:  # "called on Republicans to ..."
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
            target = _object_of(noun, "to")
            if target is not None:
                found.responds_to = self._entity_of(target)
            return
        if word not in SETTING_PREPOSITIONS or found.setting is not None \
                or found.time is not None and found.time[0] == prep.idx:  # "after the meeting": when, not where
            return
        kind = self._setting_kind(word, noun)
        if kind is None or word == "on" and (kind in _TOPIC_ON or noun.lemma_ in ANSWERED_NOUNS):
            return
        # the occasion's own words: its phrases ("a rally in Ohio"), and a time among them, but
        # not a time that ends it ("in a statement on Tuesday") nor a clause on it
        found.setting = token_span(self.doc, prep.i, self._occasion_end(noun, noun.i, found))
        found.setting_kind = kind
        self._time_of_occasion(prep, noun, found)
        if kind == "interview" and found.addressee is None:  # "in a Bloomberg interview"
            outlet = next((c for c in noun.lefts if c.dep_ in ("compound", "nmod", "poss") and c.pos_ == "PROPN"
                           and c.ent_type_ in _OUTLET_LABELS), None)
            if outlet is not None:
                found.addressee = token_span(self.doc, outlet.left_edge.i, outlet.i)
                found.addressee_entity = self._entity_of(outlet)
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in AUDIENCE_PREPOSITIONS and found.addressee is None:
                audience = [o for o in child.children if o.dep_ == "pobj"]
                if audience:
                    self._addressee(audience[0], found)

    def _made_occasion(self, noun: Token, found: Circumstances) -> None:
        """An occasion the cue itself makes: "issued a statement", "unleashed a series of
        tweets", "gave a speech in Toledo" — the object, without a clause on it."""
        head = noun
        if noun.lemma_ in _COLLECTIVE_NOUNS:  # "a series of tweets", "a flurry of tweets"
            head = _object_of(noun, "of") or noun
        kind = _occasion_kind(head)
        if kind is None or kind == "press conference" or head.pos_ != "NOUN":
            return
        found.setting = token_span(self.doc, noun.left_edge.i, self._occasion_end(head, noun.i, found))
        found.setting_kind = kind
        self._time_of_occasion(head, head, found)

    def _occasion_end(self, noun: Token, start: int, found: Circumstances) -> int:
        """The last token of an occasion's phrase from ``start`` whose noun is ``noun``: its own
        phrases ("a rally in Ohio") and a time among them, but not a clause on it nor a time that
        ends it ("in a statement on Tuesday", "a meeting on Wednesday"), which becomes ``found``'s
        time."""
        last = noun.i
        owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children)
        for child in noun.rights:
            if owned and child.lower_ == "of":
                break  # "during his speech of a slaver's block": what he spoke of, not which speech
            if child.dep_ == "prep" and not self._is_time_phrase(child):
                last = _phrase_end(child)
            elif not (child.dep_ in ("npadvmod", "nmod", "compound") and _is_time_token(child)
                      or child.dep_ == "prep"):
                break
        for inner in self.doc[start + 1:last + 1]:  # a time that ends a phrase inside it ("... meeting on Wednesday")
            if inner.dep_ == "prep" and inner.right_edge.i == last and inner.i > noun.i and self._is_time_phrase(inner):
                self._time(inner, found)
                last = inner.left_edge.i - 1
                break
        return last

    def _is_time_phrase(self, prep: Token) -> bool:
        probe = Circumstances()
        self._time(prep, probe)
        return probe.time is not None

    @staticmethod
    def _setting_kind(word: str, noun: Token) -> str | None:
        kind = _occasion_kind(noun)
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
        Ukraine Defense Liaison Group meeting" speaks to the group), and one with an "of"
        phrase is the occasion of those it names ("told a meeting of Pacific Island leaders")."""
        kind = _occasion_kind(noun)
        gathered = _object_of(noun, "of")
        if kind is not None and gathered is not None and found.setting is None:
            found.setting = token_span(self.doc, noun.left_edge.i, self._occasion_end(noun, noun.i, found))
            found.setting_kind = kind
            self._time_of_occasion(noun, noun, found)
            noun = gathered
        first, last = noun.left_edge.i, noun.i
        for child in noun.rights:
            # "the editorial board of the Washington Post", "radio host Hugh Hewitt", "some of the
            # miners"; not a clause, nor what it was about ("reminded experts of the gulf between ...")
            named_of = child.dep_ == "prep" and child.lower_ == "of" \
                and child.right_edge.i - child.i <= _NAME_OF_TOKENS \
                and (any(t.pos_ == "PROPN" for t in child.subtree) or noun.pos_ in ("PRON", "NUM", "DET", "ADJ"))
            if not (named_of or child.dep_ in ("compound", "amod", "nummod", "cc", "conj")
                    or child.dep_ == "appos" and child.pos_ == "PROPN"):
                break  # "dignitaries and thousands of people watching": all of them
            last = child.right_edge.i
        if any(c.dep_ == "case" for c in noun.children):
            # the parse splits "told MSNBC’s “Morning Joe”" into two objects: the second is the one
            owned = next((c for c in noun.head.children
                          if c.dep_ == noun.dep_ and c.left_edge.i == noun.right_edge.i + 1), None)
            if owned is not None:
                last = owned.right_edge.i
        if SETTING_NOUNS.get(noun.lower_) == "other" and noun.i > first \
                and any(c.pos_ == "PROPN" for c in noun.lefts):
            last = noun.i - 1
        found.addressee = token_span(self.doc, first, last)
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

    def _words_taken_up(self, said: Sequence[Token], verb: Token, content: SpanSet, speaker: Entity | None
                        ) -> Entity | None:
        """Whose words the statement takes up: "Clinton mocked Trump's complaint", "She says
        Trump's early-morning tweets ... are", "will address the comments Trump had made"
        (``said``: the content's tokens, as the :class:`SpanSet` ``content``)."""
        words = [c for c in verb.children if c.dep_ == "dobj" and verb.lemma_ not in CITING_VERBS]
        words += [t for t in said if t.dep_ in ("nsubj", "nsubjpass") and _heads_content(t.head, content)]
        for tok in words:
            if tok.pos_ != "NOUN" or tok.lemma_ not in ANSWERED_NOUNS:
                continue
            owner = self._entity_of(tok) or next(
                (self._entity_of(s) for c in tok.children if c.dep_ == "relcl"
                 for s in c.children if s.dep_ == "nsubj"), None)  # "the comments Trump had made"
            if owner is not None and owner is not speaker:
                return owner
        return None

    def _agreed_with(self, said: Sequence[Token], content: SpanSet) -> Entity | None:
        """"stated that he agrees with Trump's view": whom the content (its tokens ``said``, as the
        :class:`SpanSet` ``content``) itself sides with."""
        for tok in said:
            if tok.lemma_ in AGREEING_VERBS and not content.overlaps(tok.head.idx, tok.head.idx + 1):
                # the content's own verb (its head lies outside it)
                target = _object_of(tok, "with")
                return self._entity_of(target) if target is not None else None
        return None


def _may_say_when_or_where(tok: Token) -> bool:
    """A quick look before a full reading: could this phrase on a verb be a time or an occasion?"""
    return tok.dep_ == "prep" and (tok.lower_ in SETTING_PREPOSITIONS or tok.lower_ in _TIME_PREPOSITIONS) \
        or tok.dep_ == "advmod" and tok.lower_ in _TIME_PREPOSITIONS or _is_time_token(tok)


def _heads_content(tok: Token, content: SpanSet) -> bool:
    """Whether ``tok`` is the main word of the ``content``: in it, its head not."""
    head = tok.head
    return content.overlaps(tok.idx, tok.idx + 1) and (head is tok or not content.overlaps(head.idx, head.idx + 1))


def _of_no_one_occasion(verb: Token | None) -> bool:
    """"has acknowledged", "have long argued", "has been critical of" (the perfect), "often
    says": said over time, not on one occasion."""
    if verb is None:
        return False
    if verb.dep_ == "aux":  # "has been critical of": the cue's first word is the auxiliary
        verb = verb.head
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children) \
        or any(c.dep_ == "advmod" and c.lower_ in FREQUENCY_ADVERBS for c in verb.children)


def _answers_no_one_named(verb: Token) -> bool:
    """A cue of answering that does not name whom it answers ("responded", not "responded to
    Trump" nor "rebutted Clinton"; agreeing is no answer to the last speaker)."""
    return is_answering_cue(verb) and verb.lemma_ not in ("agree", "disagree") \
        and not any(c.dep_ == "dobj" and c.pos_ in _NOUN_POS or c.dep_ == "prep" and c.lower_ in ("to", "at", "with")
                    for c in verb.children)


def is_answering_cue(verb: Token) -> bool:
    """"responded", "fired back", "hit back": verbs of answering, with their particle where
    the verb alone says something else."""
    if verb.lemma_ in PHRASAL_RESPONDING_VERBS:
        return any(c.dep_ == "prt" and c.lower_ in RESPONDING_PARTICLES for c in verb.children)
    return verb.lemma_ in RESPONDING_VERBS
