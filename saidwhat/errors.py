"""Every error saidwhat raises on purpose, in one catalogue, under one base class.

Catch :class:`SaidwhatError` for all of them. Each message names the file, document or
setting at fault and what is wrong with it, so that the CLI can print it as it is. Errors
that were ``ValueError``/``RuntimeError`` before this catalogue still are, for callers
that catch those.
"""
from __future__ import annotations


class SaidwhatError(Exception):
    """Base class of the errors below."""


# ------------------------------------------------------------------ extraction

class PipelineNotFound(SaidwhatError, RuntimeError):
    """No English spaCy pipeline is installed, or the one named cannot be loaded."""


class ArticleTooLong(SaidwhatError, ValueError):
    """A text over the length limit for one article."""


# ------------------------------------------------------------------ inputs

class InputError(SaidwhatError, ValueError):
    """A document that cannot be read; the message names the file and the problem."""


# ------------------------------------------------------------------ the corpus store

class StoreError(SaidwhatError):
    """A store that cannot be opened or written as asked."""


class StoreVersionError(StoreError):
    """A store written by a newer (or incompatible) version of saidwhat."""


class ReadOnlyError(StoreError):
    """A write to a store opened with ``readonly=True``."""


class QueryError(SaidwhatError, ValueError):
    """A search parameter that cannot mean anything ("since 11/19/2019")."""


class ParquetInputError(SaidwhatError):
    """A folder that is not (or not entirely) a readable ``saidwhat spark`` output."""


# ------------------------------------------------------------------ Spark

class LinkInputError(SaidwhatError):
    """An output folder the Spark link step cannot read (missing tables, older layout)."""


# ------------------------------------------------------------------ web

class LimitError(SaidwhatError):
    """A web request over a limit; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
