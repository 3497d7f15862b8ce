"""Reading the store back: rows as the JSON-able dicts the CLI, the web app and the API show."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..schema import ROW_COLUMNS, ArticleRows, article_from_rows
from . import linking
from .query import fts_query, like_pattern, prefix_query, speaker_type


class StoreReader:
    """Queries over the store behind ``conn``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    _STATEMENT_COLUMNS = (
        "s.id, s.sid, s.article_id, s.kind, s.content, s.content_spans, s.cue, s.cue_spans, "
        "s.source, s.source_spans, s.confidence, s.speaker_id, s.person_id, s.quote_id, "
        "s.published, s.outlet, a.doc_id, a.url, a.title, sp.sid AS speaker_sid, "
        "sp.name AS speaker_name, sp.type AS speaker_type, p.name AS person_name, "
        "s.time, s.time_spans, s.said_date, s.addressee, s.addressee_spans, s.addressee_speaker, "
        "s.setting, s.setting_spans, s.setting_kind, s.responds_to, "
        "ad.name AS addressee_name, rt.name AS responds_to_name")

    _STATEMENT_JOINS = ("JOIN articles a ON a.id = s.article_id "
                        "LEFT JOIN speakers sp ON sp.id = s.speaker_id "
                        "LEFT JOIN people p ON p.id = s.person_id "
                        "LEFT JOIN speakers ad ON ad.article_id = s.article_id AND ad.sid = s.addressee_speaker "
                        "LEFT JOIN speakers rt ON rt.article_id = s.article_id AND rt.sid = s.responds_to")

    def statements_by_ids(self, ids: list[int]) -> list[dict[str, Any]]:
        """The statements ``ids``, in that order, as search results show them (with article,
        speaker and person)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self.conn.execute(
            f"SELECT {self._STATEMENT_COLUMNS} FROM statements s {self._STATEMENT_JOINS} "
            f"WHERE s.id IN ({marks})", ids)}
        return [_statement_dict(rows[i]) for i in ids if i in rows]

    def search_articles(self, text: str, limit: int = 50, offset: int = 0, outlet: str | None = None,
                        language: str | None = None) -> list[dict[str, Any]]:
        """See :meth:`.store.Store.search_articles`."""
        match = fts_query(text or "")
        if match is None:
            return []
        where, params = _article_filters(outlet, language)
        rows = self.conn.execute(
            f"SELECT {self._ARTICLE_COLUMNS} "
            "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
            f"WHERE articles_fts MATCH ? {''.join(f'AND {w} ' for w in where)}"
            "ORDER BY f.rank, a.id LIMIT ? OFFSET ?",
            (match, *params, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [dict(r) for r in rows]

    def people(self, limit: int = 50, offset: int = 0, query: str | None = None,
               type: str | None = None) -> list[dict[str, Any]]:
        """See :meth:`.store.Store.people`."""
        where, params = [], []
        if query and query.strip():
            like = like_pattern(query)
            alts = ["name LIKE ? ESCAPE '\\'", "aliases LIKE ? ESCAPE '\\'"]
            params += [like, like]
            match = prefix_query(query)
            if match is not None:  # the start of each word, accents folded
                alts.append("id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)")
                params.append(match)
            where.append("(" + " OR ".join(alts) + ")")
        type = speaker_type(type)
        if type:
            where.append("type = ?")
            params.append(type)
        rows = self.conn.execute(
            "SELECT * FROM people " + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY n_statements DESC, id LIMIT ? OFFSET ?",
            (*params, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [_person_dict(r) for r in rows]

    def person(self, id: int, limit: int = 100, offset: int = 0) -> dict[str, Any] | None:
        """See :meth:`.store.Store.person`."""
        row = self.conn.execute("SELECT * FROM people WHERE id = ?", (id,)).fetchone()
        if row is None:
            return None
        out = _person_dict(row)
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM statements WHERE person_id = ? ORDER BY published, id LIMIT ? OFFSET ?",
            (id, max(0, int(limit)), max(0, int(offset))))]
        out["statements"] = self.statements_by_ids(ids)
        # by the day each statement was made; where the text does not give the day, the day
        # the article was published (``published``: true)
        out["timeline"] = [{"date": r[0], "statements": r[2], "published": bool(r[1])} for r in self.conn.execute(
            "SELECT CASE WHEN length(said_date) = 10 THEN said_date ELSE substr(published, 1, 10) END AS day, "
            "length(said_date) IS NOT 10 AS by_published, count(*) FROM statements "
            "WHERE person_id = ? GROUP BY day, by_published ORDER BY day, by_published", (id,))]
        out["flags"] = self._flags_where("person_id = ? OR person2_id = ?", (id, id), limit)
        out["top_quotes"] = [_quote_dict(r) for r in self.conn.execute(
            "SELECT * FROM quotes WHERE id IN (SELECT quote_id FROM statements WHERE person_id = ? "
            "AND quote_id IS NOT NULL) ORDER BY n_occurrences DESC, id LIMIT 10", (id,))]
        return out

    def quotes(self, variants: bool = False, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """See :meth:`.store.Store.quotes`."""
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
        """See :meth:`.store.Store.quote`."""
        row = self.conn.execute("SELECT * FROM quotes WHERE id = ?", (id,)).fetchone()
        if row is None:
            return None
        out = _quote_dict(row)
        out["people"] = self._quote_people(id)
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM statements WHERE quote_id = ? ORDER BY published, id LIMIT ?", (id, int(limit)))]
        out["occurrences"] = self.statements_by_ids(ids)
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
        """See :meth:`.store.Store.article`."""
        a = self.conn.execute("SELECT * FROM articles WHERE id = ?", (id,)).fetchone()
        if a is None:
            return None
        speakers = self.conn.execute("SELECT * FROM speakers WHERE article_id = ? ORDER BY id",
                                     (id,)).fetchall()
        statements = self.conn.execute("SELECT * FROM statements WHERE article_id = ? ORDER BY id",
                                       (id,)).fetchall()
        flags = self.conn.execute("SELECT * FROM flags WHERE article_id = ? AND scope = 'article' "
                                  "ORDER BY id", (id,)).fetchall()
        sids = {sp["id"]: sp["sid"] for sp in speakers}
        art = article_from_rows(ArticleRows(
            article=_row_values(a, "articles"),
            statements=[_row_values(s, "statements", speaker=sids.get(s["speaker_id"]))
                        for s in statements],
            speakers=[_row_values(sp, "speakers") for sp in speakers],
            flags=[_row_values(f, "flags") for f in flags]))
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

    _ARTICLE_COLUMNS = ("a.id, a.doc_id, a.url, a.title, a.published, a.outlet, a.language, "
                        "a.n_statements, (SELECT count(*) FROM flags f WHERE f.article_id = a.id) AS n_flags")

    def articles(self, limit: int = 50, offset: int = 0, outlet: str | None = None,
                 language: str | None = None) -> list[dict[str, Any]]:
        """See :meth:`.store.Store.articles`."""
        where, params = _article_filters(outlet, language)
        rows = self.conn.execute(
            f"SELECT {self._ARTICLE_COLUMNS} FROM articles a "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (*params, max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [dict(r) for r in rows]

    def languages(self) -> list[dict[str, Any]]:
        """See :meth:`.store.Store.languages`."""
        return [{"language": r[0], "articles": r[1]} for r in self.conn.execute(
            "SELECT language, count(*) AS n FROM articles WHERE language IS NOT NULL "
            "GROUP BY language ORDER BY n DESC, language")]

    def iter_articles(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """See :meth:`.store.Store.iter_articles`."""
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
        """See :meth:`.store.Store.flags`."""
        if kind:
            rows = self.conn.execute("SELECT * FROM flags WHERE kind = ? ORDER BY id LIMIT ? OFFSET ?",
                                     (kind, max(0, int(limit)), max(0, int(offset)))).fetchall()
        else:
            rows = self.conn.execute("SELECT * FROM flags ORDER BY id LIMIT ? OFFSET ?",
                                     (max(0, int(limit)), max(0, int(offset)))).fetchall()
        return [_flag_dict(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        """See :meth:`.store.Store.stats`."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "schema_version": self.conn.execute("PRAGMA user_version").fetchone()[0],
            "articles": one("SELECT count(*) FROM articles"),
            "statements": one("SELECT count(*) FROM statements"),
            "speakers": one("SELECT count(*) FROM speakers"),
            "people": one("SELECT count(*) FROM people WHERE type = 'person'"),
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


def _article_filters(outlet: str | None, language: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions over ``articles a`` for an outlet (any case) and a language code."""
    where: list[str] = []
    params: list[Any] = []
    if outlet and outlet.strip():
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(outlet.strip())
    if language and language.strip():
        where.append("a.language = ?")
        params.append(language.strip().lower())
    return where, params


def _spans(value: str | None) -> list[list[int]] | None:
    return json.loads(value) if value is not None else None


def _row_values(row: sqlite3.Row, table: str, **given: Any) -> dict[str, Any]:
    """The :data:`ROW_COLUMNS` values of a store row (JSON lists decoded); ``given``: the
    values of columns the store keeps another way (a statement's speaker is a link)."""
    out: dict[str, Any] = {}
    for c in ROW_COLUMNS[table]:
        if c.name in given:
            out[c.name] = given[c.name]
        else:
            value = row[c.name]
            out[c.name] = json.loads(value) if value is not None and c.type in ("spans", "texts") else value
    return out


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
        "time": ({"text": r["time"], "spans": _spans(r["time_spans"]), "date": r["said_date"]}
                 if r["time_spans"] else None),
        "addressee": ({"text": r["addressee"], "spans": _spans(r["addressee_spans"]),
                       "speaker": r["addressee_speaker"], "name": r["addressee_name"]}
                      if r["addressee_spans"] else None),
        "setting": ({"text": r["setting"], "spans": _spans(r["setting_spans"]), "kind": r["setting_kind"]}
                    if r["setting_spans"] else None),
        "responds_to": ({"sid": r["responds_to"], "name": r["responds_to_name"]}
                        if r["responds_to"] else None),
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
