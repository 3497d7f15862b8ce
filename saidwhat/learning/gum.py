"""GUM documents (``../shared/data/gum/``): text, gold entity mentions and coreference chains.

Each ``conllu/*.conllu.gz`` holds one document: tokens with ``SpaceAfter=No``, paragraphs as
``# newpar`` comments, and in the MISC column ``Entity=`` brackets ``(id-type-...`` and
``id)`` around each mention. The text is rebuilt with paragraphs separated by blank lines;
every mention gets its character span, entity id and entity type (person, organization,
place, abstract, object, event, time, substance, animal, plant). GUM is CC BY 4.0 (news and
interviews from Wikinews, CC BY 2.5); see the data folder's LICENSE-GUM.txt.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

_OPEN = re.compile(r"\((\d+)-([a-z]+)")
_CLOSE = re.compile(r"(\d+)\)")


@dataclass(frozen=True)
class GumMention:
    start: int
    end: int
    entity: int
    type: str


@dataclass
class GumDocument:
    name: str
    genre: str
    text: str
    mentions: list[GumMention] = field(default_factory=list)


def read_gum(path: str | Path) -> GumDocument:
    """One GUM CoNLL-U file (gzipped or not)."""
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    name = path.name.split(".")[0]
    genre = name.split("_")[1] if name.count("_") >= 2 else ""
    pieces: list[str] = []
    pos = 0
    open_at: dict[int, list[tuple[int, str]]] = {}
    mentions: list[GumMention] = []
    space = ""
    for line in lines:
        if line.startswith("# newpar") and not line.startswith("# newpar_block") and pieces:
            space = "\n\n"
            continue
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 10 or "-" in cols[0] or "." in cols[0]:
            continue  # multiword token ranges and empty nodes
        if pieces:
            pieces.append(space)
            pos += len(space)
        word = cols[1]
        start = pos
        pieces.append(word)
        pos += len(word)
        misc = dict(part.split("=", 1) for part in cols[9].split("|") if "=" in part)
        entity = misc.get("Entity", "")
        for m in _OPEN.finditer(entity):
            open_at.setdefault(int(m.group(1)), []).append((start, m.group(2)))
        # a mention opened and closed on one token is written "(id-type-...)"
        singles = re.findall(r"\((\d+)-[^()]*\)", entity)
        closes = _CLOSE.findall(re.sub(r"\((\d+)-[^()]*\)", "", entity))
        for ident in singles + closes:
            stack = open_at.get(int(ident))
            if stack:
                s, kind = stack.pop()
                mentions.append(GumMention(s, pos, int(ident), kind))
        space = "" if "SpaceAfter=No" in cols[9] else " "
    text = "".join(pieces)
    return GumDocument(name, genre, text, sorted(mentions, key=lambda m: (m.start, -m.end)))


def gum_documents(folder: str | Path, names: set[str] | None = None) -> list[GumDocument]:
    """Every GUM document under ``folder/conllu`` (only ``names`` when given), sorted by name."""
    paths = sorted(Path(folder, "conllu").glob("*.conllu*"))
    return [read_gum(p) for p in paths if names is None or p.name.split(".")[0] in names]


def gum_split(folder: str | Path, split: str) -> set[str]:
    """The document names of GUM's own ``split`` (``train``, ``dev``, ``test``) in splits.md."""
    names: set[str] = set()
    current = None
    for line in Path(folder, "splits.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip().startswith("* ") and current == split:
            names.add(line.strip()[2:].strip())
    return names
