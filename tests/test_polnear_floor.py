"""Regression floors on PolNeAR dev, a little below what `saidwhat eval` measures.

Measured 2026-11-28 (F1): the shipped model (default): content exact 58.0, source exact 74.4,
cue exact 67.6, content overlap 80.9 (P 90.1), attribution 71.3 (P 79.4), content token 81.5;
the rules alone
(--no-model): content exact 55.1, source exact 69.0, cue exact 65.3, content overlap 75.7
(P 93.6), attribution 66.5 (P 82.2), content token 78.9.
"""
from __future__ import annotations

import pytest
from conftest import shared_dir

from saidwhat import learning as evaluation
from saidwhat.extraction.extractor import extract_many
from saidwhat.extraction.headline import first_line
from saidwhat.extraction.model import DEFAULT_MODEL

DEV = shared_dir() / "data" / "polnear" / "dev"
FLOORS_F1 = {
    "model": {"content_exact": 56.0, "source_exact": 72.4, "cue_exact": 65.6,
              "content_overlap": 78.9, "attribution": 69.3, "content_token": 79.5},
    "rules": {"content_exact": 53.0, "source_exact": 67.0, "cue_exact": 63.0,
              "content_overlap": 73.5, "attribution": 64.5, "content_token": 77.0},
}
FLOORS_PRECISION = {
    "model": {"content_overlap": 88.0, "attribution": 77.0},
    "rules": {"content_overlap": 91.0, "attribution": 80.0},
}
MODELS = {"model": DEFAULT_MODEL, "rules": None}


@pytest.fixture(scope="module", params=sorted(MODELS))
def dev_scores(request) -> tuple[str, dict]:
    if not (DEV / "attributions").is_dir():
        pytest.skip(f"PolNeAR dev not found at {DEV}")
    gold = evaluation.load_gold(DEV)
    items = [(stem, text, {"id": stem, "title": first_line(text)}) for stem, (text, _) in sorted(gold.items())]
    docs = {}
    for stem, article, error in extract_many(items, attribution_model=MODELS[request.param]):
        assert error is None, (stem, error)
        docs[stem] = (gold[stem][0], gold[stem][1], evaluation.statements_from_article(article.to_dict()))
    return request.param, evaluation.score(docs)


@pytest.mark.slow
def test_f1_floors(dev_scores):
    name, scores = dev_scores
    below = {m: scores[m]["f1"] for m, floor in FLOORS_F1[name].items() if scores[m]["f1"] < floor}
    assert not below, (name, below, evaluation.format_report(scores))


@pytest.mark.slow
def test_precision_floors(dev_scores):
    name, scores = dev_scores
    below = {m: scores[m]["precision"] for m, floor in FLOORS_PRECISION[name].items()
             if scores[m]["precision"] < floor}
    assert not below, (name, below, evaluation.format_report(scores))
