"""The browse pages (articles, people, quotes, flags) and the search page's paging, against a
real server over a store of many small hand-made articles."""
from __future__ import annotations

import html
import re

import httpx
import pytest
from test_store import handmade
from test_web import results

from saidwhat.corpus import Store
from saidwhat.web import ServerThread

OUTLETS = ("Wire", "Daily Planet", "Le Courrier")
N = 130


def build(path):
    with Store(path) as store:
        for i in range(N):
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
            store.add_article(handmade(f"a{i}", f"Speaker{i % 7} Person", f"Statement number {i} about budgets "
                                       "and the state of the roads", outlet=OUTLETS[i % 3], published=day))
        quote = "We will never sign an agreement that hurts our farmers"
        store.add_article(handmade("q1", "Ana Lopez", quote, outlet="Wire", published="2025-02-01"))
        store.add_article(handmade("q2", "Ana Lopez", quote + " or our workers", outlet="Daily Planet",
                                   published="2025-02-02"))
        store.add_article(handmade("q3", "Zoë Schröder", quote, outlet="Le Courrier", published="2025-02-03"))
        german = handmade("de1", None, "Das ist notwendig", outlet="Le Courrier", published="2025-03-01")
        german.statements, german.language = [], "de"
        store.add_article(german)
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build(tmp_path_factory.mktemp("browse") / "c.db")
    with ServerThread(db, extract_workers=1) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        yield c


def links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"]*)"', results(html))


def test_nav_links_every_browse_page(client):
    home = client.get("/").text
    for path in ("/articles", "/people", "/quotes", "/flags", "/paste", "/docs"):
        assert f'href="{path}"' in home
        assert client.get(path).status_code == 200


def test_search_pages_keep_their_filters(client):
    first = client.get("/", params={"q": "budgets", "kind": "direct", "order": "date", "outlet": ""})
    assert first.status_code == 200 and f"<h2>{N} statements, newest first</h2>" in first.text
    nxt = re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    assert "q=budgets" in nxt and "kind=direct" in nxt and "order=date" in nxt and "page=2" in nxt
    assert "outlet=" not in nxt  # empty fields are left out
    second = client.get("/" + nxt)
    assert 'rel="prev"' in second.text and set(links(second.text, "/articles/")).isdisjoint(
        links(first.text, "/articles/"))


def test_articles_page_lists_filters_and_pages(client):
    page = client.get("/articles")
    rows = links(page.text, "/articles/")
    assert len(rows) == 50 and 'rel="next"' in page.text
    dates = re.findall(r'<td data-label="Published" class="date">([^<]*)</td>', page.text)
    assert dates == sorted(dates, reverse=True)  # newest first
    german = client.get("/articles", params={"language": "de"})
    assert len(links(german.text, "/articles/")) == 1 and '<option value="de" selected>' in german.text
    planet = client.get("/articles", params={"outlet": "daily planet"})
    assert set(re.findall(r'<td data-label="Outlet">([^<]*)</td>', planet.text)) == {"Daily Planet"}
    found = client.get("/articles", params={"q": "farmers"})
    assert len(links(found.text, "/articles/")) == 3
    assert client.get("/articles", params={"q": "-farmers"}).status_code == 422


def test_people_page_counts_filters_and_folds_accents(client):
    page = client.get("/people")
    counts = [int(n) for n in re.findall(r'<td data-label="Statements" class="num">(\d+)</td>', page.text)]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    for query in ("schroder", "Zoe", "schr"):
        found = client.get("/people", params={"q": query})
        assert "Zoë Schröder" in results(found.text), query
    typed = client.get("/people", params={"type": "organization"})
    assert typed.status_code == 200 and "No one found" in typed.text
    bad = client.get("/people", params={"type": "alien", "q": "Ana"})
    assert bad.status_code == 422 and "type 'alien'" in html.unescape(bad.text) and 'value="Ana"' in bad.text


def test_quotes_page_shows_versions_and_flags_page_links_them(client):
    page = client.get("/quotes", params={"variants": "1"})
    assert "checked" in page.text
    quotes = links(page.text, "/quotes/")
    assert quotes
    quote = client.get(quotes[0]).text
    assert "<ins>" in quote or "<del>" in quote
    flags = client.get("/flags")
    assert "speaker conflict" in flags.text and "quote altered" in flags.text
    only = client.get("/flags", params={"kind": "speaker_conflict"})
    kinds = set(re.findall(r'<td data-label="Kind">([^<]*)</td>', only.text))
    assert kinds == {"speaker conflict"}
    where = links(only.text, "/")
    assert any(w.startswith("/people/") for w in where) and any(w.startswith("/quotes/") for w in where)


def test_person_page_pages_statements_without_repeating_the_name(client):
    people = {p["name"]: p["id"] for p in client.get("/api/people", params={"limit": 100}).json()}
    page = client.get(f"/people/{people['Speaker0 Person']}")
    assert page.status_code == 200 and "<th>Speaker</th>" not in page.text
    assert "Statements by date" in page.text
    assert client.get(f"/people/{people['Speaker0 Person']}", params={"page": 0}).status_code == 400
