"""The neural span tagger: content, cue and source spans the parse may not give.

The tree model (:mod:`.model`) can only choose contents that some reading of the parse
gives; a MiniLM-L6 encoder fine-tuned as a token tagger (:mod:`saidwhat.learning.tagger_train`)
proposes spans from the words themselves. At run time it is an int8 ONNX graph run by
onnxruntime with the `tokenizers` WordPiece tokenizer, so neither torch nor transformers is
needed, and nothing is downloaded: the graph and the tokenizer ship inside the model directory
that is joined to the tagger (``data/joined/tagger/``; :mod:`.model` loads it).

Only sentences that could hold a statement are read (:func:`tagged_sentences`): those with a
quotation mark, a word of the cue lexicon, or a verb with a clausal complement. Consecutive
such sentences are read together in windows of at most :data:`MAX_PIECES` word pieces, so a
quotation running over sentences is seen whole. Training builds its windows with the same
functions, so the tagger learns on what it will see.

For each of :data:`HEADS` (content, cue, source) the graph gives per word piece the
probabilities of outside / begin / inside; :func:`decode` turns them into character spans.
"""
from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span

from .lexicon import COGNITION_ADJECTIVES, COGNITION_VERBS, CUE_NOUNS, QUOTE_CHARS, SPEECH_VERBS
from .spans import CharSpan

#: what the tagger marks; the graph's output is (batch, pieces, len(HEADS), len(TAGS))
HEADS = ("content", "cue", "source")
TAGS = ("outside", "begin", "inside")
#: word pieces per window, [CLS] and [SEP] included
MAX_PIECES = 128
_CUE_WORDS = SPEECH_VERBS | COGNITION_VERBS | CUE_NOUNS | COGNITION_ADJECTIVES


def _could_hold_statement(sent: Span) -> bool:
    for tok in sent:
        if tok.lemma_.lower() in _CUE_WORDS or any(ch in QUOTE_CHARS for ch in tok.text):
            return True
        if tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "ccomp" for c in tok.children):
            return True
    return False


def tagged_sentences(doc: Doc) -> list[CharSpan]:
    """Character spans of the sentences the tagger reads, consecutive ones joined."""
    runs: list[list[int]] = []
    last_end = -1
    for sent in doc.sents:
        if not _could_hold_statement(sent):
            continue
        start, end = sent.start_char, sent.end_char
        if runs and last_end == sent.start:
            runs[-1][1] = end
        else:
            runs.append([start, end])
        last_end = sent.end
    return [(s, e) for s, e in runs]


@dataclass
class Window:
    """Word pieces of one stretch of text: their ids and character offsets in the document."""

    ids: list[int]
    offsets: list[CharSpan]
    labels: list[list[int]] = field(default_factory=list)  # per head, per piece (training only)


def windows(tokenizer, text: str, runs: Sequence[CharSpan], sentence_starts: Sequence[int]) -> list[Window]:
    """The pieces of ``runs`` cut into windows of at most MAX_PIECES - 2, at sentence starts
    where a window can hold whole sentences."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    pieces = [(i, (a, b)) for i, (a, b) in zip(enc.ids, enc.offsets) if b > a]
    starts = set(sentence_starts)
    room = MAX_PIECES - 2
    out: list[Window] = []
    k = 0
    for run_start, run_end in runs:
        while k < len(pieces) and pieces[k][1][0] < run_start:
            k += 1
        run: list[tuple[int, CharSpan]] = []
        while k < len(pieces) and pieces[k][1][0] < run_end:
            run.append(pieces[k])
            k += 1
        i = 0
        while i < len(run):
            j = min(len(run), i + room)
            if j < len(run):  # cut at the last sentence start in the window, if any
                cut = next((c for c in range(j, i, -1) if run[c][1][0] in starts), j)
                j = cut
            out.append(Window([p for p, _ in run[i:j]], [o for _, o in run[i:j]]))
            i = j
    return out


def batch_arrays(windows_: Sequence[Window], cls_id: int, sep_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Padded input ids and attention mask, [CLS] ... [SEP] around every window."""
    width = max(len(w.ids) for w in windows_) + 2
    ids = np.zeros((len(windows_), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for j, w in enumerate(windows_):
        n = len(w.ids)
        ids[j, :n + 2] = [cls_id, *w.ids, sep_id]
        mask[j, :n + 2] = 1
    return ids, mask


def decode(offsets: Sequence[CharSpan], probs: np.ndarray, gap: int = 3) -> list[tuple[CharSpan, float]]:
    """Character spans of one head from per-piece (outside, begin, inside) probabilities.

    A piece is in a span when P(begin) + P(inside) >= 0.5; a piece more begin than inside
    opens a new span, an inside piece within ``gap`` characters of the last span rejoins it
    (word pieces of one word, a dropped comma). Each span comes with the mean probability of
    its pieces being in it.
    """
    spans: list[list] = []  # [start, end, sum of p, pieces]
    open_span = False
    for (a, b), (_out, p_begin, p_inside) in zip(offsets, probs):
        p_in = float(p_begin + p_inside)
        if p_in < 0.5:
            open_span = False
        elif p_begin <= p_inside and (open_span or spans and a - spans[-1][1] <= gap):
            spans[-1][1] = b
            spans[-1][2] += p_in
            spans[-1][3] += 1
            open_span = True
        else:
            spans.append([a, b, p_in, 1])
            open_span = True
    return [((s, e), total / n) for s, e, total, n in spans]


@dataclass
class Tagging:
    """What the tagger read in one document: per head, decoded spans with their mean probability,
    and per word piece (in text order) the probability of being inside a span of each head."""

    text: str
    spans: dict[str, list[tuple[CharSpan, float]]]
    offsets: list[CharSpan]
    inside: np.ndarray  # (pieces, len(HEADS))
    starts: list[int] = field(init=False)
    _cores: dict[str, set[CharSpan]] = field(init=False)
    _sums: np.ndarray = field(init=False)  # (pieces + 1, len(HEADS)): running sums of ``inside``

    def __post_init__(self) -> None:
        self.starts = [a for a, _ in self.offsets]
        self._cores = {}
        self._sums = np.vstack([np.zeros((1, len(HEADS))), np.cumsum(self.inside, axis=0)])

    def is_decoded(self, head: str, span: CharSpan) -> bool:
        """Whether ``span`` is, but for punctuation at its edges (:func:`core`), a decoded ``head`` span."""
        if head not in self._cores:
            self._cores[head] = {core(self.text, sp) for sp, _ in self.spans[head]}
        return core(self.text, span) in self._cores[head]

    def inside_mean(self, head: str, start: int, end: int) -> float:
        """Mean probability that the pieces in [start, end) are inside a ``head`` span (0: none read)."""
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        if hi <= lo:
            return 0.0
        h = HEADS.index(head)
        return float(self._sums[hi, h] - self._sums[lo, h]) / (hi - lo)

    def inside_next_to(self, head: str, start: int, end: int) -> tuple[float, float]:
        """The probabilities of the pieces just before ``start`` and just after ``end`` being inside
        a ``head`` span (0 where nothing was read): does the tagger agree that a span ends there?"""
        h = HEADS.index(head)
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        before = float(self.inside[lo - 1, h]) if lo > 0 and start - self.offsets[lo - 1][1] <= 2 else 0.0
        after = float(self.inside[hi, h]) if hi < len(self.starts) and self.starts[hi] - end <= 2 else 0.0
        return before, after


def core(text: str, span: CharSpan) -> CharSpan:
    """``span`` without the characters at its edges that are not letters or digits."""
    s, e = span
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum():
        e -= 1
    return s, e


def tagging_from(text: str, ws: Sequence[Window], probs: Sequence[np.ndarray]) -> Tagging:
    """Decoded spans and inside probabilities of every head, from per-window probabilities."""
    spans: dict[str, list[tuple[CharSpan, float]]] = {h: [] for h in HEADS}
    for w, p in zip(ws, probs):
        for h, head in enumerate(HEADS):
            spans[head] += decode(w.offsets, p[:, h])
    offsets = [o for w in ws for o in w.offsets]
    stacked = np.concatenate(probs) if len(probs) else np.zeros((0, len(HEADS), len(TAGS)))
    return Tagging(text, spans, offsets, stacked[:, :, 1] + stacked[:, :, 2])


class Tagger:
    """The exported tagger: an ONNX graph, its tokenizer, and the settings it was trained with."""

    def __init__(self, tagger_dir: str | Path, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        d = self.dir = Path(tagger_dir)
        for name in ("model.onnx", "tokenizer.json", "meta.json"):
            if not (d / name).is_file():
                raise FileNotFoundError(f"{d}: not a saidwhat tagger directory (no {name})")
        self.meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        self.tokenizer = load_tokenizer(d / "tokenizer.json", Tokenizer)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(d / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")

    def probabilities(self, windows_: Sequence[Window], batch: int = 4) -> list[np.ndarray]:
        """Per window, (pieces, len(HEADS), len(TAGS)) probabilities. Windows are run in small
        batches of similar length, which pad least: on one thread 4 ran faster than 16 or 1."""
        order = sorted(range(len(windows_)), key=lambda i: len(windows_[i].ids))
        by_index: dict[int, np.ndarray] = {}
        for k in range(0, len(order), batch):
            part = [windows_[i] for i in order[k:k + batch]]
            ids, mask = batch_arrays(part, self.cls_id, self.sep_id)
            (probs,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for i, w, p in zip(order[k:k + batch], part, probs):
                by_index[i] = p[1:len(w.ids) + 1]
        return [by_index[i] for i in range(len(windows_))]

    def tag(self, doc: Doc) -> Tagging:
        """Read the sentences of ``doc`` that could hold a statement (once per document)."""
        key = ("saidwhat_tagging", id(self))
        if key not in doc.user_data:
            text = doc.text
            ws = windows(self.tokenizer, text, tagged_sentences(doc), [s.start_char for s in doc.sents])
            doc.user_data[key] = tagging_from(text, ws, self.probabilities(ws))
        return doc.user_data[key]


def load_tokenizer(path: str | Path, tokenizer_class=None):
    """The WordPiece tokenizer, without the truncation and padding its file may ask for."""
    if tokenizer_class is None:
        from tokenizers import Tokenizer as tokenizer_class
    tok = tokenizer_class.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok
