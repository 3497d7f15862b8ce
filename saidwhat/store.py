"""Deprecated path of :mod:`saidwhat.corpus.store` (``from saidwhat.store import Store``), kept
working for one release."""
import warnings

from .corpus.database import SCHEMA_VERSION
from .corpus.store import Store
from .errors import ReadOnlyError, StoreError, StoreVersionError

warnings.warn("saidwhat.store is deprecated: import Store from saidwhat.corpus", DeprecationWarning,
              stacklevel=2)
__all__ = ["Store", "StoreError", "StoreVersionError", "ReadOnlyError", "SCHEMA_VERSION"]
