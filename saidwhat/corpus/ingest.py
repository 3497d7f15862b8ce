"""Ingesting documents into the store: read, skip what is stored, extract, add, in input order.

Resumable by design: documents the store has (same URL, or same text without one) are
skipped before extraction, and every article is its own transaction, so after a crash or
``kill -9`` the same call again finishes the job and ends with the store an uninterrupted
run makes.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..extraction.language import ENGLISH
from ..inputs.batch import ExtractSettings, extract_documents, good_documents
from ..inputs.documents import Document, JsonlFields
from .store import Store


@dataclass
class IngestCounts:
    """What an ingest did: articles added, documents skipped (stored already), and the
    errors of the documents, files and records that could not be read or extracted."""

    added: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)  # articles added that are not in English


def ingest(store: Store, paths: Iterable[str], settings: ExtractSettings = ExtractSettings(),
           processes: int = 1, fields: JsonlFields = JsonlFields(),
           on_document: Callable[[], None] = lambda: None) -> IngestCounts:
    """Extract the documents under ``paths`` and add them to ``store``; ``on_document`` is
    called once per extracted document (a progress bar). The FTS indexes are merged at the end."""
    counts = IngestCounts()

    def new_documents() -> Iterator[Document]:
        for doc in good_documents(paths, counts.errors, fields):
            if store.contains(url=doc.meta.get("url"), text=doc.text):
                counts.skipped += 1  # stored by an earlier (perhaps interrupted) run
                continue
            yield doc

    for _, article in extract_documents(new_documents(), settings, processes, counts.errors):
        on_document()
        if article is not None and store.add_article(article) is not None:
            counts.added += 1
            if article.language != ENGLISH:
                counts.languages[article.language] += 1
        elif article is not None:
            counts.skipped += 1
    store.optimize()
    return counts
