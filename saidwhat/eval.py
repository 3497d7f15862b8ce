"""Score predicted attributions against PolNeAR-style brat gold ("who said what").

Only the standard library is used so the scorer runs anywhere the gold data is.

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

import json
import re
import string
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

Span = tuple[int, int]
Spans = tuple[Span, ...]

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
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(\S.*)$")
_IGNORED_T_TYPES = frozenset({"Discuss", "Discard"})


@dataclass(frozen=True)
class SpanStatement:
    """One attribution reduced to what the metrics compare: its character spans.

    Raw (un-normalised) spans are kept so callers can inspect what was annotated;
    :func:`score` normalises them itself.
    """

    content: Spans = ()
    cue: Spans = ()
    source: Spans = ()


# --------------------------------------------------------------------------- normalisation

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


# --------------------------------------------------------------------------- gold (brat)

def _clean_spans(spans: Iterable[Span], text: str | None) -> Spans:
    """Sorted, de-duplicated spans, dropping ones that are empty or fall outside the text."""
    n = len(text) if text is not None else None
    out = {(s, e) for s, e in spans if 0 <= s < e and (n is None or e <= n)}
    return tuple(sorted(out))


def read_brat(ann_path: str | Path, text: str | None = None) -> list[SpanStatement]:
    """Read the statements (E events) of one brat ``.ann`` file.

    Two passes because an E line may reference T ids defined later.  Anything that is not a
    well-formed T or E line (continuation lines of multi-line span text, ``#`` notes, ...)
    is skipped.  Roles: ``Content``/``Content2``... -> content, ``Cue`` -> cue, ``Source`` ->
    source; the ``Attribution``/``Attribution-no-source`` trigger is used as the cue only
    when the event has no Cue.  T's of type Discuss/Discard are ignored.  If ``text`` is
    given, spans outside it are dropped.
    """
    with open(ann_path, encoding="utf-8", newline="") as fh:
        lines = [ln.rstrip("\r") for ln in fh.read().split("\n")]
    tspans: dict[str, tuple[str, list[Span]]] = {}
    events: list[str] = []
    for line in lines:
        m = _T_LINE.match(line)
        if m:
            spans = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
            tspans[m.group(1)] = (m.group(2), spans)
            continue
        m = _E_LINE.match(line)
        if m:
            events.append(m.group(2))
    out: list[SpanStatement] = []
    for args in events:
        parts: dict[str, list[Span]] = {"content": [], "cue": [], "source": [], "trigger": []}
        for arg in args.split():
            role, sep, tid = arg.partition(":")
            if not sep or tid not in tspans:
                continue
            ttype, spans = tspans[tid]
            if ttype in _IGNORED_T_TYPES:
                continue
            base = role.rstrip("0123456789")
            key = {"Content": "content", "Cue": "cue", "Source": "source",
                   "Attribution": "trigger", "Attribution-no-source": "trigger"}.get(base)
            if key:
                parts[key].extend(spans)
        cue = parts["cue"] or parts["trigger"]
        st = SpanStatement(_clean_spans(parts["content"], text), _clean_spans(cue, text),
                           _clean_spans(parts["source"], text))
        if st.content or st.cue or st.source:
            out.append(st)
    return out


def read_text(path: str | Path) -> str:
    """Read an article exactly as offsets index it (UTF-8, no newline translation)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def annotator_files(split_dir: str | Path) -> dict[str, list[Path]]:
    """Map each stem to all its ``attributions/<stem>_<annotator>.ann`` files, sorted.

    The first file is the reference annotation; the rest serve for human agreement.
    """
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for p in sorted(Path(split_dir, "attributions").glob("*.ann")):
        stem, sep, _annotator = p.stem.rpartition("_")
        if sep:
            by_stem[stem].append(p)
    return {k: sorted(v) for k, v in sorted(by_stem.items())}


def load_gold(gold_dir: str | Path) -> dict[str, tuple[str, list[SpanStatement]]]:
    """Load a split (``text/`` + ``attributions/``): stem -> (text, reference statements).

    Only stems with both a text and at least one ``.ann`` file are included.
    """
    gold: dict[str, tuple[str, list[SpanStatement]]] = {}
    for stem, files in annotator_files(gold_dir).items():
        tpath = Path(gold_dir, "text", f"{stem}.txt")
        if not tpath.is_file():
            continue
        text = read_text(tpath)
        gold[stem] = (text, read_brat(files[0], text))
    return gold


# --------------------------------------------------------------------------- predictions

def _part_spans(part: Mapping[str, Any] | None) -> Spans:
    if not part:
        return ()
    return tuple(sorted((int(s), int(e)) for s, e in part.get("spans") or () if int(s) < int(e)))


def statements_from_article(article: Mapping[str, Any]) -> list[SpanStatement]:
    """Convert one output-schema article (``{"id", "statements": [...]}``) to span statements."""
    out = []
    for st in article.get("statements") or ():
        out.append(SpanStatement(_part_spans(st.get("content")), _part_spans(st.get("cue")),
                                 _part_spans(st.get("source"))))
    return out


def load_predictions(jsonl_path: str | Path) -> dict[str, list[SpanStatement]]:
    """Read a JSONL prediction file: article id (= text file stem) -> statements."""
    preds: dict[str, list[SpanStatement]] = {}
    with open(jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                art = json.loads(line)
                preds[str(art["id"])] = statements_from_article(art)
    return preds


# --------------------------------------------------------------------------- scoring

def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
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
    res: dict[str, Any] = {f"{k}_exact": _prf(*acc) for k, acc in exact.items()}
    res["content_overlap"] = _prf(*ov)
    res["attribution"] = _prf(attr, ov[1], ov[2])
    res["content_token"] = _prf(*tok)
    res["documents"] = len(docs)
    return res


def evaluate(gold_dir: str | Path, pred_jsonl: str | Path,
             stems: Iterable[str] | None = None) -> dict[str, Any]:
    """Score a prediction file against a gold split; gold docs missing a prediction count as empty.

    Predictions for stems not in the gold (or not in ``stems``) are ignored.
    """
    gold = load_gold(gold_dir)
    preds = load_predictions(pred_jsonl)
    keep = set(stems) if stems is not None else set(gold)
    docs = {k: (t, g, preds.get(k, [])) for k, (t, g) in gold.items() if k in keep}
    return score(docs)


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
