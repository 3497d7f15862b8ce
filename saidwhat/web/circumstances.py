"""Circumstances in words: "to reporters · Wed 12 Oct 2016 · speech" under a statement.

One formatter for the search results (the store's statement dicts, whose ``addressee`` and
``responds_to`` carry names) and the article page (the output schema, whose ``speaker`` ids
are looked up in the article's speakers).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def said_date_text(value: str | None) -> str:
    """"Wed 12 Oct 2016", "Oct 2016" or "2016" for a said date of that precision."""
    if not value:
        return ""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).strftime("%a %d %b %Y").replace(" 0", " ")
        if len(value) == 7:
            return date.fromisoformat(value + "-01").strftime("%b %Y")
    except ValueError:
        return value
    return value


def speaker_names(article: Mapping[str, Any]) -> dict[str, str]:
    """An article's speaker ids and names."""
    return {sp["id"]: sp["name"] for sp in article.get("speakers") or ()}


def _name(part: Mapping[str, Any] | str | None, names: Mapping[str, str]) -> str | None:
    if part is None:
        return None
    if isinstance(part, str):
        return names.get(part)
    return part.get("name") or names.get(part.get("sid") or part.get("speaker") or "")


def circumstance_line(statement: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """The statement's circumstances joined by " · " (empty when the text gives none):
    addressee, date (or the time words when they give no date), setting kind, and whom it
    answers. ``names``: speaker id -> name, for an article's statements."""
    names = names or {}
    parts = []
    addressee = statement.get("addressee")
    if addressee:
        parts.append(f"to {_name(addressee, names) or addressee['text']}")
    time = statement.get("time")
    if time:
        parts.append(said_date_text(time.get("date")) or time["text"])
    setting = statement.get("setting")
    if setting:
        parts.append(setting.get("kind") or "other")
    answered = _name(statement.get("responds_to"), names)
    if answered:
        parts.append(f"responding to {answered}")
    return " · ".join(parts)
