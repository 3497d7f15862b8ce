"""Statements before speakers are known, and the span helpers every reading shares.

A :class:`Candidate` holds character offsets into the article; the helpers turn token
ranges of the parse into such offsets the way PolNeAR marks them (punctuation trimmed
at the edges, quotation marks kept).
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import QUOTE_CHARS

CharSpan = tuple[int, int]


@dataclass
class Candidate:
    """A statement before speakers are resolved; spans are character offsets."""

    kind: str
    content: list[CharSpan]
    cue: list[CharSpan]
    source: CharSpan | None
    source_head: Token | None
    confidence: float
    anchor: int  # char offset used for ordering and salience
    cue_lemma: str = ""
    quoted: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


class SpanSet:
    """Disjoint character spans with O(log n) overlap tests."""

    def __init__(self, spans: Iterable[CharSpan] = ()):
        self.spans: list[CharSpan] = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (end,))
        # spans are disjoint, so only the last few starting before ``end`` can reach ``start``
        return any(s < end and start < e for s, e in self.spans[max(0, i - 3):i])

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


def sentence_of(tok: Token) -> Span:
    """``tok.sent`` without its cost: spaCy rescans for boundaries on every call."""
    doc = tok.doc
    starts = doc.user_data.get("saidwhat_sent_starts")
    if starts is None or starts[-1] != len(doc):
        starts = [s.start for s in doc.sents] + [len(doc)]
        doc.user_data["saidwhat_sent_starts"] = starts
    k = bisect.bisect_right(starts, tok.i) - 1
    return doc[starts[k]:starts[k + 1]]


def _is_edge_junk(tok: Token) -> bool:
    return tok.is_space or (tok.is_punct and tok.text not in QUOTE_CHARS and tok.text not in ("''", "``"))


def token_span(doc: Doc, first: int, last: int) -> CharSpan | None:
    """Characters of tokens ``first..last`` (inclusive) with punctuation trimmed at the edges."""
    while first <= last and _is_edge_junk(doc[first]):
        first += 1
    while last >= first and _is_edge_junk(doc[last]):
        last -= 1
    if first > last:
        return None
    return (doc[first].idx, doc[last].idx + len(doc[last].text))


def subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def clip_to_sentence(tok: Token, first: int, last: int) -> tuple[int, int]:
    sent = sentence_of(tok)
    return max(first, sent.start), min(last, sent.end - 1)


def source_range(tok: Token) -> tuple[int, int]:
    """Token range of a source noun phrase: its subtree without relative clauses."""
    first, last = tok.i, tok.i
    for child in tok.lefts:
        first = min(first, child.left_edge.i)
    for child in tok.rights:
        if child.dep_ in ("relcl", "acl", "punct") and child.i > tok.i:
            # "Hegseth, who ..., said": the clause is not part of the name
            if child.dep_ == "punct":
                continue
            break
        last = max(last, child.right_edge.i)
    return first, last


def source_span(doc: Doc, tok: Token | None) -> CharSpan | None:
    if tok is None:
        return None
    first, last = source_range(tok)
    return token_span(doc, first, last)
