"""The output schema: one source of truth for the CLI, the store, the API and Spark.

Two views of one article: the objects (:class:`Article` with its :class:`Statement`,
:class:`Speaker` and :class:`Flag` records, ``to_dict`` for JSON) and the rows of the
tables that hold articles (:data:`ROW_COLUMNS`, :func:`article_rows`,
:func:`article_from_rows`), which the SQLite store, the Spark job's Parquet tables
(:data:`PARQUET_COLUMNS`) and ``ingest --from-parquet`` all use.

Offsets are Python ``str`` indices into the article text exactly as read.
"""
from __future__ import annotations

import hashlib
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

SpanList = list[tuple[int, int]]


def _doc(text: str, *, values: Sequence[str] | None = None, omitted: bool = False, **default: Any) -> Any:
    """A field with its documentation (for docs/output.md and the JSON Schema): ``values`` it
    may take, ``omitted`` when ``to_dict`` leaves it out where it has nothing to say."""
    return field(metadata={"doc": text, "values": values, "omitted": omitted}, **default)

STATEMENT_KINDS = ("direct", "indirect", "mixed", "headline", "belief", "according_to")
SPEAKER_TYPES = ("person", "organization", "group", "document", "anonymous")
SETTING_KINDS = ("interview", "speech", "statement", "press conference", "hearing", "debate", "rally",
                 "social media post", "letter", "op-ed", "report", "broadcast", "other")


@dataclass
class TextSpans:
    """A piece of an article given by one or more character spans (split quotes have several)."""

    text: str = _doc("the characters of the spans, joined by \" … \" where there are several")
    spans: SpanList = _doc("``[start, end]`` character offsets into the article text, sorted")

    @classmethod
    def from_spans(cls, article_text: str, spans: SpanList) -> "TextSpans":
        spans = sorted(spans)
        return cls(" … ".join(article_text[s:e] for s, e in spans), spans)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": [list(s) for s in self.spans]}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "TextSpans | None":
        if d is None:
            return None
        return cls(d["text"], [tuple(s) for s in d["spans"]])


class _SpansWith(TextSpans):
    """Spans with one more field (``EXTRA``), kept next to ``text`` and ``spans`` in JSON."""

    EXTRA: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), self.EXTRA: getattr(self, self.EXTRA)}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Any:
        if d is None:
            return None
        extra = {cls.EXTRA: d[cls.EXTRA]} if d.get(cls.EXTRA) is not None else {}
        return cls(d["text"], [tuple(s) for s in d["spans"]], **extra)


@dataclass
class Time(_SpansWith):
    """When a statement was made, as the text says it ("on Wednesday", "last week")."""

    EXTRA: ClassVar[str] = "date"
    date: str | None = _doc("the date those words mean, read against the publication date: ``YYYY-MM-DD``, "
                            "or ``YYYY-MM`` / ``YYYY`` when that is all they allow; null when they fix no "
                            "period or the article has no publication date", default=None)


@dataclass
class Addressee(_SpansWith):
    """Whom a statement was made to ("told *reporters*", "in an interview with *CNN*")."""

    EXTRA: ClassVar[str] = "speaker"
    speaker: str | None = _doc("the id of the speaker (in ``speakers``) the addressee is, when the article "
                               "names it", default=None)


@dataclass
class Setting(_SpansWith):
    """The occasion or channel of a statement ("in a statement", "at a rally in Ohio", "on Twitter")."""

    EXTRA: ClassVar[str] = "kind"
    kind: str = _doc("what kind of occasion", values=SETTING_KINDS, default="other")


@dataclass
class Statement:
    """One thing the article attributes to someone."""

    id: str = _doc("``s1``, ``s2`` … in the order of the text")
    kind: str = _doc("how it is reported: a direct quote, reported speech, a partial quote inside reported "
                     "speech (mixed), the headline, a belief or intention, or \"according to\"",
                     values=STATEMENT_KINDS)
    content: TextSpans = _doc("what was said")
    cue: TextSpans | None = _doc("the words that attribute it (\"said\", \"told reporters\", \"according to\")")
    source: TextSpans | None = _doc("the mention of who said it in the text (\"he\", \"the US defense chief\"); "
                                    "null when the text names no source")
    speaker: str | None = _doc("the id of the speaker (in ``speakers``) the source resolves to", default=None)
    confidence: float = _doc("how sure the extractor is that this is a statement, 0 to 1", default=0.5)
    resolution: Resolution | None = _doc("how the speaker was found", omitted=True, default=None)
    time: Time | None = _doc("when it was said, where the text says so", default=None)
    addressee: Addressee | None = _doc("whom it was said to, where the text says so", default=None)
    setting: Setting | None = _doc("the occasion or channel, where the text says so", default=None)
    responds_to: str | None = _doc("the id of the speaker (in ``speakers``) whose statement or action this one "
                                   "answers, rebuts or agrees with", default=None)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": self.speaker,
            "confidence": round(self.confidence, 3),
            "time": self.time.to_dict() if self.time else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "setting": self.setting.to_dict() if self.setting else None,
            "responds_to": self.responds_to,
        }
        if self.resolution is not None:
            d["resolution"] = self.resolution.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Statement":
        return cls(
            id=d["id"],
            kind=d["kind"],
            content=TextSpans.from_dict(d["content"]),
            cue=TextSpans.from_dict(d.get("cue")),
            source=TextSpans.from_dict(d.get("source")),
            speaker=d.get("speaker"),
            confidence=d.get("confidence", 0.5),
            resolution=Resolution.from_dict(d.get("resolution")),
            time=Time.from_dict(d.get("time")),
            addressee=Addressee.from_dict(d.get("addressee")),
            setting=Setting.from_dict(d.get("setting")),
            responds_to=d.get("responds_to"),
        )


@dataclass
class Resolution:
    """How a statement's speaker was found: the mentions it was resolved through (for "he",
    the earlier mention of the person) and how sure the resolver is."""

    mentions: SpanList = _doc("the mentions the speaker was found through (for \"he\", the earlier "
                              "mention of the person)")
    confidence: float = _doc("how sure the resolver is, 0 to 1")

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [list(m) for m in self.mentions], "confidence": round(self.confidence, 3)}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Resolution | None":
        if d is None:
            return None
        return cls([tuple(m) for m in d.get("mentions", [])], d.get("confidence", 0.0))


@dataclass
class Speaker:
    """Someone or something an article credits with statements; ``type`` is one of
    :data:`SPEAKER_TYPES`, ``members`` the speaker ids of a group's members."""

    id: str = _doc("``p1``, ``p2`` … in the order of first mention")
    name: str = _doc("the fullest name the article gives (for an anonymous source, its mention: \"officials\")")
    type: str = _doc("what the speaker is", values=SPEAKER_TYPES)
    titles: list[str] = _doc("role phrases the article gives (\"United States Secretary of Defense\")",
                             default_factory=list)
    mentions: SpanList = _doc("every place the speaker is mentioned or resolved", default_factory=list)
    members: list[str] = _doc("for a group, the speaker ids of its members", omitted=True, default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "titles": list(self.titles),
            "mentions": [list(m) for m in self.mentions],
        }
        if self.members:
            d["members"] = list(self.members)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        return cls(d["id"], d["name"], d["type"], list(d.get("titles", [])),
                   [tuple(m) for m in d.get("mentions", [])], list(d.get("members", [])))


@dataclass
class Flag:
    """Something in the article a careful editor would query."""

    kind: str = _doc("what: ``headline_speaker_not_in_body`` (the headline credits a name the body "
                     "never mentions)")
    message: str = _doc("the finding in words")
    spans: SpanList = _doc("where in the text", default_factory=list)
    suggestion: str | None = _doc("a speaker id the article suggests instead", default=None)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message,
                "spans": [list(s) for s in self.spans], "suggestion": self.suggestion}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Flag":
        return cls(d["kind"], d["message"], [tuple(s) for s in d.get("spans", [])],
                   d.get("suggestion"))


@dataclass
class Article:
    """Everything saidwhat knows about one article."""

    id: str | None = _doc("the document's id: a file's name without its suffix, a JSONL ``id``, "
                          "``<file>:<n>`` for the n-th line or WARC record")
    text: str = _doc("the article text the offsets index (in ``saidwhat extract`` output and the API)",
                     omitted=True)
    title: str | None = _doc("the headline", default=None)
    url: str | None = _doc("where it was published", default=None)
    published: str | None = _doc("when (ISO 8601 as the page gives it)", default=None)
    outlet: str | None = _doc("who published it", default=None)
    statements: list[Statement] = _doc("what the article attributes to someone, in text order",
                                       default_factory=list)
    speakers: list[Speaker] = _doc("who said them", default_factory=list)
    article_sources: list[str] = _doc("outlets the article says it is based on (\"according to CNN\")",
                                      default_factory=list)
    flags: list[Flag] = _doc("what does not add up", default_factory=list)
    language: str | None = _doc("ISO 639-1; statements are looked for in English (``en``) articles only",
                                default=None, kw_only=True)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "outlet": self.outlet,
            "language": self.language,
            "statements": [s.to_dict() for s in self.statements],
            "speakers": [s.to_dict() for s in self.speakers],
            "article_sources": list(self.article_sources),
            "flags": [f.to_dict() for f in self.flags],
        }
        if with_text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> "Article":
        return cls(
            id=d.get("id"),
            text=d.get("text", text),
            title=d.get("title"),
            url=d.get("url"),
            published=d.get("published"),
            outlet=d.get("outlet"),
            language=d.get("language"),
            statements=[Statement.from_dict(s) for s in d.get("statements", [])],
            speakers=[Speaker.from_dict(s) for s in d.get("speakers", [])],
            article_sources=list(d.get("article_sources", [])),
            flags=[Flag.from_dict(f) for f in d.get("flags", [])],
        )


# ------------------------------------------------------------------ JSON Schema

OUTPUT_TYPES = (Article, Statement, TextSpans, Time, Addressee, Setting, Resolution, Speaker, Flag)
_SPANS_SCHEMA = {"type": "array", "items": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                            "minItems": 2, "maxItems": 2}}


def _type_schema(hint: Any) -> dict[str, Any]:
    """The JSON Schema of a field's type hint (dataclasses by ``$ref``)."""
    if hint == SpanList:
        return dict(_SPANS_SCHEMA)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        schema = _type_schema(inner[0])
        return {"anyOf": [schema, {"type": "null"}]} if "$ref" in schema else \
            {**schema, "type": [schema["type"], "null"]}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0])}
    if hint in OUTPUT_TYPES:
        return {"$ref": f"#/$defs/{hint.__name__}"}
    return {"type": {str: "string", int: "integer", float: "number", bool: "boolean"}[hint]}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of an article as ``saidwhat extract`` writes it, made from the
    dataclasses above and their field documentation."""
    defs = {}
    for cls in OUTPUT_TYPES:
        hints = typing.get_type_hints(cls)
        props, required = {}, []
        for f in fields(cls):
            prop = {**_type_schema(hints[f.name]), "description": f.metadata["doc"]}
            if f.metadata["values"]:
                prop["enum"] = list(f.metadata["values"])
            props[f.name] = prop
            if not f.metadata["omitted"]:
                required.append(f.name)
        defs[cls.__name__] = {"type": "object", "description": " ".join((cls.__doc__ or "").split()),
                              "properties": props, "required": required, "additionalProperties": False}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://saidwhat.example/schema/article.json", "title": "saidwhat article",
            "$ref": "#/$defs/Article", "$defs": defs}


# ------------------------------------------------------------------ rows

@dataclass(frozen=True)
class Column:
    """One column of an article table. ``type``: ``text``, ``int``, ``real``, ``spans`` (a list
    of ``[start, end]``) or ``texts`` (a list of strings); the store keeps the two list types
    as JSON text, Parquet as arrays."""

    name: str
    type: str = "text"
    nullable: bool = True


#: a statement's circumstances as columns (``said_date``: its time's date; ``addressee_speaker``
#: and ``responds_to``: speaker ``sid``s of the same article)
CIRCUMSTANCE_COLUMNS = (Column("time"), Column("time_spans", "spans"), Column("said_date"), Column("addressee"),
                        Column("addressee_spans", "spans"), Column("addressee_speaker"), Column("setting"),
                        Column("setting_spans", "spans"), Column("setting_kind"), Column("responds_to"))

#: the columns every article table has, wherever it is kept: one article row, and one row
#: per statement, speaker and flag (``sid`` is the article's own id of a statement or speaker,
#: ``s1`` / ``p1``; a statement's ``speaker`` is such a speaker ``sid``)
ROW_COLUMNS: dict[str, tuple[Column, ...]] = {
    "articles": (Column("doc_id"), Column("title"), Column("url"), Column("published"),
                 Column("outlet"), Column("language"), Column("text", nullable=False),
                 Column("text_hash", nullable=False), Column("article_sources", "texts", False),
                 Column("n_statements", "int", False)),
    "statements": (Column("sid", nullable=False), Column("kind", nullable=False),
                   Column("content", nullable=False), Column("content_spans", "spans", False),
                   Column("cue"), Column("cue_spans", "spans"), Column("source"),
                   Column("source_spans", "spans"), Column("speaker"),
                   Column("confidence", "real", False), Column("resolution_mentions", "spans"),
                   Column("resolution_confidence", "real"), *CIRCUMSTANCE_COLUMNS),
    "speakers": (Column("sid", nullable=False), Column("name", nullable=False),
                 Column("type", nullable=False), Column("titles", "texts", False),
                 Column("mentions", "spans", False), Column("members", "texts", False)),
    "flags": (Column("kind", nullable=False), Column("message", nullable=False),
              Column("spans", "spans", False), Column("suggestion")),
}


def sha256_text(text: str) -> str:
    """The sha256 (hex) of an article text: the ``text_hash`` of its row."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class ArticleRows:
    """One article as rows of the four tables (dicts keyed by :data:`ROW_COLUMNS` names)."""

    article: dict[str, Any]
    statements: list[dict[str, Any]]
    speakers: list[dict[str, Any]]
    flags: list[dict[str, Any]]


def _spans_row(spans: Sequence[Sequence[int]] | None) -> list[list[int]] | None:
    return None if spans is None else [[int(s), int(e)] for s, e in spans]


def _spans_of(spans: Sequence[Sequence[int]] | None) -> SpanList:
    return [(int(s), int(e)) for s, e in spans or ()]


def _part_row(part: TextSpans | None) -> tuple[str | None, list[list[int]] | None]:
    return (part.text, _spans_row(part.spans)) if part is not None else (None, None)


def _part_of(text: str | None, spans: Sequence[Sequence[int]] | None) -> TextSpans | None:
    return None if spans is None else TextSpans(text or "", _spans_of(spans))


def _resolution_of(row: Mapping[str, Any]) -> Resolution | None:
    if row["resolution_confidence"] is None:
        return None
    return Resolution(_spans_of(row["resolution_mentions"]), row["resolution_confidence"])


def _circumstance_row(st: Statement) -> dict[str, Any]:
    time, time_spans = _part_row(st.time)
    addressee, addressee_spans = _part_row(st.addressee)
    setting, setting_spans = _part_row(st.setting)
    return {"time": time, "time_spans": time_spans, "said_date": st.time.date if st.time else None,
            "addressee": addressee, "addressee_spans": addressee_spans,
            "addressee_speaker": st.addressee.speaker if st.addressee else None,
            "setting": setting, "setting_spans": setting_spans,
            "setting_kind": st.setting.kind if st.setting else None, "responds_to": st.responds_to}


def _circumstances_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The circumstance fields of a statement row (rows written before there were any have none)."""
    spans = {part: row.get(f"{part}_spans") for part in ("time", "addressee", "setting")}
    return {
        "time": Time(row.get("time") or "", _spans_of(spans["time"]), row.get("said_date"))
        if spans["time"] is not None else None,
        "addressee": Addressee(row.get("addressee") or "", _spans_of(spans["addressee"]),
                               row.get("addressee_speaker"))
        if spans["addressee"] is not None else None,
        "setting": Setting(row.get("setting") or "", _spans_of(spans["setting"]), row.get("setting_kind") or "other")
        if spans["setting"] is not None else None,
        "responds_to": row.get("responds_to"),
    }


def article_rows(article: Article, text_hash: str | None = None) -> ArticleRows:
    """The rows of ``article`` (``text_hash``: the sha256 of its text unless given)."""
    statements = []
    for st in article.statements:
        content, content_spans = _part_row(st.content)
        cue, cue_spans = _part_row(st.cue)
        source, source_spans = _part_row(st.source)
        statements.append({"sid": st.id, "kind": st.kind, "content": content,
                           "content_spans": content_spans, "cue": cue, "cue_spans": cue_spans,
                           "source": source, "source_spans": source_spans, "speaker": st.speaker,
                           "confidence": float(st.confidence),
                           "resolution_mentions": _spans_row(st.resolution.mentions) if st.resolution else None,
                           "resolution_confidence": float(st.resolution.confidence) if st.resolution else None,
                           **_circumstance_row(st)})
    return ArticleRows(
        article={"doc_id": article.id, "title": article.title, "url": article.url,
                 "published": article.published, "outlet": article.outlet, "language": article.language,
                 "text": article.text,
                 "text_hash": text_hash or sha256_text(article.text),
                 "article_sources": list(article.article_sources),
                 "n_statements": len(article.statements)},
        statements=statements,
        speakers=[{"sid": sp.id, "name": sp.name, "type": sp.type, "titles": list(sp.titles),
                   "mentions": _spans_row(sp.mentions), "members": list(sp.members)} for sp in article.speakers],
        flags=[{"kind": fl.kind, "message": fl.message, "spans": _spans_row(fl.spans),
                "suggestion": fl.suggestion} for fl in article.flags])


def article_from_rows(rows: ArticleRows) -> Article:
    """The article its rows hold (the inverse of :func:`article_rows`); lists may be ``None``
    where a table reader gives no value."""
    a = rows.article
    return Article(
        id=a["doc_id"], text=a["text"], title=a["title"], url=a["url"], published=a["published"],
        outlet=a["outlet"], language=a["language"],
        statements=[Statement(s["sid"], s["kind"], _part_of(s["content"], s["content_spans"]),
                              _part_of(s["cue"], s["cue_spans"]), _part_of(s["source"], s["source_spans"]),
                              s["speaker"], s["confidence"], _resolution_of(s), **_circumstances_of(s))
                    for s in rows.statements],
        speakers=[Speaker(s["sid"], s["name"], s["type"], list(s["titles"] or []), _spans_of(s["mentions"]),
                          list(s["members"] or [])) for s in rows.speakers],
        article_sources=list(a["article_sources"] or []),
        flags=[Flag(f["kind"], f["message"] or "", _spans_of(f["spans"]), f["suggestion"])
               for f in rows.flags])


# ------------------------------------------------------------------ Parquet tables

#: the ``date`` partition of an article published on no day the text gives
UNKNOWN_DATE = "unknown"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def day(published: str | None) -> str:
    """An article's ``date`` partition: the ``YYYY-MM-DD`` its published date starts with, else
    :data:`UNKNOWN_DATE`."""
    m = _DAY.match(published or "")
    return m.group(0) if m else UNKNOWN_DATE


_KEYS = (Column("article_id"), Column("origin", nullable=False), Column("n", "int", False))
_DATE = Column("date", nullable=False)

#: the tables of a ``saidwhat spark`` output folder: each article table is :data:`ROW_COLUMNS`
#: with the document's ``origin`` (its file, line or record: unique, it joins the tables), the
#: place of a row in its article (``n``), ``article_id`` (the ``doc_id``) and the ``date``
#: partition; ``errors`` lists every input or document that could not be read or extracted
PARQUET_COLUMNS: dict[str, tuple[Column, ...]] = {
    "articles": (ROW_COLUMNS["articles"] + (
        Column("origin", nullable=False), Column("path", nullable=False),
        Column("doc_index", "int", False), Column("n_speakers", "int", False),
        Column("n_flags", "int", False), _DATE)),
    "statements": _KEYS + ROW_COLUMNS["statements"] + (Column("speaker_name"), _DATE),
    "speakers": _KEYS + ROW_COLUMNS["speakers"] + (_DATE,),
    "flags": _KEYS + ROW_COLUMNS["flags"] + (_DATE,),
    "errors": (Column("origin", nullable=False), Column("reason", nullable=False),
               Column("stage", nullable=False), Column("path")),
}


def parquet_row(table: str, values: Mapping[str, Any]) -> tuple:
    """A row of a Parquet table as the tuple of its :data:`PARQUET_COLUMNS` values."""
    return tuple(values[c.name] for c in PARQUET_COLUMNS[table])


def parquet_rows(article: Article, origin: str, path: str, doc_index: int) -> list[tuple[str, tuple]]:
    """``(table, row)`` for every row of ``article`` in the Parquet tables (:func:`parquet_row`).
    ``origin`` (unique per document) joins the tables; ``path`` and ``doc_index`` (its place in
    the file) give the corpus order (:func:`article_order`)."""
    rows = article_rows(article)
    date = day(article.published)
    names = {sp.id: sp.name for sp in article.speakers}
    keys = {"article_id": article.id, "origin": origin, "date": date}
    out = [("articles", parquet_row("articles", {
        **rows.article, "origin": origin, "path": path, "doc_index": doc_index,
        "n_speakers": len(rows.speakers), "n_flags": len(rows.flags), "date": date}))]
    for table in ("statements", "speakers", "flags"):
        for n, row in enumerate(getattr(rows, table), 1):
            extra = {"speaker_name": names.get(row["speaker"])} if table == "statements" else {}
            out.append((table, parquet_row(table, {**keys, "n": n, **row, **extra})))
    return out


def article_order(row: Mapping[str, Any]) -> tuple:
    """The corpus order of a Parquet ``articles`` row: by day, ``published``, file, place in the
    file (``origin`` last, unique). The Spark link step and ``ingest --from-parquet`` both go in
    this order, so "earlier" in a flag means earlier in time where dates are known."""
    return (row["date"], row["published"] or "", row["path"], row["doc_index"], row["origin"])
