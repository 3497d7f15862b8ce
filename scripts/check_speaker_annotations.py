"""Check speaker annotation files: every field as annotations/speakers/README.md says, every
offset by slicing the document text. Exit 1 and one line per problem when something is wrong.

``python scripts/check_speaker_annotations.py SPLIT_DIR FILE...``
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotation_rows import read_rows, report

TYPES = {"person", "organization", "group", "document", "anonymous"}


def problems(split: Path, path: Path) -> list[str]:
    out: list[str] = []

    def find_text(doc: str) -> Path | None:
        text_path = split / "text" / f"{doc}.txt"
        return text_path if text_path.is_file() else None

    for where, row, text in read_rows(path, find_text, out):
        source = " … ".join(text[s:e] for s, e in row["source"])
        if source != row["source_text"]:
            out.append(f"{where}: source {row['source']} slices to {source!r}, not {row['source_text']!r}")
        kind, speaker, span = row.get("type"), row.get("speaker"), row.get("name_span")
        if kind not in TYPES:
            out.append(f"{where}: type {kind!r} is not one of {sorted(TYPES)}")
        if kind == "anonymous" and speaker is not None:
            out.append(f"{where}: anonymous with a speaker {speaker!r}")
        if kind not in ("anonymous", None) and not (isinstance(speaker, str) and speaker.strip()):
            out.append(f"{where}: {kind} without a speaker name")
        if span is not None:
            if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(text)):
                out.append(f"{where}: name_span {span!r} is not [start, end] inside the text")
            elif text[span[0]:span[1]] != speaker:
                out.append(f"{where}: name_span {span} slices to {text[span[0]:span[1]]!r}, not {speaker!r}")
        members = row.get("members") or []
        if kind == "group" and len(members) < 2:
            out.append(f"{where}: a group needs two or more members")
        if kind != "group" and members:
            out.append(f"{where}: members given for a {kind}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    return report([p for f in args.files for p in problems(args.split, f)])


if __name__ == "__main__":
    sys.exit(main())
