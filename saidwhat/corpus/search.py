"""Searching statements: full text, speaker, outlet, kind and date, by the cheapest plan.

FTS5 finds the text (the query language is :mod:`.query`'s) and ranks it by BM25 for
relevance order; for date order (newest first) the order comes from the indexes on
``statements`` or, for common words, from ``statement_blocks`` (the date range of each block of
statement ids). Names are found by ``people_fts``: every word of the query starts a word of the
name, accents folded ("heg" and "schroder" find "Pete Hegseth" and "Gerhard Schröder").
"""
from __future__ import annotations

import heapq
import sqlite3
from typing import Any

from ..errors import QueryError
from . import database, linking
from .query import date_bound, fts_query, like_pattern, order_of, prefix_query, statement_kind

#: a text search with fewer FTS matches than this reads and sorts them all
FEW_MATCHES = 5000
#: matches are counted up to this many to choose a plan
MANY_MATCHES = 300_000
#: rough costs (microseconds): sorting one FTS match with its row, one FTS query,
#: reading one more match rowid
COST_SORT_US = 3.0
COST_PROBE_US = 40.0
COST_MATCH_US = 0.2


#: relevance order ranks a text search with at most this many FTS matches (BM25 reads every
#: match); one with more ("the", "said") is shown newest first, as ``order="date"``
RANK_MAX_MATCHES = 5000
#: a speaker query may name at most this many people (more: type more of the name)
MAX_SPEAKER_PEOPLE = 500
#: counts stop here ("more than 10,000")
COUNT_CAP = 10_000
#: what FTS5's highlight() puts around a matched word (private-use characters, not in news text)
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


def count_text(n: int, cap: int = COUNT_CAP) -> str:
    """A count as people read it: ``1,234``, or ``more than 10,000`` past the cap."""
    return f"more than {cap:,}" if n > cap else f"{n:,}"


def _until_key(until: str) -> str:
    """``until`` is inclusive: every timestamp that starts with it sorts at or below this."""
    return until + "\U0010ffff"


class _Filters:
    """The checked filters of one search as SQL conditions over ``statements s``."""

    def __init__(self, planner: SearchPlanner, text: str | None, speaker: str | None,
                 outlet: str | None, since: str | None, until: str | None, kind: str | None,
                 said_since: str | None = None, said_until: str | None = None, to: str | None = None) -> None:
        self.since, until = date_bound(since, "since"), date_bound(until, "until")
        said_since, said_until = date_bound(said_since, "said_since"), date_bound(said_until, "said_until")
        self.kind = statement_kind(kind)
        self.match = fts_query(text) if text is not None and text.strip() else None
        self.empty = text is not None and bool(text.strip()) and self.match is None
        self.conds: list[str] = []
        self.params: list[Any] = []
        self.person_ids: list[int] = []
        self.speaker_ids: list[int] = []
        if speaker is not None and speaker.strip():
            self.person_ids, self.speaker_ids = planner.speaker_ids(speaker)
            if not self.person_ids and not self.speaker_ids:
                self.empty = True
            alts = []
            for column, ids in (("person_id", self.person_ids), ("speaker_id", self.speaker_ids)):
                if ids:
                    alts.append(f"s.{column} IN ({','.join('?' * len(ids))})")
                    self.params.extend(ids)
            if alts:
                self.conds.append("(" + " OR ".join(alts) + ")")
        self.outlet = outlet.strip() if outlet and outlet.strip() else None
        if self.outlet:
            self.conds.append("s.outlet = ? COLLATE NOCASE")
            self.params.append(self.outlet)
        if self.kind:
            self.conds.append("s.kind = ?")
            self.params.append(self.kind)
        self.until_key = _until_key(until) if until else None
        self._date_range("published", self.since, self.until_key)
        # a statement dated only by a coarser period than asked for is left out
        self._date_range("said_date", said_since, _until_key(said_until) if said_until else None)
        if to is not None and to.strip():
            pattern = like_pattern(to)
            self.conds.append("(s.addressee LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM speakers sp WHERE "
                              "sp.article_id = s.article_id AND sp.sid = s.addressee_speaker "
                              "AND sp.name LIKE ? ESCAPE '\\'))")
            self.params += [pattern, pattern]

    def _date_range(self, column: str, since: str | None, until_key: str | None) -> None:
        """``column`` (a date as text) from ``since`` to ``until_key`` (:func:`_until_key`)."""
        if since:
            self.conds.append(f"s.{column} >= ?")
            self.params.append(since)
        if until_key:
            self.conds.append(f"s.{column} <= ?")
            self.params.append(until_key)

    @property
    def extra(self) -> str:
        return "".join(f"AND {c} " for c in self.conds)


class SearchPlanner:
    """Statement ids matching a search, in result order: by relevance (BM25, then newest) for
    a text search of up to :data:`RANK_MAX_MATCHES` matches unless ``order="date"``, else
    newest first (``published`` desc, then id desc, undated last)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def speaker_ids(self, speaker: str) -> tuple[list[int], list[int]]:
        """People and unlinked speakers a speaker query names: people whose name or an alias
        has words starting with every word of the query (accents and case folded), people with
        that normalised full name, and unlinked speakers with exactly that name."""
        person_ids: set[int] = set()
        for key, type_cond in ((linking.name_key(speaker, "person"), "type = 'person'"),
                               (linking.name_key(speaker, "organization"), "type != 'person'")):
            if key:
                person_ids.update(r[0] for r in self.conn.execute(
                    f"SELECT id FROM people WHERE name_key = ? AND {type_cond}", (key,)))
        match = prefix_query(speaker)
        if match is not None:
            person_ids.update(r[0] for r in self.conn.execute(
                "SELECT rowid FROM people_fts WHERE people_fts MATCH ? LIMIT ?",
                (match, MAX_SPEAKER_PEOPLE + 1)))
        if len(person_ids) > MAX_SPEAKER_PEOPLE:
            raise QueryError(f"speaker {speaker.strip()!r} names more than {MAX_SPEAKER_PEOPLE} "
                             "people: type more of the name")
        speaker_ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE AND person_id IS NULL",
            (speaker.strip(),))]
        return sorted(person_ids), sorted(speaker_ids)

    def statement_ids(self, text: str | None = None, speaker: str | None = None,
                      outlet: str | None = None, since: str | None = None, until: str | None = None,
                      kind: str | None = None, order: str | None = None,
                      limit: int = 50, offset: int = 0, said_since: str | None = None,
                      said_until: str | None = None, to: str | None = None) -> list[int]:
        """Ids of the statements matching every given filter, in result order.

        ``text``: the query language of :mod:`.query`; ``speaker``: see :meth:`speaker_ids`;
        ``outlet``: case-insensitive exact; ``since`` / ``until``: a day, month or year
        (``2025-01-31``, ``2025-01``, ``2025``) compared with ``published``, both inclusive
        (``until="2025-01"`` includes all of January); ``kind``: a statement kind; ``order``:
        ``relevance`` or ``date``; ``said_since`` / ``said_until``: the same for the date the
        statement was made (``said_date``); ``to``: part of the addressee's words or name, any
        case. Anything else is a :class:`~saidwhat.errors.QueryError`.
        """
        order = order_of(order)
        f = _Filters(self, text, speaker, outlet, since, until, kind, said_since, said_until, to)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if limit == 0 or f.empty:
            return []
        if f.match is None:
            return self._search_filters(f.conds, f.params, offset, limit, f.person_ids, f.speaker_ids)
        if self.order_used(text, order) == "relevance":
            return [r[0] for r in self.conn.execute(
                "SELECT s.id FROM statements_fts f CROSS JOIN statements s ON s.id = f.rowid "
                f"WHERE statements_fts MATCH ? {f.extra}ORDER BY f.rank, s.published DESC, s.id DESC "
                "LIMIT ? OFFSET ?", (f.match, *f.params, limit, offset))]
        return self._search_text(f.match, f.conds, f.params, offset, limit, f.person_ids,
                                 f.speaker_ids, f.outlet, f.since, f.until_key)

    def order_used(self, text: str | None, order: str | None) -> str:
        """The order a search is given in: ``relevance`` only for a text query with at most
        :data:`RANK_MAX_MATCHES` matches (ranking more would read them all), else ``date``."""
        match = fts_query(text) if text is not None and text.strip() else None
        if order_of(order) != "relevance" or match is None:
            return "date"
        n = self.conn.execute("SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE "
                              "statements_fts MATCH ? LIMIT ?)", (match, RANK_MAX_MATCHES + 1)).fetchone()[0]
        return "relevance" if n <= RANK_MAX_MATCHES else "date"

    def count(self, text: str | None = None, speaker: str | None = None, outlet: str | None = None,
              since: str | None = None, until: str | None = None, kind: str | None = None,
              cap: int = COUNT_CAP, said_since: str | None = None, said_until: str | None = None,
              to: str | None = None) -> int:
        """How many statements match (as :meth:`statement_ids`), counted up to ``cap + 1``: a
        result over ``cap`` means "more than ``cap``"."""
        f = _Filters(self, text, speaker, outlet, since, until, kind, said_since, said_until, to)
        if f.empty:
            return 0
        if f.match is None:
            where = f"WHERE {' AND '.join(f.conds)} " if f.conds else ""
            sql = f"SELECT count(*) FROM (SELECT 1 FROM statements s {where}LIMIT ?)"
            return self.conn.execute(sql, (*f.params, cap + 1)).fetchone()[0]
        sql = ("SELECT count(*) FROM (SELECT 1 FROM statements_fts f CROSS JOIN statements s "
               f"ON s.id = f.rowid WHERE statements_fts MATCH ? {f.extra}LIMIT ?)")
        return self.conn.execute(sql, (f.match, *f.params, cap + 1)).fetchone()[0]

    def matches(self, text: str | None, ids: list[int]) -> dict[int, list[list[int]]]:
        """Where ``text`` matches in the content of each of the statements ``ids``: character
        ``[start, end]`` offsets into the content, for highlighting."""
        match = fts_query(text) if text is not None and text.strip() else None
        if match is None or not ids:
            return {}
        out: dict[int, list[list[int]]] = {}
        marks = ",".join("?" * len(ids))
        for rowid, marked in self.conn.execute(
                f"SELECT rowid, highlight(statements_fts, 0, ?, ?) FROM statements_fts "
                f"WHERE statements_fts MATCH ? AND rowid IN ({marks})",
                (_MARK_OPEN, _MARK_CLOSE, match, *ids)):
            out[rowid] = _marked_spans(marked or "")
        return out

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its number of articles, most first (for a filter's list)."""
        return [{"outlet": r[0], "articles": r[1]} for r in self.conn.execute(
            "SELECT min(outlet), count(*) AS n FROM articles WHERE outlet IS NOT NULL AND outlet != '' "
            "GROUP BY outlet COLLATE NOCASE ORDER BY n DESC, min(outlet)")]

    _ORDER = "ORDER BY s.published DESC, s.id DESC"

    def _search_filters(self, conds: list[str], params: list[Any], offset: int, limit: int,
                        person_ids: list[int], speaker_ids: list[int]) -> list[int]:
        """No text: the indexes on statements give the order directly."""
        where = f"WHERE {' AND '.join(conds)} " if conds else ""
        if len(person_ids) + len(speaker_ids) > 1 and len(person_ids) + len(speaker_ids) <= 64:
            # one ordered index range per person, merged: no sort of all their statements
            rest = [c for c in conds if not c.startswith("(s.person_id") and
                    not c.startswith("(s.speaker_id")]
            rest_params = params[len(person_ids) + len(speaker_ids):]
            parts, part_params = [], []
            for col, ids in (("person_id", person_ids), ("speaker_id", speaker_ids)):
                for i in ids:
                    parts.append(f"SELECT * FROM (SELECT s.id, s.published FROM statements s "
                                 f"WHERE s.{col} = ? " + "".join(f"AND {c} " for c in rest)
                                 + f"{self._ORDER} LIMIT ?)")
                    part_params += [i, *rest_params, offset + limit]
            sql = ("SELECT DISTINCT id, published FROM (" + " UNION ALL ".join(parts) + ") "
                   "ORDER BY published DESC, id DESC LIMIT ? OFFSET ?")
            return [r[0] for r in self.conn.execute(sql, (*part_params, limit, offset))]
        sql = f"SELECT s.id FROM statements s {where}{self._ORDER} LIMIT ? OFFSET ?"
        return [r[0] for r in self.conn.execute(sql, (*params, limit, offset))]

    def _search_text(self, match: str, conds: list[str], params: list[Any], offset: int,
                     limit: int, person_ids: list[int], speaker_ids: list[int],
                     outlet: str | None, since: str | None, until_key: str | None) -> list[int]:
        """Text (and maybe filters), by the cheapest of three plans:

        * few matches: read them all from FTS5, filter, sort;
        * many matches, text (and dates) only: visit id blocks in order of their latest
          ``published`` (``statement_blocks``), stop once no block left can beat the results;
        * many matches and a speaker / outlet filter: walk that filter's index in result order
          and keep the rows FTS5 matches (checked a chunk at a time by rowid ranges), unless
          sorting all matches is cheaper.
        """
        conn = self.conn
        extra = "".join(f"AND {c} " for c in conds)
        n = conn.execute("SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE "
                         "statements_fts MATCH ? LIMIT ?)", (match, FEW_MATCHES)).fetchone()[0]
        sort_all = (f"SELECT s.id FROM statements_fts f CROSS JOIN statements s ON s.id = f.rowid "
                    f"WHERE statements_fts MATCH ? {extra}{self._ORDER} LIMIT ? OFFSET ?")
        if n < FEW_MATCHES:
            return [r[0] for r in conn.execute(sort_all, (match, *params, limit, offset))]
        if not (person_ids or speaker_ids or outlet):
            return self._search_text_by_blocks(match, extra, params, offset + limit, since,
                                               until_key)[offset:]
        n = conn.execute("SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE "
                         "statements_fts MATCH ? LIMIT ?)", (match, MANY_MATCHES)).fetchone()[0]
        total = max(1, conn.execute("SELECT max(id) FROM statements").fetchone()[0] or 1)
        allowed = self._filter_rows_estimate(person_ids, speaker_ids, outlet)
        density = n / total
        walk_rows = min(allowed, 2 * (offset + limit) / density)
        # a filter row costs a probe, or the matches between it and its neighbour
        per_row = min(COST_PROBE_US, total / max(1, allowed) * density * COST_MATCH_US + 1.0)
        if walk_rows * per_row < n * COST_SORT_US:
            return self._search_text_walk(match, conds, params, offset, limit, person_ids,
                                          speaker_ids, density)
        return [r[0] for r in conn.execute(sort_all, (match, *params, limit, offset))]

    def _filter_rows_estimate(self, person_ids: list[int], speaker_ids: list[int],
                              outlet: str | None) -> int:
        """At most about how many statements the speaker / outlet filters allow."""
        ests = []
        if person_ids or speaker_ids:
            n = 0
            if person_ids:
                marks = ",".join("?" * len(person_ids))
                n = self.conn.execute(f"SELECT coalesce(sum(n_statements), 0) FROM people "
                                      f"WHERE id IN ({marks})", person_ids).fetchone()[0]
            ests.append(n + 100 * len(speaker_ids))
        if outlet:
            ests.append(self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM statements WHERE outlet = ? COLLATE NOCASE "
                "LIMIT ?)", (outlet, MANY_MATCHES)).fetchone()[0])
        return min(ests)

    def _search_text_walk(self, match: str, conds: list[str], params: list[Any], offset: int,
                          limit: int, person_ids: list[int], speaker_ids: list[int],
                          density: float) -> list[int]:
        """Filter rows in result order, kept when FTS5 matches them."""
        found: list[int] = []
        pos, size = 0, 128
        # ids closer than this share one range query (reading the matches in between costs
        # less than another query)
        gap = int(max(16, COST_PROBE_US / COST_MATCH_US / max(density, 1e-9)))
        while len(found) < offset + limit:
            chunk = self._search_filters(conds, params, pos, size, person_ids, speaker_ids)
            if not chunk:
                break
            pos += len(chunk)
            hits = self._fts_hits(match, chunk, gap)
            found.extend(i for i in chunk if i in hits)
            size = min(size * 2, 4096)
        return found[offset:offset + limit]

    def _fts_hits(self, match: str, ids: list[int], gap: int) -> set[int]:
        """Which of ``ids`` FTS5 matches: one rowid-range query per run of close ids."""
        hits: set[int] = set()
        ordered = sorted(ids)
        start = 0
        for i in range(1, len(ordered) + 1):
            if i == len(ordered) or ordered[i] - ordered[i - 1] > gap:
                lo, hi = ordered[start], ordered[i - 1]
                hits.update(r[0] for r in self.conn.execute(
                    "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? "
                    "AND rowid >= ? AND rowid <= ?", (match, lo, hi)))
                start = i
        return hits

    def _search_text_by_blocks(self, match: str, extra: str, params: list[Any], k: int,
                               since: str | None, until_key: str | None) -> list[int]:
        """The best ``k`` matches, visiting statement id blocks by their latest date."""
        bounds = []
        for block, lo, hi in self.conn.execute(
                "SELECT block, min_published, max_published FROM statement_blocks"):
            if since and (hi is None or hi < since):
                continue
            if until_key and (lo is None or lo > until_key):
                continue
            top = min(hi, until_key) if (hi is not None and until_key) else hi
            bounds.append(((top is not None, top or "", ((block + 1) << database.BLOCK_BITS) - 1), block))
        bounds.sort(reverse=True)
        heap: list[tuple[bool, str, int]] = []
        sql = (f"SELECT s.id, s.published FROM statements_fts f CROSS JOIN statements s "
               f"ON s.id = f.rowid WHERE statements_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ? "
               f"{extra}")
        for bound, block in bounds:
            if len(heap) >= k and bound <= heap[0]:
                break
            first = block << database.BLOCK_BITS
            for sid, pub in self.conn.execute(sql, (match, first, first + (1 << database.BLOCK_BITS) - 1,
                                                    *params)):
                key = (pub is not None, pub or "", sid)
                if len(heap) < k:
                    heapq.heappush(heap, key)
                elif key > heap[0]:
                    heapq.heapreplace(heap, key)
        return [key[2] for key in sorted(heap, reverse=True)]


def _marked_spans(marked: str) -> list[list[int]]:
    """The ``[start, end]`` offsets of the marked runs of a highlight() string, in the string
    without its marks."""
    spans: list[list[int]] = []
    pos, start = 0, None
    for ch in marked:
        if ch == _MARK_OPEN:
            start = pos
        elif ch == _MARK_CLOSE:
            if start is not None:
                spans.append([start, pos])
            start = None
        else:
            pos += 1
    return spans
