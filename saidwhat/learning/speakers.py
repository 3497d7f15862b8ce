"""Speaker accuracy: is each statement the extractor finds credited to the right speaker?

Gold speakers are hand annotations of PolNeAR statements (``annotations/speakers/``, one JSON
line per gold statement with a source: ``speaker``, ``type``, ``members``). A predicted
statement counts when it is matched to an annotated gold statement (one-to-one by shared
content characters, as content overlap is scored) and then it is *right* when

* the gold source is anonymous and the prediction names no speaker (or an anonymous one);
* otherwise, the predicted speaker's name is the gold name: the same words once case, accents,
  punctuation, a leading "the", honorifics and possessive 's are set aside, or a part of it
  that keeps its last word ("Clinton" and "Hillary Clinton", "Post" and "New York Post"), or
  the gold name with words added before its last ("Hillary Rodham Clinton"); for an
  organisation or a document also the start of the gold name ("Tax Policy Center" for "Tax
  Policy Center at the Urban Institute") or the gold name with words after it; a group is
  right when the prediction names one of its members or the group itself.

Accuracy is reported over all matched statements, by the kind of the source mention (a
``name``, a ``pronoun``, a ``description`` of a named entity, or an ``anonymous`` source) and
by the gold entity type.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extraction.lexicon import FIRST_PERSON, GROUP_PRONOUNS, HONORIFICS, PRONOUN_GENDER, RELATIVE_PRONOUNS
from .gold import Span, SpanStatement
from .metrics import match_statements, normalise_statement

KINDS = ("name", "pronoun", "description", "anonymous")
TYPES = ("person", "organization", "group", "document", "anonymous")
_PRONOUNS = FIRST_PERSON | GROUP_PRONOUNS | RELATIVE_PRONOUNS | frozenset(PRONOUN_GENDER) | {"you", "those"}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class GoldSpeaker:
    """Who a careful reader says one gold statement's source is."""

    source: tuple[Span, ...]
    source_text: str
    speaker: str | None
    type: str
    members: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``name``, ``pronoun``, ``description`` or ``anonymous``: what the source mention is."""
        if self.type == "anonymous":
            return "anonymous"
        words = [w.casefold() for w in _WORD.findall(self.source_text)]
        if len(words) <= 2 and words and words[-1] in _PRONOUNS:
            return "pronoun"
        names = set(name_words(self.speaker or "")) | {w for m in self.members for w in name_words(m)}
        capitals = [w for w in _WORD.findall(self.source_text) if w[:1].isupper()]
        if any(w.casefold() in names for w in capitals):
            return "name"
        return "description"


@dataclass(frozen=True)
class PredictedSpeaker:
    """The speaker the extractor gave one statement (``None`` name: no speaker)."""

    name: str | None
    type: str | None = None
    members: tuple[str, ...] = ()


def load_speaker_gold(path: str | Path) -> dict[str, list[GoldSpeaker]]:
    """An annotation file: document stem -> its annotated statements."""
    out: dict[str, list[GoldSpeaker]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out.setdefault(row["doc"], []).append(GoldSpeaker(
            tuple((int(s), int(e)) for s, e in row["source"]), row["source_text"], row["speaker"],
            row["type"], tuple(row.get("members") or ())))
    return out


def name_words(name: str) -> list[str]:
    """The words a name is compared by: case and accents folded, no leading "the", no
    honorifics, no possessive 's."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"'s\b", "", text)
    words = _WORD.findall(text)
    if words and words[0] == "the":
        words = words[1:]
    return [w for w in words if w not in HONORIFICS] or words


def same_name(predicted: str, gold: str, person: bool = True) -> bool:
    """Whether a predicted speaker name names the gold speaker (see the module docstring)."""
    p, g = name_words(predicted), name_words(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if p[-1] == g[-1] and (set(p) <= set(g) or set(g) <= set(p)):
        return True  # "Clinton" or "Hillary Rodham Clinton" for "Hillary Clinton"
    # an organisation or document named by the start of its fullest name ("Tax Policy Center"
    # for "Tax Policy Center at the Urban Institute")
    return not person and (g[:len(p)] == p or p[:len(g)] == g)


def is_right(predicted: PredictedSpeaker, gold: GoldSpeaker) -> bool:
    if gold.type == "anonymous":
        return predicted.name is None or predicted.type == "anonymous"
    if predicted.name is None or predicted.type == "anonymous":
        return False
    golds = [gold.speaker or "", *gold.members]
    predicted_names = [predicted.name, *predicted.members]
    return any(same_name(p, g, gold.type == "person") for p in predicted_names for g in golds if g)


def predicted_speakers(article: Mapping[str, Any]) -> list[PredictedSpeaker]:
    """The speaker of each statement of an output-schema article, in statement order."""
    speakers = {sp["id"]: sp for sp in article.get("speakers") or ()}
    out = []
    for st in article.get("statements") or ():
        sp = speakers.get(st.get("speaker"))
        out.append(PredictedSpeaker(sp["name"], str(sp.get("type", "")).lower() or None,
                                    tuple(speakers[m]["name"] for m in sp.get("members") or ()
                                          if m in speakers)) if sp else PredictedSpeaker(None))
    return out


@dataclass
class SpeakerTally:
    """Right and matched counts, overall and by kind and type; the wrong ones for reading."""

    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    annotated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, gold: GoldSpeaker, predicted: PredictedSpeaker, doc: str) -> None:
        ok = is_right(predicted, gold)
        for key in ("all", f"kind:{gold.kind}", f"type:{gold.type}"):
            self.total[key] += 1
            self.right[key] += ok
        if not ok:
            self.errors.append({"doc": doc, "source": gold.source_text, "kind": gold.kind,
                                "gold": gold.speaker or "anonymous", "type": gold.type,
                                "predicted": predicted.name, "predicted_type": predicted.type})

    def scores(self) -> dict[str, Any]:
        def cell(key: str) -> dict[str, Any]:
            n = self.total[key]
            return {"accuracy": round(100 * self.right[key] / n, 1) if n else None,
                    "right": self.right[key], "found": n}
        return {"all": {**cell("all"), "annotated": self.annotated},
                "by_kind": {k: cell(f"kind:{k}") for k in KINDS},
                "by_type": {t: cell(f"type:{t}") for t in TYPES}}


def score_speakers(gold: Mapping[str, tuple[str, Sequence[SpanStatement]]],
                   annotations: Mapping[str, Sequence[GoldSpeaker]],
                   predictions: Mapping[str, tuple[Sequence[SpanStatement], Sequence[PredictedSpeaker]]]
                   ) -> SpeakerTally:
    """Speaker accuracy over the annotated documents of ``gold`` (stem -> (text, statements));
    ``predictions``: stem -> (statements, their speakers, aligned)."""
    tally = SpeakerTally()
    for stem, rows in annotations.items():
        if stem not in gold:
            continue
        text, gold_statements = gold[stem]
        by_source = {row.source: row for row in rows}
        tally.annotated += len(rows)
        statements, speakers = predictions.get(stem, ((), ()))
        g = [(i, normalise_statement(text, s)) for i, s in enumerate(gold_statements)]
        p = [(j, normalise_statement(text, s)) for j, s in enumerate(statements)]
        g = [(i, s) for i, s in g if s.content]
        p = [(j, s) for j, s in p if s.content]
        for a, b in match_statements([s for _, s in g], [s for _, s in p]):
            row = by_source.get(gold_statements[g[a][0]].source)
            if row is not None:
                tally.add(row, speakers[p[b][0]], stem)
    return tally


def format_speaker_report(scores: Mapping[str, Any]) -> str:
    """A plain-text table of speaker accuracy, overall, by source kind and by entity type."""
    lines = [f"{'speaker accuracy':<24}{'acc':>7}{'right':>8}{'found':>8}", "-" * 47]

    def row(label: str, cell: Mapping[str, Any]) -> None:
        acc = f"{cell['accuracy']:.1f}" if cell["accuracy"] is not None else "-"
        lines.append(f"{label:<24}{acc:>7}{cell['right']:>8}{cell['found']:>8}")

    row("all", scores["all"])
    for kind, cell in scores["by_kind"].items():
        row(f"  source: {kind}", cell)
    for kind, cell in scores["by_type"].items():
        row(f"  entity: {kind}", cell)
    lines.append(f"annotated statements: {scores['all']['annotated']}")
    return "\n".join(lines)


def iter_errors(tally: SpeakerTally) -> Iterable[str]:
    for e in tally.errors:
        yield (f"{e['doc']}: {e['source']!r} ({e['kind']}) gold {e['gold']} [{e['type']}], "
               f"predicted {e['predicted']} [{e['predicted_type']}]")
