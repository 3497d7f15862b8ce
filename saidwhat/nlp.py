"""Deprecated path of :mod:`saidwhat.extraction.pipeline` (``from saidwhat.nlp import
load_pipeline``), kept working for one release."""
import warnings

from .extraction.pipeline import default_pipeline_name, load_pipeline

warnings.warn("saidwhat.nlp is deprecated: use saidwhat.load_pipeline", DeprecationWarning, stacklevel=2)
__all__ = ["load_pipeline", "default_pipeline_name"]
