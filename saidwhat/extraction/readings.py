"""Readings of a word as a cue: the content each complement frame gives, the source, the cue span.

A word can be read as a cue in several frames ("X said *that ...*", "X called *for ...*",
"X's claim *that ...*", a clause after a colon the parser left unattached). These functions
give the content, source and cue spans of one reading; the rules (:mod:`.rules`) and the
learned model (:mod:`.model`) decide which readings are statements.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicon import (
    BELIEF_NOUNS,
    COGNITION_ADJECTIVES,
    COGNITION_VERBS,
    DATELINE_DASHES,
    DOCUMENT_NOUNS,
    NON_SOURCE_WORDS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
)
from .spans import Candidate, CharSpan, clip_to_sentence, sentence_of, source_span, subtree_range, token_span

_CUE_MODIFIERS = ("aux", "auxpass", "neg", "advmod")


def cue_tokens(verb: Token) -> list[Token]:
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


def cue_spans(tokens: list[Token]) -> list[CharSpan]:
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


def _post_verbal_source(verb: Token) -> Token | None:
    """'“...,” added a New Hampshire Democrat': the parser calls the speaker an object."""
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children):
        return None
    return next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod")
                 and c.pos_ in ("NOUN", "PROPN", "PRON")), None)


def _past_dateline(subject: Token) -> Token:
    """"WASHINGTON -- President Obama ... said": the parse makes the dateline the subject and
    the speaker its apposition; the speaker is the subject."""
    doc = subject.doc
    if subject.text.isupper() and subject.i + 1 < len(doc) and doc[subject.i + 1].text in DATELINE_DASHES:
        return next((c for c in subject.children if c.dep_ == "appos"), subject)
    return subject


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
        if c.dep_ == "nsubjpass" and c.lower_ in NON_SOURCE_WORDS:
            return None
        if c.dep_ == "nsubjpass" and any(x.dep_ == "xcomp" for x in verb.children):
            return _agent(verb)  # "X is believed to …": X is what is believed, not who believes
        return _past_dateline(c)
    agent = _agent(verb)
    if agent is not None:
        return agent
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
        if node.lemma_.lower() not in DOCUMENT_NOUNS:
            return node  # "a California Democrat supporting Clinton"
        node = node.head  # "released a statement saying": the statement's author
    if node.pos_ in ("VERB", "AUX"):
        return find_subject(node, depth + 1)
    return None


def _agent(verb: Token) -> Token | None:
    """The agent of a passive verb: "by X"."""
    for c in verb.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
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
    first, _ = subtree_range(head)
    first = max(first, sentence_of(verb).start)
    return [(first, verb.left_edge.i - 1)]


FALLBACK_FRAMES = {"colon": _colon_fallback, "that": _that_fallback, "inverted": _inverted_range}


def fallback_content(tok: Token) -> list[tuple[int, int]]:
    """The content of the first fallback (in :data:`FALLBACK_FRAMES` order) that finds one."""
    for fallback in FALLBACK_FRAMES.values():
        ranges = fallback(tok)
        if ranges:
            return ranges
    return []


FRAME_PREPS = ("for", "about", "on", "to", "of", "against")


def complement_frames(tok: Token) -> dict[str, list[Token]]:
    """The complements a cue word could take its content from, by frame name.

    Frame names ('ccomp', 'xcomp', 'dobj', 'prep_for', ...) are the keys of the learned
    frame table (:mod:`.frame_table`).
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
    first, last = subtree_range(obj)
    for c in verb.rights:
        if c.i > last and (c.dep_ in ("oprd", "xcomp", "ccomp")
                           or c.dep_ == "prep" and c.lower_ in ("of", "for", "as")):
            last = max(last, c.right_edge.i)
    return first, last


def _frame_content(verb: Token, frame: str, heads: list[Token]) -> tuple[list[tuple[int, int]], list[Token]]:
    """Token ranges of the content, and extra cue tokens ('called for', 'referring to')."""
    if frame == "ccomp":
        return [clip_to_sentence(verb, *subtree_range(c)) for c in heads], []
    if frame == "dobj":
        return [clip_to_sentence(verb, *_object_range(verb, heads[0]))], []
    if frame == "xcomp":
        return [clip_to_sentence(verb, *subtree_range(heads[0]))], []
    prep = heads[0]
    pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return [], []
    return [clip_to_sentence(verb, *subtree_range(pobj))], [prep]


def frame_content(tok: Token, frame: str, heads: list[Token]) -> tuple[list[tuple[int, int]], list[Token]]:
    """Token ranges of the content ``tok`` would introduce in ``frame``, and extra cue tokens.

    ``frame`` is a complement frame (see :func:`complement_frames`), ``clause`` (a noun's
    that-clause) or a fallback for a clause the parser did not attach (``colon``, ``that``,
    ``inverted``).
    """
    if frame in FALLBACK_FRAMES:
        return FALLBACK_FRAMES[frame](tok), []
    if frame == "clause":
        return [subtree_range(heads[0])], []
    return _frame_content(tok, frame, heads)


def _kind_for(lemma: str) -> str:
    return "belief" if lemma in COGNITION_VERBS or lemma in COGNITION_ADJECTIVES else "indirect"


def is_conversational(tok: Token) -> bool:
    """'I think', 'you know' in unquoted talk: the article's own voice, not a report."""
    return tok.lemma_.lower() in COGNITION_VERBS and any(
        c.dep_ == "nsubj" and c.lower_ in ("i", "you", "we") for c in tok.children)


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
    cue_words = [tok] if is_adj else cue_tokens(tok) + extra_cue
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in SPEECH_VERBS \
            and "ccomp" not in complement_frames(tok.head):
        cue_words = cue_tokens(tok.head) + cue_words  # "responded, saying"
    content = [sp for sp in (token_span(doc, a, b) for a, b in ranges) if sp]
    if not content:
        return None
    # the source must not sit inside the content (parse errors on long sentences), except in
    # a relative clause, whose content goes round it ("which | he said | would be ...")
    source_chars = source_span(doc, subject)
    if source_chars and any(s <= source_chars[0] < e for s, e in content):
        content = _around(doc, content, source_chars, cue_spans(cue_words))
        if content is None:
            return None
        if any(s <= source_chars[0] < e for s, e in content):
            source_chars, subject = None, None
    return Candidate(
        kind=_kind_for(lemma), content=content, cue=cue_spans(cue_words),
        source=source_chars, source_head=subject, confidence=confidence, anchor=tok.idx,
        cue_lemma=lemma)


def _around(doc: Doc, content: list[CharSpan], source: CharSpan, cue: list[CharSpan]) -> list[CharSpan] | None:
    """Content that opens with a relative pronoun and holds its own source and cue, cut round
    them ("which he said would be its lowest ever" -> "which", "would be its lowest ever");
    other content as it is."""
    out = []
    stretch = (source[0], max([source[1]] + [e for _, e in cue]))
    for s, e in content:
        first = doc.char_span(s, e, alignment_mode="expand")
        if first is not None and len(first) and first[0].lower_ in RELATIVE_PRONOUNS and s <= stretch[0] < e \
                and stretch[1] < e:
            before = token_span(doc, first[0].i, first[0].i) if doc[first[0].i].idx < stretch[0] else None
            after = doc.char_span(stretch[1], e, alignment_mode="contract")
            out += [sp for sp in (before, token_span(doc, after.start, after.end - 1) if after else None) if sp]
        else:
            out.append((s, e))
    return out or None


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
        content=content, cue=cue_spans([tok] + extra_cue),
        source=source_span(doc, owner), source_head=owner, confidence=confidence,
        anchor=tok.idx, cue_lemma=lemma)
