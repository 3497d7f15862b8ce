"""Searching statements: filters by speaker, outlet and date, and full text, by the cheapest plan.

FTS5 finds the text; the order (newest first) comes from the indexes on ``statements`` or,
for common words, from ``statement_blocks`` (the date range of each block of statement ids).
"""
from __future__ import annotations

import heapq
import re
import sqlite3
from typing import Any

from . import database, linking

_TOKEN_CHAR = re.compile(r"[^\W_]")
#: a text search with fewer FTS matches than this reads and sorts them all
FEW_MATCHES = 5000
#: matches are counted up to this many to choose a plan
MANY_MATCHES = 300_000
#: rough costs (microseconds): sorting one FTS match with its row, one FTS query,
#: reading one more match rowid
COST_SORT_US = 3.0
COST_PROBE_US = 40.0
COST_MATCH_US = 0.2


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for free user input: every whitespace-separated piece
    becomes a quoted phrase (so ``AND``, ``*``, ``"``, ``:``, ``-`` are plain text) and all
    pieces must match. ``None`` when nothing in ``text`` can match (no letters/digits)."""
    parts = ['"' + p.replace('"', '""') + '"' for p in text.split() if _TOKEN_CHAR.search(p)]
    return " ".join(parts) if parts else None


def _until_key(until: str) -> str:
    """``until`` is inclusive: every timestamp that starts with it sorts at or below this."""
    return until + "\U0010ffff"


class SearchPlanner:
    """Statement ids matching a search, in result order (``published`` desc, then id desc)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _speaker_ids(self, speaker: str) -> tuple[list[int], list[int]]:
        """People and unlinked speakers a speaker query names: the full normalised name,
        or — for a one-word query — every person with that surname (case-insensitive)."""
        person_ids: set[int] = set()
        for key, type_cond in ((linking.name_key(speaker, "person"), "type = 'person'"),
                               (linking.name_key(speaker, "organization"), "type != 'person'")):
            if key:
                person_ids.update(r[0] for r in self.conn.execute(
                    f"SELECT id FROM people WHERE name_key = ? AND {type_cond}", (key,)))
        if linking.is_bare(speaker) and linking.surname(speaker):
            person_ids.update(r[0] for r in self.conn.execute(
                "SELECT id FROM people WHERE surname = ? AND type = 'person'",
                (linking.surname(speaker),)))
        speaker_ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE AND person_id IS NULL",
            (speaker.strip(),))]
        return sorted(person_ids), sorted(speaker_ids)

    def statement_ids(self, text: str | None = None, speaker: str | None = None,
                      outlet: str | None = None, since: str | None = None, until: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[int]:
        """Ids of the statements matching every given filter, newest first (``published``
        desc, then id desc; undated last).

        ``text``: all words (FTS5 over statement content; any string is safe);
        ``speaker``: a person's or speaker's name, case-insensitive (a one-word name matches
        every person with that surname); ``outlet``: case-insensitive exact; ``since`` /
        ``until``: ISO dates or timestamps compared with ``published``, both inclusive
        (``until="2025-01-31"`` includes that whole day).
        """
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if limit == 0:
            return []
        conds: list[str] = []
        params: list[Any] = []
        person_ids: list[int] = []
        speaker_ids: list[int] = []
        if speaker is not None and speaker.strip():
            person_ids, speaker_ids = self._speaker_ids(speaker)
            if not person_ids and not speaker_ids:
                return []
            alts = []
            if person_ids:
                alts.append(f"s.person_id IN ({','.join('?' * len(person_ids))})")
                params.extend(person_ids)
            if speaker_ids:
                alts.append(f"s.speaker_id IN ({','.join('?' * len(speaker_ids))})")
                params.extend(speaker_ids)
            conds.append("(" + " OR ".join(alts) + ")")
        outlet = outlet.strip() if outlet and outlet.strip() else None
        if outlet:
            conds.append("s.outlet = ? COLLATE NOCASE")
            params.append(outlet)
        until_key = _until_key(until) if until else None
        if since:
            conds.append("s.published >= ?")
            params.append(since)
        if until_key:
            conds.append("s.published <= ?")
            params.append(until_key)
        if text is not None and text.strip():
            match = fts_query(text)
            if match is None:
                return []
            ids = self._search_text(match, conds, params, offset, limit, person_ids, speaker_ids,
                                    outlet, since, until_key)
        else:
            ids = self._search_filters(conds, params, offset, limit, person_ids, speaker_ids)
        return ids

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
