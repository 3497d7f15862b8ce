"""Bad and extreme input: unreadable files in a batch, huge articles, odd text."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import check_article_spans, cli_command

import saidwhat
from saidwhat import load_pipeline
from saidwhat.extraction.extractor import analyse
from saidwhat.extraction.headline import find_headline
from saidwhat.extraction.pipeline import parse
from saidwhat.schema import Article

GOOD = {
    "alpha": "Riverton Bridge Will Reopen\n\n"
             "On Tuesday, Maria Lopez said that the Riverton bridge would reopen in June.\n",
    "omega": "School Budget Questioned\n\n"
             "“The school budget is far too small,” Senator Tom Reed said on Monday.\n",
}

# {n} makes every round of paragraphs say something new: the same words twice are a repeat
# (a pull quote, a page that repeats itself) and are found once
PARAGRAPHS = [
    "“We will rebuild the bridge before winter {n},” Maria Lopez said on Tuesday.",
    "Senator Tom Reed said that the school budget was {n} dollars too small and that teachers deserved more.",
    "The talks failed {n} times, sources said. Prices rose {n} cents last month, according to Anna Berg.",
    "Lopez called the plan “a promise to {n} families” and said the council would vote in {n} days.",
    "“Nobody in ward {n} will be left behind,” Reed told reporters. “Not one family in {n}.”",
]


def big_article(n_chars: int) -> str:
    parts, size, i = ["Riverton Bridge Plan Approved", ""], 0, 0
    while size < n_chars:
        p = PARAGRAPHS[i % len(PARAGRAPHS)].format(n=i // len(PARAGRAPHS) + 1)
        parts += [p, ""]
        size += len(p) + 2
        i += 1
    return "\n".join(parts)


def run_cli(*args: str, timeout: float = 120, input: bytes | None = None):
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([*cli_command(), *args], capture_output=True, timeout=timeout,
                          env=env, input=input)


def lines(stdout: bytes) -> list[dict]:
    return [json.loads(x) for x in stdout.decode("utf-8").splitlines() if x.strip()]


@pytest.fixture
def batch(tmp_path) -> tuple[list[Path], dict[str, str]]:
    """Good and bad files interleaved: good ones first and last."""
    d = tmp_path / "batch"
    d.mkdir()
    (d / "alpha.txt").write_text(GOOD["alpha"], encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\n \t\n")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "latin1.txt").write_bytes("Caf\u00e9 Owner Speaks\n\nJos\u00e9 said the caf\u00e9 "
                                   "would close.\n".encode("latin-1"))
    (d / "omega.txt").write_text(GOOD["omega"], encoding="utf-8")
    order = ["alpha", "empty", "blank", "binary", "latin1", "omega"]
    reasons = {"empty": "empty", "blank": "empty", "binary": "binary", "latin1": "UTF-8"}
    return [d / f"{n}.txt" for n in order], reasons


@pytest.mark.parametrize("processes", ["1", "2"])
def test_bad_files_are_reported_and_good_ones_still_extracted(batch, processes):
    paths, reasons = batch
    res = run_cli("extract", *map(str, paths), "--format", "jsonl", "--processes", processes)
    assert res.returncode != 0
    err = res.stderr.decode("utf-8")
    assert "Traceback" not in err
    err_lines = err.splitlines()
    for stem, reason in reasons.items():
        hits = [ln for ln in err_lines if f"{stem}.txt" in ln]
        assert hits, f"{stem}.txt not named in stderr:\n{err}"
        assert any(reason.lower() in ln.lower() for ln in hits), (stem, hits)
    docs = lines(res.stdout)
    assert [d["id"] for d in docs] == ["alpha", "omega"]
    for d in docs:
        art = Article.from_dict(d, text=GOOD[d["id"]])
        check_article_spans(art)
        assert art.statements, d["id"]


def test_missing_file_is_named(tmp_path):
    good = tmp_path / "alpha.txt"
    good.write_text(GOOD["alpha"], encoding="utf-8")
    missing = tmp_path / "no_such_article.txt"
    res = run_cli("extract", str(missing), str(good), "--format", "jsonl")
    assert res.returncode != 0
    assert "no_such_article.txt" in res.stderr.decode()
    assert [d["id"] for d in lines(res.stdout)] == ["alpha"]


def test_empty_stdin_is_a_clear_error():
    res = run_cli("extract", "-", "--format", "json", input=b"")
    assert res.returncode != 0
    err = res.stderr.decode()
    assert "stdin" in err and "empty" in err
    assert "Traceback" not in err


def test_crlf_offsets_index_the_text_as_read(tmp_path):
    text = ("Riverton Bridge Will Reopen\r\n\r\nOn Tuesday, Maria Lopez said that the bridge "
            "would reopen in June.\r\n\r\n“It is safe,” she said.\r\n")
    p = tmp_path / "crlf.txt"
    p.write_bytes(text.encode("utf-8"))
    res = run_cli("extract", str(p), "--format", "json")
    assert res.returncode == 0, res.stderr.decode()
    art = Article.from_dict(json.loads(res.stdout), text=text)
    check_article_spans(art, text)
    assert any("bridge would reopen in June" in s.content.text for s in art.statements)


def test_text_without_punctuation():
    text = ("council meets on budget\n\nmaria lopez said the budget is balanced and taxes will "
            "not rise and tom reed said nobody believes her " * 20).strip()
    art = saidwhat.extract(text)
    check_article_spans(art, text)


def test_one_long_line_without_any_break():
    text = "word " * 30_000
    art = saidwhat.extract(text)
    check_article_spans(art, text)
    assert art.statements == []


def parse_and_analyse(text: str) -> tuple[Article, float, float]:
    """The article, the spaCy parse time and saidwhat's own analysis time (warm pipeline)."""
    nlp = load_pipeline()
    nlp("warm up the pipeline")
    t0 = time.perf_counter()
    doc = parse(nlp, text)
    t1 = time.perf_counter()
    art = analyse(doc, find_headline(text))
    return art, t1 - t0, time.perf_counter() - t1


@pytest.mark.parametrize("marks", ['"' * 4000, "“" * 2000 + "”" * 2000, "“”" * 2000,
                                   ("He said “ " * 1500), "'" * 4000 + " said Maria Lopez."])
def test_thousands_of_quote_marks(marks):
    text = "Quote Marks Everywhere\n\n" + marks
    art, parse_s, analyse_s = parse_and_analyse(text)
    check_article_spans(art, text)
    # saidwhat's own work must not blow up on runs of marks: at most the parse time
    assert analyse_s <= parse_s + 0.5, f"parse {parse_s:.2f}s, analysis {analyse_s:.2f}s"


def test_thousands_of_quote_marks_via_cli(tmp_path):
    text = "Quote Marks Everywhere\n\n" + ("Maria Lopez said “" * 500) + "\n\n" + '"' * 1500
    p = tmp_path / "marks.txt"
    p.write_text(text, encoding="utf-8")
    res = run_cli("extract", str(p), "--format", "json", timeout=60)
    assert res.returncode == 0, res.stderr.decode()
    check_article_spans(Article.from_dict(json.loads(res.stdout), text=text), text)


# ------------------------------------------------------------------ long articles

@pytest.fixture(scope="module")
def cost_40k() -> dict:
    """Parse and analysis time of a 40 KB article."""
    text = big_article(40_000)
    art, parse_s, analyse_s = parse_and_analyse(text)
    return {"text": text, "parse_s": parse_s, "analyse_s": analyse_s, "article": art}


def test_analysis_cost_is_linear_and_below_parsing(cost_40k):
    """saidwhat's own work on top of the spaCy parse costs no more than the parse."""
    parse_s, analyse_s = cost_40k["parse_s"], cost_40k["analyse_s"]
    art = cost_40k["article"]
    check_article_spans(art, cost_40k["text"])
    n_quoted = cost_40k["text"].count("We will rebuild the bridge before winter")
    found = [s for s in art.statements if "We will rebuild the bridge" in s.content.text]
    assert len(found) == n_quoted
    assert analyse_s <= parse_s + 0.5, \
        f"40 KB: parse {parse_s:.1f}s, analysis {analyse_s:.1f}s (super-linear analysis?)"


def test_5mb_article_is_refused_with_a_clear_error_naming_the_file(tmp_path):
    text = big_article(5 * 1024 * 1024)
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    good = tmp_path / "small.txt"
    good.write_text(GOOD["alpha"], encoding="utf-8")
    t0 = time.perf_counter()
    res = run_cli("extract", str(path), str(good), "--format", "jsonl", timeout=120)
    assert time.perf_counter() - t0 < 60  # refused before parsing, not after
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "huge.txt" in err and "limit" in err and "--max-chars" in err
    assert [a["id"] for a in lines(res.stdout)] == ["small"]


@pytest.mark.slow
def test_long_article_is_parsed_in_chunks_and_extracted_in_full(tmp_path, cost_40k):
    # fail fast: if 40 KB already costs more to analyse than to parse, this would take ages
    assert cost_40k["analyse_s"] <= cost_40k["parse_s"] + 0.5, \
        (f"analysis is super-linear (40 KB: parse {cost_40k['parse_s']:.1f}s, analysis "
         f"{cost_40k['analyse_s']:.1f}s)")
    text = big_article(300 * 1024)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    budget = 2.5 * cost_40k["parse_s"] * len(text) / len(cost_40k["text"]) + 60
    res = run_cli("extract", str(path), "--format", "json", timeout=budget)
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    art = Article.from_dict(json.loads(res.stdout), text=text)
    check_article_spans(art, text)
    n_quoted = text.count("We will rebuild the bridge before winter")
    found = [s for s in art.statements if "We will rebuild the bridge" in s.content.text]
    assert n_quoted > 10 and len(found) == n_quoted


def test_max_chars_lifts_the_limit(tmp_path):
    path = tmp_path / "alpha.txt"
    path.write_text(GOOD["alpha"], encoding="utf-8")
    refused = run_cli("extract", str(path), "--format", "json", "--max-chars", "10")
    assert refused.returncode == 1 and b"limit" in refused.stderr
    allowed = run_cli("extract", str(path), "--format", "json", "--max-chars", str(10 ** 7))
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["id"] == "alpha"
