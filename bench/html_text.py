"""How close saidwhat's HTML text comes to the text a person extracted, on real news pages.

Data: ``../shared/data/news-html`` (181 gzipped pages, ``ground-truth.json`` {id: {url,
articleBody}}, from Scrapinghub's article-extraction benchmark). Each page is read with
``saidwhat.inputs.read_document`` (trafilatura, title removed, paragraphs kept) and compared
with its ``articleBody`` by word-token F1: tokens are lower-cased ``\\w+`` runs, counted as
multisets (a word found twice counts twice), precision = shared / extracted, recall =
shared / reference. A page with no extracted text scores 0.

Reproduce::

    cd /work/main && .venv/bin/python bench/html_text.py            # summary
    .venv/bin/python bench/html_text.py --worst 10 --json /tmp/html_text.json
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from saidwhat.errors import InputError
from saidwhat.inputs import read_document

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news-html"
_WORD = re.compile(r"\w+")


def token_scores(predicted: str, reference: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the word tokens of ``predicted`` against ``reference``."""
    pred, ref = Counter(_WORD.findall(predicted.lower())), Counter(_WORD.findall(reference.lower()))
    shared = sum((pred & ref).values())
    if not shared:
        return 0.0, 0.0, 0.0
    p, r = shared / sum(pred.values()), shared / sum(ref.values())
    return p, r, 2 * p * r / (p + r)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="folder with html/ and ground-truth.json")
    ap.add_argument("--worst", type=int, default=5, help="list this many lowest-scoring pages")
    ap.add_argument("--json", type=Path, help="write per-page scores here")
    args = ap.parse_args()

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    rows, t0 = [], time.perf_counter()
    for page_id in sorted(truth):
        try:
            doc = read_document(args.data / "html" / f"{page_id}.html.gz")
            text, meta, error = doc.text, doc.meta, None
        except InputError as err:
            text, meta, error = "", {}, str(err)
        p, r, f = token_scores(text, truth[page_id]["articleBody"])
        rows.append({"id": page_id, "precision": p, "recall": r, "f1": f, "error": error,
                     "has_title": bool(meta.get("title")), "has_url": bool(meta.get("url")),
                     "has_date": bool(meta.get("published")), "has_outlet": bool(meta.get("outlet"))})
    elapsed = time.perf_counter() - t0

    f1s = [row["f1"] for row in rows]
    n = len(rows)
    print(f"pages: {n}  ({elapsed:.1f} s, {1000 * elapsed / n:.0f} ms/page)")
    print(f"token F1: mean {statistics.mean(f1s):.3f}  median {statistics.median(f1s):.3f}")
    print(f"precision mean {statistics.mean(r['precision'] for r in rows):.3f}  "
          f"recall mean {statistics.mean(r['recall'] for r in rows):.3f}")
    for bar in (0.9, 0.8, 0.5):
        print(f"pages with F1 >= {bar}: {sum(f >= bar for f in f1s)} / {n}")
    print(f"no text extracted: {sum(r['error'] is not None for r in rows)}")
    print("metadata present: " + "  ".join(f"{k[4:]} {sum(r[k] for r in rows)}"
                                             for k in ("has_title", "has_url", "has_date", "has_outlet")))
    for row in sorted(rows, key=lambda r: r["f1"])[:args.worst]:
        print(f"  {row['f1']:.3f} (P {row['precision']:.2f} R {row['recall']:.2f}) {row['id'][:16]} "
              f"{truth[row['id']]['url'][:70]}{'  ' + row['error'] if row['error'] else ''}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
