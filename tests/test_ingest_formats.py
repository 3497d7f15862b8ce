"""Input formats: HTML (real pages), JSONL, WARC (built here with warcio), directories and
globs, bad encodings, big files. Every fixture is generated in tmp_path."""
from __future__ import annotations

import gzip
import io
import json
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from conftest import cli_command, shared_dir
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from saidwhat.errors import InputError
from saidwhat.inputs import Document, JsonlFields, expand_paths, iter_documents, read_document
from saidwhat.inputs import jsonl as jsonl_reader
from saidwhat.inputs.documents import MAX_HTML_BYTES
from saidwhat.inputs.html import read_html

NEWS = shared_dir() / "data" / "news-html"
needs_news = pytest.mark.skipif(not (NEWS / "ground-truth.json").exists(),
                                reason=f"real pages not found in {NEWS}")

ARTICLE = ("<p>“We will rebuild the bridge before winter,” Maria Lopez said on Tuesday, adding "
           "that the council had found the money for the repairs.</p>"
           "<p>Senator Tom Reed said that the school budget was too small and that teachers "
           "deserved more, according to a statement from his office.</p>")


def page(title: str, body: str = ARTICLE, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"</body></html>").encode("utf-8")


def docs_and_errors(items) -> tuple[list[Document], list[InputError]]:
    items = list(items)
    for x in items:
        assert isinstance(x, (Document, InputError)), x
    return [x for x in items if isinstance(x, Document)], [x for x in items if isinstance(x, InputError)]


def token_f1(predicted: str, reference: str) -> float:
    pred, ref = Counter(re.findall(r"\w+", predicted.lower())), Counter(re.findall(r"\w+", reference.lower()))
    shared = sum((pred & ref).values())
    return 2 * shared / (sum(pred.values()) + sum(ref.values())) if shared else 0.0


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((NEWS / "ground-truth.json").read_text(encoding="utf-8"))


def real_page(page_id: str) -> bytes:
    return gzip.decompress((NEWS / "html" / f"{page_id}.html.gz").read_bytes())


# ------------------------------------------------------------------ HTML

@needs_news
def test_real_pages_text_and_metadata(truth):
    for page_id in sorted(truth)[::30]:
        path = NEWS / "html" / f"{page_id}.html.gz"
        doc = read_document(path)
        html = real_page(page_id)
        assert doc.id == page_id and doc.origin == str(path)
        assert token_f1(doc.text, truth[page_id]["articleBody"]) >= 0.75, page_id
        assert "\n\n" in doc.text and not re.search(r"[^\n]\n[^\n]", doc.text), "paragraphs not blank-line separated"
        assert set(doc.meta) == {"title", "url", "published", "outlet"}
        if re.search(rb"<title[^>]*>\s*[^<\s]", html):
            assert doc.meta["title"], page_id
            assert not doc.text.startswith(doc.meta["title"]), "the title is metadata, not body text"
        if re.search(rb"og:url|rel=[\"']?canonical", html):
            assert doc.meta["url"] and doc.meta["url"].startswith("http"), page_id
        if doc.meta["published"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.meta["published"])


@needs_news
def test_real_pages_text_is_close_to_ground_truth(truth):
    ids = sorted(truth)[::9]
    scores = [token_f1(read_document(NEWS / "html" / f"{i}.html.gz").text, truth[i]["articleBody"])
              for i in ids]
    assert statistics.mean(scores) >= 0.9, scores


def test_html_title_out_of_text_and_id_without_suffixes(tmp_path):
    path = tmp_path / "bridge.html.gz"
    path.write_bytes(gzip.compress(page("Bridge Will Reopen",
                                        head="<link rel='canonical' href='https://news.example/bridge'>")))
    doc = read_document(path)
    assert doc.id == "bridge"
    assert doc.meta["title"] == "Bridge Will Reopen" and doc.meta["url"] == "https://news.example/bridge"
    assert doc.text.startswith("“We will rebuild the bridge")
    assert "Home" not in doc.text
    assert doc.text.count("\n\n") == 1


def test_html_declared_charset_is_used(tmp_path):
    body = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>"
            "<title>Caf\u00e9 Plan</title></head><body><article><p>\u201cWe will rebuild the caf\u00e9 "
            "before winter,\u201d Jos\u00e9 Lopez said on Tuesday, and the council agreed that the plan "
            "was sound.</p><p>Another paragraph so that the page holds a real article body.</p>"
            "</article></body></html>")
    path = tmp_path / "cafe.html"
    path.write_bytes(body.encode("cp1252"))  # what pages labelled iso-8859-1 really use
    doc = read_document(path)
    assert doc.meta["title"] == "Caf\u00e9 Plan"
    assert doc.text.startswith("\u201cWe will rebuild the caf\u00e9 before winter,\u201d Jos\u00e9")


def test_html_without_article_text_is_an_error(tmp_path):
    path = tmp_path / "menu.html"
    path.write_bytes(b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a>"
                     b"<a href='/a'>About</a></nav></body></html>")
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert not docs
    assert len(errors) == 1 and "menu.html" in str(errors[0]) and "no article text" in str(errors[0])


def test_html_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    filler = b"<p>" + b"word " * 200 + b"</p>\n"
    with path.open("wb") as fh:
        fh.write(b"<html><body><article>")
        for _ in range(MAX_HTML_BYTES // len(filler) + 1):
            fh.write(filler)
    t0 = time.perf_counter()
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert not docs and "huge.html" in str(errors[0]) and "limit" in str(errors[0])
    assert time.perf_counter() - t0 < 5


# ------------------------------------------------------------------ JSONL

def test_jsonl_custom_fields_and_a_bad_line_in_the_middle(tmp_path):
    fields = JsonlFields(text="body", title="headline", url="link", published="date", outlet="source", id="uid")
    lines = [
        json.dumps({"uid": "a-1", "body": "Maria Lopez said the bridge would reopen.", "headline": "Bridge",
                    "link": "https://x.example/1", "date": "2024-05-01", "source": "Example News"}),
        json.dumps({"body": "Tom Reed said the budget was too small."}),
        '{"body": "no closing brace"',
        "",
        json.dumps({"headline": "text missing"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"body": "Anna Berg said prices rose.", "uid": 7}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = docs_and_errors(iter_documents([str(path)], fields=fields))
    assert [d.id for d in docs] == ["a-1", "feed:2", "7"]
    assert docs[0].meta == {"title": "Bridge", "url": "https://x.example/1", "published": "2024-05-01",
                            "outlet": "Example News"}
    assert docs[1].meta == {"title": None, "url": None, "published": None, "outlet": None}
    assert docs[0].text == "Maria Lopez said the bridge would reopen."
    assert [str(e).split(": ")[0] for e in errors] == [f"{path}:3", f"{path}:5", f"{path}:6"]
    assert "not JSON" in str(errors[0]) and "'body'" in str(errors[1])


def test_jsonl_default_fields(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "He said so.", "title": "T", "outlet": "O", "id": "x"}\r\n')
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert not errors and docs[0].id == "x" and docs[0].meta["outlet"] == "O" and docs[0].origin == f"{path}:1"


def test_jsonl_invalid_utf8_line_is_named_and_the_rest_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "good one"}\n' + '{"text": "caf\u00e9"}\n'.encode("latin-1")
                     + b'{"text": "good two"}\n')
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert [d.text for d in docs] == ["good one", "good two"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}:2: ") and "UTF-8" in str(errors[0])


def test_jsonl_utf16_file_is_one_error(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes(('{"text": "a"}\n' * 50).encode("utf-16"))
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert not docs and len(errors) == 1 and "wide.jsonl" in str(errors[0])


def test_jsonl_line_over_the_limit_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl_reader, "MAX_BYTES", 1000)
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x " * 5000}) + "\n" + json.dumps({"text": "short"}) + "\n")
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert [d.id for d in docs] == ["long:2"]
    assert str(errors[0]).startswith(f"{path}:1: ") and "limit" in str(errors[0])


def test_50mb_jsonl_streams(tmp_path):
    line = json.dumps({"text": "Maria Lopez said the bridge would reopen. " * 48, "title": "Bridge"}) + "\n"
    n = 50 * 2**20 // len(line) + 1
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(n // 1000):
            fh.write(line * 1000)
        fh.write(line * (n % 1000))
    assert path.stat().st_size >= 50 * 2**20
    t0 = time.perf_counter()
    tracemalloc.start()
    try:
        count = sum(1 for x in iter_documents([str(path)]) if isinstance(x, Document))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < 5 * 2**20, f"peak {peak / 2**20:.1f} MB: the file was not streamed"
    assert time.perf_counter() - t0 < 30


# ------------------------------------------------------------------ WARC

def write_warc(path: Path, records: list[dict], gz: bool) -> list[int]:
    """A WARC file (one gzip member a record when ``gz``); the byte offset of each record."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "saidwhat tests"}))
        for r in records:
            http = StatusAndHeaders(r.get("status", "200 OK"), [("Content-Type", r["type"])], protocol="HTTP/1.1")
            offsets.append(fh.tell())
            writer.write_record(writer.create_warc_record(
                r["url"], "response", payload=io.BytesIO(r["body"]), http_headers=http,
                warc_headers_dict={"WARC-Date": r.get("date", "2020-02-03T04:05:06Z")}))
    return offsets


@pytest.fixture(scope="module")
def warc_records() -> list[dict]:
    ids = sorted(json.loads((NEWS / "ground-truth.json").read_text(encoding="utf-8")))[1::45][:3] \
        if (NEWS / "ground-truth.json").exists() else []
    real = [{"url": f"https://real.example/{i[:8]}", "type": "text/html; charset=utf-8", "body": real_page(i),
             "page_id": i} for i in ids]
    return [
        *real[:1],
        {"url": "https://x.example/report.pdf", "type": "application/pdf", "body": b"%PDF-1.4 " + bytes(range(256))},
        {"url": "https://x.example/undated", "type": "text/html", "body": page("Undated Story"),
         "date": "2021-03-04T05:06:07Z"},
        {"url": "https://x.example/gone", "type": "text/html", "body": page("Gone"), "status": "404 Not Found"},
        {"url": "https://x.example/xhtml", "type": "application/xhtml+xml", "body": page("Xhtml Story")},
        *real[1:],
    ]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_warc_html_responses_become_documents(tmp_path, warc_records, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, warc_records, gz)
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert not errors, errors
    expected = [(n, r) for n, r in enumerate(warc_records, 1)
                if r["type"].startswith(("text/html", "application/xhtml")) and "status" not in r]
    assert [d.id for d in docs] == [f"crawl:{n}" for n, _ in expected]
    assert [d.meta["url"] for d in docs] == [r["url"] for _, r in expected]
    undated = next(d for d in docs if d.meta["url"] == "https://x.example/undated")
    assert undated.meta["published"] == "2021-03-04" and undated.meta["title"] == "Undated Story"
    for doc, (_, r) in zip(docs, expected):
        if "page_id" in r:  # the same text and metadata as the page read from its own file
            alone = read_html(r["body"], "x", "x", url=r["url"])
            assert doc.text == alone.text and doc.meta["title"] == alone.meta["title"]
            assert doc.meta["published"] == alone.meta["published"] or alone.meta["published"] is None


def test_warc_corrupt_record_is_reported_and_reading_goes_on(tmp_path):
    records = [{"url": f"https://x.example/{i}", "type": "text/html", "body": page(f"Story {i}")} for i in range(4)]
    path = tmp_path / "bad.warc"
    offsets = write_warc(path, records, gz=False)
    data = bytearray(path.read_bytes())
    data[offsets[1]:offsets[1] + 8] = b"XXXX/1.0"  # the second record's header no longer parses
    path.write_bytes(bytes(data))
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert [d.meta["url"] for d in docs] == ["https://x.example/0", "https://x.example/2", "https://x.example/3"]
    assert len(errors) == 1 and "bad.warc" in str(errors[0]) and f"byte {offsets[0]}" in str(errors[0])
    assert f"resuming at byte {offsets[2]}" in str(errors[0])


def test_warc_gz_corrupt_member_is_reported_and_reading_goes_on(tmp_path):
    records = [{"url": f"https://x.example/{i}", "type": "text/html", "body": page(f"Story {i}")} for i in range(4)]
    path = tmp_path / "bad.warc.gz"
    offsets = write_warc(path, records, gz=True)
    data = bytearray(path.read_bytes())
    middle = (offsets[1] + offsets[2]) // 2
    data[middle:middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    docs, errors = docs_and_errors(iter_documents([str(path)]))
    assert [d.meta["url"] for d in docs] == ["https://x.example/0", "https://x.example/2", "https://x.example/3"]
    # the damage shows either inside record 2 or while seeking the record after record 1
    message = str(errors[0]) if len(errors) == 1 else errors
    assert f"record 2 (byte {offsets[1]})" in message or f"after the one at byte {offsets[0]}" in message
    assert f"resuming at byte {offsets[2]}" in message


@pytest.mark.parametrize("cut", ["body", "headers"])
def test_truncated_warc_gz_keeps_the_records_before(tmp_path, cut):
    records = [{"url": f"https://x.example/{i}", "type": "text/html", "body": page(f"Story {i}")} for i in range(3)]
    path = tmp_path / "cut.warc.gz"
    offsets = write_warc(path, records, gz=True)
    data = path.read_bytes()
    end = offsets[2] + 20 if cut == "headers" else (offsets[2] + len(data)) // 2
    path.write_bytes(data[:end])
    docs, errors = docs_and_errors(iter_documents([str(path), str(path.with_name("next.txt"))]))
    assert [d.meta["url"] for d in docs] == ["https://x.example/0", "https://x.example/1"]
    assert "cut.warc.gz" in str(errors[0]) and "truncated" in str(errors[0])
    assert "next.txt" in str(errors[-1])  # the next input is still read


def test_read_document_points_multi_article_files_to_iter_documents(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "x"}\n')
    with pytest.raises(InputError, match="iter_documents"):
        read_document(path)


# ------------------------------------------------------------------ paths, stdin, text

@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "b.txt").write_text("Budget Cut\n\nTom Reed said the budget was too small.\n", encoding="utf-8")
    (root / "a.html").write_bytes(page("A Story"))
    (root / "c.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    write_warc(root / "sub" / "d.warc.gz", [{"url": "https://x.example/d", "type": "text/html",
                                             "body": page("D Story")}], gz=True)
    write_warc(root / "sub" / "deeper" / "e.warc", [{"url": "https://x.example/e", "type": "text/html",
                                                     "body": page("E Story")}], gz=False)
    (root / "notes.csv").write_text("a,b\n")
    (root / "sub" / "image.png").write_bytes(b"\x89PNG\r\n")
    return root


def test_directory_is_walked_recursively_in_sorted_order(tree):
    docs, errors = docs_and_errors(iter_documents([str(tree)]))
    assert not errors
    assert [d.id for d in docs] == ["a", "b", "c:1", "c:2", "d:1", "e:1"]
    assert docs[1].meta == {"title": "Budget Cut"}


def test_glob_patterns(tree):
    docs, _ = docs_and_errors(iter_documents([str(tree / "**" / "*.warc*")]))
    assert [d.id for d in docs] == ["d:1", "e:1"]
    docs, _ = docs_and_errors(iter_documents([str(tree / "sub" / "*.warc.gz")]))
    assert [d.id for d in docs] == ["d:1"]
    docs, errors = docs_and_errors(iter_documents([str(tree / "*.nothing")]))
    assert not docs and "no supported file matches" in str(errors[0])


def test_expand_paths_keeps_named_files_and_stdin(tree):
    named = tree / "notes.csv"
    assert list(expand_paths(["-", str(named)])) == ["-", named]
    assert named not in list(expand_paths([str(tree)]))


def test_stdin_is_read_as_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Title\n\nShe said “yes”.\n".encode())))
    docs, errors = docs_and_errors(iter_documents(["-"]))
    assert not errors and docs[0].id == "stdin" and docs[0].text.endswith("“yes”.\n")


def test_non_utf8_text_and_missing_files_are_errors(tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\u00e9 Owner Speaks\n\nJos\u00e9 said so.\n".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text("Fine\n\nAll good, she said.\n", encoding="utf-8")
    docs, errors = docs_and_errors(iter_documents([str(bad), str(tmp_path / "gone.html"), str(good)]))
    assert [d.id for d in docs] == ["good"]
    assert "latin.txt" in str(errors[0]) and "UTF-8" in str(errors[0])
    assert "gone.html" in str(errors[1]) and "no such file" in str(errors[1])


def test_extract_command_reads_html(tmp_path):
    path = tmp_path / "bridge.html"
    path.write_bytes(page("Bridge Will Reopen", head="<meta property='og:site_name' content='Riverton Daily'>"))
    res = subprocess.run([*cli_command(), "extract", str(path), "--format", "json"], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    article = json.loads(res.stdout)
    assert article["id"] == "bridge" and article["title"] == "Bridge Will Reopen"
    assert article["outlet"] == "Riverton Daily"
    assert any("rebuild the bridge" in s["content"]["text"] for s in article["statements"])
