"""What is not a statement though it reads like one: the writer's own voice, and the same
words found twice on one page.

* "Remember when …?", "But expect prices to rise", "Don't believe the hype": a cue verb in the
  imperative, outside quotation marks, is the article's own voice addressing its reader — no
  one is credited with anything. So is the reader told what they see, know or want ("you'll
  see that …", "if you want to retire early …"), and the writer telling their own mind or
  doings ("I think …", "we found that …", "I asked her …"): "you", "I" or "we" as the source
  of a cue outside quotation marks. Reviews, advice columns, letters and blogs write so; a
  reader of a news tool looks for what others said (``annotations/precision/README.md``).
  PolNeAR's annotators count the writer's opinions in op-eds and letters ("I know this
  hatred … was wrong", "how do you know when it's worth paying more", "I laughed and said,
  “…”"); where the article names its writer (a headline "Ann Coulter: …", a closing "Jane Roe
  is the author of …") their "I" and "we" are statements, credited to them.
* A pull quote, or a "related" line repeated around a page, repeats a statement of the body:
  one statement per thing said, the fuller one (or the first of equals) kept.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .quotes import QuoteIndex
from .spans import Candidate

_WORD = re.compile(r"\w+")
#: a content this long or longer repeats another with exactly its words ("no" twice is not a repeat)
MIN_REPEAT_WORDS = 3
#: a content this long or longer also repeats a longer content it is found in
MIN_CONTAINED_WORDS = 6
#: the writer and the reader, as the subject of a cue outside quotation marks
_WRITER = frozenset({"i", "we"})
_WRITER_AND_READER = _WRITER | {"you"}
#: dependents that give a verb a subject (so it is not addressed to the reader)
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def is_imperative(verb: Token) -> bool:
    """A base-form verb heading its sentence (or joined to one that does) with no subject and
    no auxiliary but "do" ("Don't forget …"): an order or a plea to the reader."""
    if verb.tag_ != "VB" or verb.dep_ not in ("ROOT", "conj"):
        return False
    if verb.dep_ == "conj" and not is_imperative(verb.head):
        return False
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return False
        if child.dep_ in ("aux", "auxpass") and child.lemma_.lower() != "do":
            return False
    return True


def is_writer_or_reader(source: Token | None, writer_named: bool = False) -> bool:
    """"I think …", "we found that …", "if you want to …": the writer or the reader as the
    source of a cue (the reader only, when the article names its writer)."""
    return source is not None and source.lower_ in (_WRITER_AND_READER - _WRITER if writer_named
                                                    else _WRITER_AND_READER)


def without_writers_voice(doc: Doc, cands: list[Candidate], quotes: QuoteIndex,
                          writer_named: bool = False) -> list[Candidate]:
    """``cands`` without the writer's own voice outside quotation marks: an imperative cue
    that credits no one (a subject would make it someone's words), or a cue whose source is
    the reader, or the writer of an article that does not name them (``writer_named``)."""
    at = {tok.idx: tok for tok in doc}
    kept = []
    for cand in cands:
        verb = at.get(cand.anchor)
        if verb is not None and not quotes.in_closed_quote(verb.idx) and (
                (cand.source is None and is_imperative(verb)) or is_writer_or_reader(cand.source_head, writer_named)):
            continue
        kept.append(cand)
    return kept


def _words(text: str, cand: Candidate) -> tuple[str, ...]:
    return tuple(_WORD.findall(" ".join(text[s:e] for s, e in cand.content).lower()))


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def without_repeats(cands: list[Candidate], text: str) -> list[Candidate]:
    """``cands`` without the statements whose content repeats another's: the same words (at
    least :data:`MIN_REPEAT_WORDS`), or (for :data:`MIN_CONTAINED_WORDS` words or more) words
    found inside a longer content. The
    headline is never a repeat (it is checked against the body apart). Linear in the words:
    a longer content is only read where it shares the repeat's first words."""
    words = [_words(text, c) for c in cands]
    order = sorted((i for i, c in enumerate(cands) if c.kind != "headline"),
                   key=lambda i: (-len(words[i]), cands[i].anchor))
    kept = {i for i, c in enumerate(cands) if c.kind == "headline"}
    seen: set[tuple[str, ...]] = set()
    starts: dict[tuple[str, ...], list[int]] = {}  # first words of a kept content's stretches
    k = MIN_CONTAINED_WORDS
    for i in order:
        w = words[i]
        inside = len(w) >= k and any(_contains(words[j], w) for j in starts.get(w[:k], ()))
        if len(w) >= MIN_REPEAT_WORDS and (w in seen or inside):
            continue
        kept.add(i)
        seen.add(w)
        for pos in range(len(w) - k + 1):
            starts.setdefault(w[pos:pos + k], []).append(i)
    return [c for i, c in enumerate(cands) if i in kept]
