"""The corpus store: articles, statements, people and quotes in one SQLite file.

``Store(path)`` opens (and creates) a store; :meth:`Store.add_article` ingests one extracted
:class:`~saidwhat.schema.Article` in one transaction, linking its speakers to people and its
quotes to quotes seen in other articles; the query methods return JSON-able dicts.
The work is split by concern: the schema and opening (:mod:`.database`), writing and linking
(:mod:`.writer`), the search planner (:mod:`.search`) and reading rows back (:mod:`.rows`);
this class is the one face of them all. See ``docs/store.md`` for the schema.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ReadOnlyError
from ..schema import Article
from .database import connect
from .rows import StoreReader
from .search import COUNT_CAP, SearchPlanner
from .writer import ArticleWriter


class Store:
    """An SQLite corpus store. ``Store(path)`` creates the file when needed;
    ``Store(path, readonly=True)`` opens an existing one with ``mode=ro``."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.conn = connect(self.path, readonly)
        self._writer = ArticleWriter(self.conn)
        self._planner = SearchPlanner(self.conn)
        self._reader = StoreReader(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"{self.path}: store opened read-only")

    # -------------------------------------------------------------- writing

    def contains(self, url: str | None = None, text: str | None = None,
                 text_hash: str | None = None) -> bool:
        """Is this document stored already (by URL when given, else by text or its hash)?
        Lets an ingest skip extraction for documents a killed run had already stored."""
        return self._writer.contains(url, text, text_hash)

    def add_article(self, article: Article, text_hash: str | None = None) -> int | None:
        """Store one article with all its links, in one transaction.

        Returns the new article's id, or ``None`` when the document is stored already
        (same URL; or, for an article without URL, the same text hash — sha256 of the
        text unless given). An article with a URL is a new document even when another
        article has the same text (syndicated copies are separate publications).
        """
        self._writable()
        return self._writer.add_article(article, text_hash)

    def optimize(self) -> None:
        """Merge the FTS5 indexes into one segment each (faster text search after a big
        ingest). Changes only the FTS shadow tables; call it at the same points in two runs
        that should dump identically."""
        self._writable()
        self._writer.optimize()

    # -------------------------------------------------------------- reading

    def search(self, text: str | None = None, speaker: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               kind: str | None = None, order: str | None = None,
               limit: int = 50, offset: int = 0, said_since: str | None = None,
               said_until: str | None = None, to: str | None = None) -> list[dict[str, Any]]:
        """Statements matching every given filter: best match first for a text search (BM25,
        then newest) of up to :data:`~.search.RANK_MAX_MATCHES` matches (:meth:`order_used`), else — or with
        ``order="date"`` — newest first (``published`` desc, then id desc; undated last).

        ``text``: words, ``"phrases"``, ``a OR b``, ``-word``, ``prefix*`` (stemmed, accents
        folded; see :mod:`saidwhat.corpus.query`; any string is safe); ``speaker``: a name, or
        the start of each of its words, accents and case folded ("heg", "schroder"; one word
        finds everyone with that surname); ``outlet``: case-insensitive exact (see
        :meth:`outlets`); ``since`` / ``until``: a day, month or year (``2025-01-31``,
        ``2025-01``, ``2025``) compared with ``published``, both inclusive (``until="2025-01"``
        includes all of January); ``kind``: one of ``saidwhat.schema.STATEMENT_KINDS``;
        ``said_since`` / ``said_until``: the same for the date the statement was made (where the
        text says it); ``to``: part of its addressee's words or name ("reporters", "cnn");
        anything else is a :class:`~saidwhat.errors.QueryError`. With ``text`` each result has
        ``matches``: ``[start, end]`` offsets of the matched words in its content.
        """
        ids = self._planner.statement_ids(text, speaker, outlet, since, until, kind, order, limit, offset,
                                          said_since=said_since, said_until=said_until, to=to)
        rows = self._reader.statements_by_ids(ids)
        if text is not None and text.strip():
            spans = self._planner.matches(text, ids)
            for row in rows:
                row["matches"] = spans.get(row["id"], [])
        return rows

    def order_used(self, text: str | None = None, order: str | None = None) -> str:
        """The order :meth:`search` gives ``text`` in: ``relevance`` for a text query of up to
        :data:`~.search.RANK_MAX_MATCHES` matches (more would all have to be ranked), else ``date``."""
        return self._planner.order_used(text, order)

    def count(self, text: str | None = None, speaker: str | None = None, outlet: str | None = None,
              since: str | None = None, until: str | None = None, kind: str | None = None,
              cap: int = COUNT_CAP, said_since: str | None = None, said_until: str | None = None,
              to: str | None = None) -> int:
        """How many statements :meth:`search` finds, counted up to ``cap + 1`` (a count over
        ``cap`` means "more than ``cap``")."""
        return self._planner.count(text, speaker, outlet, since, until, kind, cap,
                                   said_since=said_since, said_until=said_until, to=to)

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its number of articles, most first."""
        return self._planner.outlets()

    def search_articles(self, text: str, limit: int = 50, offset: int = 0, outlet: str | None = None,
                        language: str | None = None) -> list[dict[str, Any]]:
        """Articles whose title or text match ``text`` (the query language of :meth:`search`),
        best first; ``outlet`` and ``language`` as in :meth:`articles`."""
        return self._reader.search_articles(text, limit, offset, outlet, language)

    def people(self, limit: int = 50, offset: int = 0, query: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        """People (and organisations, by ``type``), most statements first;
        ``query`` matches a part of the name or of an alias, case-insensitive."""
        return self._reader.people(limit, offset, query, type)

    def person(self, id: int, limit: int = 100, offset: int = 0) -> dict[str, Any] | None:
        """One person with their statements over time (oldest first), a per-day timeline (by
        publication date), the flags that concern them and their ``top_quotes`` (the ten quotes
        of theirs that ran most often)."""
        return self._reader.person(id, limit, offset)

    def quotes(self, variants: bool = False, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes, most occurrences first; ``variants=True``: only quotes that have variants."""
        return self._reader.quotes(variants, limit, offset)

    def quote(self, id: int, limit: int = 200) -> dict[str, Any] | None:
        """One quote: its occurrences (outlet, date, URL, speaker), variants with word diffs
        (from this quote's words to the variant's), and the flags that concern it."""
        return self._reader.quote(id, limit)

    def article(self, id: int) -> dict[str, Any] | None:
        """The schema's article dict (``Article.to_dict(with_text=True)``) plus database ids:
        ``db_id`` on the article, its statements and speakers, ``person_id`` / ``quote_id``
        links, and ``corpus_flags`` (flags raised across articles about this one)."""
        return self._reader.article(id)

    def articles(self, limit: int = 50, offset: int = 0, outlet: str | None = None,
                 language: str | None = None) -> list[dict[str, Any]]:
        """Article summaries (with their numbers of statements and flags), newest first
        (undated last); ``outlet`` case-insensitive, ``language`` an ISO 639-1 code."""
        return self._reader.articles(limit, offset, outlet, language)

    def languages(self) -> list[dict[str, Any]]:
        """The languages of the stored articles with their numbers of articles, most first."""
        return self._reader.languages()

    def iter_articles(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every stored article as :meth:`article` returns it, in id order (for export)."""
        return self._reader.iter_articles(batch)

    def flags(self, kind: str | None = None, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        """Article flags and corpus flags (``quote_altered``, ``speaker_conflict``), in order."""
        return self._reader.flags(kind, limit, offset)

    def stats(self) -> dict[str, Any]:
        """Counts of everything, for ``saidwhat stats`` and dashboards."""
        return self._reader.stats()
