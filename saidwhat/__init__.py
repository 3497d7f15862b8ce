"""saidwhat: who said what in the news.

``saidwhat.extract(text)`` gives an :class:`Article` with its statements, speakers and
flags; ``extract_many`` does many in batches. The packages below show the architecture
(imports flow down this list, never up): :mod:`saidwhat.cli` and :mod:`saidwhat.web`, then
:mod:`saidwhat.spark`, :mod:`saidwhat.corpus`, then :mod:`saidwhat.inputs` and
:mod:`saidwhat.learning`, then :mod:`saidwhat.extraction`; :mod:`saidwhat.schema` and
:mod:`saidwhat.errors` are shared by all.
"""
from .errors import SaidwhatError
from .extraction import component  # noqa: F401 - registers the "saidwhat" spaCy factory
from .extraction.extractor import extract, extract_many
from .extraction.pipeline import load_pipeline
from .schema import Article, Flag, Speaker, Statement, TextSpans

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "load_pipeline", "Article", "Statement", "Speaker", "Flag",
           "TextSpans", "SaidwhatError"]
