"""The web app against a real uvicorn server on a store built by the real extractor."""
from __future__ import annotations

import html
import inspect
import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

import saidwhat
from saidwhat.corpus import Store
from saidwhat.errors import StoreError
from saidwhat.web import ServerThread, create_app, serve
from saidwhat.web.highlight import Mark, highlight
from saidwhat.web.limits import MAX_TEXT_CHARS

QUOTE = "We cannot defend a continent that will not defend itself"
EVIL = '<script>alert("xss")</script> and " onmouseover="alert(1)'
# (text, outlet, published, url)
DOCS = [
    ("Lopez Warns Allies on Spending\n\nDefense Secretary Maria Lopez said on Monday that allies "
     f"must spend more. \"{QUOTE},\" Lopez told reporters in Brussels. She added that the "
     "alliance was strong.", "Daily Planet", "2025-01-02", "https://planet.example/lopez"),
    ("Lopez Speaks\n\n\"We cannot defend a continent that refuses to defend itself,\" said "
     "Maria Lopez, the defense secretary. Lopez also said the budget would grow.",
     "Evening Star", "2025-01-03", "https://star.example/lopez"),
    ("Hague Says: Europe Must Pay\n\nPete Hegseth, the US defense chief, emphasized that Europe "
     f"must pay for its own defense. \"{QUOTE},\" Hegseth said.", "Morning Post", "2025-01-04",
     "https://post.example/hegseth"),
    (f"Odd Headline {EVIL}\n\n\"The budget {EVIL} is a disgrace and we will fight it,\" said "
     f"John Carter <b>bold</b>, a senator. Carter told reporters the plan {EVIL} was reckless.",
     "Evil Gazette", "2025-01-05", "https://evil.example/x"),
]


def build_store(path: Path) -> Path:
    """A small store from real extractions (the same articles the browser tests use)."""
    with Store(path) as store:
        for text, outlet, published, url in DOCS:
            store.add_article(saidwhat.extract(text, outlet=outlet, published=published, url=url))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("web") / "corpus.db")
    with ServerThread(db, extract_timeout=60.0) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60.0) as c:
        yield c


def ids(client: httpx.Client) -> dict[str, int]:
    """Database ids of the stored articles by outlet, a person and a quote with a variant."""
    arts = {s["outlet"]: s["article_id"] for s in client.get("/api/statements?limit=500").json()}
    people = {p["name"]: p["id"] for p in client.get("/api/people").json()}
    quotes = client.get("/api/quotes", params={"variants": "true"}).json()
    return {**arts, **people, "quote": quotes[0]["id"] if quotes else 0}


# ----------------------------------------------------------------- highlighting (no server)

def test_highlight_nests_and_escapes():
    text = 'a <b>"x"</b> & c'
    html = str(highlight(text, [Mark(0, 9, ("sw",), (("title", '"><script>'),)),
                                Mark(2, 5, ("sw", "in")), Mark(4, 12, ("sw", "cross"))]))
    assert "<b>" not in html and "<script>" not in html
    assert html.count("<mark") == html.count("</mark>")
    # the crossing mark is closed and reopened, so tags stay well nested
    depth = 0
    for tag in re.findall(r"</?mark", html):
        depth += 1 if tag == "<mark" else -1
        assert depth >= 0
    assert re.sub(r"<[^>]+>", "", html) == 'a &lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; c'


def test_highlight_adjacent_and_empty():
    assert str(highlight("", [])) == ""
    html = str(highlight("abcd", [Mark(0, 2, ("sw",)), Mark(2, 4, ("sw",))]))
    assert html == '<mark class="sw">ab</mark><mark class="sw">cd</mark>'


# ----------------------------------------------------------------- pages

def results(html: str) -> str:
    """The results table of a list page (the forms above it name every outlet and kind)."""
    start = html.find('<table class="')
    return html[start:html.index("</table>", start)] if start >= 0 else ""


def test_search_page(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "Latest statements" in r.text and "Daily Planet" in results(r.text)
    r = client.get("/", params={"q": "defend continent", "speaker": "Lopez"})
    assert r.status_code == 200
    assert "Maria Lopez" in results(r.text) and "Morning Post" not in results(r.text)
    assert re.search(r'href="/articles/\d+#st-s\d+"', r.text)
    assert re.search(r"<h2>\d+ statements?, best match first</h2>", r.text)
    assert '<mark class="hit">defend</mark>' in r.text and '<mark class="hit">continent</mark>' in r.text
    r = client.get("/", params={"outlet": "Morning Post", "since": "2025-01-04", "until": "2025-01-04"})
    assert "Hegseth" in results(r.text) and "Daily Planet" not in results(r.text)
    assert '<option value="Morning Post" selected>' in r.text
    r = client.get("/", params={"q": 'NEAR( "unbalanced * col:x'})
    assert r.status_code == 200 and "No statements found" in r.text


def test_search_page_kind_order_count_and_pages(client):
    direct = client.get("/", params={"kind": "direct"})
    assert direct.status_code == 200 and '<option value="direct" selected>' in direct.text
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', results(direct.text))
    assert kinds and set(kinds) == {"direct"}
    total = client.get("/api/statements/count", params={"kind": "direct"}).json()
    assert f"<h2>{total['count']} statement" in direct.text and total["more"] is False
    by_date = client.get("/", params={"q": "defend", "order": "date"})
    assert "newest first" in by_date.text and '<option value="date" selected>' in by_date.text
    bad = client.get("/", params={"kind": "rumour", "q": "defend"})
    assert bad.status_code == 422 and "kind 'rumour'" in html.unescape(bad.text) and 'value="defend"' in bad.text


@pytest.mark.parametrize("param", ["q", "speaker", "outlet"])
def test_control_characters_in_a_search_are_no_error(client, param):
    for path in ("/", "/api/statements"):
        r = client.get(path, params={param: "a\x00b\x1fc"})
        assert r.status_code == 200, (path, r.text[:300])


def test_dates_mean_a_day_a_month_or_a_year_and_nothing_else(client):
    by_year = client.get("/api/statements", params={"since": "2025", "until": "2025"}).json()
    by_month = client.get("/api/statements", params={"since": "2025-01", "until": "2025-01"}).json()
    assert by_year and len(by_year) == len(by_month)
    assert client.get("/api/statements", params={"since": "2026"}).json() == []
    assert client.get("/api/statements", params={"until": "2024-12"}).json() == []
    for bad in ("11/19/2019", "not-a-date", "2019-13", "2019-02-30", "2019-1-1"):
        r = client.get("/api/statements", params={"since": bad})
        assert r.status_code == 422 and bad in r.json()["detail"], bad
        page = client.get("/", params={"q": "defend", "until": bad})
        assert page.status_code == 422 and "expected a date" in page.text
        assert 'value="defend"' in page.text  # what the user typed stays in the form


def test_article_page_highlights(client):
    r = client.get(f"/articles/{ids(client)['Daily Planet']}")
    assert r.status_code == 200
    assert 'class="sw sw-content' in r.text and 'class="sw sw-cue' in r.text
    assert 'class="sw sw-source' in r.text
    assert 'data-speaker="Maria Lopez"' in r.text
    assert "Content-Security-Policy" in r.headers
    # the list of statements says how "She" was resolved, and where the name is
    assert "Who said it" in r.text
    assert re.search(r"She → Maria Lopez, named in paragraph 2 \(\d+ %\)", r.text), r.text


def test_headline_flag_shown(client):
    r = client.get(f"/articles/{ids(client)['Morning Post']}")
    assert r.status_code == 200
    assert "headline speaker not in body" in r.text


def test_malicious_article_is_escaped(client):
    art_id = ids(client)["Evil Gazette"]
    r = client.get(f"/articles/{art_id}")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<b>bold" not in r.text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in r.text
    assert '" onmouseover="' not in r.text and "onmouseover=&#34;" in r.text
    assert r.text.count("<script") == 1  # only the app's own /static/app.js
    search = client.get("/", params={"q": "disgrace"})
    assert "<script>alert" not in search.text and "&lt;script&gt;" in search.text
    api = client.get(f"/api/articles/{art_id}").json()
    assert EVIL in api["text"]  # the API returns the text as it is, JSON-encoded


def test_person_page(client):
    pid = ids(client)["Maria Lopez"]
    r = client.get(f"/people/{pid}")
    assert r.status_code == 200
    assert "Maria Lopez" in r.text and "Daily Planet" in r.text and "Evening Star" in r.text
    assert '<svg class="timeline"' in r.text and r.text.count('class="bar') >= 2
    assert "Most quoted lines" in r.text and 'href="/quotes/' in r.text


def test_quote_page_shows_word_diff(client):
    qid = ids(client)["quote"]
    assert qid, "the two Lopez quotes should be variants"
    r = client.get(f"/quotes/{qid}")
    assert r.status_code == 200
    assert "<del>" in r.text and "<ins>" in r.text
    assert "refuses to" in r.text and "will not" in r.text


def test_paste_page(client):
    assert client.get("/paste").status_code == 200
    text = f'Budget Fight\n\n"We will never accept {EVIL} this plan," said Senator Jane Roe.'
    r = client.post("/paste", data={"text": text, "title": ""})
    assert r.status_code == 200
    assert 'class="sw sw-content' in r.text and 'data-speaker="Jane Roe"' in r.text
    assert "<script>alert" not in r.text
    typed = "Mayor Ana Ruiz said that the road would reopen. " * 6000  # over the limit
    big = client.post("/paste", data={"text": typed, "title": "Road News"})
    assert big.status_code == 413 and "too long" in big.text
    assert typed.strip() in html.unescape(big.text) and 'value="Road News"' in big.text  # nothing lost
    huge = client.post("/paste", data={"text": "x" * 5_000_000})  # over the body limit: not read
    assert huge.status_code == 413 and "text/html" in huge.headers["content-type"]
    assert "still in the form" in huge.text
    api = client.post("/api/extract", content=b"{" + b" " * 5_000_000 + b"}",
                      headers={"content-type": "application/json"})
    assert api.status_code == 413 and api.json()["detail"] == "request body too large"


def test_paste_headline_field_is_the_headline(client):
    body = "Hague said that Europe must pay for its own defense.\n"
    r = client.post("/paste", data={"text": body, "title": "Hague Says: Europe Must Pay"})
    assert r.status_code == 200
    assert "headline" in r.text and "Hague Says" in r.text  # a headline statement, from the field


@pytest.mark.parametrize("path", ["/articles/999999", "/people/999999", "/quotes/999999",
                                  "/articles/0", "/articles/abc", "/nope",
                                  "/articles/99999999999999999999999"])
def test_missing_pages_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "Traceback" not in r.text


def test_static_and_docs(client):
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    for page in ("/docs", "/redoc"):  # every asset from this server: no CDN
        r = client.get(page)
        assert r.status_code == 200
        assert "http" not in r.headers["content-security-policy"]  # and nothing else allowed
        urls = re.findall(r'(?:src|href|url)\s*[=:]\s*["\']([^"\']+)["\']', r.text)
        assert urls and all(u.startswith("/") for u in urls), urls
        assert all(client.get(u).status_code == 200 for u in urls if u != "/openapi.json")
    spec = client.get("/openapi.json").json()
    assert {"/api/extract", "/api/statements", "/api/people", "/api/people/{id}", "/api/quotes",
            "/api/articles/{id}"} <= set(spec["paths"])


# ----------------------------------------------------------------- API

def test_api_extract_matches_cli_schema(client):
    text = DOCS[2][0]
    r = client.post("/api/extract", json={"text": text})
    assert r.status_code == 200
    got = r.json()
    want = saidwhat.extract(text).to_dict(with_text=True)
    assert got == want and got["text"] == text
    assert any(f["kind"] == "headline_speaker_not_in_body" for f in got["flags"])


def test_api_extract_fast_is_the_trees_alone(client):
    from saidwhat.extraction.model import FAST_MODEL

    text = DOCS[2][0]
    r = client.post("/api/extract", json={"text": text, "fast": True})
    assert r.status_code == 200
    assert r.json() == saidwhat.extract(text, attribution_model=FAST_MODEL).to_dict(with_text=True)


def test_api_extract_limits(client):
    r = client.post("/api/extract", json={"text": "x" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 413 and "too long" in r.json()["detail"]
    r = client.post("/api/extract", content=b"{" + b" " * 5_000_000 + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.post("/api/extract", json={"title": "no text"}).status_code == 422
    assert client.post("/api/extract", content=b"{not json",
                       headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/extract", json={"text": "   "}).status_code == 422


def test_api_extract_timeout_kills_the_work_and_the_next_request_is_served(tmp_path):
    import os

    with Store(tmp_path / "empty.db"):
        pass
    with ServerThread(tmp_path / "empty.db", extract_timeout=3.0, extract_workers=1) as srv:
        small = {"text": DOCS[0][0]}
        assert httpx.post(srv.url + "/api/extract", json=small, timeout=120).status_code == 200
        [worker] = httpx.get(srv.url + "/api/status").json()["extraction"]["processes"]
        started = time.monotonic()
        r = httpx.post(srv.url + "/api/extract", json={"text": DOCS[0][0] * 600}, timeout=120)
        assert r.status_code == 504 and "longer than" in r.json()["detail"]
        assert time.monotonic() - started < 10  # the request did not wait for the work
        with pytest.raises(ProcessLookupError):  # which was killed, not left running
            for _ in range(50):
                os.kill(worker, 0)
                time.sleep(0.1)
        r = httpx.post(srv.url + "/api/extract", json=small, timeout=120)  # a fresh worker
        assert r.status_code == 200 and r.json()["statements"]
        status = httpx.get(srv.url + "/api/status").json()["extraction"]
        assert status["running"] == 0 and status["accepting"] and worker not in status["processes"]


def test_api_statements_and_people(client):
    rows = client.get("/api/statements", params={"q": "defend", "speaker": "Lopez"}).json()
    assert rows and all(r["person"]["name"] == "Maria Lopez" for r in rows)
    assert client.get("/api/statements", params={"outlet": "Nowhere"}).json() == []
    assert client.get("/api/statements", params={"limit": 100000}).status_code == 422
    people = client.get("/api/people").json()
    assert {"Maria Lopez", "Pete Hegseth"} <= {p["name"] for p in people}
    p = client.get(f"/api/people/{ids(client)['Pete Hegseth']}").json()
    assert p["statements"] and p["timeline"]


def test_api_quotes_and_articles(client):
    assert client.get("/api/quotes").json()
    q = client.get(f"/api/quotes/{ids(client)['quote']}").json()
    assert q["variants"] and q["occurrences"]
    art = client.get(f"/api/articles/{ids(client)['Daily Planet']}").json()
    assert art["text"].startswith("Lopez Warns") and art["statements"]


@pytest.mark.parametrize("path", ["/api/articles/999999", "/api/people/999999",
                                  "/api/quotes/999999"])
def test_api_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["detail"].endswith(" not found")


def test_server_is_read_only_and_local(server):
    assert server.host == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    # the database file is opened with mode=ro: the server cannot write even by mistake
    with server.app.state.open_store() as store:
        assert store.readonly
        with pytest.raises(sqlite3.OperationalError):
            store.conn.execute("DELETE FROM articles")


def test_errors_do_not_leak(tmp_path):
    with Store(tmp_path / "s.db"):
        pass
    app = create_app(tmp_path / "s.db")

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    @app.get("/boom")
    def boom_page() -> None:
        raise RuntimeError("secret detail")

    with ServerThread(app) as srv:
        api = httpx.get(srv.url + "/api/boom")
        page = httpx.get(srv.url + "/boom")
    assert api.status_code == 500 and api.json() == {"detail": "internal server error"}
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text


def test_create_app_refuses_missing_store(tmp_path):
    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")


# ----------------------------------------------------------------- circumstances

def test_search_by_addressee_and_said_date(client):
    told = client.get("/api/statements", params={"to": "REPORTERS"}).json()
    assert told and all("reporters" in s["addressee"]["text"] for s in told)
    # "said on Monday" in an article of Thursday 2 January 2025: Monday 30 December 2024
    dated = client.get("/api/statements", params={"said_since": "2024-12", "said_until": "2024-12-31"}).json()
    # ... and the quote and "She added" that go on from it on the same occasion
    assert [s["time"]["date"] for s in dated] == ["2024-12-30"] * 3
    n = client.get("/api/statements/count", params={"said_until": "2024-12-29"}).json()["count"]
    assert n == 0
    for bad in ({"said_since": "2024-13"}, {"said_until": "Monday"}, {"to": "x" * 201}):
        r = client.get("/api/statements", params=bad)
        assert r.status_code == 422, bad


def test_circumstances_show_under_statements_and_the_form_keeps_them(client):
    page = client.get("/", params={"to": "reporters", "said_since": "2024"})
    assert page.status_code == 200
    assert 'name="to" value="reporters"' in page.text and 'name="said_since" value="2024"' in page.text
    assert '<span class="circumstances">to reporters' in page.text
    bad = client.get("/", params={"to": "reporters", "said_since": "2024-13"})
    assert bad.status_code == 422 and 'value="2024-13"' in bad.text and 'value="reporters"' in bad.text
    article = client.get(f"/articles/{ids(client)['Daily Planet']}")
    assert "Mon 30 Dec 2024" in article.text


def test_extract_and_paste_take_a_publication_date(client):
    text = "Budget Talks\n\nThe minister told reporters on Wednesday that the budget was ready."
    r = client.post("/api/extract", json={"text": text, "published": "2025-02-14"})
    assert r.status_code == 200 and r.json()["statements"][0]["time"]["date"] == "2025-02-12"
    bad = client.post("/api/extract", json={"text": text, "published": "Friday"})
    assert bad.status_code == 422 and "published" in bad.text
    page = client.post("/paste", data={"text": text, "title": "", "published": "next week"})
    assert page.status_code == 422 and 'value="next week"' in page.text and "the budget was ready" in page.text
    ok = client.post("/paste", data={"text": text, "title": "", "published": "2025-02-14"})
    assert ok.status_code == 200 and "to reporters · Wed 12 Feb 2025" in html.unescape(ok.text)
