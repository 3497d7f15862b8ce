"""Gold statements in brat standoff (the PolNeAR layout), and predictions as span statements.

A split is ``text/<stem>.txt`` with ``attributions/<stem>_<annotator>.ann``; when a document
has several annotators, the first file in sorted order is the reference. Only the standard
library is used so the scorer runs anywhere the gold data is.
"""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

Span = tuple[int, int]
Spans = tuple[Span, ...]
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


def publication_dates(split_dir: str | Path) -> dict[str, str]:
    """``stem -> YYYY-MM-DD`` from the ``metadata.tsv`` beside a PolNeAR split folder (empty
    when there is none)."""
    path = Path(split_dir).parent / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {row["filename"]: row["publication_date"] for row in csv.DictReader(f, delimiter="\t")
                if row.get("filename") and row.get("publication_date")}


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


def load_articles(jsonl_path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a JSONL prediction file (``saidwhat extract`` output): article id (= text file
    stem) -> the article."""
    articles: dict[str, dict[str, Any]] = {}
    with open(jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                art = json.loads(line)
                articles[str(art["id"])] = art
    return articles


def load_predictions(jsonl_path: str | Path) -> dict[str, list[SpanStatement]]:
    """Read a JSONL prediction file: article id (= text file stem) -> statements."""
    return {stem: statements_from_article(art) for stem, art in load_articles(jsonl_path).items()}
