"""The corpus store: articles, statements, people and quotes in one SQLite file.

``Store(path)`` opens (and creates) a store; ``add_article`` ingests one extracted
:class:`~saidwhat.schema.Article` in one transaction, linking its speakers to people and
its quotes to quotes seen in other articles; the query methods return JSON-able dicts.
The file is plain SQLite with FTS5 (external-content tables, created the way sqlite-utils
writes them) so Datasette and the ``sqlite3`` shell read it as it is.
See ``docs/store.md`` for the schema.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import linking
from .linking import compact_json as _j
from .schema import Article, Flag, Speaker, Statement, TextSpans

#: bumped whenever the schema changes; stored in ``PRAGMA user_version`` and ``meta``
SCHEMA_VERSION = 1
STORE_FORMAT = "saidwhat-store"


class StoreError(Exception):
    """A store that cannot be opened or written as asked."""


class StoreVersionError(StoreError):
    """A store written by a newer (or incompatible) version of saidwhat."""


class ReadOnlyError(StoreError):
    """A write to a store opened with ``readonly=True``."""


# ------------------------------------------------------------------ schema

_SCHEMA = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    doc_id TEXT,
    url TEXT,
    text_hash TEXT NOT NULL,
    title TEXT,
    published TEXT,
    outlet TEXT,
    text TEXT NOT NULL,
    article_sources TEXT NOT NULL DEFAULT '[]',
    n_statements INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX articles_url ON articles(url);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE, published);
CREATE INDEX articles_doc_id ON articles(doc_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    surname TEXT NOT NULL,
    type TEXT NOT NULL,
    titles TEXT NOT NULL DEFAULT '[]',
    aliases TEXT NOT NULL DEFAULT '[]',
    outlets TEXT NOT NULL DEFAULT '[]',
    first_seen TEXT,
    last_seen TEXT,
    n_statements INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_name_key ON people(name_key, type);
CREATE INDEX people_surname ON people(surname, type);
CREATE INDEX people_rank ON people(n_statements DESC);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    sid TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    titles TEXT NOT NULL DEFAULT '[]',
    mentions TEXT NOT NULL DEFAULT '[]',
    person_id INTEGER REFERENCES people(id)
);
CREATE INDEX speakers_article ON speakers(article_id);
CREATE INDEX speakers_person ON speakers(person_id);
CREATE INDEX speakers_unlinked_name ON speakers(name COLLATE NOCASE) WHERE person_id IS NULL;

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE,
    n_words INTEGER NOT NULL,
    n_occurrences INTEGER NOT NULL DEFAULT 0,
    n_variants INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT
);
CREATE INDEX quotes_rank ON quotes(n_occurrences DESC);
CREATE INDEX quotes_with_variants ON quotes(n_occurrences DESC) WHERE n_variants > 0;

CREATE TABLE quote_variants (
    quote_id INTEGER NOT NULL REFERENCES quotes(id),
    variant_id INTEGER NOT NULL REFERENCES quotes(id),
    similarity REAL NOT NULL,
    diff TEXT NOT NULL,
    PRIMARY KEY (quote_id, variant_id)
);
CREATE INDEX quote_variants_variant ON quote_variants(variant_id);

CREATE TABLE shingles (
    hash INTEGER PRIMARY KEY,
    n_quotes INTEGER NOT NULL
);
CREATE TABLE quote_shingles (
    hash INTEGER NOT NULL,
    quote_id INTEGER NOT NULL REFERENCES quotes(id),
    PRIMARY KEY (hash, quote_id)
) WITHOUT ROWID;

CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    sid TEXT NOT NULL,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    content_spans TEXT NOT NULL,
    cue TEXT,
    cue_spans TEXT,
    source TEXT,
    source_spans TEXT,
    confidence REAL NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id),
    person_id INTEGER REFERENCES people(id),
    quote_id INTEGER REFERENCES quotes(id),
    published TEXT,
    outlet TEXT
);
CREATE INDEX statements_article ON statements(article_id);
CREATE INDEX statements_person ON statements(person_id, published);
CREATE INDEX statements_speaker ON statements(speaker_id);
CREATE INDEX statements_quote ON statements(quote_id, person_id);
CREATE INDEX statements_published ON statements(published);
CREATE INDEX statements_outlet ON statements(outlet COLLATE NOCASE, published);

CREATE TABLE statement_blocks (
    block INTEGER PRIMARY KEY,
    min_published TEXT,
    max_published TEXT
);

CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id),
    statement_id INTEGER REFERENCES statements(id),
    quote_id INTEGER REFERENCES quotes(id),
    quote2_id INTEGER REFERENCES quotes(id),
    person_id INTEGER REFERENCES people(id),
    person2_id INTEGER REFERENCES people(id),
    message TEXT NOT NULL,
    spans TEXT NOT NULL DEFAULT '[]',
    suggestion TEXT,
    data TEXT NOT NULL DEFAULT '{{}}',
    key TEXT UNIQUE
);
CREATE INDEX flags_kind ON flags(kind);
CREATE INDEX flags_article ON flags(article_id);
CREATE INDEX flags_quote ON flags(quote_id);
CREATE INDEX flags_quote2 ON flags(quote2_id);
CREATE INDEX flags_person ON flags(person_id);
CREATE INDEX flags_person2 ON flags(person2_id);

CREATE VIRTUAL TABLE statements_fts USING fts5(content, content="statements", content_rowid="id");
CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER statements_au AFTER UPDATE OF content ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO statements_fts (rowid, content) VALUES (new.id, new.content);
END;

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content="articles", content_rowid="id");
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

INSERT INTO meta (key, value) VALUES ('format', '{STORE_FORMAT}');
INSERT INTO meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');
PRAGMA user_version = {SCHEMA_VERSION};
"""

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
#: statement ids per block in ``statement_blocks`` (2**BLOCK_BITS)
BLOCK_BITS = 12


def _spans(value: str | None) -> list[list[int]] | None:
    return json.loads(value) if value is not None else None


def sha256_text(text: str) -> str:
    """The sha256 (hex) of an article text, as stored in ``articles.text_hash``."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for free user input: every whitespace-separated piece
    becomes a quoted phrase (so ``AND``, ``*``, ``"``, ``:``, ``-`` are plain text) and all
    pieces must match. ``None`` when nothing in ``text`` can match (no letters/digits)."""
    parts = ['"' + p.replace('"', '""') + '"' for p in text.split() if _TOKEN_CHAR.search(p)]
    return " ".join(parts) if parts else None


def _until_key(until: str) -> str:
    """``until`` is inclusive: every timestamp that starts with it sorts at or below this."""
    return until + "\U0010ffff"


class Store:
    """An SQLite corpus store. ``Store(path)`` creates the file when needed;
    ``Store(path, readonly=True)`` opens an existing one with ``mode=ro``."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such store")
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                self.conn = sqlite3.connect(str(self.path), isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open store: {err}") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self._open_schema()
        except BaseException:
            self.conn.close()
            raise

    # -------------------------------------------------------------- opening

    def _open_schema(self) -> None:
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not an SQLite database ({err})") from None
        if version == 0:
            if self.readonly:
                raise StoreError(f"{self.path}: not a saidwhat store (no schema)")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:  # nobody created it while we waited for the lock
                    n = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                    if n:
                        raise StoreError(f"{self.path}: an SQLite database that is not a "
                                         "saidwhat store (it has tables but no store schema)")
                    for stmt in _split_sql(_SCHEMA):
                        self.conn.execute(stmt)
                    version = SCHEMA_VERSION
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        try:
            fmt = self.conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            fmt = None
        if fmt is None or fmt[0] != STORE_FORMAT:
            raise StoreError(f"{self.path}: not a saidwhat store (user_version {version}, "
                             "no saidwhat meta table)")
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path}: store schema version {version} was written by a newer saidwhat; "
                f"this version reads schema version {SCHEMA_VERSION} — upgrade saidwhat")
        if version < SCHEMA_VERSION:  # no older versions exist yet
            raise StoreVersionError(
                f"{self.path}: store schema version {version} is older than {SCHEMA_VERSION} "
                "and cannot be upgraded; re-ingest into a new store")
        if not self.readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -------------------------------------------------------------- writing

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
        """Store one article with all its links, in one transaction.

        Returns the new article's id, or ``None`` when the document is stored already
        (same URL; or, for an article without URL, the same text hash — sha256 of the
        text unless given). An article with a URL is a new document even when another
        article has the same text (syndicated copies are separate publications).
        """
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: store opened read-only")
        if text_hash is None:
            text_hash = sha256_text(article.text)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if article.url:
                dup = conn.execute("SELECT 1 FROM articles WHERE url = ?", (article.url,)).fetchone()
            else:
                dup = conn.execute("SELECT 1 FROM articles WHERE text_hash = ?",
                                   (text_hash,)).fetchone()
            if dup is not None:
                conn.execute("ROLLBACK")
                return None
            article_id = self._insert_article(article, text_hash)
            conn.execute("COMMIT")
            return article_id
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _insert_article(self, article: Article, text_hash: str) -> int:
        conn = self.conn
        cur = conn.execute(
            "INSERT INTO articles (doc_id, url, text_hash, title, published, outlet, text, "
            "article_sources, n_statements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.url or None, text_hash, article.title, article.published,
             article.outlet, article.text, _j(list(article.article_sources)),
             len(article.statements)))
        article_id = cur.lastrowid
        person_of = self._link_people(article)
        speaker_ids: dict[str, int] = {}
        for sp in article.speakers:
            cur = conn.execute(
                "INSERT INTO speakers (article_id, sid, name, type, titles, mentions, person_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article_id, sp.id, sp.name, sp.type, _j(list(sp.titles)),
                 _j([list(m) for m in sp.mentions]), person_of.get(sp.id)))
            speaker_ids[sp.id] = cur.lastrowid
        statement_ids: dict[str, int] = {}
        for st in article.statements:
            person_id = person_of.get(st.speaker) if st.speaker else None
            quote = self._link_quote(st, article)
            cur = conn.execute(
                "INSERT INTO statements (article_id, sid, kind, content, content_spans, cue, "
                "cue_spans, source, source_spans, confidence, speaker_id, person_id, quote_id, "
                "published, outlet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, st.id, st.kind, st.content.text, _j([list(s) for s in st.content.spans]),
                 st.cue.text if st.cue else None,
                 _j([list(s) for s in st.cue.spans]) if st.cue else None,
                 st.source.text if st.source else None,
                 _j([list(s) for s in st.source.spans]) if st.source else None,
                 float(st.confidence), speaker_ids.get(st.speaker) if st.speaker else None,
                 person_id, quote[0] if quote else None, article.published, article.outlet))
            statement_id = cur.lastrowid
            statement_ids[st.id] = statement_id
            if quote is not None:
                quote_id, words, is_new = quote
                if is_new:
                    self._link_variants(quote_id, words, statement_id, article_id)
                if person_id is not None and len(words) >= linking.VARIANT_MIN_WORDS:
                    self._check_speaker_conflict(quote_id, person_id, statement_id, article_id)
        if statement_ids:  # the date range of each id block, for text search
            ids = statement_ids.values()
            for block in range(min(ids) >> BLOCK_BITS, (max(ids) >> BLOCK_BITS) + 1):
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
        for fl in article.flags:
            conn.execute(
                "INSERT INTO flags (kind, scope, article_id, statement_id, message, spans, "
                "suggestion, data) VALUES (?, 'article', ?, NULL, ?, ?, ?, ?)",
                (fl.kind, article_id, fl.message, _j([list(s) for s in fl.spans]), fl.suggestion,
                 _j({"suggestion_speaker_id": speaker_ids.get(fl.suggestion)}
                    if fl.suggestion else {})))
        return article_id

    # .............................................................. people

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
            if not key:
                continue
            sur = linking.surname(sp.name)
            if sp.type == "PERSON":
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

    # .............................................................. quotes

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
                msg = linking.altered_message(_where(first), row["text"], _where(here), here["text"])
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
        if me is None or me["type"] != "PERSON":
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
            if other["type"] != "PERSON" or linking.compatible_names(me["name"], other["name"]):
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
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: store opened read-only")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("INSERT INTO statements_fts (statements_fts) VALUES ('optimize')")
            self.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # -------------------------------------------------------------- reading

    _STATEMENT_COLUMNS = (
        "s.id, s.sid, s.article_id, s.kind, s.content, s.content_spans, s.cue, s.cue_spans, "
        "s.source, s.source_spans, s.confidence, s.speaker_id, s.person_id, s.quote_id, "
        "s.published, s.outlet, a.doc_id, a.url, a.title, sp.sid AS speaker_sid, "
        "sp.name AS speaker_name, sp.type AS speaker_type, p.name AS person_name")
    _STATEMENT_JOINS = ("JOIN articles a ON a.id = s.article_id "
                        "LEFT JOIN speakers sp ON sp.id = s.speaker_id "
                        "LEFT JOIN people p ON p.id = s.person_id")

    def _statements_by_ids(self, ids: list[int], order: str) -> list[dict[str, Any]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT {self._STATEMENT_COLUMNS} FROM statements s {self._STATEMENT_JOINS} "
            f"WHERE s.id IN ({marks}) ORDER BY {order}", ids).fetchall()
        return [_statement_dict(r) for r in rows]

    def _speaker_ids(self, speaker: str) -> tuple[list[int], list[int]]:
        """People and unlinked speakers a speaker query names: the full normalised name,
        or — for a one-word query — every person with that surname (case-insensitive)."""
        person_ids: set[int] = set()
        for key, type_cond in ((linking.name_key(speaker, "PERSON"), "type = 'PERSON'"),
                               (linking.name_key(speaker, "ORG"), "type != 'PERSON'")):
            if key:
                person_ids.update(r[0] for r in self.conn.execute(
                    f"SELECT id FROM people WHERE name_key = ? AND {type_cond}", (key,)))
        if linking.is_bare(speaker) and linking.surname(speaker):
            person_ids.update(r[0] for r in self.conn.execute(
                "SELECT id FROM people WHERE surname = ? AND type = 'PERSON'",
                (linking.surname(speaker),)))
        speaker_ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE AND person_id IS NULL",
            (speaker.strip(),))]
        return sorted(person_ids), sorted(speaker_ids)

    def search(self, text: str | None = None, speaker: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Statements matching every given filter, newest first (``published`` desc, then id
        desc; undated last).

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
        return self._statements_by_ids(ids, "s.published DESC, s.id DESC")

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
            bounds.append(((top is not None, top or "", ((block + 1) << BLOCK_BITS) - 1), block))
        bounds.sort(reverse=True)
        heap: list[tuple[bool, str, int]] = []
        sql = (f"SELECT s.id, s.published FROM statements_fts f CROSS JOIN statements s "
               f"ON s.id = f.rowid WHERE statements_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ? "
               f"{extra}")
        for bound, block in bounds:
            if len(heap) >= k and bound <= heap[0]:
                break
            first = block << BLOCK_BITS
            for sid, pub in self.conn.execute(sql, (match, first, first + (1 << BLOCK_BITS) - 1,
                                                    *params)):
                key = (pub is not None, pub or "", sid)
                if len(heap) < k:
                    heapq.heappush(heap, key)
                elif key > heap[0]:
                    heapq.heapreplace(heap, key)
        return [key[2] for key in sorted(heap, reverse=True)]

    def search_articles(self, text: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Articles whose title or text has all the words of ``text`` (FTS5, best first)."""
        match = fts_query(text or "")
        if match is None:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.doc_id, a.url, a.title, a.published, a.outlet, a.n_statements "
            "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY f.rank, a.id LIMIT ? OFFSET ?",
            (match, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [dict(r) for r in rows]

    def people(self, limit: int = 50, offset: int = 0, query: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        """People (and ORG / GPE / NORP speakers, by ``type``), most statements first;
        ``query`` matches a part of the name or of an alias, case-insensitive."""
        where, params = [], []
        if query:
            like = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\')")
            params += [like, like]
        if type:
            where.append("type = ?")
            params.append(type)
        rows = self.conn.execute(
            "SELECT * FROM people " + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY n_statements DESC, id LIMIT ? OFFSET ?",
            (*params, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [_person_dict(r) for r in rows]

    def person(self, id: int, limit: int = 100, offset: int = 0) -> dict[str, Any] | None:
        """One person with their statements over time (oldest first) and a per-day timeline."""
        row = self.conn.execute("SELECT * FROM people WHERE id = ?", (id,)).fetchone()
        if row is None:
            return None
        out = _person_dict(row)
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM statements WHERE person_id = ? ORDER BY published, id LIMIT ? OFFSET ?",
            (id, max(0, int(limit)), max(0, int(offset))))]
        out["statements"] = self._statements_by_ids(ids, "s.published, s.id")
        out["timeline"] = [{"date": r[0], "statements": r[1]} for r in self.conn.execute(
            "SELECT substr(published, 1, 10) AS day, count(*) FROM statements "
            "WHERE person_id = ? GROUP BY day ORDER BY day", (id,))]
        out["flags"] = self._flags_where("person_id = ? OR person2_id = ?", (id, id), limit)
        return out

    def quotes(self, variants: bool = False, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes, most occurrences first; ``variants=True``: only quotes that have variants."""
        where = "WHERE n_variants > 0 " if variants else ""
        rows = self.conn.execute(
            f"SELECT * FROM quotes {where}ORDER BY n_occurrences DESC, id LIMIT ? OFFSET ?",
            (max(0, int(limit)), max(0, int(offset)))).fetchall()
        out = []
        for r in rows:
            d = _quote_dict(r)
            d["people"] = self._quote_people(r["id"])
            out.append(d)
        return out

    def _quote_people(self, quote_id: int) -> list[dict[str, Any]]:
        return [{"id": p[0], "name": p[1]} for p in self.conn.execute(
            "SELECT p.id, p.name FROM (SELECT DISTINCT person_id FROM statements "
            "WHERE quote_id = ? AND person_id IS NOT NULL) x JOIN people p ON p.id = x.person_id "
            "ORDER BY p.id", (quote_id,))]

    def quote(self, id: int, limit: int = 200) -> dict[str, Any] | None:
        """One quote: its occurrences (outlet, date, URL, speaker), variants with word diffs
        (from this quote's words to the variant's), and the flags that concern it."""
        row = self.conn.execute("SELECT * FROM quotes WHERE id = ?", (id,)).fetchone()
        if row is None:
            return None
        out = _quote_dict(row)
        out["people"] = self._quote_people(id)
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM statements WHERE quote_id = ? ORDER BY id LIMIT ?", (id, int(limit)))]
        out["occurrences"] = self._statements_by_ids(ids, "s.published, s.id")
        variants = []
        for v in self.conn.execute(
                "SELECT q.*, v.similarity, v.diff, 0 AS inverse FROM quote_variants v "
                "JOIN quotes q ON q.id = v.variant_id WHERE v.quote_id = ? "
                "UNION ALL SELECT q.*, v.similarity, v.diff, 1 AS inverse FROM quote_variants v "
                "JOIN quotes q ON q.id = v.quote_id WHERE v.variant_id = ? ORDER BY id", (id, id)):
            d = _quote_dict(v)
            diff = json.loads(v["diff"])
            d["similarity"] = v["similarity"]
            d["diff"] = linking.invert_diff(diff) if v["inverse"] else diff
            variants.append(d)
        out["variants"] = variants
        out["flags"] = self._flags_where("quote_id = ? OR quote2_id = ?", (id, id), limit)
        return out

    def article(self, id: int) -> dict[str, Any] | None:
        """The schema's article dict (``Article.to_dict(with_text=True)``) plus database ids:
        ``db_id`` on the article, its statements and speakers, ``person_id`` / ``quote_id``
        links, and ``corpus_flags`` (flags raised across articles about this one)."""
        a = self.conn.execute("SELECT * FROM articles WHERE id = ?", (id,)).fetchone()
        if a is None:
            return None
        speakers = self.conn.execute("SELECT * FROM speakers WHERE article_id = ? ORDER BY id",
                                     (id,)).fetchall()
        statements = self.conn.execute("SELECT * FROM statements WHERE article_id = ? ORDER BY id",
                                       (id,)).fetchall()
        flags = self.conn.execute("SELECT * FROM flags WHERE article_id = ? AND scope = 'article' "
                                  "ORDER BY id", (id,)).fetchall()
        art = Article(
            id=a["doc_id"], text=a["text"], title=a["title"], url=a["url"],
            published=a["published"], outlet=a["outlet"],
            statements=[Statement(
                id=s["sid"], kind=s["kind"],
                content=TextSpans(s["content"], [tuple(x) for x in json.loads(s["content_spans"])]),
                cue=TextSpans(s["cue"], [tuple(x) for x in json.loads(s["cue_spans"])])
                if s["cue_spans"] is not None else None,
                source=TextSpans(s["source"], [tuple(x) for x in json.loads(s["source_spans"])])
                if s["source_spans"] is not None else None,
                speaker=_sid_of(speakers, s["speaker_id"]), confidence=s["confidence"])
                for s in statements],
            speakers=[Speaker(sp["sid"], sp["name"], sp["type"], json.loads(sp["titles"]),
                              [tuple(m) for m in json.loads(sp["mentions"])]) for sp in speakers],
            article_sources=json.loads(a["article_sources"]),
            flags=[Flag(f["kind"], f["message"], [tuple(x) for x in json.loads(f["spans"])],
                        f["suggestion"]) for f in flags])
        out = art.to_dict(with_text=True)
        out["db_id"] = a["id"]
        out["text_hash"] = a["text_hash"]
        for d, s in zip(out["statements"], statements):
            d.update(db_id=s["id"], person_id=s["person_id"], quote_id=s["quote_id"])
        for d, sp in zip(out["speakers"], speakers):
            d.update(db_id=sp["id"], person_id=sp["person_id"])
        for d, f in zip(out["flags"], flags):
            d["db_id"] = f["id"]
        out["corpus_flags"] = self._flags_where("article_id = ? AND scope = 'corpus'", (id,))
        return out

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Article summaries in id (ingest) order."""
        rows = self.conn.execute(
            "SELECT id, doc_id, url, title, published, outlet, n_statements FROM articles "
            "ORDER BY id LIMIT ? OFFSET ?", (max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [dict(r) for r in rows]

    def iter_articles(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every stored article as :meth:`article` returns it, in id order (for export)."""
        last = 0
        while True:
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch))]
            if not ids:
                return
            for i in ids:
                art = self.article(i)
                if art is not None:
                    yield art
            last = ids[-1]

    def _flags_where(self, cond: str, params: tuple, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.conn.execute(f"SELECT * FROM flags WHERE {cond} ORDER BY id LIMIT ?",
                                 (*params, max(0, int(limit)))).fetchall()
        return [_flag_dict(r) for r in rows]

    def flags(self, kind: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        """Article flags and corpus flags (``quote_altered``, ``speaker_conflict``), in order."""
        if kind:
            rows = self.conn.execute("SELECT * FROM flags WHERE kind = ? ORDER BY id LIMIT ? OFFSET ?",
                                     (kind, max(0, int(limit)), max(0, int(offset)))).fetchall()
        else:
            rows = self.conn.execute("SELECT * FROM flags ORDER BY id LIMIT ? OFFSET ?",
                                     (max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [_flag_dict(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Counts of everything, for ``saidwhat stats`` and dashboards."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "schema_version": self.schema_version,
            "articles": one("SELECT count(*) FROM articles"),
            "statements": one("SELECT count(*) FROM statements"),
            "speakers": one("SELECT count(*) FROM speakers"),
            "people": one("SELECT count(*) FROM people WHERE type = 'PERSON'"),
            "entities": {r[0]: r[1] for r in self.conn.execute(
                "SELECT type, count(*) FROM people GROUP BY type ORDER BY type")},
            "quotes": one("SELECT count(*) FROM quotes"),
            "quote_occurrences": one("SELECT coalesce(sum(n_occurrences), 0) FROM quotes"),
            "quote_variants": one("SELECT count(*) FROM quote_variants"),
            "flags": {r[0]: r[1] for r in self.conn.execute(
                "SELECT kind, count(*) FROM flags GROUP BY kind ORDER BY kind")},
            "outlets": one("SELECT count(DISTINCT outlet COLLATE NOCASE) FROM articles"),
            "first_published": one("SELECT min(published) FROM articles"),
            "last_published": one("SELECT max(published) FROM articles"),
        }


# ------------------------------------------------------------------ helpers

def _split_sql(script: str) -> list[str]:
    """The statements of a script (triggers kept whole), for execution one by one."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def _where(row: sqlite3.Row | None) -> str:
    return linking.where(row["outlet"], row["published"]) if row is not None else "an earlier article"


def _sid_of(speakers: list[sqlite3.Row], speaker_id: int | None) -> str | None:
    if speaker_id is None:
        return None
    return next((sp["sid"] for sp in speakers if sp["id"] == speaker_id), None)


def _statement_dict(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"],
        "sid": r["sid"],
        "article_id": r["article_id"],
        "doc_id": r["doc_id"],
        "kind": r["kind"],
        "content": {"text": r["content"], "spans": _spans(r["content_spans"])},
        "cue": {"text": r["cue"], "spans": _spans(r["cue_spans"])} if r["cue_spans"] else None,
        "source": ({"text": r["source"], "spans": _spans(r["source_spans"])}
                   if r["source_spans"] else None),
        "speaker": ({"id": r["speaker_id"], "sid": r["speaker_sid"], "name": r["speaker_name"],
                     "type": r["speaker_type"]} if r["speaker_id"] is not None else None),
        "person": ({"id": r["person_id"], "name": r["person_name"]}
                   if r["person_id"] is not None else None),
        "quote_id": r["quote_id"],
        "confidence": round(r["confidence"], 3),
        "published": r["published"],
        "outlet": r["outlet"],
        "url": r["url"],
        "title": r["title"],
    }


def _person_dict(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"], "name": r["name"], "type": r["type"],
        "titles": json.loads(r["titles"]), "aliases": json.loads(r["aliases"]),
        "outlets": json.loads(r["outlets"]), "first_seen": r["first_seen"],
        "last_seen": r["last_seen"], "n_statements": r["n_statements"],
        "n_articles": r["n_articles"],
    }


def _quote_dict(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"], "text": r["text"], "norm": r["norm"], "n_words": r["n_words"],
        "n_occurrences": r["n_occurrences"], "n_variants": r["n_variants"],
        "first_seen": r["first_seen"], "last_seen": r["last_seen"],
    }


def _flag_dict(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"], "kind": r["kind"], "scope": r["scope"], "message": r["message"],
        "article_id": r["article_id"], "statement_id": r["statement_id"],
        "quote_id": r["quote_id"], "quote2_id": r["quote2_id"],
        "person_id": r["person_id"], "person2_id": r["person2_id"],
        "spans": json.loads(r["spans"]), "suggestion": r["suggestion"],
        "data": json.loads(r["data"]),
    }
