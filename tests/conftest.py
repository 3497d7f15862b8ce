"""Shared fixtures and helpers for the saidwhat tests.

Helpers are plain functions so test modules can ``from conftest import ...`` them.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from saidwhat import load_pipeline
from saidwhat.schema import STATEMENT_KINDS, Article, Statement, TextSpans

REPO = Path(__file__).resolve().parents[1]
HEADLINE = "Riverton Council Meets on Budget\n\n"


def shared_dir() -> Path:
    return Path(os.environ.get("SAIDWHAT_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def sqlite_dump(db: Path) -> list[str]:
    """A database as SQL statements, to compare two stores row for row."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def cli_command() -> list[str]:
    """The real ``saidwhat`` console script of the running interpreter's environment."""
    script = Path(sys.executable).with_name("saidwhat")
    if not script.exists():  # pragma: no cover - the venv always has it after install
        pytest.skip(f"console script not found next to {sys.executable}")
    return [str(script)]


@pytest.fixture(scope="session")
def nlp():
    """The parsing pipeline, loaded once (load_pipeline is lru-cached too)."""
    return load_pipeline()


def _check_part(text: str, part: TextSpans | None, what: str) -> None:
    if part is None:
        return
    assert part.spans, f"{what}: no spans"
    assert list(part.spans) == sorted(part.spans), f"{what}: spans not sorted {part.spans}"
    for s, e in part.spans:
        assert 0 <= s < e <= len(text), f"{what}: span {(s, e)} out of bounds (len {len(text)})"
    assert part.text == TextSpans.from_spans(text, list(part.spans)).text, \
        f"{what}: text {part.text!r} is not the slices of {part.spans}"


def check_article_spans(article: Article, text: str | None = None) -> None:
    """Every offset in ``article`` slices ``text`` and every ``text`` field equals its slices."""
    text = article.text if text is None else text
    assert article.text == text
    ids = {sp.id for sp in article.speakers}
    assert len(ids) == len(article.speakers), "duplicate speaker ids"
    for st in article.statements:
        assert st.kind in STATEMENT_KINDS, st.kind
        _check_part(text, st.content, f"{st.id}.content")
        _check_part(text, st.cue, f"{st.id}.cue")
        _check_part(text, st.source, f"{st.id}.source")
        for name in ("time", "addressee", "setting"):
            _check_part(text, getattr(st, name), f"{st.id}.{name}")
        assert st.addressee is None or st.addressee.speaker is None or st.addressee.speaker in ids
        assert st.responds_to is None or st.responds_to in ids, f"{st.id}: unknown responds_to"
        assert st.speaker is None or st.speaker in ids, f"{st.id}: unknown speaker {st.speaker}"
        assert 0.0 <= st.confidence <= 1.0
    for sp in article.speakers:
        for s, e in sp.mentions:
            assert 0 <= s < e <= len(text), f"{sp.id}: mention {(s, e)} out of bounds"
    for fl in article.flags:
        for s, e in fl.spans:
            assert 0 <= s < e <= len(text), f"flag {fl.kind}: span {(s, e)} out of bounds"
        assert fl.suggestion is None or fl.suggestion in ids


def find(article: Article, content_sub: str) -> Statement:
    """The one statement whose content contains ``content_sub`` (fails with a summary if not one)."""
    hits = [st for st in article.statements if content_sub in st.content.text]
    assert len(hits) == 1, (f"expected one statement containing {content_sub!r}, got {len(hits)}:\n"
                            + describe(article))
    return hits[0]


def speaker_name(article: Article, st: Statement) -> str | None:
    sp = article.speaker(st.speaker)
    return sp.name if sp else None


def describe(article: Article) -> str:
    """A readable dump of what the extractor found, for assertion messages."""
    lines = []
    for st in article.statements:
        lines.append(f"  {st.id} {st.kind}: content={st.content.text!r} "
                     f"cue={st.cue.text if st.cue else None!r} "
                     f"source={st.source.text if st.source else None!r} "
                     f"speaker={speaker_name(article, st)!r}")
    for sp in article.speakers:
        lines.append(f"  speaker {sp.id} {sp.name!r} {sp.type} titles={sp.titles}")
    lines.append(f"  article_sources={article.article_sources} "
                 f"flags={[(f.kind, f.suggestion) for f in article.flags]}")
    return "\n".join(lines) or "  (nothing)"
