"""A hand-judged precision check on real pages: which statements saidwhat finds are statements.

``make``: pick ``--pages`` English pages of a folder with a seeded RNG, extract them, and write
one JSON line per statement found, with its paragraph for the judge and empty judgement fields
(``statement``, ``speaker_right``, ``note``; see ``annotations/precision/README.md``)::

    python scripts/precision_sample.py make ../shared/data/news-html/html --pages 12 --seed 13 \\
        --out annotations/precision/news-html-before.jsonl

``--exclude FILE...`` leaves out the pages of earlier samples (for a fresh one).

``carry``: extract the same pages again (after a change) and write their statements, with the
judgements of an earlier file carried over to the statements that are the same (page, kind,
content, cue and source text); only new ones are left to judge::

    python scripts/precision_sample.py carry annotations/precision/news-html-before.jsonl \\
        ../shared/data/news-html/html --out annotations/precision/news-html-after.jsonl

(``--attribution-model DIR`` extracts with another learned model, e.g. ``saidwhat/data/joined``.)

``score FILE...``: precision (statements judged real / judged) and speaker accuracy (right /
judged real) per file, overall and by kind.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import saidwhat
from saidwhat.extraction.model import DEFAULT_MODEL
from saidwhat.inputs import iter_documents
from saidwhat.inputs.documents import Document

JUDGED = ("statement", "speaker_right", "note")


def english_pages(folder: Path) -> list[Document]:
    docs = [d for d in iter_documents([str(folder)]) if isinstance(d, Document)]
    return sorted(docs, key=lambda d: d.id)


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph (between blank lines) around ``[start, end)``, cut to 700 characters."""
    lo = text.rfind("\n\n", 0, start) + 1
    hi = text.find("\n\n", end)
    para = text[lo:hi if hi >= 0 else len(text)].strip()
    return para if len(para) <= 700 else para[:700] + " …"


def rows_of(doc: Document, attribution_model: str | None = DEFAULT_MODEL) -> list[dict[str, Any]]:
    art = saidwhat.extract(doc.text, **{k: v for k, v in doc.meta.items() if v is not None}, id=doc.id,
                           attribution_model=attribution_model)
    if art.language != "en":
        return []
    out = []
    speakers = {sp.id: sp for sp in art.speakers}
    for st in art.statements:
        start, end = st.content.spans[0][0], st.content.spans[-1][1]
        sp = speakers.get(st.speaker) if st.speaker else None
        out.append({"doc": doc.id, "url": doc.meta.get("url"), "sid": st.id, "kind": st.kind,
                    "content": st.content.text, "cue": st.cue.text if st.cue else None,
                    "source": st.source.text if st.source else None,
                    "speaker": sp.name if sp else None, "speaker_type": sp.type if sp else None,
                    "paragraph": paragraph(art.text, start, end),
                    "statement": None, "speaker_right": None, "note": None})
    return out


def identities(rows: list[dict[str, Any]]) -> list[tuple]:
    """What makes two statements the same: page, kind, content, cue and source text, and which
    occurrence of those on the page it is (a page may repeat itself)."""
    seen: Counter[tuple] = Counter()
    out = []
    for row in rows:
        key = (row["doc"], row["kind"], row["content"], row["cue"], row["source"])
        seen[key] += 1
        out.append((*key, seen[key]))
    return out


def write(rows: list[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make(folder: Path, pages: int, seed: int, out: Path, exclude: list[Path]) -> None:
    seen = {r["doc"] for path in exclude for r in read(path)}
    docs = [d for d in english_pages(folder) if d.id not in seen]
    rng = random.Random(seed)
    chosen: list[Document] = []
    rows: list[dict[str, Any]] = []
    for doc in rng.sample(docs, len(docs)):
        if len(chosen) == pages:
            break
        found = rows_of(doc)
        if found:  # a page in another language, or with no statement, says nothing of precision
            chosen.append(doc)
            rows.extend(found)
    write(rows, out)
    print(f"{len(rows)} statements from {len(chosen)} pages → {out}", file=sys.stderr)


def carry(earlier: Path, folder: Path, out: Path, attribution_model: str | None = DEFAULT_MODEL) -> None:
    old = read(earlier)
    judged = dict(zip(identities(old), old))
    wanted = {r["doc"] for r in old}
    rows = [r for d in english_pages(folder) if d.id in wanted for r in rows_of(d, attribution_model)]
    kept = 0
    for row, key in zip(rows, identities(rows)):
        before = judged.get(key)
        if before is not None:
            row.update({k: before[k] for k in JUDGED})
            kept += 1
    write(rows, out)
    print(f"{len(rows)} statements ({kept} judged before, {len(rows) - kept} to judge) → {out}", file=sys.stderr)


def score(paths: list[Path]) -> None:
    for path in paths:
        rows = [r for r in read(path) if r["statement"] is not None]
        real = [r for r in rows if r["statement"]]
        right = [r for r in real if r["speaker_right"]]
        todo = sum(1 for r in read(path) if r["statement"] is None)
        print(f"{path}: precision {100 * len(real) / max(1, len(rows)):.1f} % ({len(real)}/{len(rows)}), "
              f"speaker right {100 * len(right) / max(1, len(real)):.1f} % ({len(right)}/{len(real)})"
              + (f", {todo} not judged" if todo else ""))
        kinds = Counter(r["kind"] for r in rows)
        for kind, n in kinds.most_common():
            ok = sum(1 for r in real if r["kind"] == kind)
            print(f"  {kind:13} {100 * ok / n:5.1f} % ({ok}/{n})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("folder", type=Path)
    m.add_argument("--pages", type=int, default=12)
    m.add_argument("--seed", type=int, default=13)
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--exclude", type=Path, nargs="*", default=[], help="files whose pages are not picked again")
    c = sub.add_parser("carry")
    c.add_argument("earlier", type=Path)
    c.add_argument("folder", type=Path)
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--attribution-model", default=DEFAULT_MODEL,
                   help="the learned model that extracts (default: saidwhat's default)")
    s = sub.add_parser("score")
    s.add_argument("files", type=Path, nargs="+")
    args = ap.parse_args()
    if args.cmd == "make":
        make(args.folder, args.pages, args.seed, args.out, args.exclude)
    elif args.cmd == "carry":
        carry(args.earlier, args.folder, args.out, args.attribution_model)
    else:
        score(args.files)


if __name__ == "__main__":
    main()
