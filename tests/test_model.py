"""The learned attribution model: training end to end, the shipped default, --no-model."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import cli_command, shared_dir

from saidwhat import learning as evaluation
from saidwhat.extraction.extractor import extract, extract_many
from saidwhat.extraction.headline import first_line
from saidwhat.extraction.model import DEFAULT_MODEL, AttributionModel
from saidwhat.learning.gold import annotator_files

POLNEAR = shared_dir() / "data" / "polnear"
needs_polnear = pytest.mark.skipif(not (POLNEAR / "dev" / "attributions").is_dir(),
                                   reason=f"PolNeAR not found at {POLNEAR}")


def copy_split(src: Path, dest: Path, n: int) -> list[str]:
    """A small brat corpus in the PolNeAR layout: the first ``n`` documents of ``src``."""
    stems = sorted(evaluation.load_gold(src))[:n]
    annotations = annotator_files(src)
    (dest / "text").mkdir(parents=True)
    (dest / "attributions").mkdir()
    for stem in stems:
        shutil.copy(src / "text" / f"{stem}.txt", dest / "text")
        for ann in annotations[stem]:
            shutil.copy(ann, dest / "attributions")
    return stems


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli_command() + list(args), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> tuple[Path, Path]:
    if not (POLNEAR / "train" / "attributions").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR}")
    root = tmp_path_factory.mktemp("tiny")
    copy_split(POLNEAR / "train", root / "train", 8)
    copy_split(POLNEAR / "dev", root / "dev", 3)
    return root / "train", root / "dev"


@pytest.fixture(scope="module")
def tiny_model(tiny_corpus, tmp_path_factory) -> Path:
    train, dev = tiny_corpus
    out = tmp_path_factory.mktemp("model") / "m"
    proc = run_cli("train", "--train", str(train), "--dev", str(dev), "--out", str(out),
                   "--seed", "3", "--rounds", "15")
    assert proc.returncode == 0, proc.stderr
    assert "content_exact" in proc.stdout  # the dev report
    return out


def test_training_writes_a_model_that_records_data_settings_and_scores(tiny_model, tiny_corpus):
    meta = json.loads((tiny_model / "meta.json").read_text())
    assert meta["train"]["documents"] == 8 and meta["dev"]["documents"] == 3
    from saidwhat.learning.train import data_hash
    assert meta["train"]["sha256"] == data_hash(tiny_corpus[0])
    assert meta["settings"]["seed"] == 3 and meta["settings"]["rounds"] == 15
    assert set(meta["dev_scores"]) == set(evaluation.METRICS)
    assert 0 < meta["threshold"] < 1
    model = AttributionModel.load(tiny_model)
    assert model.trees["readings"].booster.num_trees() == 15


def test_a_trained_model_is_used_by_extract(tiny_model, tiny_corpus):
    dev = tiny_corpus[1]
    path = sorted((dev / "text").glob("*.txt"))[0]
    proc = run_cli("extract", str(path), "--attribution-model", str(tiny_model), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    article = json.loads(proc.stdout)
    assert article["statements"], "a model trained on 8 news articles still finds statements"


def test_training_is_deterministic(tiny_model, tiny_corpus, tmp_path):
    train, dev = tiny_corpus
    again = tmp_path / "again"
    proc = run_cli("train", "--train", str(train), "--dev", str(dev), "--out", str(again),
                   "--seed", "3", "--rounds", "15")
    assert proc.returncode == 0, proc.stderr
    for name in ("readings.txt", "cue_adjuncts.txt", "sources.txt", "features.json"):
        assert (again / name).read_bytes() == (tiny_model / name).read_bytes(), name
    first, second = (json.loads((d / "meta.json").read_text()) for d in (tiny_model, again))
    assert first["dev_scores"] == second["dev_scores"]


def test_train_names_a_directory_that_is_not_a_corpus(tmp_path, tiny_corpus):
    proc = run_cli("train", "--train", str(tmp_path), "--dev", str(tiny_corpus[1]),
                   "--out", str(tmp_path / "m"))
    assert proc.returncode == 2
    assert str(tmp_path) in proc.stderr and "attributions/" in proc.stderr


def test_a_bad_model_directory_is_a_clear_error(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("The mayor said that the budget was balanced.\n")
    proc = run_cli("extract", str(doc), "--attribution-model", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "nowhere" in proc.stderr and "model" in proc.stderr
    proc = run_cli("extract", str(doc), "--no-model", "--attribution-model", str(tmp_path))
    assert proc.returncode == 2


@needs_polnear
def test_the_shipped_model_is_the_default_and_no_model_gives_the_rules(tmp_path):
    assert (Path(DEFAULT_MODEL) / "meta.json").is_file()
    paths = sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:4]
    outputs = {}
    for flag in ((), ("--no-model",)):
        proc = run_cli("extract", *map(str, paths), "--format", "jsonl", *flag)
        assert proc.returncode == 0, proc.stderr
        outputs[flag] = [json.loads(line) for line in proc.stdout.splitlines()]
    for n, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        meta = {"id": path.stem, "title": first_line(text)}
        assert outputs[()][n] == extract(text, **meta).to_dict(with_text=True)
        assert outputs[("--no-model",)][n] == extract(text, **meta, attribution_model=None).to_dict(with_text=True)
    assert outputs[()] != outputs[("--no-model",)]


def _scores(stems: list[str], gold: dict, attribution_model: str | None) -> dict:
    items = [(s, gold[s][0], {"id": s, "title": first_line(gold[s][0])}) for s in stems]
    docs = {}
    for stem, article, error in extract_many(items, attribution_model=attribution_model):
        assert error is None
        docs[stem] = (gold[stem][0], gold[stem][1], evaluation.statements_from_article(article.to_dict()))
    return evaluation.score(docs)


@needs_polnear
def test_the_shipped_model_beats_the_rules_on_dev_documents():
    gold = evaluation.load_gold(POLNEAR / "dev")
    stems = sorted(gold)[::10]  # 9 documents spread over the split
    model, rules = _scores(stems, gold, DEFAULT_MODEL), _scores(stems, gold, None)
    mean = {name: sum(s[m]["f1"] for m in evaluation.METRICS) / len(evaluation.METRICS)
            for name, s in (("model", model), ("rules", rules))}
    assert mean["model"] > mean["rules"], (evaluation.format_report(model), evaluation.format_report(rules))
    assert model["content_overlap"]["f1"] > rules["content_overlap"]["f1"]
