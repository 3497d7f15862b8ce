"""Running the extractor over many documents, in this process or in worker processes.

Shared by ``saidwhat extract``, ``ingest`` and ``eval``: documents come from
:mod:`.readers`, articles go back in input order, and a document that fails is reported in
``errors`` and never stops the rest.
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from ..errors import InputError
from ..extraction.extractor import MAX_ARTICLE_CHARS, extract_many, frame_finder
from ..extraction.model import DEFAULT_MODEL
from ..extraction.pipeline import load_pipeline
from ..extraction.ranking import default_ranker
from ..schema import Article
from .documents import Document, JsonlFields
from .readers import iter_documents

# documents handed to the worker pool at a time: the pool reads its input in a thread of its
# own, so the caller's iterator (which may hold a database connection) is read here, in windows
WINDOW_PER_PROCESS = 16


@dataclass(frozen=True)
class ExtractSettings:
    """What every worker needs to know to extract the same way."""

    pipeline: str | None = None  # the spaCy pipeline; None: the default one
    max_chars: int = MAX_ARTICLE_CHARS
    attribution_model: str | None = DEFAULT_MODEL  # None: the rules alone


_worker_settings = ExtractSettings()


def _load_models(settings: ExtractSettings) -> None:
    """The pipeline and every model, loaded (and cached) once per process."""
    load_pipeline(settings.pipeline)
    frame_finder(settings.attribution_model)
    default_ranker()


def _init_worker(settings: ExtractSettings) -> None:
    global _worker_settings
    _worker_settings = settings
    _load_models(settings)  # once per worker, not once per document


def _item(doc: Document) -> tuple[Document, str, dict]:
    return doc, doc.text, {"id": doc.id, **doc.meta}


def _extract_in_worker(doc: Document) -> tuple[Document, Article | None, str | None]:
    for _, article, error in extract_many([_item(doc)], model=_worker_settings.pipeline,
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
    """``(document, article)`` in input order; a failed document gives ``None`` and an error.
    ``docs`` is always read in the calling thread."""
    if processes > 1:
        # loaded before the fork, so the workers share them: a LightGBM model read from its file
        # in a forked child can hang in OpenMP once the parent has used it
        _load_models(settings)
        ctx = multiprocessing.get_context("fork")
        docs = iter(docs)
        with ctx.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
            while window := list(itertools.islice(docs, WINDOW_PER_PROCESS * processes)):
                for doc, article, error in pool.imap(_extract_in_worker, window, chunksize=1):
                    if error:
                        errors.append(f"{doc.origin}: {error}")
                    yield doc, article
        return
    for doc, article, error in extract_many((_item(d) for d in docs), model=settings.pipeline,
                                            max_chars=settings.max_chars,
                                            attribution_model=settings.attribution_model):
        if error:
            errors.append(f"{doc.origin}: {error}")
        yield doc, article


def run_extraction(paths: Iterable[str], settings: ExtractSettings, processes: int,
                   errors: list[str], fields: JsonlFields = JsonlFields(),
                   metadata: Mapping[str, Mapping[str, str]] | None = None
                   ) -> Iterator[tuple[str, dict | None]]:
    """``(origin, article dict)`` for every document under ``paths``, in input order; the dict
    has the article's ``text``, which its offsets index. ``metadata`` (document id -> fields
    such as ``published``) fills in what a document does not say itself (a text file's date)."""
    docs = good_documents(paths, errors, fields)
    if metadata:
        docs = (replace(d, meta={**metadata.get(d.id, {}), **d.meta}) for d in docs)
    for doc, article in extract_documents(docs, settings, processes, errors):
        yield doc.origin, article.to_dict(with_text=True) if article else None
