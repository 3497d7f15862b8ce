"""The article's own sources: the outlets it says it is based on."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .lexicon import MEDIA_WORDS

_BASED_ON = re.compile(
    r"\b(?:based on|according to|citing|drawing on|compiled from)\s+(?:(?:the|a|an|news|media|wire|"
    r"press|earlier|several|multiple)\s+)*(?:reports?|reporting|coverage|information|accounts?|stories)"
    r"\s+(?:from|by|in|of)\s+(?P<list>[^.;:()\n]+)")
_REPORT_BY = re.compile(
    r"\b(?:an?|the)\s+(?P<name>(?:[A-Z][\w.&’'-]*\s+){1,4}?)(?:news\s+)?(?:report|reporting|"
    r"investigation|interview|analysis)\b")
_DATELINE = re.compile(r"(?m)^[A-Z][A-Z .,'-]{1,40}\((?P<name>[A-Z][\w .&]{1,30})\)\s*[-—–]")
_LIST_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)\s*")


def _clean(name: str) -> str:
    name = name.strip(" ,.’'\"")
    if name.lower().startswith("the "):
        name = name[4:]
    return name


def find_article_sources(doc: Doc, reporting_orgs: list[str] = ()) -> list[str]:
    """Outlets named as the article's basis, in order of first appearance.

    ``reporting_orgs`` are organisations that the extractor found reporting
    ("The New York Post reports that ..."); they count when named like an outlet.
    """
    text = doc.text
    ents = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    found: list[tuple[int, str]] = []
    for m in _BASED_ON.finditer(text):
        start = m.start("list")
        for part in _LIST_SPLIT.split(m.group("list")):
            part = _clean(part)
            if part[:1].isupper() and len(part.split()) <= 5:
                found.append((start + m.group("list").find(part), part))
    for m in _REPORT_BY.finditer(text):
        name = m.group("name").strip()
        s = m.start("name")
        if ents.get((s, s + len(name))) in ("ORG", "GPE", "PERSON", "NORP") and name.split()[0].lower() not in ("new",):
            found.append((s, _clean(name)))
    for m in _DATELINE.finditer(text):
        found.append((m.start("name"), _clean(m.group("name"))))
    for name in reporting_orgs:
        if any(w.lower() in MEDIA_WORDS for w in name.split()):
            found.append((text.find(name), _clean(name)))
    out: list[str] = []
    for _, name in sorted(found):
        if name and name.lower() not in (o.lower() for o in out):
            out.append(name)
    return out
