"""Check circumstance annotation files: every field as annotations/circumstances/README.md says,
dates, and every offset by slicing the document text. Exit 1 and one line per problem.

``python scripts/check_circumstance_annotations.py TEXT_DIR... --files FILE...`` where each text
folder holds ``<doc>.txt`` (PolNeAR's ``text/`` folders, the example's folder).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from annotation_rows import read_rows, report

from saidwhat.schema import SETTING_KINDS

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FIELDS = {"time": "date", "addressee": "speaker", "setting": "kind"}


def _span_problems(where: str, name: str, value: object, text: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: {name} is neither null nor an object"]
    spans, out = value.get("spans"), []
    if not (isinstance(spans, list) and spans and all(
            isinstance(s, list) and len(s) == 2 and 0 <= s[0] < s[1] <= len(text) for s in spans)):
        return [f"{where}: {name} spans {spans!r} are not [[start, end], ...] inside the text"]
    sliced = " … ".join(text[s:e] for s, e in spans)
    if sliced != value.get("text"):
        out.append(f"{where}: {name} spans slice to {sliced!r}, not {value.get('text')!r}")
    if sliced != sliced.strip():
        out.append(f"{where}: {name} span {sliced!r} has spaces at its edges")
    return out


def problems(texts_dirs: list[Path], path: Path) -> list[str]:
    out: list[str] = []

    def find_text(doc: str) -> Path | None:
        return next((d / f"{doc}.txt" for d in texts_dirs if (d / f"{doc}.txt").is_file()), None)

    for where, row, text in read_rows(path, find_text, out):
        for name, extra in FIELDS.items():
            if row.get(name) is None:
                continue
            out += _span_problems(where, name, row[name], text)
            value = row[name].get(extra)
            if name == "time" and value is not None and not (isinstance(value, str) and DATE.match(value)):
                out.append(f"{where}: time date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
            if name == "time" and value is not None and row.get("published") and value > row["published"]:
                out.append(f"{where}: time date {value} is after publication {row['published']}")
            if name == "setting" and value not in SETTING_KINDS:
                out.append(f"{where}: setting kind {value!r} is not one of {list(SETTING_KINDS)}")
            if name == "addressee" and value is not None and not (isinstance(value, str) and value.strip()):
                out.append(f"{where}: addressee speaker {value!r} is not a name")
        responds = row.get("responds_to")
        if responds is not None and not (isinstance(responds, str) and responds.strip()):
            out.append(f"{where}: responds_to {responds!r} is not a name")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("texts", nargs="+", type=Path)
    ap.add_argument("--files", nargs="+", type=Path, required=True)
    args = ap.parse_args()
    return report([p for f in args.files for p in problems(args.texts, f)])


if __name__ == "__main__":
    sys.exit(main())
