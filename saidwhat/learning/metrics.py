"""Score predicted attributions against PolNeAR-style brat gold ("who said what"): design.md's metrics.

Metric readings (each chosen because it reproduces the published human agreement on
PolNeAR train, second annotator against the first on the 16 multiply-annotated docs:
content exact 67.3, source exact 79.8, cue exact 70.2, overlap 85.6, attribution 77.0,
token 90.1):

* Spans are normalised first (:func:`normalise_spans`): edges trimmed of ASCII whitespace and
  Unicode punctuation (categories P*, which covers straight/curly quotes, « » „ etc.), empty
  spans dropped, spans separated only by such characters merged.  Unicode spaces such as
  NBSP are *not* trimmed: trimming them turns two annotator disagreements ("He\\xa0" vs "He")
  into matches and moves source exact from 79.8 to 80.2.
* content/source/cue exact: per document, the *set* of normalised span tuples (one tuple per
  statement, empty ones dropped); tp = size of the intersection; micro-averaged over docs.
* content overlap: per document, gold and predicted statements (those with non-empty
  normalised content) are paired one-to-one, greedily by number of shared content
  characters (largest first).  P = matched / predicted statements, R = matched / gold.
* attribution: a matched pair counts when both normalised sources share a character, or
  both statements have no source.  P and R over all predicted / gold statements.
* cue exact comes out at 70.6 rather than 70.2; no reading found explains the gap (taking the
  Attribution trigger span as the cue gives 70.4 but the trigger is sometimes truncated, e.g.
  "wrot", so the Cue span is used and the trigger only when an event has no Cue).
* content token: ``\\w+`` tokens (by position) of the normalised content; tp = tokens shared
  by matched pairs; P = tp / tokens of all predicted contents, R = tp / tokens of all gold
  contents (so unmatched statements cost tokens too).
"""
from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .gold import Span, Spans, SpanStatement, annotator_files, load_gold, load_predictions, read_brat, read_text

METRICS: tuple[str, ...] = (
    "content_exact", "source_exact", "cue_exact",
    "content_overlap", "attribution", "content_token",
)


#: Human agreement on PolNeAR train (design doc), for reference in reports and tests.
HUMAN_AGREEMENT_F1: dict[str, float] = {
    "content_exact": 67.3, "source_exact": 79.8, "cue_exact": 70.2,
    "content_overlap": 85.6, "attribution": 77.0, "content_token": 90.1,
}


_TOKEN_RE = re.compile(r"\w+")


def _is_trim_char(ch: str) -> bool:
    """Characters that never make two spans differ: ASCII whitespace and punctuation/quotes."""
    return ch in string.whitespace or unicodedata.category(ch).startswith("P")


def normalise_spans(text: str, spans: Iterable[Sequence[int]]) -> Spans:
    """Trim, drop empty and merge spans so that annotation noise at the edges doesn't count.

    Each span is clipped to the text, its edges are trimmed of whitespace and punctuation;
    spans that overlap, touch, or are separated only by such characters are merged.
    """
    n = len(text)
    trimmed: list[Span] = []
    for raw in spans:
        s, e = max(0, int(raw[0])), min(n, int(raw[1]))
        while s < e and _is_trim_char(text[s]):
            s += 1
        while e > s and _is_trim_char(text[e - 1]):
            e -= 1
        if s < e:
            trimmed.append((s, e))
    trimmed.sort()
    merged: list[Span] = []
    for s, e in trimmed:
        if merged:
            ps, pe = merged[-1]
            if s <= pe or all(_is_trim_char(c) for c in text[pe:s]):
                merged[-1] = (ps, max(pe, e))
                continue
        merged.append((s, e))
    return tuple(merged)


def normalise_statement(text: str, st: SpanStatement) -> SpanStatement:
    """Normalise all three parts of a statement (see :func:`normalise_spans`)."""
    return SpanStatement(
        normalise_spans(text, st.content),
        normalise_spans(text, st.cue),
        normalise_spans(text, st.source),
    )


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Micro P/R/F1 as percentages, with the counts so scores can be re-aggregated."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f, 1),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def span_chars(spans: Spans) -> set[int]:
    """Character offsets covered, the unit of overlap matching."""
    return {i for s, e in spans for i in range(s, e)}


def _tokens(text: str, spans: Spans) -> set[Span]:
    """Word tokens by position, so repeated words are told apart."""
    return {(m.start(), m.end()) for s, e in spans for m in _TOKEN_RE.finditer(text, s, e)}


def match_statements(gold: Sequence[SpanStatement],
                     pred: Sequence[SpanStatement]) -> list[tuple[int, int]]:
    """Pair gold and predicted statements one-to-one, greedily by shared content characters.

    Pairs with more shared characters are taken first (ties: earlier gold, then earlier
    prediction), so each statement is credited once.  Expects normalised statements.
    """
    gchars = [span_chars(g.content) for g in gold]
    pchars = [span_chars(p.content) for p in pred]
    cands = []
    for i, gc in enumerate(gchars):
        if not gc:
            continue
        for j, pc in enumerate(pchars):
            k = len(gc & pc)
            if k:
                cands.append((-k, i, j))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def score(docs: Mapping[str, tuple[str, Sequence[SpanStatement], Sequence[SpanStatement]]]
          ) -> dict[str, Any]:
    """Score predictions: stem -> (text, gold statements, predicted statements).

    Returns ``{metric: {"precision", "recall", "f1", "tp", "pred", "gold"}}`` for every name in
    :data:`METRICS` (percentages rounded to 1 decimal; for content_token the counts are
    tokens, otherwise span sets or statements) plus ``"documents"``.
    """
    exact = {k: [0, 0, 0] for k in ("content", "source", "cue")}  # tp, pred, gold
    ov = [0, 0, 0]
    attr = 0
    tok = [0, 0, 0]
    for text, gold_raw, pred_raw in docs.values():
        gold = [normalise_statement(text, s) for s in gold_raw]
        pred = [normalise_statement(text, s) for s in pred_raw]
        for part, acc in exact.items():
            gset = {getattr(s, part) for s in gold} - {()}
            pset = {getattr(s, part) for s in pred} - {()}
            acc[0] += len(gset & pset)
            acc[1] += len(pset)
            acc[2] += len(gset)
        gold_c = [s for s in gold if s.content]
        pred_c = [s for s in pred if s.content]
        pairs = match_statements(gold_c, pred_c)
        ov[0] += len(pairs)
        ov[1] += len(pred_c)
        ov[2] += len(gold_c)
        gtoks = [_tokens(text, s.content) for s in gold_c]
        ptoks = [_tokens(text, s.content) for s in pred_c]
        tok[1] += sum(map(len, ptoks))
        tok[2] += sum(map(len, gtoks))
        for i, j in pairs:
            tok[0] += len(gtoks[i] & ptoks[j])
            gs, ps = gold_c[i].source, pred_c[j].source
            if (not gs and not ps) or (span_chars(gs) & span_chars(ps)):
                attr += 1
    res: dict[str, Any] = {f"{k}_exact": prf(*acc) for k, acc in exact.items()}
    res["content_overlap"] = prf(*ov)
    res["attribution"] = prf(attr, ov[1], ov[2])
    res["content_token"] = prf(*tok)
    res["documents"] = len(docs)
    return res


def score_predictions(gold: Mapping[str, tuple[str, Sequence[SpanStatement]]],
                      predictions: Mapping[str, Sequence[SpanStatement]]) -> dict[str, Any]:
    """Score ``predictions`` (stem -> statements) against ``gold`` (:func:`~.gold.load_gold`);
    a gold document without predictions counts as empty, predictions for other stems are ignored."""
    return score({stem: (text, statements, predictions.get(stem, []))
                  for stem, (text, statements) in gold.items()})


def evaluate(gold_dir: str | Path, pred_jsonl: str | Path,
             stems: Iterable[str] | None = None) -> dict[str, Any]:
    """Score a prediction file against a gold split (only ``stems`` of it, when given)."""
    gold = load_gold(gold_dir)
    keep = set(stems) if stems is not None else set(gold)
    return score_predictions({k: v for k, v in gold.items() if k in keep}, load_predictions(pred_jsonl))


def human_agreement(split_dir: str | Path) -> dict[str, Any]:
    """Score the second annotator (sorted order) against the first on multiply-annotated docs.

    This is the ceiling against which system scores should be read.
    """
    docs = {}
    for stem, files in annotator_files(split_dir).items():
        tpath = Path(split_dir, "text", f"{stem}.txt")
        if len(files) < 2 or not tpath.is_file():
            continue
        text = read_text(tpath)
        docs[stem] = (text, read_brat(files[0], text), read_brat(files[1], text))
    return score(docs)


def format_report(scores: Mapping[str, Any], reference: Mapping[str, float] | None = None
                  ) -> str:
    """A plain-text table of P/R/F1 and counts per metric (optionally with a reference F1)."""
    head = f"{'metric':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>8}{'pred':>8}{'gold':>8}"
    if reference:
        head += f"{'ref F1':>8}"
    lines = [head, "-" * len(head)]
    for name in METRICS:
        m = scores.get(name)
        if not m:
            continue
        row = (f"{name:<16}{m['precision']:>7.1f}{m['recall']:>7.1f}{m['f1']:>7.1f}"
               f"{m['tp']:>8}{m['pred']:>8}{m['gold']:>8}")
        if reference:
            ref = reference.get(name)
            row += f"{ref:>8.1f}" if ref is not None else f"{'':>8}"
        lines.append(row)
    if "documents" in scores:
        lines.append(f"documents: {scores['documents']}")
    return "\n".join(lines)
