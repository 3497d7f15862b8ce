"""saidwhat: who said what in the news."""
from .extractor import extract, extract_many
from .schema import Article, Flag, Speaker, Statement, TextSpans
from . import component  # noqa: F401 - registers the "saidwhat" spaCy factory

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "Article", "Statement", "Speaker", "Flag", "TextSpans"]
