"""Text to :class:`~saidwhat.schema.Article`: parse, find statements, resolve speakers, check.

The data flows through these modules in this order: :mod:`.pipeline` (spaCy),
:mod:`.quotes` (quotation marks), :mod:`.readings` with :mod:`.rules` or the learned
:mod:`.model` (cues, contents, sources), :mod:`.statements` and :mod:`.headline` (all
statements of an article), :mod:`.speakers`, :mod:`.outlets`, :mod:`.checks`, and
:mod:`.extractor`, which runs them all. Word lists live in :mod:`.lexicon`. Nothing here
imports the corpus, Spark, web or CLI packages (``tests/test_layout.py``).
"""
from .extractor import MAX_ARTICLE_CHARS, analyse, extract, extract_many, frame_finder
from .model import DEFAULT_MODEL
from .pipeline import default_pipeline_name, load_pipeline

__all__ = ["extract", "extract_many", "analyse", "frame_finder", "load_pipeline",
           "default_pipeline_name", "DEFAULT_MODEL", "MAX_ARTICLE_CHARS"]
