"""Writing the store: one article in one transaction, with its people, quotes, variants and flags.

Candidates are looked up in SQLite by index; every decision (who is the same person, which
quotes are variants, what a flag says) is made by :mod:`.linking`, which the Spark link job
calls too.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..schema import ROW_COLUMNS, Article, ArticleRows, Statement, article_rows, sha256_text
from . import database, linking
from .linking import compact_json as _j


class ArticleWriter:
    """Adds articles to the store behind ``conn`` (opened for writing, autocommit mode)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def contains(self, url: str | None = None, text: str | None = None,
                 text_hash: str | None = None) -> bool:
        """Is this document stored already (by URL when given, else by text hash)?
        Lets an ingest skip extraction for documents a killed run had already stored."""
        if url:
            return self.conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone() \
                is not None
        if text_hash is None and text is not None:
            text_hash = sha256_text(text)
        if text_hash is None:
            return False
        return self.conn.execute("SELECT 1 FROM articles WHERE text_hash = ?",
                                 (text_hash,)).fetchone() is not None

    def add_article(self, article: Article, text_hash: str | None = None) -> int | None:
        """Store one article with all its links, in one transaction: the new article's id, or
        ``None`` when the document is stored already (see :meth:`Store.add_article`)."""
        rows = article_rows(article, text_hash)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.contains(url=article.url, text_hash=rows.article["text_hash"]):
                conn.execute("ROLLBACK")
                return None
            article_id = self._insert_article(article, rows)
            conn.execute("COMMIT")
            return article_id
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _insert(self, table: str, row: dict[str, Any], links: dict[str, Any],
                without: tuple[str, ...] = ()) -> int:
        """Insert one row of :data:`ROW_COLUMNS` (lists as JSON text) with the store's own
        ``links`` columns; ``without``: row columns the store keeps as a link instead."""
        values = {c.name: _j(row[c.name]) if c.type in ("spans", "texts") and row[c.name] is not None
                  else row[c.name] for c in ROW_COLUMNS[table] if c.name not in without}
        values.update(links)
        sql = f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
        return self.conn.execute(sql, tuple(values.values())).lastrowid

    def _insert_article(self, article: Article, rows: ArticleRows) -> int:
        conn = self.conn
        article_id = self._insert("articles", {**rows.article, "url": article.url or None}, {})
        person_of = self._link_people(article)
        speaker_ids: dict[str, int] = {}
        for row in rows.speakers:
            speaker_ids[row["sid"]] = self._insert(
                "speakers", row, {"article_id": article_id, "person_id": person_of.get(row["sid"])})
        statement_ids: dict[str, int] = {}
        for st, row in zip(article.statements, rows.statements):
            person_id = person_of.get(st.speaker) if st.speaker else None
            quote = self._link_quote(st, article)
            statement_id = self._insert("statements", row, {
                "article_id": article_id, "speaker_id": speaker_ids.get(st.speaker) if st.speaker else None,
                "person_id": person_id, "quote_id": quote[0] if quote else None,
                "published": article.published, "outlet": article.outlet}, without=("speaker",))
            statement_ids[st.id] = statement_id
            if quote is not None:
                quote_id, words, is_new = quote
                if is_new:
                    self._link_variants(quote_id, words, statement_id, article_id)
                if person_id is not None and len(words) >= linking.VARIANT_MIN_WORDS:
                    self._check_speaker_conflict(quote_id, person_id, statement_id, article_id)
        if statement_ids:  # the date range of each id block, for text search
            ids = statement_ids.values()
            for block in range(min(ids) >> database.BLOCK_BITS, (max(ids) >> database.BLOCK_BITS) + 1):
                conn.execute(
                    "INSERT INTO statement_blocks (block, min_published, max_published) "
                    "VALUES (?, ?, ?) ON CONFLICT (block) DO UPDATE SET "
                    "min_published = CASE WHEN excluded.min_published IS NULL THEN min_published "
                    "WHEN min_published IS NULL THEN excluded.min_published "
                    "ELSE min(min_published, excluded.min_published) END, "
                    "max_published = CASE WHEN excluded.max_published IS NULL THEN max_published "
                    "WHEN max_published IS NULL THEN excluded.max_published "
                    "ELSE max(max_published, excluded.max_published) END",
                    (block, article.published, article.published))
        for row in rows.flags:
            self._insert("flags", row, {
                "scope": "article", "article_id": article_id, "statement_id": None,
                "data": _j({"suggestion_speaker_id": speaker_ids.get(row["suggestion"])}
                           if row["suggestion"] else {})})
        return article_id

    def _link_people(self, article: Article) -> dict[str, int]:
        """Speaker id (``p1``) -> person id, creating / updating people rows."""
        conn = self.conn
        person_of: dict[str, int] = {}
        # full names first, so a bare surname sees every full name of this article
        order = sorted(range(len(article.speakers)),
                       key=lambda i: (linking.is_bare(article.speakers[i].name), i))
        for i in order:
            sp = article.speakers[i]
            key = linking.name_key(sp.name, sp.type)
            if not key or sp.type not in linking.LINKED_TYPES:
                continue
            sur = linking.surname(sp.name)
            if sp.type == "person":
                rows = conn.execute(
                    "SELECT id, name_key, type FROM people WHERE name_key = ? AND type = ? "
                    "UNION SELECT id, name_key, type FROM people WHERE surname = ? AND type = ?",
                    (key, sp.type, sur, sp.type)).fetchall()
            else:
                rows = conn.execute("SELECT id, name_key, type FROM people "
                                    "WHERE name_key = ? AND type = ?", (key, sp.type)).fetchall()
            action, pid = linking.match_person(sp.name, sp.type, [tuple(r) for r in rows])
            if action == "new":
                pid = conn.execute(
                    "INSERT INTO people (name, name_key, surname, type) VALUES (?, ?, ?, ?)",
                    (sp.name, key, sur, sp.type)).lastrowid
            elif action == "absorb":
                conn.execute("UPDATE people SET name = ?, name_key = ?, surname = ? WHERE id = ?",
                             (sp.name, key, sur, pid))
            person_of[sp.id] = pid
        # aggregate this article's contribution per person, in person id order
        counts: dict[int, int] = {}
        for st in article.statements:
            if st.speaker in person_of:
                counts[person_of[st.speaker]] = counts.get(person_of[st.speaker], 0) + 1
        for pid in sorted(set(person_of.values())):
            sps = [sp for sp in article.speakers if person_of.get(sp.id) == pid]
            row = conn.execute("SELECT titles, aliases, outlets, first_seen, last_seen, "
                               "n_statements, n_articles FROM people WHERE id = ?", (pid,)).fetchone()
            summary = linking.PersonSummary(
                json.loads(row["titles"]), json.loads(row["aliases"]), json.loads(row["outlets"]),
                row["first_seen"], row["last_seen"], row["n_statements"], row["n_articles"])
            summary.add_article([sp.name for sp in sps], [t for sp in sps for t in sp.titles],
                                article.outlet, article.published, counts.get(pid, 0))
            conn.execute(
                "UPDATE people SET titles = ?, aliases = ?, outlets = ?, first_seen = ?, "
                "last_seen = ?, n_statements = ?, n_articles = ? WHERE id = ?",
                (_j(summary.titles), _j(summary.aliases), _j(summary.outlets), summary.first_seen,
                 summary.last_seen, summary.n_statements, summary.n_articles, pid))
        return person_of

    def _link_quote(self, st: Statement, article: Article) -> tuple[int, list[str], bool] | None:
        """The quote row for a direct / mixed statement: ``(quote_id, words, is_new)``."""
        text = linking.quoted_text(st.kind, st.content.text)
        if text is None:
            return None
        words = linking.quote_words(text)
        if len(words) < linking.QUOTE_MIN_WORDS:
            return None
        norm = " ".join(words)
        conn = self.conn
        row = conn.execute("SELECT id, first_seen, last_seen FROM quotes WHERE norm = ?",
                           (norm,)).fetchone()
        pub = article.published
        if row is not None:
            first, last = row["first_seen"], row["last_seen"]
            if pub:
                first = min(first, pub) if first else pub
                last = max(last, pub) if last else pub
            conn.execute("UPDATE quotes SET n_occurrences = n_occurrences + 1, first_seen = ?, "
                         "last_seen = ? WHERE id = ?", (first, last, row["id"]))
            return row["id"], words, False
        quote_id = conn.execute(
            "INSERT INTO quotes (text, norm, n_words, n_occurrences, first_seen, last_seen) "
            "VALUES (?, ?, ?, 1, ?, ?)", (text, norm, len(words), pub, pub)).lastrowid
        return quote_id, words, True

    def _variant_candidates(self, words: list[str], hashes: list[int]) -> list[int]:
        """Earlier quotes that can be variants of ``words``: they share enough of its rarer
        word shingles (see :func:`linking.min_shared_shingles`), most shared first."""
        conn = self.conn
        df = dict(conn.execute("SELECT hash, n_quotes FROM shingles WHERE hash IN "
                               "(SELECT value FROM json_each(?))", (_j(hashes),)).fetchall())
        rare, slack = linking.variant_lookup(words, hashes, df)
        if not rare:
            return []
        lo, hi = linking.compatible_lengths(len(words))
        # the least any candidate needs (pick_variant_candidates checks each one exactly)
        least = max(1, linking.min_shared_shingles(len(words), lo) - slack)
        rows = conn.execute(
            "SELECT qs.quote_id, count(*) AS shared, q.n_words FROM quote_shingles qs "
            "JOIN quotes q ON q.id = qs.quote_id WHERE qs.hash IN (SELECT value FROM json_each(?)) "
            "AND q.n_words BETWEEN ? AND ? GROUP BY qs.quote_id HAVING shared >= ?",
            (_j(rare), lo, hi, least)).fetchall()
        return linking.pick_variant_candidates(len(words), slack, [tuple(r) for r in rows])

    def _link_variants(self, quote_id: int, words: list[str], statement_id: int,
                       article_id: int) -> None:
        """Link a new quote to near-identical earlier quotes and flag ``quote_altered``."""
        conn = self.conn
        if len(words) < linking.VARIANT_MIN_WORDS:
            return
        hashes = linking.shingles(words)
        cands = self._variant_candidates(words, hashes)
        if cands:
            marks = ",".join("?" * len(cands))
            rows = conn.execute(f"SELECT id, text, norm, n_words FROM quotes WHERE id IN ({marks}) "
                                "ORDER BY id", cands).fetchall()
            for row in rows:
                if not linking.length_compatible(row["n_words"], len(words)):
                    continue
                other = row["norm"].split(" ")
                sim = linking.is_variant(other, words)
                if sim is None:
                    continue
                diff = linking.word_diff(other, words)
                conn.execute("INSERT OR IGNORE INTO quote_variants (quote_id, variant_id, "
                             "similarity, diff) VALUES (?, ?, ?, ?)",
                             (row["id"], quote_id, round(sim, 4), _j(diff)))
                conn.execute("UPDATE quotes SET n_variants = n_variants + 1 WHERE id IN (?, ?)",
                             (row["id"], quote_id))
                first = self._first_occurrence(row["id"])
                here = conn.execute("SELECT a.outlet, a.published, q.text FROM statements s "
                                    "JOIN articles a ON a.id = s.article_id "
                                    "JOIN quotes q ON q.id = s.quote_id WHERE s.id = ?",
                                    (statement_id,)).fetchone()
                msg = linking.altered_message(first["outlet"] if first else None,
                                              first["published"] if first else None, row["text"],
                                              here["outlet"], here["published"], here["text"])
                conn.execute(
                    "INSERT OR IGNORE INTO flags (kind, scope, article_id, statement_id, quote_id, "
                    "quote2_id, message, data, key) VALUES ('quote_altered', 'corpus', ?, ?, ?, ?, "
                    "?, ?, ?)",
                    (article_id, statement_id, quote_id, row["id"], msg,
                     _j(linking.altered_data(row["id"], quote_id, first["id"] if first else None,
                                             round(sim, 4), diff)),
                     linking.altered_key(row["id"], quote_id)))
        conn.execute("INSERT INTO shingles (hash, n_quotes) SELECT value, 1 FROM json_each(?) "
                     "WHERE true ON CONFLICT (hash) DO UPDATE SET n_quotes = n_quotes + 1",
                     (_j(hashes),))
        conn.execute("INSERT OR IGNORE INTO quote_shingles (hash, quote_id) SELECT s.hash, ? "
                     "FROM shingles s WHERE s.hash IN (SELECT value FROM json_each(?)) "
                     "AND s.n_quotes <= ?", (quote_id, _j(hashes), linking.SHINGLE_MAX_QUOTES))

    def _first_occurrence(self, quote_id: int) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT s.id, a.outlet, a.published FROM statements s "
            "JOIN articles a ON a.id = s.article_id WHERE s.quote_id = ? ORDER BY s.id LIMIT 1",
            (quote_id,)).fetchone()

    def _related_quotes(self, quote_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT variant_id FROM quote_variants WHERE quote_id = ? "
            "UNION SELECT quote_id FROM quote_variants WHERE variant_id = ?",
            (quote_id, quote_id)).fetchall()
        return sorted({quote_id, *(r[0] for r in rows)})

    def _check_speaker_conflict(self, quote_id: int, person_id: int, statement_id: int,
                                article_id: int) -> None:
        """Flag ``speaker_conflict`` when this quote (or a variant) is credited to someone else."""
        conn = self.conn
        me = conn.execute("SELECT id, name, type FROM people WHERE id = ?", (person_id,)).fetchone()
        if me is None or me["type"] != "person":
            return
        related = self._related_quotes(quote_id)
        marks = ",".join("?" * len(related))
        rows = conn.execute(
            f"SELECT s.person_id AS pid, MIN(s.quote_id) AS qid, MIN(s.id) AS sid "
            f"FROM statements s WHERE s.quote_id IN ({marks}) AND s.person_id IS NOT NULL "
            f"AND s.person_id != ? GROUP BY s.person_id ORDER BY s.person_id",
            (*related, person_id)).fetchall()
        for r in rows:
            other = conn.execute("SELECT id, name, type FROM people WHERE id = ?",
                                 (r["pid"],)).fetchone()
            if other["type"] != "person" or linking.compatible_names(me["name"], other["name"]):
                continue
            there = conn.execute("SELECT a.outlet, a.published FROM statements s JOIN articles a "
                                 "ON a.id = s.article_id WHERE s.id = ?", (r["sid"],)).fetchone()
            here = conn.execute("SELECT outlet, published FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
            msg = linking.conflict_message(r["qid"] == quote_id, other["name"], _where(there),
                                           me["name"], _where(here))
            conn.execute(
                "INSERT OR IGNORE INTO flags (kind, scope, article_id, statement_id, quote_id, "
                "quote2_id, person_id, person2_id, message, data, key) "
                "VALUES ('speaker_conflict', 'corpus', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, statement_id, quote_id, r["qid"], person_id, other["id"], msg,
                 _j(linking.conflict_data(r["sid"], statement_id, other["id"], other["name"],
                                          me["id"], me["name"])),
                 linking.conflict_key(quote_id, r["qid"], person_id, other["id"])))

    def optimize(self) -> None:
        """Merge the FTS5 indexes into one segment each (faster text search after a big
        ingest; each article's commit otherwise leaves a small segment to be merged later).
        Changes only the FTS shadow tables; call it at the same points in two runs that
        should dump identically."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("INSERT INTO statements_fts (statements_fts) VALUES ('optimize')")
            self.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
            self.conn.execute("INSERT INTO people_fts (people_fts) VALUES ('optimize')")
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise


def _where(row: sqlite3.Row | None) -> str:
    return linking.where(row["outlet"], row["published"]) if row is not None else "an earlier article"
