"""The Spark job (``python -m saidwhat.spark``): same statements as the single-process CLI path,
Parquet tables partitioned by day, every bad file/line/record in ``errors``.

The Spark tests run one local[2] job (module fixture) and skip only when ``java`` is missing.
"""
from __future__ import annotations

import gzip
import io
import json
import shutil
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from saidwhat.batch import ExtractSettings, run_extraction
from saidwhat.ingest import Document, iter_documents
from saidwhat.spark import day, read_bytes

ARTICLES = {
    "bridge.txt": "Mayor Backs New Bridge\n\n“We will build it before winter,” Mayor Jane Holt said on Monday. "
                  "She added that the council had found the money.\n",
    "budget.txt": "Council Split on Budget\n\nCouncillor Tom Reyes said the budget was “a mistake”. "
                  "According to the treasurer, costs rose by a third.\n",
    "school.txt": "Schools to Reopen\n\nThe education minister, Ana Ruiz, told reporters that schools would "
                  "reopen next week. “Children need their teachers,” she said.\n",
}
JSONL = [
    json.dumps({"id": "storm", "text": "Storm Hits Coast\n\n“It was terrible,” said resident Ann Lee. "
                "Police said two roads were closed.", "published": "2024-05-03T10:00:00Z", "outlet": "Gazette"}),
    "{this line is not json",
    json.dumps({"text": "Port Strike Ends\n\nUnion leader Sam Okafor said the workers had won. "
                "“This is a good day,” he told the crowd.", "published": "2024-05-04"}),
]
PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Bridge Vote Delayed</title></head><body>"
        "<article><h1>Bridge Vote Delayed</h1><p>“We need more time to study the costs,” council member "
        "Lisa Grant said on Tuesday, adding that the vote would come in June.</p><p>The mayor said she "
        "was disappointed by the delay.</p></article></body></html>").encode()


def write_inputs(folder: Path) -> list[str]:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "wire.jsonl").write_text("\n".join(JSONL) + "\n", encoding="utf-8")
    with (folder / "crawl.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://x.example/bridge", "response", payload=io.BytesIO(PAGE), http_headers=http,
            warc_headers_dict={"WARC-Date": "2021-03-04T05:06:07Z"}))
    (folder / "empty.txt").write_bytes(b"  \n")
    return [str(folder), str(folder.parent / "missing.txt")]


# ------------------------------------------------------------------ no Spark needed

def _items(items):
    return [(x.id, x.text, x.meta, x.origin) if isinstance(x, Document) else str(x) for x in items]


def test_read_bytes_matches_the_path_readers(tmp_path):
    write_inputs(tmp_path / "in")
    (tmp_path / "in" / "page.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01abc")
    data = (tmp_path / "in" / "crawl.warc.gz").read_bytes()
    (tmp_path / "in" / "cut.warc.gz").write_bytes(data[:len(data) // 2])
    for path in sorted((tmp_path / "in").iterdir()):
        assert _items(read_bytes(str(path), path.read_bytes())) == _items(iter_documents([str(path)])), path


def test_day_partition_value():
    assert day("2024-05-03T10:00:00Z") == "2024-05-03"
    assert day(None) == day("") == day("May 3, 2024") == "unknown"


# ------------------------------------------------------------------ the Spark job

@pytest.fixture(scope="module")
def job(tmp_path_factory):
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime and `java` is not on PATH")
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install -e '.[spark]')")
    from saidwhat.spark import main

    base = tmp_path_factory.mktemp("spark")
    inputs = write_inputs(base / "in")
    out = base / "out"
    started = time.monotonic()
    assert main([*inputs, "--output", str(out), "--master", "local[2]", "--partitions", "2"]) == 0
    return inputs, out, time.monotonic() - started


def table(out: Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def _key(st: dict, names: dict) -> tuple:
    part = lambda p: None if p is None else [list(s) for s in p]  # noqa: E731
    return (st["kind"], part(st["content_spans"]), part(st["cue_spans"]), part(st["source_spans"]), names)


def test_statements_equal_the_single_process_run(job):
    inputs, out, _ = job
    errors: list[str] = []
    expected: dict[str, list] = {}
    for _, d in run_extraction(inputs, ExtractSettings(), 1, errors):
        if d is None:
            continue
        names = {sp["id"]: sp["name"] for sp in d["speakers"]}
        expected[d["id"]] = sorted((s["kind"], s["content"]["spans"], s["cue"]["spans"] if s["cue"] else None,
                                    s["source"]["spans"] if s["source"] else None, names.get(s["speaker"]))
                                   for s in d["statements"])
    assert len(expected) == 6 and sum(map(len, expected.values())) >= 8, expected
    got: dict[str, list] = {}
    for st in table(out, "statements"):
        got.setdefault(st["article_id"], []).append(_key(st, st["speaker_name"]))
    got = {k: sorted(v) for k, v in got.items()}
    assert got == {k: v for k, v in expected.items() if v}
    articles = {a["id"]: a for a in table(out, "articles")}
    assert set(articles) == set(expected)
    assert {a["id"]: a["n_statements"] for a in articles.values()} == {k: len(v) for k, v in expected.items()}
    speakers = {(s["article_id"], s["name"]) for s in table(out, "speakers")}
    assert ("bridge", "Jane Holt") in speakers and ("storm", "Ann Lee") in speakers


def test_tables_are_partitioned_by_day_with_explicit_span_types(job):
    import pyarrow as pa
    import pyarrow.parquet as pq
    _, out, _ = job
    days = {p.name for p in (out / "statements").iterdir() if p.is_dir()}
    assert {"date=2024-05-03", "date=2024-05-04", "date=unknown"} <= days, days
    assert "date=2021-03-04" in {p.name for p in (out / "articles").iterdir()}  # the WARC page's day
    by_day = {a["id"]: a["date"] for a in table(out, "articles")}
    assert by_day["storm"] == "2024-05-03" and by_day["bridge"] == "unknown"
    schema = pq.read_schema(next((out / "statements").rglob("*.parquet")))
    spans = schema.field("content_spans").type
    assert pa.types.is_list(spans) and pa.types.is_list(spans.value_type) \
        and spans.value_type.value_type == pa.int32()
    for name in ("speakers", "flags"):
        assert (out / name / "_SUCCESS").exists()


def test_every_bad_input_is_in_errors(job):
    inputs, out, seconds = job
    errors = {(e["origin"], e["stage"]): e["reason"] for e in table(out, "errors")}
    folder = Path(inputs[0])
    assert errors[(f"{folder / 'wire.jsonl'}:2", "read")].startswith("not JSON")
    assert errors[(str(folder / "empty.txt"), "read")] == "empty file"
    assert errors[(inputs[1], "read")] == "no such file"
    assert len(errors) == 3, errors
    assert seconds < 120, f"the local job took {seconds:.0f} s"
