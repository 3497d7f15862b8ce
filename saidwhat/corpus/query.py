"""What a search box accepts, turned into safe SQLite FTS5 queries and checked parameters.

The text query language (``docs/store.md``, the search page's help):

* ``tariff trade``: every word (words are stemmed, and accents do not matter: ``tariff``
  finds "tariffs", ``eleves`` finds "élevés");
* ``"trade war"``: the words together, in that order;
* ``nato OR trump``: either (``OR`` in capitals binds the words next to it);
* ``-nato``: not that word (or ``-"trade war"``: not that phrase);
* ``defen*``: any word that starts so.

Everything else, ``AND``, brackets, ``:`` or ``^`` included, is plain text: user input never
reaches FTS5 as syntax, so no query can fail or read another column.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..errors import QueryError
from ..schema import SPEAKER_TYPES, STATEMENT_KINDS

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN_CHAR = re.compile(r"[^\W_]")
#: opening and closing marks of a phrase
_PHRASE_MARKS = "\"“”„«»"
_PIECE = re.compile(rf"(-?)(?:[{_PHRASE_MARKS}]([^{_PHRASE_MARKS}]*)[{_PHRASE_MARKS}]?|([^\s{_PHRASE_MARKS}]+))")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
ORDERS = ("relevance", "date")


@dataclass
class TextQuery:
    """A parsed text query: ``groups`` must all match (each group: any of its terms), and
    none of ``excluded``. Terms are FTS5 strings (quoted phrases, maybe with ``*``)."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def fts(self) -> str | None:
        """The FTS5 MATCH expression; ``None`` when nothing in the query can match."""
        if not self.groups:
            return None
        expr = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in self.groups)
        if self.excluded:
            expr = f"({expr}) NOT ({' OR '.join(self.excluded)})"
        return expr


def _term(words: str, prefix: bool) -> str | None:
    """``words`` as an FTS5 phrase (``None`` if it has no letter or digit to match)."""
    if not _TOKEN_CHAR.search(words):
        return None
    return '"' + words.replace('"', '""') + '"' + ("*" if prefix else "")


def parse_text(text: str | None) -> TextQuery:
    """The query language of the module docstring, read leniently: an unclosed ``"`` runs to
    the end, a dangling ``OR`` is ignored, a piece without letters or digits is dropped."""
    query = TextQuery()
    if not text:
        return query
    join_next = False
    for m in _PIECE.finditer(_CONTROL.sub(" ", text)):
        negated, phrase, word = m.group(1) == "-", m.group(2), m.group(3)
        if word is not None and not negated and word == "OR":
            join_next = bool(query.groups)
            continue
        if word is not None and word == "AND" and not negated:
            continue
        if phrase is not None:
            term = _term(phrase, prefix=False)
        else:
            prefix = word.endswith("*") and len(word.rstrip("*")) > 0
            term = _term(word.rstrip("*") if prefix else word, prefix)
        if term is None:
            join_next = False
            continue
        if negated:
            query.excluded.append(term)
        elif join_next:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        join_next = False
    return query


def fts_query(text: str | None) -> str | None:
    """The FTS5 MATCH expression for ``text`` in the query language (``None``: nothing to match).
    :class:`QueryError` when it only excludes words: there is nothing to look for."""
    query = parse_text(text)
    if not query.groups and query.excluded:
        raise QueryError("the search only leaves words out (-word): give a word to look for too")
    return query.fts()


def prefix_query(text: str) -> str | None:
    """An FTS5 query where every word of ``text`` starts a word of the row (``Heg`` for
    "Hegseth"); ``None`` when ``text`` has no word."""
    words = [w for w in re.split(r"[^\w]+", _CONTROL.sub(" ", text)) if _TOKEN_CHAR.search(w)]
    return " ".join(f'"{w}"*' for w in words) if words else None


def like_pattern(words: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) that finds ``words`` anywhere, taken literally."""
    return "%" + words.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def date_bound(value: str | None, name: str) -> str | None:
    """A ``since`` / ``until`` as given when it is a date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
    (a year or a month means that whole period); None for nothing; :class:`QueryError` else."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    m = _DATE.fullmatch(value)
    try:
        if m is None:
            raise ValueError
        datetime.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise QueryError(f"{name} {value!r}: expected a date as YYYY-MM-DD, a month as YYYY-MM "
                         "or a year as YYYY") from None
    return value


def _choice(value: str | None, name: str, allowed: tuple[str, ...]) -> str | None:
    """``value`` (any case, spaces around) when it is one of ``allowed``; None for nothing;
    :class:`QueryError` naming the parameter and the choices else."""
    if value is None or not value.strip():
        return None
    value = value.strip().lower()
    if value not in allowed:
        raise QueryError(f"{name} {value!r}: expected one of {', '.join(allowed)}")
    return value


def statement_kind(value: str | None) -> str | None:
    """A statement ``kind`` filter checked against the schema's kinds."""
    return _choice(value, "kind", STATEMENT_KINDS)


def speaker_type(value: str | None) -> str | None:
    """A speaker ``type`` filter checked against the schema's types."""
    return _choice(value, "type", SPEAKER_TYPES)


def order_of(value: str | None) -> str:
    """``relevance`` (best match first; newest first without text) or ``date`` (newest first)."""
    return _choice(value, "order", ORDERS) or "relevance"
