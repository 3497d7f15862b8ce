"""The real ``saidwhat`` command, run as a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import check_article_spans, cli_command

from saidwhat.extraction.pipeline import default_pipeline_name
from saidwhat.learning.metrics import METRICS
from saidwhat.schema import Article

ARTICLES = {
    "bridge": "Riverton Bridge Will Reopen\n\n"
              "On Tuesday, Maria Lopez said that the Riverton bridge would reopen in June.\n",
    "schools": "School Budget Questioned\n\n"
               "“The school budget is far too small,” Senator Tom Reed said on Monday.\n",
    "treaty": "Treaty Talks Continue\n\n"
              "On Friday, Foreign Minister Anna Berg told reporters that the treaty would be "
              "signed in May.\n",
    "river": "River Declared Safe\n\n"
             "The river is safe for swimming again, according to Daniel Ortiz.\n",
}


def saidwhat_cli(*args: str, input: bytes | None = None, cwd: Path | None = None,
                 timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([*cli_command(), *args], input=input, capture_output=True,
                          timeout=timeout, cwd=cwd, env=full_env)


def write_articles(folder: Path, names=ARTICLES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        p = folder / f"{name}.txt"
        p.write_text(ARTICLES[name], encoding="utf-8")
        paths.append(p)
    return paths


def jsonl(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines() if line.strip()]


def check_output_article(d: dict, text: str) -> Article:
    art = Article.from_dict(d, text=text)
    check_article_spans(art, text)
    return art


def test_python_m_or_console_script_runs_the_app():
    res = saidwhat_cli("--help")
    assert res.returncode == 0
    out = res.stdout.decode()
    assert "extract" in out and "eval" in out


def test_format_json_single_file_is_one_object(tmp_path):
    (path,) = write_articles(tmp_path, ["bridge"])
    res = saidwhat_cli("extract", str(path), "--format", "json")
    assert res.returncode == 0, res.stderr.decode()
    d = json.loads(res.stdout.decode("utf-8"))  # the whole output is one JSON document
    assert isinstance(d, dict)
    assert d["id"] == "bridge"
    art = check_output_article(d, ARTICLES["bridge"])
    assert any("bridge would reopen in June" in s.content.text for s in art.statements)
    assert [s.name for s in art.speakers] == ["Maria Lopez"]


def test_format_jsonl_directory_one_line_per_file(tmp_path):
    write_articles(tmp_path / "in")
    (tmp_path / "in" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    res = saidwhat_cli("extract", str(tmp_path / "in"), "--format", "jsonl")
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(ARTICLES)
    docs = [json.loads(line) for line in lines]
    assert [d["id"] for d in docs] == sorted(ARTICLES)
    for d in docs:
        art = check_output_article(d, ARTICLES[d["id"]])
        assert art.statements, d["id"]


def test_format_table_prints_speaker_and_cue(tmp_path):
    (path,) = write_articles(tmp_path, ["treaty"])
    res = saidwhat_cli("extract", str(path), "--format", "table")
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode("utf-8")
    assert "Anna Berg" in out
    assert "told" in out
    assert "treaty would be" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_out_file_is_written_and_stdout_stays_empty(tmp_path):
    paths = write_articles(tmp_path / "in", ["bridge", "river"])
    out = tmp_path / "result.jsonl"
    res = saidwhat_cli("extract", *map(str, paths), "--format", "jsonl", "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.strip() == b""
    docs = jsonl(out.read_bytes())
    assert [d["id"] for d in docs] == ["bridge", "river"]


def test_stdin_dash(tmp_path):
    res = saidwhat_cli("extract", "-", "--format", "json", input=ARTICLES["schools"].encode())
    assert res.returncode == 0, res.stderr.decode()
    d = json.loads(res.stdout)
    assert d["id"] == "stdin"
    art = check_output_article(d, ARTICLES["schools"])
    st = next(s for s in art.statements if "school budget is far too small" in s.content.text)
    assert art.speaker(st.speaker).name == "Tom Reed"
    assert st.cue.text == "said"


def test_processes_2_gives_same_output_as_1(tmp_path):
    write_articles(tmp_path / "in")
    one = saidwhat_cli("extract", str(tmp_path / "in"), "--format", "jsonl", "--processes", "1")
    two = saidwhat_cli("extract", str(tmp_path / "in"), "--format", "jsonl", "--processes", "2")
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert jsonl(one.stdout) == jsonl(two.stdout)
    assert len(jsonl(two.stdout)) == len(ARTICLES)


def test_unknown_pipeline_is_a_clear_error(tmp_path):
    (path,) = write_articles(tmp_path, ["bridge"])
    res = saidwhat_cli("extract", str(path), "--pipeline", "not_a_pipeline")
    assert res.returncode == 2
    err = res.stderr.decode()
    assert "Cannot load spaCy pipeline 'not_a_pipeline'" in err
    assert "Traceback" not in err
    assert res.stdout.strip() == b""


def test_model_is_the_deprecated_name_of_pipeline(tmp_path):
    (path,) = write_articles(tmp_path, ["bridge"])
    name = default_pipeline_name()
    new = saidwhat_cli("extract", str(path), "--format", "json", "--pipeline", name)
    old = saidwhat_cli("extract", str(path), "--format", "json", "--model", name)
    assert new.returncode == 0 and old.returncode == 0, old.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)
    assert b"--model is deprecated" in old.stderr and b"deprecated" not in new.stderr
    assert "--model" not in saidwhat_cli("extract", "--help").stdout.decode()  # hidden
    bad = saidwhat_cli("extract", str(path), "--model", "not_a_pipeline")
    assert bad.returncode == 2 and b"not_a_pipeline" in bad.stderr


def test_no_input_files_is_an_error(tmp_path):
    (tmp_path / "empty_dir").mkdir()
    res = saidwhat_cli("extract", str(tmp_path / "empty_dir"))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr.decode()


def _span(text: str, sub: str) -> tuple[int, int]:
    i = text.index(sub)
    return i, i + len(sub)


def test_eval_on_tiny_brat_gold(tmp_path):
    gold = tmp_path / "gold"
    (gold / "text").mkdir(parents=True)
    (gold / "attributions").mkdir()
    text = "Bridge Opens\n\nMaria Lopez said that the bridge would open in June.\n"
    (gold / "text" / "doc1.txt").write_text(text, encoding="utf-8", newline="")
    src, cue, content = (_span(text, "Maria Lopez"), _span(text, "said"),
                         _span(text, "the bridge would open in June"))
    ann = [f"T1\tSource {src[0]} {src[1]}\tMaria Lopez",
           f"T2\tCue {cue[0]} {cue[1]}\tsaid",
           f"T3\tContent {content[0]} {content[1]}\tthe bridge would open in June",
           f"T4\tAttribution {cue[0]} {cue[1]}\tsaid",
           "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3"]
    (gold / "attributions" / "doc1_ann1.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "doc1", "statements": [{
        "id": "s1", "kind": "indirect",
        "content": {"text": "", "spans": [list(content)]},
        "cue": {"text": "said", "spans": [list(cue)]},
        "source": {"text": "Maria Lopez", "spans": [list(src)]}}]}) + "\n", encoding="utf-8")
    scores_path = tmp_path / "scores.json"
    res = saidwhat_cli("eval", str(gold), "--pred", str(pred), "--json", str(scores_path))
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    for name in METRICS:
        assert name in out
    scores = json.loads(scores_path.read_text())
    for name in METRICS:
        assert scores[name]["f1"] == 100.0, (name, scores[name])


def test_eval_rejects_a_dir_without_brat_layout(tmp_path):
    res = saidwhat_cli("eval", str(tmp_path))
    assert res.returncode != 0
    assert str(tmp_path) in res.stderr.decode().replace("\n", "")
