"""Which cue readings report an act of saying or thinking, and credit someone with it.

The learned model reads cues the way PolNeAR's political news marks them, where "offered a
plan" or "released his tax returns" can be an attribution. On arbitrary pages the same frames
are mostly things dealt with, and the hand-judged samples (``annotations/precision/``) count
them as no statement:

* a verb of handling things (:data:`~.lexicon.OBJECT_VERBS`: "Amazon offers the tablet for
  $79", "police released video", "the laptop features a bigger screen") whose content is only
  a noun phrase — no clause, no quotation: a thing, not words. PolNeAR counts a few ("he
  released his plan"): 3 of its 2,192 dev statements;
* a refusal to speak ("declined to comment", "refused to say when it would open", "his
  refusal to say"): nothing was said. A refused speech verb with an object stays ("refused to disclose his records"),
  as PolNeAR counts it; it counts the first kind once in its dev statements;
* an agentless passive of saying or thinking ("the virus is believed to have come from bats",
  "the band is said to be splitting up", "it was noted that …"): no one is credited. None of
  PolNeAR's dev statements is lost; "X is expected to …" stays, as news writes its forecasts
  so and PolNeAR counts them (four of its dev statements).
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import OBJECT_VERBS, QUOTE_CHARS, REFUSAL_WORDS, SPEECH_VERBS
from .spans import Candidate

#: the passive whose missing agent still leaves a statement PolNeAR counts
_FORECAST = "expect"
#: how a participle modifies a noun ("refurbished laptops"): no clause of its own
_NOUN_MODIFIERS = frozenset({"amod", "compound"})


def content_tokens(doc: Doc, cand: Candidate) -> list[Token]:
    """The tokens of a candidate's content."""
    out: list[Token] = []
    for start, end in cand.content:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out


def is_noun_phrase(tokens: list[Token]) -> bool:
    """Content with no verb (but participles before a noun: "the missing dog") and no quotation
    mark: a thing or a topic, not a proposition."""
    return bool(tokens) and not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in _NOUN_MODIFIERS
                                    or t.text in QUOTE_CHARS for t in tokens)


def handles_a_thing(doc: Doc, cand: Candidate) -> bool:
    """"offers 30 colours", "released dramatic video": a verb of handling things with a noun phrase."""
    return cand.cue_lemma in OBJECT_VERBS and is_noun_phrase(content_tokens(doc, cand))


def refuses_to_speak(doc: Doc, cand: Candidate, cue: Token) -> bool:
    """"declined to comment", "refused to say when …": a refusal whose content is a speech verb
    with no object, or that speech verb read as the cue."""
    if cand.cue_lemma in REFUSAL_WORDS:
        refused = next((t for t in content_tokens(doc, cand) if t.pos_ in ("VERB", "AUX")), None)
    else:
        refused = cue if cue.head.lemma_.lower() in REFUSAL_WORDS and cue.head.i != cue.i else None
    return (refused is not None and refused.lemma_.lower() in SPEECH_VERBS
            and not any(c.dep_ == "dobj" for c in refused.children))


def credits_no_one(cand: Candidate, verb: Token) -> bool:
    """"is believed to …", "was said to …" with no "by X": a passive cue with no source."""
    return (cand.source is None and cand.cue_lemma != _FORECAST
            and any(c.dep_ == "auxpass" for c in verb.children))


def acts_of_saying(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """``cands`` without the readings that report no words or thoughts, or credit no one."""
    kept = []
    for cand in cands:
        cue = doc.char_span(cand.anchor, cand.anchor + 1, alignment_mode="expand")
        if cue is not None and (handles_a_thing(doc, cand) or refuses_to_speak(doc, cand, cue[0])
                                or credits_no_one(cand, cue[0])):
            continue
        kept.append(cand)
    return kept
