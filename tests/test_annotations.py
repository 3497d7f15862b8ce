"""The hand annotations in annotations/ pass their checkers: fields as their READMEs say, and
every offset slices the document text to what the line says."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, shared_dir

POLNEAR = shared_dir() / "data" / "polnear"


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "scripts" / script), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


@pytest.mark.parametrize("split", ["dev", "train"])
def test_speaker_annotations_check(split):
    r = run("check_speaker_annotations.py", str(POLNEAR / split), f"annotations/speakers/{split}.jsonl")
    assert r.returncode == 0, r.stdout + r.stderr


def test_circumstance_annotations_check():
    files = sorted(str(p) for p in (REPO / "annotations" / "circumstances").glob("*.jsonl"))
    texts = [str(POLNEAR / "dev" / "text"), str(POLNEAR / "train" / "text"), str(shared_dir() / "data" / "seed")]
    r = run("check_circumstance_annotations.py", *texts, "--files", *files)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_circumstance_checker_finds_a_wrong_offset(tmp_path):
    good = (REPO / "annotations" / "circumstances" / "seed.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(next(line for line in good if json.loads(line)["time"]))
    row["time"]["spans"][0][0] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    r = run("check_circumstance_annotations.py", str(shared_dir() / "data" / "seed"), "--files", str(bad))
    assert r.returncode == 1 and "slice to" in r.stdout
