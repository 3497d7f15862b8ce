"""Find statements in a parsed article: content, cue and source mention.

Three sources of candidates, most specific first:
1. cue frames from the dependency parse ("X said (that) ...", "..., X said",
   "according to X, ...", "X believes ...", "X responded, saying ...");
2. quotes with a cue nearby that the parse did not connect;
3. the headline ("X Says: ...", "X: ...").
Overlaps are resolved so each character belongs to at most one statement's content,
as in PolNeAR (its annotations are univocal).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .cues import COGNITION_ADJECTIVES, COGNITION_VERBS, CUE_NOUNS, SPEECH_VERBS
from .frames import MIN_FRAME_PRECISION, frame_precision, has_frames
from .quotes import Quote, pair_quote_marks, quote_groups

CharSpan = tuple[int, int]

_WORD = re.compile(r"\w+")
_QUOTE_CHARS = "\"'“”„«»‘’‚‹›`″"
_NON_SOURCE = frozenset({"it", "there", "this", "that", "what"})


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


# ---------------------------------------------------------------- span helpers

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
    return tok.is_space or (tok.is_punct and tok.text not in _QUOTE_CHARS and tok.text not in ("''", "``"))


def token_span(doc: Doc, first: int, last: int) -> CharSpan | None:
    """Characters of tokens ``first..last`` (inclusive) with punctuation trimmed at the edges."""
    while first <= last and _is_edge_junk(doc[first]):
        first += 1
    while last >= first and _is_edge_junk(doc[last]):
        last -= 1
    if first > last:
        return None
    return (doc[first].idx, doc[last].idx + len(doc[last].text))


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def _clip_to_sentence(tok: Token, first: int, last: int) -> tuple[int, int]:
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


def _source_span(doc: Doc, tok: Token | None) -> CharSpan | None:
    if tok is None:
        return None
    first, last = source_range(tok)
    return token_span(doc, first, last)


# ---------------------------------------------------------------- frames

_CUE_MODIFIERS = ("aux", "auxpass", "neg", "advmod")


def _cue_tokens(verb: Token) -> list[Token]:
    """The cue as PolNeAR marks it: 'has also said', 'pointed out', 'said in a statement'."""
    doc = verb.doc
    tokens = [verb]
    i = verb.i - 1
    while i >= 0 and doc[i].head.i == verb.i and doc[i].dep_ in _CUE_MODIFIERS and doc[i].pos_ != "PUNCT":
        tokens.append(doc[i])
        i -= 1
    for c in verb.rights:
        if c.dep_ == "prt":
            tokens.append(c)
        elif c.dep_ == "prep" and c.lower_ == "in" and c.i == verb.i + 1:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() == "statement":
                tokens += list(doc[c.i:pobj.i + 1])
    return sorted(tokens, key=lambda t: t.i)


def _cue_spans(tokens: list[Token]) -> list[CharSpan]:
    spans: list[CharSpan] = []
    prev: Token | None = None
    for t in sorted(tokens, key=lambda t: t.i):
        s, e = t.idx, t.idx + len(t.text)
        if spans and prev is not None and prev.i + 1 == t.i:  # adjacent tokens make one span
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
        prev = t
    return spans


# nouns for documents that speak for their author: "released a statement saying ..."
_DOCUMENT_NOUNS = frozenset("""statement letter tweet post message report release ad video speech
interview memo email op-ed editorial column note filing brief book article essay""".split())


def _post_verbal_source(verb: Token) -> Token | None:
    """'“...,” added a New Hampshire Democrat': the parser calls the speaker an object."""
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children):
        return None
    return next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod")
                 and c.pos_ in ("NOUN", "PROPN", "PRON")), None)


def find_subject(verb: Token, depth: int = 0) -> Token | None:
    """The source of a cue word: its subject, or the subject it inherits.

    Participles, infinitives and conjoined verbs inherit from the verb they hang
    off ("X responded, saying ...", "X released a statement saying ...", "by pointing out").
    """
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        c = min(subjects, key=lambda t: abs(t.i - verb.i))  # nearest: not a word of the quote
        if c.lower_ == "there" or c.lower_ == "it" and verb.lemma_ in ("seem", "appear", "be"):
            return None  # expletive: "it seems that ..."
        if c.dep_ == "nsubjpass" and c.lower_ in _NON_SOURCE:
            return None
        return c
    for c in verb.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    post = _post_verbal_source(verb)
    if post is not None or depth >= 3:
        return post
    if verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN"):
        return None  # "because ... said": a clause of its own
    if verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "acl") or verb.head.i == verb.i:
        return None
    node = verb.head
    while node.pos_ == "ADP" and node.head.i != node.i:
        node = node.head  # "by saying", "after questioning"
    if verb.dep_ == "acl" and node.pos_ in ("NOUN", "PROPN", "PRON"):
        if node.lemma_.lower() not in _DOCUMENT_NOUNS:
            return node  # "a California Democrat supporting Clinton"
        node = node.head  # "released a statement saying": the statement's author
    if node.pos_ in ("VERB", "AUX"):
        return find_subject(node, depth + 1)
    return None


def _has_expletive_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "nsubj", "expl") and c.lower_ == "it" for c in verb.children)


def _that_fallback(verb: Token) -> list[tuple[int, int]]:
    """'He told reporters on Wednesday that ...' when the parser lost the clause."""
    sent = sentence_of(verb)
    for t in verb.doc[verb.i + 1: min(sent.end, verb.i + 8)]:
        if t.lower_ == "that" and t.dep_ in ("mark", "dobj", "nsubj", "det") and t.head.i >= verb.i:
            if verb.i in (t.head.i, t.head.head.i) or t.dep_ == "mark":
                return [(t.i, sent.end - 1)]
        if t.pos_ == "VERB" or t.is_punct and t.text not in ",":
            break
    return []


def _colon_fallback(verb: Token) -> list[tuple[int, int]]:
    """'Rutte said: ...' — everything after the colon to the end of the sentence."""
    sent = sentence_of(verb)
    nxt = verb.i + 1
    while nxt < sent.end and verb.doc[nxt].dep_ == "prt":
        nxt += 1
    if nxt < sent.end - 1 and verb.doc[nxt].text == ":":
        return [(nxt + 1, sent.end - 1)]
    return []


def _inverted_range(verb: Token) -> list[tuple[int, int]]:
    """'The talks failed, sources said.' when the parser hung 'said' under the content."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or head.i >= verb.i:
        return []
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    between = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    if between is None or between.text not in (",", "—", "–", "-", "”", "\"", "’"):
        return []
    first, _ = _subtree_range(head)
    first = max(first, sentence_of(verb).start)
    return [(first, verb.left_edge.i - 1)]


FRAME_PREPS = ("for", "about", "on", "to", "of", "against")


def complement_frames(tok: Token) -> dict[str, list[Token]]:
    """The complements a cue word could take its content from, by frame name.

    Frame names ('ccomp', 'xcomp', 'dobj', 'prep_for', ...) are the keys of the learned
    frame table (:mod:`saidwhat.frames`).
    """
    frames: dict[str, list[Token]] = {}
    for c in tok.children:
        if c.dep_ in ("ccomp", "dobj", "xcomp"):
            frames.setdefault(c.dep_, []).append(c)
        elif c.dep_ == "prep" and c.lower_ in FRAME_PREPS and c.i > tok.i:
            frames.setdefault("prep_" + c.lower_, []).append(c)
    return frames


def _object_range(verb: Token, obj: Token) -> tuple[int, int]:
    """'called Trump a liar', 'accused him of lying': the object and what completes it."""
    first, last = _subtree_range(obj)
    for c in verb.rights:
        if c.i > last and (c.dep_ in ("oprd", "xcomp", "ccomp")
                           or c.dep_ == "prep" and c.lower_ in ("of", "for", "as")):
            last = max(last, c.right_edge.i)
    return first, last


def _frame_content(verb: Token, frame: str, heads: list[Token]) -> tuple[list[tuple[int, int]], list[Token]]:
    """Token ranges of the content, and extra cue tokens ('called for', 'referring to')."""
    if frame == "ccomp":
        return [_clip_to_sentence(verb, *_subtree_range(c)) for c in heads], []
    if frame == "dobj":
        return [_clip_to_sentence(verb, *_object_range(verb, heads[0]))], []
    if frame == "xcomp":
        return [_clip_to_sentence(verb, *_subtree_range(heads[0]))], []
    prep = heads[0]
    pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return [], []
    return [_clip_to_sentence(verb, *_subtree_range(pobj))], [prep]


_FRAME_ORDER = ("ccomp", "xcomp", "dobj") + tuple("prep_" + p for p in FRAME_PREPS)


def _kind_for(lemma: str) -> str:
    return "belief" if lemma in COGNITION_VERBS or lemma in COGNITION_ADJECTIVES else "indirect"


# what the hand-written lexicon expects of a cue word with a clausal complement
LEXICON_PRIOR = 0.8


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


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


def is_conversational(tok: Token) -> bool:
    """'I think', 'you know' in unquoted talk: the article's own voice, not a report."""
    return tok.lemma_.lower() in COGNITION_VERBS and any(
        c.dep_ == "nsubj" and c.lower_ in ("i", "you", "we") for c in tok.children)


FALLBACK_FRAMES = {"colon": _colon_fallback, "that": _that_fallback, "inverted": _inverted_range}


def frame_content(tok: Token, frame: str, heads: list[Token]) -> tuple[list[tuple[int, int]], list[Token]]:
    """Token ranges of the content ``tok`` would introduce in ``frame``, and extra cue tokens.

    ``frame`` is a complement frame (see :func:`complement_frames`), ``clause`` (a noun's
    that-clause) or a fallback for a clause the parser did not attach (``colon``, ``that``,
    ``inverted``).
    """
    if frame in FALLBACK_FRAMES:
        return FALLBACK_FRAMES[frame](tok), []
    if frame == "clause":
        return [_subtree_range(heads[0])], []
    return _frame_content(tok, frame, heads)


def noun_clause(tok: Token) -> Token | None:
    """'his claim that ...': the that-clause of a noun."""
    return next((c for c in tok.children if c.dep_ in ("acl", "ccomp")
                 and any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children)), None)


def make_candidate(tok: Token, ranges: list[tuple[int, int]], extra_cue: list[Token],
                   confidence: float, source: Token | None = None) -> Candidate | None:
    """The statement a cue word (verb or cognition adjective) introduces with content ``ranges``.

    The source is ``source`` when the frame names it, else the cue's subject.
    """
    doc = tok.doc
    lemma = tok.lemma_.lower()
    is_adj = tok.pos_ == "ADJ"
    subject_of = tok.head if is_adj else tok
    subject = source if source is not None else find_subject(subject_of)
    if subject is None and _has_expletive_subject(subject_of):
        confidence -= 0.1  # "it was reported that ...": no source
    cue_tokens = [tok] if is_adj else _cue_tokens(tok) + extra_cue
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in SPEECH_VERBS \
            and "ccomp" not in complement_frames(tok.head):
        cue_tokens = _cue_tokens(tok.head) + cue_tokens  # "responded, saying"
    content = [sp for sp in (token_span(doc, a, b) for a, b in ranges) if sp]
    if not content:
        return None
    # the source must not sit inside the content (parse errors on long sentences)
    source_span = _source_span(doc, subject)
    if source_span and any(s <= source_span[0] < e for s, e in content):
        source_span, subject = None, None
    return Candidate(
        kind=_kind_for(lemma), content=content, cue=_cue_spans(cue_tokens),
        source=source_span, source_head=subject, confidence=confidence, anchor=tok.idx,
        cue_lemma=lemma)


def make_noun_candidate(tok: Token, ranges: list[tuple[int, int]], extra_cue: list[Token],
                        confidence: float) -> Candidate | None:
    """The statement a cue noun introduces ('his claim that ...'); its owner is the source."""
    doc = tok.doc
    content = [sp for sp in (token_span(doc, a, b) for a, b in ranges) if sp]
    if not content:
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    lemma = tok.lemma_.lower()
    return Candidate(
        kind="belief" if lemma in BELIEF_NOUNS else "indirect",
        content=content, cue=_cue_spans([tok] + extra_cue),
        source=_source_span(doc, owner), source_head=owner, confidence=confidence,
        anchor=tok.idx, cue_lemma=lemma)


BELIEF_NOUNS = frozenset({"belief", "view", "hope", "fear", "concern", "idea", "notion", "suspicion"})


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
            ranges, extra_cue = _frame_content(tok, frame, heads)
            confidence = min(0.95, confidence)
        elif is_cue_word and "ccomp" not in complement_frames(tok):
            ranges = _colon_fallback(tok) or _that_fallback(tok) or _inverted_range(tok)
            confidence = 0.7
        else:
            continue
        if not ranges or is_conversational(tok):
            continue
        cand = make_candidate(tok, ranges, extra_cue, confidence)
        if cand is not None:
            out.append(cand)
    return out


def according_to_frames(doc: Doc) -> list[Candidate]:
    """'According to X, ...' and '..., according to X.'"""
    out: list[Candidate] = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) or \
            next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        phrase_first, phrase_last = tok.i, max(to.right_edge.i, pobj.right_edge.i)
        sent = sentence_of(tok)
        first, last = sent.start, sent.end - 1
        content = []
        before = token_span(doc, first, phrase_first - 1)
        after = token_span(doc, phrase_last + 1, last)
        content = [s for s in (before, after) if s]
        if not content:
            continue
        out.append(Candidate(
            kind="according_to", content=content, cue=[(tok.idx, to.idx + len(to.text))],
            source=token_span(doc, *source_range(pobj)), source_head=pobj, confidence=0.85,
            anchor=tok.idx, cue_lemma="according to"))
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
        cand = make_noun_candidate(tok, [_subtree_range(clause)], [], 0.6)
        if cand is not None:
            out.append(cand)
    return out


# ---------------------------------------------------------------- quotes

def _speech_cue_near(doc: Doc, quotes: QuoteIndex, group: list[Quote]) -> Token | None:
    """A speech verb outside the quote, in the sentences the quote starts or ends in."""
    first_tok = doc.char_span(group[0].start, group[0].end, alignment_mode="expand")
    last_tok = doc.char_span(group[-1].start, group[-1].end, alignment_mode="expand")
    if first_tok is None or last_tok is None:
        return None
    sents = [sentence_of(first_tok[0]), sentence_of(last_tok[-1])]
    prev_start = sents[0].start
    if prev_start > 0:
        prev = sentence_of(doc[prev_start - 1])
        sents.insert(0, prev)
    best, best_dist = None, 10 ** 9
    for n, sent in enumerate(sents):
        for t in sent:
            if t.lemma_.lower() not in SPEECH_VERBS or t.pos_ not in ("VERB", "AUX"):
                continue
            if quotes.at(t.idx) is not None:
                continue
            if n == 0 and len(sents) == 3 and not _ends_with_colon(sent):
                continue  # the previous sentence counts only when it introduces the quote
            dist = min(abs(t.idx - group[0].start), abs(t.idx - group[-1].end))
            if dist < best_dist:
                best, best_dist = t, dist
    return best


def _ends_with_colon(sent: Span) -> bool:
    toks = [t for t in sent if not t.is_space]
    return bool(toks) and toks[-1].text == ":"


def quote_frames(doc: Doc, quotes: QuoteIndex, taken: list[Candidate]) -> list[Candidate]:
    """Direct quotes that no parse frame claimed, attached to the nearest speech cue."""
    text = doc.text
    out: list[Candidate] = []
    covered = SpanSet(s for c in taken for s in c.content)
    by_cue = {c.anchor: c for c in taken if c.quoted}
    earlier = sorted((c for c in taken if c.quoted), key=lambda c: c.end)
    n_seen = 0
    last: Candidate | None = None  # the quoted statement ending last before the current quote
    for group in quotes.groups:
        start, end = group[0].start, group[-1].end
        while n_seen < len(earlier) and earlier[n_seen].end <= start:
            if last is None or earlier[n_seen].end > last.end:
                last = earlier[n_seen]
            n_seen += 1
        if covered.overlaps(start, end):
            continue
        if len(_WORD.findall(text, start, end)) < 3:
            continue  # scare quotes, titles and nicknames
        spans = [(q.start, q.end) for q in group]
        if last is not None and _continues(text, last, start):
            last.content += spans  # "“A,” he said. “B.”": one utterance, quoted in pieces
            continue
        cue = _speech_cue_near(doc, quotes, group)
        if cue is None:
            continue
        if cue.idx in by_cue:
            last = by_cue[cue.idx]  # "“A,” he said, “B.”" where the parse linked only A
            last.content += spans
            continue
        subject = find_subject(cue)
        if subject is not None and quotes.at(subject.idx) is not None:
            subject = None  # the parse took a word of the quote for the speaker
        last = Candidate(
            kind="direct", content=spans, cue=_cue_spans(_cue_tokens(cue)),
            source=_source_span(doc, subject), source_head=subject, confidence=0.8,
            anchor=cue.idx, cue_lemma=cue.lemma_.lower(), quoted=True)
        out.append(last)
        by_cue[cue.idx] = last
    return out


def _continues(text: str, before: Candidate, start: int) -> bool:
    """Whether a quote at ``start`` goes on from ``before``: same paragraph, only its cue between."""
    gap = text[before.end:start]
    return len(gap) <= 150 and "\n" not in gap and not any(ch in gap for ch in _QUOTE_CHARS) \
        and before.end <= before.anchor < start


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


def extend_to_quotes(cand: Candidate, quotes: QuoteIndex) -> None:
    """Grow content that starts or ends inside a quote to the whole quote (and its continuations)."""
    new: list[CharSpan] = []
    for s, e in cand.content:
        for q in quotes.touching(s, e):
            if q.start < s or q.end > e:
                group = quotes.group_of[q]
                if q.start <= s + 1 or q.end > e:
                    s, e = min(s, q.start), max(e, q.end)
                    for other in group:
                        if other is not q and (other.start, other.end) not in new:
                            new.append((other.start, other.end))
        new.append((s, e))
    merged: list[CharSpan] = []
    for s, e in sorted(set(new)):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    cand.content = merged


def classify_quoting(cand: Candidate, text: str, quotes: QuoteIndex) -> None:
    """direct: content is all quotation; mixed: content holds a partial quote."""
    if cand.kind not in ("indirect", "direct"):
        return
    inside = outside = 0
    for s, e in cand.content:
        qs = quotes.touching(s, e)
        q_chars = sum(max(0, min(e, q.end) - max(s, q.start)) for q in qs)
        inside += q_chars
        outside += sum(1 for ch in text[s:e] if ch.isalnum()) - \
            sum(sum(1 for ch in text[max(s, q.start):min(e, q.end)] if ch.isalnum()) for q in qs)
    if inside and outside <= 6:
        cand.kind = "direct"
        cand.quoted = True
    elif inside:
        cand.kind = "mixed"
        cand.quoted = True


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep one statement per stretch of text: outer frames win over frames nested in their content."""
    cands = sorted(cands, key=lambda c: (c.start, -(c.end - c.start), -c.confidence))
    kept: list[Candidate] = []
    contents, cues = SpanSet(), SpanSet()
    for c in cands:
        # nested inside an earlier statement's content, or the same content twice
        if contents.overlaps(c.start, c.end) or any(contents.overlaps(s, e) for s, e in c.cue) \
                or any(cues.overlaps(s, e) for s, e in c.content):
            continue
        kept.append(c)
        for s, e in c.content:
            contents.add(s, e)
        for s, e in c.cue:
            cues.add(s, e)
    return sorted(kept, key=lambda c: c.anchor)


# ---------------------------------------------------------------- headline

_HEADLINE_CUE = re.compile(r"^(?P<source>[^:]{2,80}?)\s+(?P<cue>(?:[A-Z]\w+\s+)?(?:[Ss]ays?|[Ss]aid|[Ww]arns?|[Cc]laims?|"
                           r"[Tt]ells?|[Aa]dmits?|[Dd]enies|[Ii]nsists?|[Vv]ows?|[Uu]rges?|[Aa]rgues?|"
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
    return words[-1][:1].isupper() and not any(ch in s for ch in _QUOTE_CHARS + "?!")


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


# ---------------------------------------------------------------- driver

def rule_frames(doc: Doc, headline: CharSpan | None = None,
                quotes: QuoteIndex | None = None) -> list[Candidate]:
    """Cue words found by the hand-written lexicon and the learned frame table.

    Not in the headline, whose parse is too poor for these rules (see :func:`headline_frames`).
    """
    return [c for c in verb_frames(doc) + noun_frames(doc)
            if headline is None or c.anchor >= headline[1]]


#: what decides which words are cues: ``(doc, headline, quotes) -> candidates``
FrameFinder = Callable[[Doc, "CharSpan | None", QuoteIndex], list[Candidate]]


def find_candidates(doc: Doc, headline: CharSpan | None = None,
                    quotes: QuoteIndex | None = None, frames: FrameFinder = rule_frames) -> list[Candidate]:
    """All statements of a parsed article; ``frames`` decides which words are cues."""
    text = doc.text  # a property that rebuilds the string: read it once
    quotes = quotes or QuoteIndex(text)
    heads = headline_frames(doc, headline)
    body = frames(doc, headline, quotes) + [c for c in according_to_frames(doc)
                                    if headline is None or c.anchor >= headline[1]]
    # a cue inside a quotation belongs to the quoted speaker's words, not the article's
    body = [c for c in body if not any(quotes.in_closed_quote(s) for s, _ in c.cue)]
    for c in body:
        extend_to_quotes(c, quotes)
        classify_quoting(c, text, quotes)
    body = resolve_overlaps(heads + body)
    body += quote_frames(doc, quotes, body)
    return sorted(body, key=lambda c: c.anchor)
