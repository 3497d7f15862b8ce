"""The headline: where it sits in the text, and the statements it makes ("X Says: ...", "X: ...").

Headlines are title-cased and verbless, where the parser is least reliable, so they are
read with patterns rather than the parse.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .lexicon import QUOTE_CHARS
from .spans import Candidate, CharSpan

_HEADLINE_MAX_WORDS = 40
_WORD = re.compile(r"\w+")


# a first line opened by a capitalised name and a colon
_NAME_COLON = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}: \S")


def first_line(text: str) -> str | None:
    """The first non-empty line, stripped: a ``.txt`` article's headline."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def find_headline(text: str, title: str | None = None) -> CharSpan | None:
    """Where the headline sits in ``text``: the given title, else a title-like first line."""
    start = len(text) - len(text.lstrip())
    if title is not None:
        title = title.strip()
        if title and text.startswith(title, start):
            return (start, start + len(title))
        return None
    line_end = text.find("\n", start)
    if line_end < 0 or not text[line_end:].strip():
        return None  # a single paragraph is all body
    line = text[start:line_end].rstrip()
    words = line.split()
    if not words or len(words) > _HEADLINE_MAX_WORDS:
        return None
    capitalised = sum(1 for w in words if w[:1].isupper()) / len(words)
    if line.endswith((".", "?", "!")) and capitalised < 0.5 and not line.endswith(("”", "\"")) \
            and not _NAME_COLON.match(line):  # "Sanders: Clinton needs to ...": a headline in sentence case
        return None
    return (start, start + len(line))


_HEADLINE_CUE = re.compile(r"^(?P<source>[^:]{2,80}?)\s+(?P<cue>(?:[A-Z]\w+\s+)?"
                           r"(?:[Ss]ays?|[Ss]aid|[Ww]arns?|[Cc]laims?|[Tt]ells?|[Aa]dmits?|[Dd]enies|[Ii]nsists?|[Vv]ows?|[Uu]rges?|[Aa]rgues?|"
                           r"[Bb]elieves?|[Pp]redicts?|[Dd]eclares?|[Ss]lams?|[Bb]lasts?))\s*[:,]?\s+(?P<content>.+)$")


def headline_frames(doc: Doc, headline: CharSpan | None) -> list[Candidate]:
    """'X Says: ...' and 'X: ...' in the headline, where the parser is least reliable."""
    if headline is None:
        return []
    hs, he = headline
    line = doc.text[hs:he]
    m = _HEADLINE_CUE.match(line)
    if m and _looks_like_name(m.group("source")):
        src = (hs + m.start("source"), hs + m.end("source"))
        cue_text = m.group("cue").split()[-1]
        cue = (hs + m.end("cue") - len(cue_text), hs + m.end("cue"))
        content = (hs + m.start("content"), hs + len(line.rstrip(" .")))
        return [_headline_candidate(doc, src, cue, content, cue_text.lower())]
    if ":" in line:
        left, right = line.split(":", 1)
        if right.strip() and _looks_like_name(left) and len(left.split()) <= 5 \
                and _names_someone(doc, hs, hs + len(left)):
            src = (hs + len(left) - len(left.lstrip()), hs + len(left.rstrip()))
            cue = (hs + len(left), hs + len(left) + 1)
            start = hs + len(left) + 1 + (len(right) - len(right.lstrip()))
            return [_headline_candidate(doc, src, cue, (start, hs + len(line.rstrip(" ."))), ":")]
    return []


def _looks_like_name(s: str) -> bool:
    words = s.strip().split()
    if not words or len(words) > 8:
        return False
    return words[-1][:1].isupper() and not any(ch in s for ch in QUOTE_CHARS | {"?", "!"})


_NAMING_LABELS = ("PERSON", "ORG", "NORP", "GPE")


def _names_someone(doc: Doc, start: int, end: int) -> bool:
    """'Rutte: ...' is a statement, 'Breaking: ...' or 'Poll: ...' is not.

    The left side counts when the tagger sees a name there, or when its words are part
    of a name the body mentions (headline capitals fool the tagger).
    """
    ents = [e for e in doc.ents if e.label_ in _NAMING_LABELS]
    if any(e.start_char < end and e.end_char > start for e in ents):
        return True
    body_name_words = {t.lower_ for e in ents if e.start_char >= end for t in e}
    words = [w.lower() for w in _WORD.findall(doc.text, start, end)]
    return bool(words) and all(w in body_name_words for w in words)


def _headline_candidate(doc: Doc, src: CharSpan, cue: CharSpan, content: CharSpan,
                        lemma: str) -> Candidate:
    span = doc.char_span(*src, alignment_mode="expand")
    head = span.root if span is not None else None
    return Candidate(kind="headline", content=[content], cue=[cue], source=src, source_head=head,
                     confidence=0.75, anchor=cue[0], cue_lemma=lemma)
