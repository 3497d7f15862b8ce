"""Checks over one article: things a careful editor would query."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..schema import Flag, Speaker, Statement

_WORD = re.compile(r"[A-Za-z][\w’'-]+")


def _lemmaish(word: str) -> str:
    """A crude stem so 'Unrealistic' meets 'realistic' and 'joining' meets 'join'."""
    w = word.lower().strip("’'")
    for prefix in ("un", "non", "in"):
        if w.startswith(prefix) and len(w) > len(prefix) + 4:
            w = w[len(prefix):]
            break
    for suffix in ("ship", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) > len(suffix) + 3:
            return w[: -len(suffix)]
    return w


def _bag(text: str) -> set[str]:
    return {_lemmaish(w) for w in _WORD.findall(text) if len(w) > 2}


def headline_speaker_check(text: str, headline_end: int, statements: list[Statement],
                           speakers: list[Speaker]) -> list[Flag]:
    """Flag a headline that credits a name the body never mentions; suggest the likely speaker."""
    flags = []
    body = text[headline_end:]
    body_words = {w.lower() for w in _WORD.findall(body)}
    by_id = {s.id: s for s in speakers}
    for st in statements:
        if st.kind != "headline" or st.source is None:
            continue
        name_words = [w for w in _WORD.findall(st.source.text) if w[:1].isupper()]
        if not name_words or any(w.lower() in body_words for w in name_words):
            continue
        candidates = [s for s in speakers if s.id != st.speaker and s.type == "person"
                      and any(m[0] >= headline_end for m in s.mentions)]
        said = {s.id: " ".join(o.content.text for o in statements
                               if o.speaker == s.id and o.kind != "headline") for s in candidates}
        headline_bag = _bag(st.content.text)
        best, best_score = None, 0.0
        for sp in candidates:
            name_sim = max(SequenceMatcher(None, st.source.text.lower(), part.lower()).ratio()
                           for part in [sp.name] + sp.name.split())
            words = _bag(said[sp.id])
            content_sim = len(headline_bag & words) / max(1, len(headline_bag))
            share = sum(1 for o in statements if o.speaker == sp.id) / max(1, len(statements))
            score = name_sim + content_sim + 0.5 * share
            if score > best_score:
                best, best_score = sp, score
        src = by_id.get(st.speaker)
        name = src.name if src else st.source.text
        msg = f"The headline attributes a statement to “{name}”, who is not mentioned in the body"
        if best is not None:
            msg += f"; the body's statements suggest {best.name}"
        flags.append(Flag(kind="headline_speaker_not_in_body", message=msg,
                          spans=list(st.source.spans), suggestion=best.id if best else None))
    return flags
