"""The corpus: many articles in one SQLite store (:mod:`.store`), linked across articles by the
rules of :mod:`.linking` (which the Spark link job shares), filled by :mod:`.ingest` or
:mod:`.from_parquet`, exported by :mod:`.export`."""
from .ingest import IngestCounts, ingest
from .store import Store

__all__ = ["Store", "ingest", "IngestCounts"]
