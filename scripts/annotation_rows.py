"""Reading hand-annotation files (one JSON line per gold statement, ``doc`` and ``n`` naming it)
with the text of each line's document, for the checkers of ``annotations/``."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from saidwhat.learning.gold import read_text


def read_rows(path: Path, find_text: Callable[[str], Path | None],
              problems: list[str]) -> Iterator[tuple[str, dict, str]]:
    """``(where, row, text)`` for each line of ``path`` ("file:line", the object, its document's
    text); lines that are not JSON, name no document ``find_text`` finds, or repeat a statement
    go to ``problems`` instead."""
    texts: dict[str, str] = {}
    seen: set[tuple[str, object]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{where}: not JSON ({err})")
            continue
        doc = row.get("doc")
        if doc not in texts:
            text_path = find_text(doc)
            if text_path is None:
                problems.append(f"{where}: no document {doc!r}")
                continue
            texts[doc] = read_text(text_path)
        if (doc, row.get("n")) in seen:
            problems.append(f"{where}: statement {row.get('n')} of {doc} twice")
        seen.add((doc, row.get("n")))
        yield where, row, texts[doc]


def report(problems: list[str]) -> int:
    """Print the problems, one a line; the exit status: 1 when there are any."""
    for problem in problems:
        print(problem)
    return 1 if problems else 0
