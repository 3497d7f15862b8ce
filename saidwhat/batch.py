"""Running the extractor over many documents, in this process or in worker processes.

Shared by ``saidwhat extract``, ``ingest`` and ``eval``: documents come from
:mod:`saidwhat.ingest`, articles go back in input order, and a document that fails is
reported in ``errors`` and never stops the rest.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .extractor import MAX_ARTICLE_CHARS, extract_many, frame_finder
from .model import DEFAULT_MODEL
from .ingest import Document, InputError, JsonlFields, iter_documents
from .nlp import load_pipeline
from .schema import Article


@dataclass(frozen=True)
class ExtractSettings:
    """What every worker needs to know to extract the same way."""

    model: str | None = None
    max_chars: int = MAX_ARTICLE_CHARS
    attribution_model: str | None = DEFAULT_MODEL  # None: the rules alone


_worker_settings = ExtractSettings()


def _init_worker(settings: ExtractSettings) -> None:
    global _worker_settings
    _worker_settings = settings
    load_pipeline(settings.model)  # once per worker, not once per document
    frame_finder(settings.attribution_model)


def _item(doc: Document) -> tuple[Document, str, dict]:
    return doc, doc.text, {"id": doc.id, **doc.meta}


def _extract_in_worker(doc: Document) -> tuple[Document, Article | None, str | None]:
    for _, article, error in extract_many([_item(doc)], model=_worker_settings.model,
                                          max_chars=_worker_settings.max_chars,
                                          attribution_model=_worker_settings.attribution_model):
        return doc, article, error
    return doc, None, "nothing extracted"


def good_documents(paths: Iterable[str], errors: list[str],
                   fields: JsonlFields = JsonlFields()) -> Iterator[Document]:
    """The readable documents under ``paths``; unreadable files and records go to ``errors``."""
    for item in iter_documents(paths, fields):
        if isinstance(item, InputError):
            errors.append(str(item))
        else:
            yield item


def extract_documents(docs: Iterable[Document], settings: ExtractSettings, processes: int,
                      errors: list[str]) -> Iterator[tuple[Document, Article | None]]:
    """``(document, article)`` in input order; a failed document gives ``None`` and an error."""
    if processes > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
            results = pool.imap(_extract_in_worker, docs, chunksize=1)
            for doc, article, error in results:
                if error:
                    errors.append(f"{doc.origin}: {error}")
                yield doc, article
        return
    for doc, article, error in extract_many((_item(d) for d in docs), model=settings.model,
                                            max_chars=settings.max_chars,
                                            attribution_model=settings.attribution_model):
        if error:
            errors.append(f"{doc.origin}: {error}")
        yield doc, article


def run_extraction(paths: Iterable[str], settings: ExtractSettings, processes: int,
                   errors: list[str], fields: JsonlFields = JsonlFields()
                   ) -> Iterator[tuple[str, dict | None]]:
    """``(origin, article dict)`` for every document under ``paths``, in input order."""
    for doc, article in extract_documents(good_documents(paths, errors, fields), settings,
                                          processes, errors):
        yield doc.origin, article.to_dict() if article else None
