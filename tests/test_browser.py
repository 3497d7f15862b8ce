"""The web app in a real browser: Debian's chromium driven by playwright-python."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (make test installs it: apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from test_web import server  # noqa: E402,F401 - the same real-server fixture, one per module

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = os.environ.get("SAIDWHAT_SCREENSHOTS")
    path = Path(out) if out else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(browser: Browser):
    """A fresh page that records dialogs (alert/confirm) and page errors."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    p = ctx.new_page()
    p.dialogs, p.errors = [], []  # type: ignore[attr-defined]
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    p.on("pageerror", lambda e: p.errors.append(str(e)))  # type: ignore[attr-defined]
    yield p
    ctx.close()


def test_search_open_article_and_person(server, page: Page, shots: Path):
    page.goto(server.url + "/")
    page.fill("input[name=q]", "defend continent")
    page.fill("input[name=speaker]", "Lopez")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("table.statements tbody tr")
    assert rows.count() >= 1
    assert "Maria Lopez" in rows.first.inner_text()
    page.screenshot(path=str(shots / "search.png"), full_page=True)

    rows.first.locator("a.article-link").click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    contents = page.locator("article.text mark.sw-content")
    assert contents.count() >= 1
    assert page.locator("article.text mark.sw-cue").count() >= 1
    assert page.locator("article.text mark.sw-source").count() >= 1
    first = contents.first
    assert "Maria Lopez" in (first.get_attribute("title") or "")
    first.click()
    pop = page.locator("#popover")
    assert pop.is_visible()
    assert "Maria Lopez" in pop.inner_text() and "Kind" in pop.inner_text()
    page.screenshot(path=str(shots / "article.png"), full_page=True)

    pop.get_by_role("link", name="Maria Lopez").click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    assert page.locator("svg.timeline rect.bar").count() >= 2
    assert page.locator("h1").inner_text().startswith("Maria Lopez")
    page.screenshot(path=str(shots / "person.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_malicious_article_renders_as_text(server, page: Page, shots: Path):
    page.goto(server.url + "/?outlet=Evil+Gazette")
    page.locator("a.article-link").first.click()
    page.wait_for_load_state()
    body = page.locator("article.text")
    assert '<script>alert("xss")</script>' in body.inner_text()
    assert "<b>bold</b>" in body.inner_text()
    assert body.locator("script, b").count() == 0
    for mark in body.locator("mark").all()[:20]:
        mark.hover()
    body.locator("mark.sw").first.click()
    page.wait_for_timeout(200)
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "malicious.png"), full_page=True)


def test_quote_diff_and_paste(server, page: Page, shots: Path):
    page.goto(server.url + "/api/quotes?variants=true")
    qid = page.evaluate("() => JSON.parse(document.body.innerText)[0].id")
    page.goto(f"{server.url}/quotes/{qid}")
    assert page.locator(".diff del").count() >= 1 and page.locator(".diff ins").count() >= 1
    page.screenshot(path=str(shots / "quote.png"), full_page=True)

    page.goto(server.url + "/paste")
    page.fill("textarea[name=text]", 'Budget Fight\n\n"We will never accept <img src=x '
              'onerror=alert(1)> this plan," said Senator Jane Roe.')
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("article.text mark.sw-content").count() >= 1
    assert page.locator("article.text img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "paste.png"), full_page=True)


def test_api_docs_render_without_internet(server, page: Page, shots: Path):
    """Swagger UI and ReDoc come from this server: the pages render their content, and nothing
    is fetched from elsewhere (ReDoc's footer logo would be: the page's CSP forbids it)."""
    outside: list[str] = []
    page.on("requestfinished", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
            else outside.append(r.url))
    page.goto(server.url + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "saidwhat" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 5  # the operations are listed
    page.screenshot(path=str(shots / "docs.png"))
    page.goto(server.url + "/redoc")
    page.wait_for_selector("h1", timeout=20_000)
    assert "saidwhat" in page.locator("h1").first.inner_text()
    page.screenshot(path=str(shots / "redoc.png"))
    assert outside == [] and page.errors == [], outside


def test_paste_over_the_limit_keeps_the_text(server, page: Page, shots: Path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/paste")
    long_text = "Mayor Ana Ruiz said that the road would reopen. " * 5000
    page.fill("textarea[name=text]", long_text)
    page.click("button[type=submit]")
    assert page.url.endswith("/paste")  # not sent
    assert page.locator("#paste-error").is_visible()
    assert "too long" in page.locator("#paste-error").inner_text()
    assert page.input_value("textarea[name=text]") == long_text
    page.screenshot(path=str(shots / "paste-too-long-phone.png"))


PHONE = {"width": 390, "height": 844}


def test_every_page_fits_a_phone(server, page: Page, shots: Path):
    """At 390 px nothing is wider than the screen: tables become cards with their labels."""
    page.set_viewport_size(PHONE)
    page.goto(server.url + "/api/statements?limit=1")
    first = page.evaluate("() => JSON.parse(document.body.innerText)[0]")
    page.goto(server.url + "/api/quotes?limit=1")
    quote = page.evaluate("() => JSON.parse(document.body.innerText)[0].id")
    paths = ["/", "/?q=defend+continent", "/articles", "/people", "/quotes", "/flags", "/paste",
             f"/articles/{first['article_id']}", f"/people/{first['person']['id']}", f"/quotes/{quote}"]
    for n, path in enumerate(paths):
        page.goto(server.url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        page.screenshot(path=str(shots / f"phone-{n}.png"), full_page=True)
    page.goto(server.url + "/?q=defend+continent")
    card = page.locator("table.list tbody tr").first
    assert card.locator("td[data-label=Speaker]").is_visible()
    assert page.locator("table.list thead").is_hidden()  # the labels are on each cell instead
    assert page.locator("mark.hit").count() >= 2
    assert page.errors == []  # type: ignore[attr-defined]


def test_browse_from_the_nav_at_desktop_width(server, page: Page, shots: Path):
    page.goto(server.url + "/")
    page.click("header nav >> text=People")
    page.wait_for_load_state()
    assert page.url.endswith("/people")
    page.fill("input[name=q]", "lop")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    names = page.locator("table.people tbody td[data-label=Name]").all_inner_texts()
    assert names and all("Lopez" in n for n in names)
    page.click("header nav >> text=Articles")
    page.wait_for_load_state()
    page.select_option("select[name=outlet]", "Morning Post")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.articles tbody tr").count() == 1
    page.screenshot(path=str(shots / "articles.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]
