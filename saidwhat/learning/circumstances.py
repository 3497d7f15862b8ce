"""Circumstance scores: are each found statement's time, date, addressee, setting and answer right?

Gold circumstances are hand annotations of every gold statement of some PolNeAR documents
(``annotations/circumstances/``: ``time`` with its ``date``, ``addressee``, ``setting`` with its
``kind``, ``responds_to``). Predicted statements are matched to the annotated ones one-to-one by
shared content characters, as content overlap is scored, and each field is scored over the
matched pairs ("F1 over the statements found"):

* ``time``, ``addressee``, ``setting``: a predicted span is right when its characters, trimmed
  of punctuation and spaces as every span metric trims them, are the gold ones (``exact``) or
  share a character with them (``overlap``);
* ``date``: right when it is the gold date (both given);
* ``setting kind``: right when the setting overlaps the gold one and has its kind;
* ``responds_to``: right when the predicted speaker's name names the gold one (the rules of
  speaker accuracy, :func:`.speakers.same_name`).
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .gold import SpanStatement
from .metrics import match_statements, normalise_spans, normalise_statement, prf, span_chars
from .speakers import same_name

SPAN_FIELDS = ("time", "addressee", "setting")
FIELDS = ("time", "date", "addressee", "setting", "setting kind", "responds_to")


@dataclass
class _Count:
    tp_exact: int = 0
    tp_overlap: int = 0
    predicted: int = 0
    gold: int = 0


@dataclass
class CircumstanceTally:
    """Counts per field over matched statements, and the wrong ones for reading."""

    counts: dict[str, _Count] = field(default_factory=lambda: {f: _Count() for f in FIELDS})
    matched: int = 0
    annotated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def scores(self) -> dict[str, Any]:
        out: dict[str, Any] = {"statements": {"annotated": self.annotated, "matched": self.matched}}
        for name, c in self.counts.items():
            cell = {"exact": prf(c.tp_exact, c.predicted, c.gold)}
            if name in SPAN_FIELDS:
                cell["overlap"] = prf(c.tp_overlap, c.predicted, c.gold)
            out[name] = cell
        return out


def load_circumstance_gold(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Annotation rows by document."""
    out: dict[str, list[dict[str, Any]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault(row["doc"], []).append(row)
    return out


def _spans(text: str, part: Mapping[str, Any] | None) -> tuple[tuple[int, int], ...]:
    return normalise_spans(text, part.get("spans") or ()) if part else ()


def _score_spans(count: _Count, text: str, gold: Mapping[str, Any] | None,
                 predicted: Mapping[str, Any] | None) -> tuple[bool, bool]:
    g, p = _spans(text, gold), _spans(text, predicted)
    count.gold += bool(g)
    count.predicted += bool(p)
    exact = bool(g) and g == p
    overlap = bool(g and p) and bool(span_chars(g) & span_chars(p))
    count.tp_exact += exact
    count.tp_overlap += overlap
    return exact, overlap


def _score_value(count: _Count, gold: Any, predicted: Any, right: bool) -> None:
    count.gold += gold is not None
    count.predicted += predicted is not None
    count.tp_exact += gold is not None and predicted is not None and right


def score_circumstances(texts: Mapping[str, str], annotations: Mapping[str, Sequence[Mapping[str, Any]]],
                        articles: Mapping[str, Mapping[str, Any]]) -> CircumstanceTally:
    """Circumstance scores over the annotated documents (``texts``: stem -> text; ``articles``:
    stem -> the extractor's article dict)."""
    tally = CircumstanceTally()
    for stem, rows in annotations.items():
        if stem not in texts:
            continue
        text = texts[stem]
        tally.annotated += len(rows)
        article = articles.get(stem) or {}
        statements = article.get("statements") or []
        names = {sp["id"]: sp["name"] for sp in article.get("speakers") or ()}
        gold = [normalise_statement(text, SpanStatement(tuple(map(tuple, r["content"])))) for r in rows]
        pred = [normalise_statement(text, SpanStatement(tuple(map(tuple, (st["content"] or {}).get("spans") or ()))))
                for st in statements]
        for i, j in match_statements(gold, pred):
            row, st = rows[i], statements[j]
            tally.matched += 1
            wrong = []
            for name in SPAN_FIELDS:
                exact, _ = _score_spans(tally.counts[name], text, row.get(name), st.get(name))
                if not exact and (row.get(name) or st.get(name)):
                    wrong.append(name)
            g_time, p_time = row.get("time") or {}, st.get("time") or {}
            _score_value(tally.counts["date"], g_time.get("date"), p_time.get("date"),
                         g_time.get("date") == p_time.get("date"))
            g_set, p_set = row.get("setting"), st.get("setting")
            _, overlap = _score_spans(_Count(), text, g_set, p_set)
            _score_value(tally.counts["setting kind"], g_set and g_set.get("kind"), p_set and p_set.get("kind"),
                         overlap and g_set.get("kind") == p_set.get("kind"))
            p_answer = names.get(st.get("responds_to"))
            g_answer = row.get("responds_to")
            _score_value(tally.counts["responds_to"], g_answer, p_answer,
                         bool(g_answer and p_answer) and same_name(p_answer, g_answer, person=False))
            if wrong or (g_answer or p_answer) and not (g_answer and p_answer and same_name(p_answer, g_answer, False)):
                tally.errors.append({"doc": stem, "n": row["n"], "cue": row.get("cue_text"),
                                     **{f"gold_{f}": (row.get(f) or {}).get("text") if f in SPAN_FIELDS
                                        else row.get(f) for f in (*SPAN_FIELDS, "responds_to")},
                                     **{f"predicted_{f}": (st.get(f) or {}).get("text") for f in SPAN_FIELDS},
                                     "predicted_responds_to": p_answer})
    return tally


def format_circumstance_report(scores: Mapping[str, Any]) -> str:
    """A plain-text table: precision, recall and F1 per field, exact and overlapping."""
    lines = [f"{'circumstances':<16}{'P':>7}{'R':>7}{'F1':>7}   {'overlap P':>9}{'R':>7}{'F1':>7}{'gold':>7}",
             "-" * 70]
    for name in FIELDS:
        cell = scores[name]
        e = cell["exact"]
        row = f"{name:<16}{e['precision']:>7.1f}{e['recall']:>7.1f}{e['f1']:>7.1f}"
        if "overlap" in cell:
            o = cell["overlap"]
            row += f"   {o['precision']:>9.1f}{o['recall']:>7.1f}{o['f1']:>7.1f}"
        else:
            row += " " * 26
        lines.append(row + f"{e['gold']:>7}")
    st = scores["statements"]
    lines.append(f"statements: {st['matched']} found of {st['annotated']} annotated")
    return "\n".join(lines)
