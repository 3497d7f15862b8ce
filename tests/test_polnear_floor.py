"""Regression floors on PolNeAR dev, a little below what `saidwhat eval` measures.

Speaker accuracy (``saidwhat eval ... --speakers annotations/speakers/dev.jsonl``), measured
2026-12-01 with the shipped model and speaker ranker: 83.6 % of the 891 annotated statements
found (names 89.2, pronouns 79.3, descriptions 47.4, anonymous kept anonymous 90.0).

Measured 2026-11-28 (F1): the shipped model (default): content exact 58.0, source exact 74.4,
cue exact 67.6, content overlap 80.9 (P 90.1), attribution 71.3 (P 79.4), content token 81.5;
the rules alone
(--no-model): content exact 55.1, source exact 69.0, cue exact 65.3, content overlap 75.7
(P 93.6), attribution 66.5 (P 82.2), content token 78.9.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_dir

from saidwhat import learning as evaluation
from saidwhat.extraction.extractor import extract_many
from saidwhat.extraction.headline import first_line
from saidwhat.extraction.model import DEFAULT_MODEL
from saidwhat.learning.speakers import load_speaker_gold, predicted_speakers, score_speakers

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
ANNOTATIONS = Path(__file__).resolve().parents[1] / "annotations" / "speakers" / "dev.jsonl"
FLOORS_SPEAKERS = {"all": 81.0, "name": 87.0, "pronoun": 75.0, "anonymous": 87.0}


@pytest.fixture(scope="module", params=sorted(MODELS))
def dev_scores(request) -> tuple[str, dict]:
    if not (DEV / "attributions").is_dir():
        pytest.skip(f"PolNeAR dev not found at {DEV}")
    gold = evaluation.load_gold(DEV)
    items = [(stem, text, {"id": stem, "title": first_line(text)}) for stem, (text, _) in sorted(gold.items())]
    docs, speakers = {}, {}
    for stem, article, error in extract_many(items, attribution_model=MODELS[request.param]):
        assert error is None, (stem, error)
        statements = evaluation.statements_from_article(article.to_dict())
        docs[stem] = (gold[stem][0], gold[stem][1], statements)
        speakers[stem] = (statements, predicted_speakers(article.to_dict()))
    scores = evaluation.score(docs)
    tally = score_speakers(gold, load_speaker_gold(ANNOTATIONS), speakers)
    scores["speakers"] = tally.scores()
    return request.param, scores


@pytest.mark.slow
def test_f1_floors(dev_scores):
    name, scores = dev_scores
    below = {m: scores[m]["f1"] for m, floor in FLOORS_F1[name].items() if scores[m]["f1"] < floor}
    assert not below, (name, below, evaluation.format_report(scores))


@pytest.mark.slow
def test_speaker_accuracy_floors(dev_scores):
    name, scores = dev_scores
    if name != "model":
        pytest.skip("speaker floors are kept for the shipped model")
    got = {"all": scores["speakers"]["all"]["accuracy"],
           **{k: scores["speakers"]["by_kind"][k]["accuracy"] for k in ("name", "pronoun", "anonymous")}}
    below = {k: got[k] for k, floor in FLOORS_SPEAKERS.items() if got[k] < floor}
    assert not below, (below, scores["speakers"])


@pytest.mark.slow
def test_precision_floors(dev_scores):
    name, scores = dev_scores
    below = {m: scores[m]["precision"] for m, floor in FLOORS_PRECISION[name].items()
             if scores[m]["precision"] < floor}
    assert not below, (name, below, evaluation.format_report(scores))
