"""The output is what docs/output.md and the JSON Schema say, and both come from saidwhat.schema."""
from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import jsonschema
from conftest import cli_command, shared_dir

import saidwhat
from saidwhat.schema import Article, json_schema

REPO = Path(__file__).resolve().parents[1]
NEWS = shared_dir() / "data" / "news-html" / "html"


def _docs_module():
    spec = importlib.util.spec_from_file_location("make_output_docs", REPO / "scripts" / "make_output_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_output_md_is_made_from_the_schema():
    assert (REPO / "docs" / "output.md").read_text(encoding="utf-8") == _docs_module().markdown(), \
        "docs/output.md is out of date: run scripts/make_output_docs.py"


def test_every_field_is_documented():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for name, obj in schema["$defs"].items():
        assert obj["description"], name
        assert all(p["description"] for p in obj["properties"].values()), name


def test_extract_output_validates_and_carries_the_text(tmp_path):
    validator = jsonschema.Draft202012Validator(json_schema())
    paths = [REPO / "examples" / "hegseth-nato.txt", *sorted(NEWS.glob("*.html.gz"))[:3]]
    german = tmp_path / "de.txt"
    german.write_text("Regierung plant neue Steuer\n\nDie Regierung will die Steuer im nächsten Jahr erhöhen, "
                      "sagte der Finanzminister am Montag in Berlin vor Journalisten.", encoding="utf-8")
    res = subprocess.run([*cli_command(), "extract", *map(str, paths), str(german), "--format", "jsonl"],
                         capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    rows = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(rows) == len(paths) + 1
    for row in rows:
        errors = sorted(validator.iter_errors(row), key=str)
        assert not errors, (row["id"], [e.message for e in errors[:3]])
        article = Article.from_dict(row)
        for st in article.statements:  # the offsets index the text that comes with them
            for s, e in st.content.spans:
                assert article.text[s:e] in st.content.text
    assert any(r["statements"] and r["speakers"] for r in rows)
    assert json.loads(subprocess.run([*cli_command(), "schema"], capture_output=True, timeout=60).stdout) \
        == json_schema()


def test_python_output_validates():
    validator = jsonschema.Draft202012Validator(json_schema())
    article = saidwhat.extract("Smith and Jones Agree\n\nJohn Smith and Mary Jones said that the plan was good. "
                               "He said it would pass. Officials said the vote was close.")
    assert not list(validator.iter_errors(article.to_dict(with_text=True)))
    assert not list(validator.iter_errors(article.to_dict()))
