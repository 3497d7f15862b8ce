"""The hand-written cue rules: the lexicon and the learned frame table decide which words are cues.

``rule_frames`` is one :data:`FrameFinder`; the learned model's ``frames`` is the other
(``--no-model`` picks the rules).
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from .frame_table import MIN_FRAME_PRECISION, frame_precision, has_frames
from .lexicon import COGNITION_ADJECTIVES, COGNITION_VERBS, CUE_NOUNS, SPEECH_VERBS
from .quotes import QuoteIndex
from .readings import (
    FRAME_PREPS,
    complement_frames,
    fallback_content,
    frame_content,
    is_conversational,
    make_candidate,
    make_noun_candidate,
    noun_clause,
)
from .spans import Candidate, CharSpan, subtree_range

# what the hand-written lexicon expects of a cue word with a clausal complement
LEXICON_PRIOR = 0.8


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


_FRAME_ORDER = ("ccomp", "xcomp", "dobj") + tuple("prep_" + p for p in FRAME_PREPS)


def _choose_frame(tok: Token, lemma: str, is_cue_word: bool) -> tuple[str, list[Token], float] | None:
    frames = complement_frames(tok)
    for name in _FRAME_ORDER:
        if name not in frames:
            continue
        if name != "ccomp" and _negated(tok):
            continue  # "did not announce any new aid" reports nothing
        precision = frame_precision(lemma, name, LEXICON_PRIOR if name == "ccomp" and is_cue_word else 0.0)
        if precision >= MIN_FRAME_PRECISION:
            return name, frames[name], precision
    return None


def verb_frames(doc: Doc) -> list[Candidate]:
    """Statements introduced by a cue verb or adjective, found through the parse."""
    out: list[Candidate] = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        lemma = tok.lemma_.lower()
        is_adj = tok.pos_ == "ADJ"
        if is_adj and (lemma not in COGNITION_ADJECTIVES or tok.dep_ != "acomp"):
            continue
        is_cue_word = lemma in SPEECH_VERBS or lemma in COGNITION_VERBS or is_adj
        if not is_cue_word and not has_frames(lemma):
            continue
        chosen = _choose_frame(tok, lemma, is_cue_word)
        extra_cue: list[Token] = []
        if chosen is not None:
            frame, heads, confidence = chosen
            ranges, extra_cue = frame_content(tok, frame, heads)
            confidence = min(0.95, confidence)
        elif is_cue_word and "ccomp" not in complement_frames(tok):
            ranges = fallback_content(tok)
            confidence = 0.7
        else:
            continue
        if not ranges or is_conversational(tok):
            continue
        cand = make_candidate(tok, ranges, extra_cue, confidence)
        if cand is not None:
            out.append(cand)
    return out


def noun_frames(doc: Doc) -> list[Candidate]:
    """'His claim that ...': a cue noun with a that-clause."""
    out: list[Candidate] = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in CUE_NOUNS:
            continue
        clause = noun_clause(tok)
        if clause is None:
            continue
        cand = make_noun_candidate(tok, [subtree_range(clause)], [], 0.6)
        if cand is not None:
            out.append(cand)
    return out


def rule_frames(doc: Doc, headline: CharSpan | None = None,
                quotes: QuoteIndex | None = None) -> list[Candidate]:
    """Cue words found by the hand-written lexicon and the learned frame table.

    Not in the headline, whose parse is too poor for these rules (see :func:`.headline.headline_frames`).
    """
    return [c for c in verb_frames(doc) + noun_frames(doc)
            if headline is None or c.anchor >= headline[1]]


#: what decides which words are cues: ``(doc, headline, quotes) -> candidates``
FrameFinder = Callable[[Doc, "CharSpan | None", QuoteIndex], list[Candidate]]
