"""Regression floors on PolNeAR dev, a little below what `saidwhat eval` measures.

Measured (rules, 2026-11-28): content exact 55.1, source exact 69.0, cue exact 65.3,
content overlap 75.7 (P 93.6), attribution 66.5 (P 82.2), content token 78.9.
"""
from __future__ import annotations

import pytest

from saidwhat import eval as evaluation
from saidwhat.extractor import extract_many
from saidwhat.ingest import first_line
from conftest import shared_dir

DEV = shared_dir() / "data" / "polnear" / "dev"
FLOORS_F1 = {"content_exact": 53.0, "source_exact": 67.0, "cue_exact": 63.0,
             "content_overlap": 73.5, "attribution": 64.5, "content_token": 77.0}
FLOORS_PRECISION = {"content_overlap": 91.0, "attribution": 80.0}


@pytest.fixture(scope="module")
def dev_scores() -> dict:
    if not (DEV / "attributions").is_dir():
        pytest.skip(f"PolNeAR dev not found at {DEV}")
    gold = evaluation.load_gold(DEV)
    items = [(stem, text, {"id": stem, "title": first_line(text)}) for stem, (text, _) in sorted(gold.items())]
    docs = {}
    for stem, article, error in extract_many(items):
        assert error is None, (stem, error)
        docs[stem] = (gold[stem][0], gold[stem][1], evaluation.statements_from_article(article.to_dict()))
    return evaluation.score(docs)


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(FLOORS_F1))
def test_f1_floor(dev_scores, metric):
    assert dev_scores[metric]["f1"] >= FLOORS_F1[metric], evaluation.format_report(dev_scores)


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(FLOORS_PRECISION))
def test_precision_floor(dev_scores, metric):
    assert dev_scores[metric]["precision"] >= FLOORS_PRECISION[metric], evaluation.format_report(dev_scores)
