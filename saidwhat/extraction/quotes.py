"""Pair quotation marks into quotes.

News text mixes straight and curly marks, apostrophes that look like closing single
quotes, and the convention that a quote running over several paragraphs re-opens
each paragraph without closing the previous one. Pairing is done per paragraph so a
stray mark can never swallow the rest of an article.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import DOUBLE_QUOTE_MARKS, SINGLE_QUOTE_MARKS

# opening mark -> closing marks accepted for it
DOUBLE_PAIRS = {"“": "”“\"", "„": "“”\"", "«": "»", "»": "«", "\"": "\"”", "″": "″"}
SINGLE_PAIRS = {"‘": "’'", "'": "'’", "‚": "‘’", "‹": "›"}
# `` and '' as used in some wire copy (PolNeAR's NYT texts) count as double marks
_TWO_CHAR = re.compile(r"``|''")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True)
class Quote:
    """A quoted stretch of text; ``start``/``end`` include the marks themselves."""

    start: int
    end: int
    closed: bool = True
    continues: bool = False  # re-opened in the next paragraph without closing here

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted words without the (single-character) marks."""
        return (self.start + 1, self.end - 1 if self.closed else self.end)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _mark_role(text: str, i: int, ch: str) -> str | None:
    """Guess whether the mark at ``i`` opens, closes, or is an apostrophe ("x")."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in "“„«‘‚‹":
        if ch == "‘" and _is_word(prev):
            return "x"  # a mis-typed apostrophe inside a word
        if ch == "“" and not prev.isspace() and prev not in "([{—–-/" and (nxt.isspace() or nxt in ".,;:!?)"):
            return "either"  # „German style“ closes with the English opening mark
        return "open"
    if ch in "”»’›":
        if ch == "’" and (_is_word(prev) and (_is_word(nxt))):
            return "x"  # don’t, Ukraine’s
        if ch == "’" and prev.isspace() and nxt.isdigit():
            return "x"  # ’90s
        return "close"
    # straight marks: decide by the neighbours
    if ch == "'":
        if _is_word(prev) and _is_word(nxt):
            return "x"
        if prev.isspace() and nxt.isdigit():
            return "x"
    left_open = prev.isspace() or prev in "([{—–-/" or i == 0
    right_open = nxt.isspace() or nxt in ".,;:!?)]}—–-" or i + 1 == len(text)
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    if ch == "'" and _is_word(prev) and right_open:
        return "close"  # possessive plural or close; treated as close only if a quote is open
    return "either"


def _pair_in_paragraph(text: str, start: int, end: int, marks: set[str],
                       pairs: dict[str, str]) -> list[Quote]:
    quotes: list[Quote] = []
    open_at: int | None = None
    open_ch = ""
    for i in range(start, end):
        ch = text[i]
        if ch not in marks:
            continue
        role = _mark_role(text, i, ch)
        if role == "x":
            continue
        if open_at is None:
            if role in ("open", "either") and ch in pairs:
                open_at, open_ch = i, ch
            continue
        if ch in pairs[open_ch] and role in ("close", "either"):
            quotes.append(Quote(open_at, i + 1))
            open_at = None
        elif role == "open" and ch in pairs:
            # a new opener while one is open: the earlier mark was stray
            open_at, open_ch = i, ch
    if open_at is not None:
        quotes.append(Quote(open_at, _rstrip_end(text, open_at, end), closed=False))
    return quotes


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _first_mark_opens(text: str, start: int, end: int) -> bool:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i < end and text[i] in DOUBLE_QUOTE_MARKS and _mark_role(text, i, text[i]) in ("open", "either")


def _two_char_mark(m: re.Match) -> str:
    """Rewrite `` or '' as a double mark followed by a filler that keeps the length."""
    return "\"" + m.group()[1]


def pair_quote_marks(text: str) -> list[Quote]:
    """Return the double-quoted stretches of ``text`` in order.

    Single marks count as quotes only when no double marks appear in the paragraph
    (British style); inside a double quote they are nested quotes and belong to it.
    """
    text_norm = _TWO_CHAR.sub(_two_char_mark, text)
    quotes: list[Quote] = []
    paragraphs = _paragraphs(text_norm)
    for n, (ps, pe) in enumerate(paragraphs):
        found = _pair_in_paragraph(text_norm, ps, pe, DOUBLE_QUOTE_MARKS, DOUBLE_PAIRS)
        if not found and not any(c in DOUBLE_QUOTE_MARKS for c in text_norm[ps:pe]):
            found = [q for q in _pair_in_paragraph(text_norm, ps, pe, SINGLE_QUOTE_MARKS, SINGLE_PAIRS)
                     if q.closed]
        if found and not found[-1].closed:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt and _first_mark_opens(text_norm, *nxt):
                found[-1] = Quote(found[-1].start, found[-1].end, closed=False, continues=True)
        quotes.extend(found)
    # a quote closed by '' ends after both characters
    return [Quote(q.start, q.end + 1, q.closed, q.continues)
            if q.closed and text[q.end - 1:q.end + 1] == "''" else q for q in quotes]


def quote_groups(quotes: list[Quote]) -> list[list[Quote]]:
    """Group quotes that continue over paragraphs into one utterance."""
    groups: list[list[Quote]] = []
    carry: list[Quote] | None = None
    for q in quotes:
        if carry is not None:
            carry.append(q)
        else:
            carry = [q]
        if not q.continues:
            groups.append(carry)
            carry = None
    if carry:
        groups.append(carry)
    return groups


class QuoteIndex:
    """Quotes of an article with fast lookup by character offset."""

    def __init__(self, text: str):
        self.quotes = pair_quote_marks(text)
        self.groups = quote_groups(self.quotes)
        self.starts = [q.start for q in self.quotes]
        self.group_of = {q: g for g in self.groups for q in g}

    def at(self, offset: int) -> Quote | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.quotes[i].start <= offset < self.quotes[i].end:
            return self.quotes[i]
        return None

    def within(self, start: int, end: int) -> list[Quote]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            out.append(self.quotes[i])
            i += 1
        return out

    def in_closed_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a quotation whose closing mark was found."""
        q = self.at(offset)
        return q is not None and q.closed

    def touching(self, start: int, end: int) -> list[Quote]:
        """Quotes overlapping ``[start, end)``."""
        first = self.at(start)
        out = [first] if first else []
        out += [q for q in self.within(start, end) if q is not first]
        return out
