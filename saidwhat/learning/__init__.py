"""Learning and measuring: brat gold (:mod:`.gold`), design.md's metrics (:mod:`.metrics`) and
training the attribution model (:mod:`.train`). Depends on :mod:`saidwhat.extraction`, never
the reverse."""
from .gold import SpanStatement, load_gold, load_predictions, statements_from_article
from .metrics import METRICS, evaluate, format_report, score, score_predictions

__all__ = ["SpanStatement", "load_gold", "load_predictions", "statements_from_article", "METRICS",
           "evaluate", "format_report", "score", "score_predictions"]
