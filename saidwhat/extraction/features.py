"""What the learned model sees: every reading a word allows, and the features of each decision.

Three decisions, three kinds of rows (see :mod:`.model`): a reading of a word as a cue
(:func:`frame_options`, :func:`option_features`, with the (lemma, frame) statistics of
:class:`PairStats` as numeric columns), an adjunct after a cue verb that may belong to the cue
(:func:`adjunct_options`, :func:`adjunct_features`), and the extent of a source mention
(:func:`source_options`, :func:`source_features`). A model joined to the span tagger
also reads the readings the tagger proposes (:func:`tagger_options`) and its probabilities
(:func:`tagger_row`). Training (:mod:`saidwhat.learning.train`) and the model build the same rows
with these functions.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from spacy.tokens import Doc, Token

from .lexicon import COGNITION_ADJECTIVES, COGNITION_VERBS, CUE_NOUNS, PERSON_PRONOUNS, QUOTE_MARKS, SPEECH_VERBS
from .quotes import QuoteIndex
from .readings import (
    FALLBACK_FRAMES,
    complement_frames,
    find_subject,
    frame_content,
    is_conversational,
    make_candidate,
    make_noun_candidate,
    noun_clause,
)
from .spans import Candidate, CharSpan, sentence_of, source_range, token_span
from .tagger import Tagging

#: (lemma, frame) statistics and their smoothed rates are the first columns of every row
N_NUMERIC = 6
#: a model joined to the tagger reads these after them (:func:`tagger_row`)
TAGGER_NUMERIC = 6
_PRIOR_N = 2.0  # pseudo-occurrences at the corpus-wide rate when smoothing a pair's rate
_CLAUSE_WORDS = frozenset("that to if whether how why what when where who which because".split())


@dataclass
class FrameOption:
    """One reading of a word as a cue: the frame and the content token ranges it implies."""

    tok: Token
    frame: str
    ranges: list[tuple[int, int]]
    extra_cue: list[Token]
    source: Token | None = None  # set where the frame itself names the source
    variant: str = "full"  # "trim": the content without a trailing ", ..." clause

    @property
    def is_noun(self) -> bool:
        return self.tok.pos_ in ("NOUN", "PROPN")


def frame_options(tok: Token) -> list[FrameOption]:
    """Every reading the parse allows for ``tok`` as a cue (none for most words)."""
    pos = tok.pos_
    options: list[FrameOption] = []
    if pos in ("VERB", "AUX") or pos == "ADJ" and tok.dep_ == "acomp":
        for name, heads in complement_frames(tok).items():
            ranges, extra = frame_content(tok, name, heads)
            if ranges:
                options.append(FrameOption(tok, name, ranges, extra))
                trimmed = _trim_trailing_clause(tok.doc, ranges)
                if trimmed is not None:
                    options.append(FrameOption(tok, name, trimmed, extra, variant="trim"))
        passive = _passive_option(tok)
        if passive is not None:
            options.append(passive)
        if pos != "ADJ":
            for name in FALLBACK_FRAMES:
                ranges, extra = frame_content(tok, name, [])
                if ranges:
                    options.append(FrameOption(tok, name, ranges, extra))
    elif pos in ("NOUN", "PROPN"):
        clause = noun_clause(tok)
        if clause is not None:
            options.append(FrameOption(tok, "clause", *frame_content(tok, "clause", [clause])))
        for name, heads in complement_frames(tok).items():
            if name.startswith("prep_"):
                ranges, extra = frame_content(tok, name, heads)
                if ranges:
                    options.append(FrameOption(tok, name, ranges, extra))
    return options


_TRAILING_DEPS = frozenset({"advcl", "conj", "npadvmod", "prep", "parataxis", "relcl", "acl", "cc"})


def _trim_trailing_clause(doc: Doc, ranges: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The last range cut before its first comma-led trailing clause ('..., officials said Monday')."""
    first, last = ranges[-1]
    if last - first < 4:
        return None
    root = doc[first:last + 1].root
    for c in root.rights:
        if c.dep_ in _TRAILING_DEPS and c.left_edge.i > first + 1 and doc[c.left_edge.i - 1].text == ",":
            return ranges[:-1] + [(first, c.left_edge.i - 2)]
    return None


def _passive_option(tok: Token) -> FrameOption | None:
    """'Clinton has been endorsed by the paper': the subject is the content, the agent the source."""
    subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if subject is None or pobj is None:
        return None
    return FrameOption(tok, "passive", [(subject.left_edge.i, subject.right_edge.i)], [agent], pobj)


def lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


def option_features(opt: FrameOption, quoted: bool) -> list[str]:
    """Binary features of one reading; names are joined ``key=value`` strings."""
    tok, frame = opt.tok, opt.frame
    doc = tok.doc
    lemma = lemma_of(tok)
    head = tok.head
    feats = [
        f"frame={frame}", f"lemma={lemma}", f"lf={lemma}|{frame}", f"pos={tok.pos_}|{frame}",
        f"tag={tok.tag_}|{frame}", f"dep={tok.dep_}|{frame}", f"dep={tok.dep_}",
        f"head={lemma_of(head)}|{tok.dep_}", f"headpos={head.pos_}|{tok.dep_}",
        f"quoted={quoted}|{frame}", f"variant={opt.variant}|{frame}",
    ]
    if lemma in SPEECH_VERBS:
        feats.append(f"lex=speech|{frame}")
    if lemma in COGNITION_VERBS:
        feats.append(f"lex=cognition|{frame}")
    if lemma in CUE_NOUNS:
        feats.append(f"lex=noun|{frame}")
    if lemma in COGNITION_ADJECTIVES:
        feats.append(f"lex=adj|{frame}")
    if head.i != tok.i and lemma_of(head) in SPEECH_VERBS:
        feats.append(f"head_speech|{tok.dep_}")
    for c in tok.children:
        feats.append(f"child={c.dep_}")
        if c.dep_ in ("aux", "auxpass", "neg", "prep", "prt", "advmod", "mark"):
            feats.append(f"child={c.dep_}|{c.lower_}")
    # the source it would get
    if opt.is_noun:
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        subject = owner
        feats.append(f"owner={owner is not None}")
    elif opt.source is not None:
        subject = opt.source
    else:
        subject = find_subject(head if tok.pos_ == "ADJ" else tok)
    if subject is None:
        feats.append("subj=none")
    else:
        feats += [f"subj_pos={subject.pos_}", f"subj_ent={subject.ent_type_ or '-'}",
                  f"subj_dep={subject.dep_}"]
        if subject.lower_ in PERSON_PRONOUNS or subject.pos_ == "PRON":
            feats.append(f"subj_pron={subject.lower_}")
        if subject.ent_type_ == "PERSON" or subject.lower_ in PERSON_PRONOUNS:
            feats.append(f"subj_person|{frame}")
        if subject.i > tok.i:
            feats.append("subj_after")
    if is_conversational(tok):
        feats.append("conversational")
    # the content it would get
    first, last = opt.ranges[0][0], opt.ranges[-1][1]
    if 0 <= first < len(doc) and 0 <= last < len(doc) and first <= last:
        words = last - first + 1
        feats.append(f"clen={min(words, 40) // 5}")
        w0 = doc[first]
        feats.append(f"c0={w0.lower_ if w0.lower_ in _CLAUSE_WORDS else w0.pos_}|{frame}")
        content_root = doc[first:last + 1].root
        feats += [f"croot={content_root.pos_}|{content_root.tag_}",
                  f"croot_subj={any(c.dep_ in ('nsubj', 'nsubjpass') for c in content_root.children)}"]
        if any(doc[i].text in QUOTE_MARKS for i in range(first, last + 1)):
            feats.append(f"cquote|{frame}")
        if first > tok.i:
            feats.append("content_after")
        after = doc[last + 1] if last + 1 < len(doc) else None
        following = "END" if after is None else after.text if after.is_punct else after.pos_
        feats.append(f"cnext={following}|{opt.variant}")
        if opt.variant == "trim":
            cut = doc[last + 2] if last + 2 < len(doc) else None
            if cut is not None:
                feats += [f"cut={cut.dep_}|{cut.pos_}", f"cut_w={cut.lower_}"]
    # context
    sent = sentence_of(tok)
    feats.append(f"sent_start={tok.i == sent.start}")
    for k, name in ((-1, "w-1"), (1, "w+1"), (-2, "w-2")):
        j = tok.i + k
        if 0 <= j < len(doc):
            feats.append(f"{name}={doc[j].lower_}")
    feats.append(f"n_sent_tokens={min(len(sent), 60) // 10}")
    first_break = _first_line_break(doc)
    if first_break < 0 or tok.idx < first_break:
        feats.append("first_line")
    return feats


def _first_line_break(doc: Doc) -> int:
    """Offset of the text's first line break (-1: none), read once per document:
    ``doc.text`` rebuilds the string on every access."""
    if "saidwhat_first_break" not in doc.user_data:
        doc.user_data["saidwhat_first_break"] = doc.text.find("\n")
    return doc.user_data["saidwhat_first_break"]


class PairStats:
    """How often each (lemma, frame) reading was a cue in the training corpus."""

    def __init__(self, counts: dict[str, list[int]] | None = None):
        self.counts: dict[str, list[int]] = counts or {}
        total = [sum(v[0] for v in self.counts.values()), sum(v[1] for v in self.counts.values())]
        self.base_rate = total[1] / total[0] if total[0] else 0.0

    @classmethod
    def count(cls, items: Iterable[tuple[str, str, bool]]) -> PairStats:
        counts: dict[str, list[int]] = {}
        for lemma, frame, positive in items:
            for key in (f"{lemma}|{frame}", f"{lemma}|*", f"*|{frame}"):
                c = counts.setdefault(key, [0, 0])
                c[0] += 1
                c[1] += int(positive)
        return cls(counts)

    def row(self, lemma: str, frame: str) -> list[float]:
        out: list[float] = []
        for key in (f"{lemma}|{frame}", f"{lemma}|*", f"*|{frame}"):
            n, pos = self.counts.get(key, (0, 0))
            out += [float(n), (pos + _PRIOR_N * self.base_rate) / (n + _PRIOR_N)]
        return out


def feature_matrix(rows: list[tuple[list[float], list[str]]], vocab: dict[str, int],
                   n_numeric: int = N_NUMERIC) -> csr_matrix:
    """``n_numeric`` numeric columns first, then one column per known binary feature."""
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for numeric, names in rows:
        for j, v in enumerate(numeric):
            if v:
                data.append(v)
                indices.append(j)
        cols = sorted({vocab[n] for n in names if n in vocab})
        data += [1.0] * len(cols)
        indices += cols
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int32),
                       np.array(indptr, dtype=np.int64)), shape=(len(rows), n_numeric + len(vocab)))


def doc_options(doc: Doc, quotes: QuoteIndex, tagging: Tagging | None = None
                ) -> Iterator[tuple[FrameOption, bool]]:
    """Every reading of every word, with whether the word sits inside a quotation; with a
    tagging, also the readings the tagger proposes (:func:`tagger_options`)."""
    known: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
    for tok in doc:
        for opt in frame_options(tok):
            known.add((tok.i, tuple(opt.ranges)))
            yield opt, quotes.in_closed_quote(tok.idx)
    if tagging is not None:
        for opt in tagger_options(doc, tagging):
            if (opt.tok.i, tuple(opt.ranges)) not in known:
                known.add((opt.tok.i, tuple(opt.ranges)))
                yield opt, quotes.in_closed_quote(opt.tok.idx)


def _token_range(doc: Doc, span: CharSpan) -> tuple[int, int] | None:
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (tokens.start, tokens.end - 1) if tokens is not None and len(tokens) else None


def tagger_options(doc: Doc, tagging: Tagging) -> list[FrameOption]:
    """Readings the tagger proposes (frame ``tagger``): each content span it finds within a
    paragraph, read as the content of the head word of the cue span it finds nearest; a content split round its cue
    ("“X,” he said, “Y”") also as one reading of both parts. Which of them are statements,
    and with what source, the trees and :func:`build_candidate` decide as for any reading."""
    cues = [(sp, _token_range(doc, sp)) for sp, _ in tagging.spans["cue"]]
    cues = [(sp, r) for sp, r in cues if r is not None]
    found: list[tuple[tuple[int, int], int]] = []  # content range, cue word
    for content, _p in tagging.spans["content"]:
        rng = _token_range(doc, content)
        if rng is None or not cues or "\n" in tagging.text[content[0]:content[1]]:
            continue  # a reading, like the parse's, stays within a paragraph
        _, cue_rng = min(cues, key=lambda c: max(c[0][0] - content[1], content[0] - c[0][1], 0))
        word = doc[cue_rng[0]:cue_rng[1] + 1].root
        if rng[0] <= word.i <= rng[1]:
            continue
        found.append((rng, word.i))
    options = [FrameOption(doc[i], "tagger", [rng], []) for rng, i in found]
    for (r1, i1), (r2, i2) in zip(found, found[1:]):
        if i1 == i2 and r1[1] < doc[i1].i < r2[0]:
            options.append(FrameOption(doc[i1], "tagger", [r1, r2], []))
    return options


def tagger_row(opt: FrameOption, tagging: Tagging) -> list[float]:
    """What the tagger says of a reading: how surely its content is a content (mean inside
    probability), whether a content runs on before or after it, how surely its word is a cue,
    whether it is exactly a span the tagger decoded, and how surely the content holds a source."""
    doc = opt.tok.doc
    spans = [sp for sp in (token_span(doc, a, b) for a, b in opt.ranges) if sp]
    if not spans:
        return [0.0] * TAGGER_NUMERIC
    start, end = spans[0][0], spans[-1][1]
    before, after = tagging.inside_next_to("content", start, end)
    tok = opt.tok
    return [tagging.inside_mean("content", start, end), before, after,
            tagging.inside_mean("cue", tok.idx, tok.idx + len(tok.text)),
            float(all(tagging.is_decoded("content", sp) for sp in spans)),
            tagging.inside_mean("source", start, end)]


def reading_row(stats: PairStats, opt: FrameOption, quoted: bool, tagging: Tagging | None = None
                ) -> tuple[list[float], list[str]]:
    """The numeric and binary features the reading trees score (the tagger's after the statistics
    when the model is joined to it)."""
    numeric = stats.row(lemma_of(opt.tok), opt.frame)
    if tagging is not None:
        numeric += tagger_row(opt, tagging)
    return numeric, option_features(opt, quoted)


def build_candidate(opt: FrameOption, confidence: float) -> Candidate | None:
    """The statement a chosen reading makes, built as the rules build theirs."""
    if opt.is_noun:
        return make_noun_candidate(opt.tok, opt.ranges, opt.extra_cue, confidence)
    return make_candidate(opt.tok, opt.ranges, opt.extra_cue, confidence, opt.source)


ADJUNCT_DEPS = frozenset({"prep", "npadvmod", "advmod", "tmod"})
_MAX_ADJUNCT_TOKENS = 8


def adjunct_options(opt: FrameOption, cand: Candidate) -> list[Token]:
    """Words after a cue verb that PolNeAR may count as part of the cue ('said *Friday*',
    'said *in a phone interview*'): right children outside the content and the source."""
    if opt.is_noun or opt.tok.pos_ == "ADJ":
        return []
    taken = list(cand.content) + ([cand.source] if cand.source else [])
    out = []
    for c in opt.tok.rights:
        if c.dep_ not in ADJUNCT_DEPS:
            continue
        start, end = c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)
        if c.right_edge.i - c.left_edge.i >= _MAX_ADJUNCT_TOKENS or any(s < end and start < e for s, e in taken):
            continue
        out.append(c)
    return out


def adjunct_features(opt: FrameOption, cand: Candidate, child: Token) -> list[str]:
    tok = opt.tok
    doc = tok.doc
    content_start = min(s for s, _ in cand.content)
    between = [t for t in doc[tok.i + 1:child.left_edge.i] if not t.is_space]
    feats = [
        f"dep={child.dep_}", f"w={child.lower_}", f"dep_w={child.dep_}|{child.lower_}",
        f"lemma={lemma_of(tok)}", f"frame={opt.frame}",
        f"where={'before' if child.idx < content_start else 'after'}_content",
        f"content_first={content_start < tok.idx}",
        f"gap={min(len(between), 3)}", f"len={min(child.right_edge.i - child.left_edge.i + 1, 8)}",
        f"ent={child.ent_type_ or '-'}",
        f"comma_before={doc[child.left_edge.i - 1].text == ','}",
    ]
    obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
    if obj is not None:
        feats += [f"pobj={lemma_of(obj)}", f"pobj_ent={obj.ent_type_ or '-'}",
                  f"prep_pobj={child.lower_}|{lemma_of(obj)}"]
    if any(t.text == "," for t in child.subtree):
        feats.append("has_comma")
    for t in between:
        feats.append(f"between={t.dep_}")
    return feats


def merge_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans, joined where only whitespace separates them."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and (s <= merged[-1][1] or not text[merged[-1][1]:s].strip()):
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def source_options(cand: Candidate) -> dict[str, tuple[int, int]]:
    """Extents a source mention could have, by name (PolNeAR is not consistent about
    appositives and relative clauses, so the extent is learned)."""
    head = cand.source_head
    if head is None or cand.source is None:
        return {}
    doc = head.doc
    first, last = source_range(head)
    ranges = {
        "phrase": (first, last),
        "subtree": (head.left_edge.i, head.right_edge.i),
        "core": (first, max([head.i] + [c.right_edge.i for c in head.rights
                                        if c.dep_ in ("compound", "flat", "nummod")])),
    }
    if head.ent_type_:
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            ranges["entity"] = (ent.start, ent.end - 1)
    out: dict[str, tuple[int, int]] = {}
    for name, (a, b) in ranges.items():
        span = token_span(doc, a, b)
        if span is not None and span not in out.values() and \
                not any(s < span[1] and span[0] < e for s, e in cand.content):
            out[name] = span
    return out


def source_features(cand: Candidate, name: str, span: tuple[int, int], text: str) -> list[str]:
    head = cand.source_head
    doc = head.doc
    right = [c.dep_ for c in head.rights]
    n_tokens = len(doc.char_span(*span, alignment_mode="expand") or ())
    feats = [f"variant={name}", f"pos={head.pos_}|{name}", f"ent={head.ent_type_ or '-'}|{name}",
             f"len={min(n_tokens, 12)}|{name}", f"dep={head.dep_}|{name}",
             f"cue_first={span[0] < cand.anchor}"]
    feats += [f"right={d}|{name}" for d in right]
    if "," in text[span[0]:span[1]]:
        feats.append(f"comma|{name}")
    return feats
