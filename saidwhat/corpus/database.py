"""The store's SQL schema, and opening a file as a store (created, checked, versioned).

Plain SQLite with FTS5 (external-content tables, created the way sqlite-utils writes them)
so Datasette and the ``sqlite3`` shell read it as it is. See ``docs/store.md``.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import StoreError, StoreVersionError
from ..schema import CIRCUMSTANCE_COLUMNS

#: bumped whenever the schema changes; stored in ``PRAGMA user_version`` and ``meta``
SCHEMA_VERSION = 4
STORE_FORMAT = "saidwhat-store"
#: how the text indexes read words: stems (tariffs → tariff), accents folded (é → e)
TEXT_TOKENIZER = "porter unicode61 remove_diacritics 2"
#: how the name index reads names: whole words, accents folded, for prefix queries
NAME_TOKENIZER = "unicode61 remove_diacritics 2"
#: statement ids per block in ``statement_blocks`` (2**BLOCK_BITS), the text search's date index
BLOCK_BITS = 12

#: the FTS5 indexes: (table, content table, columns, tokenizer)
TEXT_INDEXES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("statements_fts", "statements", ("content",), TEXT_TOKENIZER),
    ("articles_fts", "articles", ("title", "text"), TEXT_TOKENIZER),
    ("people_fts", "people", ("name", "aliases"), NAME_TOKENIZER),
)


def _external_fts(name: str, table: str, columns: tuple[str, ...], tokenizer: str) -> str:
    """An FTS5 index over ``columns`` of ``table`` (external content, rowid = ``id``, as
    sqlite-utils makes them, so Datasette finds it) and the triggers that keep it in sync."""
    cols = ", ".join(columns)
    new, old = (", ".join(f"{row}.{c}" for c in columns) for row in ("new", "old"))
    delete = f"INSERT INTO {name} ({name}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {name} (rowid, {cols}) VALUES (new.id, {new});"
    return f"""CREATE VIRTUAL TABLE {name} USING fts5({cols}, content="{table}", content_rowid="id",
    tokenize="{tokenizer}");
CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN
    {insert}
END;
CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN
    {delete}
END;
CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN
    {delete}
    {insert}
END;
"""


_TEXT_INDEX_SQL = "\n".join(_external_fts(*index) for index in TEXT_INDEXES)

#: version 4: when, to whom, on what occasion and in answer to whom (``schema.ROW_COLUMNS``)
_CIRCUMSTANCES = tuple(c.name for c in CIRCUMSTANCE_COLUMNS)
_CIRCUMSTANCE_COLUMNS = ",\n    ".join(f"{name} TEXT" for name in _CIRCUMSTANCES)
_CIRCUMSTANCE_INDEX = "CREATE INDEX statements_said_date ON statements(said_date) WHERE said_date IS NOT NULL;"

SCHEMA = f"""
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
    language TEXT,
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
    person_id INTEGER REFERENCES people(id),
    members TEXT NOT NULL DEFAULT '[]'
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
    outlet TEXT,
    resolution_mentions TEXT,
    resolution_confidence REAL,
    {_CIRCUMSTANCE_COLUMNS}
);
CREATE INDEX statements_article ON statements(article_id);
CREATE INDEX statements_person ON statements(person_id, published);
CREATE INDEX statements_speaker ON statements(speaker_id);
CREATE INDEX statements_quote ON statements(quote_id, person_id);
CREATE INDEX statements_published ON statements(published);
CREATE INDEX statements_outlet ON statements(outlet COLLATE NOCASE, published);
{_CIRCUMSTANCE_INDEX}

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

{_TEXT_INDEX_SQL}
INSERT INTO meta (key, value) VALUES ('format', '{STORE_FORMAT}');
INSERT INTO meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');
PRAGMA user_version = {SCHEMA_VERSION};
"""


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection to the store at ``path`` with its schema checked (and created when the
    file is new and ``readonly`` is false)."""
    try:
        if readonly:
            if not path.exists():
                raise StoreError(f"{path}: no such store")
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"{path}: cannot open store: {err}") from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        _open_schema(conn, path, readonly)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_schema(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: not an SQLite database ({err})") from None
    if version == 0:
        if readonly:
            raise StoreError(f"{path}: not a saidwhat store (no schema)")
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:  # nobody created it while we waited for the lock
                n = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if n:
                    raise StoreError(f"{path}: an SQLite database that is not a "
                                     "saidwhat store (it has tables but no store schema)")
                for stmt in _split_sql(SCHEMA):
                    conn.execute(stmt)
                version = SCHEMA_VERSION
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    try:
        fmt = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.DatabaseError:
        fmt = None
    if fmt is None or fmt[0] != STORE_FORMAT:
        raise StoreError(f"{path}: not a saidwhat store (user_version {version}, "
                         "no saidwhat meta table)")
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"{path}: store schema version {version} was written by a newer saidwhat; "
            f"this version reads schema version {SCHEMA_VERSION} — upgrade saidwhat")
    if version < SCHEMA_VERSION:
        if readonly:
            raise StoreVersionError(
                f"{path}: store schema version {version} is older than {SCHEMA_VERSION}; open it "
                "for writing once (any saidwhat ingest into it) to upgrade it")
        _upgrade(conn, version)
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


#: version 1 typed speakers by the tagger's labels; version 2 by what they are
_TYPES_V2 = {"PERSON": "person", "ORG": "organization", "GPE": "organization", "FAC": "organization",
             "NORP": "anonymous", "WORK_OF_ART": "document", "LAW": "document"}


def _upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older store up to :data:`SCHEMA_VERSION` in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == 1:
            conn.execute("ALTER TABLE articles ADD COLUMN language TEXT")
            conn.execute("ALTER TABLE speakers ADD COLUMN members TEXT NOT NULL DEFAULT '[]'")
            conn.execute("ALTER TABLE statements ADD COLUMN resolution_mentions TEXT")
            conn.execute("ALTER TABLE statements ADD COLUMN resolution_confidence REAL")
            for old, new in _TYPES_V2.items():
                conn.execute("UPDATE speakers SET type = ? WHERE type = ?", (new, old))
                conn.execute("UPDATE people SET type = ? WHERE type = ?", (new, old))
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
            conn.execute("PRAGMA user_version = 2")
        if conn.execute("PRAGMA user_version").fetchone()[0] == 2:
            _upgrade_text_indexes(conn)
            conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
            conn.execute("PRAGMA user_version = 3")
        if conn.execute("PRAGMA user_version").fetchone()[0] == 3:
            for name in _CIRCUMSTANCES:
                conn.execute(f"ALTER TABLE statements ADD COLUMN {name} TEXT")
            conn.execute(_CIRCUMSTANCE_INDEX)
            conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
            conn.execute("PRAGMA user_version = 4")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _upgrade_text_indexes(conn: sqlite3.Connection) -> None:
    """Version 3: the text indexes stem and fold accents, and names have an index of their own;
    every FTS table is made anew, as :data:`SCHEMA` has it, and filled from its content."""
    for name, table, columns, tokenizer in TEXT_INDEXES:
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        for event in ("ai", "ad", "au"):
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_{event}")
        for stmt in _split_sql(_external_fts(name, table, columns, tokenizer)):
            conn.execute(stmt)
        conn.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")


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
