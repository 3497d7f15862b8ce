"""The output schema: one source of truth for the CLI, the store, the API and Spark.

Offsets are Python ``str`` indices into the article text exactly as read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SpanList = list[tuple[int, int]]

STATEMENT_KINDS = ("direct", "indirect", "mixed", "headline", "belief", "according_to")


@dataclass
class TextSpans:
    """A piece of an article given by one or more character spans (split quotes have several)."""

    text: str
    spans: SpanList

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


@dataclass
class Statement:
    id: str
    kind: str
    content: TextSpans
    cue: TextSpans | None
    source: TextSpans | None
    speaker: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": self.speaker,
            "confidence": round(self.confidence, 3),
        }

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
        )


@dataclass
class Speaker:
    id: str
    name: str
    type: str
    titles: list[str] = field(default_factory=list)
    mentions: SpanList = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "titles": list(self.titles),
            "mentions": [list(m) for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        return cls(d["id"], d["name"], d["type"], list(d.get("titles", [])),
                   [tuple(m) for m in d.get("mentions", [])])


@dataclass
class Flag:
    kind: str
    message: str
    spans: SpanList = field(default_factory=list)
    suggestion: str | None = None

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

    id: str | None
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    statements: list[Statement] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    article_sources: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "outlet": self.outlet,
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
            statements=[Statement.from_dict(s) for s in d.get("statements", [])],
            speakers=[Speaker.from_dict(s) for s in d.get("speakers", [])],
            article_sources=list(d.get("article_sources", [])),
            flags=[Flag.from_dict(f) for f in d.get("flags", [])],
        )
