"""Server-rendered HTML pages (Jinja2, autoescaped): search, browsing, one item, paste.

Every list page takes its filters as query parameters and keeps them in its form and its
page links; a filter it cannot read re-renders the form as typed with the reason (422).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..corpus.search import RANK_MAX_MATCHES
from ..corpus.store import Store
from ..errors import LimitError, QueryError
from ..schema import SPEAKER_TYPES, STATEMENT_KINDS
from .limits import MAX_BODY_BYTES

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Str = Annotated[str | None, Query(max_length=500)]
PageNo = Annotated[int, Query(ge=1, le=10_000)]
PAGE = 50
#: the outlet list of the search form shows at most this many (the most published)
MAX_OUTLETS = 300


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


class Pager:
    """Links to the previous and next page of a list, keeping every other parameter."""

    def __init__(self, request: Request, page: int, more: bool) -> None:
        params = {k: v for k, v in request.query_params.items() if v and k != "page"}
        self.page = page
        self.previous = "?" + urlencode({**params, "page": page - 1}) if page > 1 else None
        self.next = "?" + urlencode({**params, "page": page + 1}) if more else None


def page_of(request: Request, page: int, fetch: Callable[[int, int], list[dict[str, Any]]]
            ) -> tuple[list[dict[str, Any]], Pager]:
    """One page of a list (``fetch(limit, offset)``) and its pager."""
    rows = fetch(PAGE + 1, (page - 1) * PAGE)
    return rows[:PAGE], Pager(request, page, len(rows) > PAGE)


def flag_links(flag: dict[str, Any]) -> list[tuple[str, str]]:
    """The pages a flag concerns, as ``(href, label)``."""
    targets = (("article_id", "/articles", "article"), ("quote_id", "/quotes", "quote"),
               ("quote2_id", "/quotes", "other version"), ("person_id", "/people", "person"),
               ("person2_id", "/people", "other person"))
    return [(f"{path}/{int(flag[key])}", label) for key, path, label in targets if flag.get(key)]


def outlet_choices(store: Store, typed: str) -> list[str]:
    """The outlets a filter's list offers: the most published, and the one in the URL as typed
    (a link may name one not in the list)."""
    outlets = [o["outlet"] for o in store.outlets()[:MAX_OUTLETS]]
    if typed and typed.casefold() not in {o.casefold() for o in outlets}:
        outlets.append(typed)
    return outlets


@router.get("/", response_class=HTMLResponse)
def search(request: Request, q: Str = None, speaker: Str = None, outlet: Str = None,
           since: Str = None, until: Str = None, kind: Str = None, order: Str = None,
           said_since: Str = None, said_until: Str = None, to: Str = None, page: PageNo = 1) -> Response:
    form = {"q": q or "", "speaker": speaker or "", "outlet": outlet or "", "since": since or "",
            "until": until or "", "kind": kind or "", "order": order or "", "said_since": said_since or "",
            "said_until": said_until or "", "to": to or ""}
    filters = {k: v or None for k, v in form.items() if k not in ("q", "order")}
    error, total = None, 0
    with request.app.state.open_store() as store:
        try:
            results, pager = page_of(request, page, lambda limit, offset: store.search(
                q, **filters, order=order or None, limit=limit, offset=offset))
            total = store.count(q, **filters) if results or page > 1 else 0
            order_used = store.order_used(q, order or None)
        except QueryError as err:  # the form comes back as typed, with what is wrong
            results, pager, error, order_used = [], Pager(request, page, False), str(err), "date"
        stats = store.stats()
        outlets = outlet_choices(store, form["outlet"])
    return render(request, "index.html", status=422 if error else 200, form=form, results=results,
                  pager=pager, total=total, stats=stats, outlets=outlets, order_used=order_used,
                  rank_max=RANK_MAX_MATCHES,
                  kinds=STATEMENT_KINDS, searched=any(v for k, v in form.items() if k != "order"),
                  error=error)


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, q: Str = None, outlet: Str = None, language: Str = None,
             page: PageNo = 1) -> Response:
    form = {"q": q or "", "outlet": outlet or "", "language": language or ""}
    error = None
    with request.app.state.open_store() as store:
        try:
            if q and q.strip():
                rows, pager = page_of(request, page, lambda limit, offset: store.search_articles(
                    q, limit=limit, offset=offset, outlet=outlet, language=language))
            else:
                rows, pager = page_of(request, page, lambda limit, offset: store.articles(
                    limit=limit, offset=offset, outlet=outlet, language=language))
        except QueryError as err:
            rows, pager, error = [], Pager(request, page, False), str(err)
        outlets = outlet_choices(store, form["outlet"])
        languages = store.languages()
        stats = store.stats()
    return render(request, "articles.html", status=422 if error else 200, form=form, rows=rows,
                  pager=pager, outlets=outlets, languages=languages, stats=stats, error=error)


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, q: Str = None, type: Str = None, page: PageNo = 1) -> Response:
    form = {"q": q or "", "type": type or ""}
    error = None
    with request.app.state.open_store() as store:
        try:
            rows, pager = page_of(request, page, lambda limit, offset: store.people(
                limit=limit, offset=offset, query=q, type=type))
        except QueryError as err:
            rows, pager, error = [], Pager(request, page, False), str(err)
        stats = store.stats()
    return render(request, "people.html", status=422 if error else 200, form=form, rows=rows,
                  pager=pager, types=SPEAKER_TYPES, stats=stats, error=error)


@router.get("/quotes", response_class=HTMLResponse)
def quotes(request: Request, variants: Str = None, page: PageNo = 1) -> Response:
    only_variants = (variants or "").lower() in ("1", "true", "on", "yes")
    with request.app.state.open_store() as store:
        rows, pager = page_of(request, page, lambda limit, offset: store.quotes(
            variants=only_variants, limit=limit, offset=offset))
        stats = store.stats()
    return render(request, "quotes.html", rows=rows, pager=pager, variants=only_variants, stats=stats)


@router.get("/flags", response_class=HTMLResponse)
def flags(request: Request, kind: Str = None, page: PageNo = 1) -> Response:
    with request.app.state.open_store() as store:
        rows, pager = page_of(request, page, lambda limit, offset: store.flags(
            kind=kind or None, limit=limit, offset=offset))
        stats = store.stats()
    return render(request, "flags.html", rows=rows, pager=pager, kind=kind or "", kinds=sorted(stats["flags"]),
                  stats=stats)


@router.get("/articles/{id}", response_class=HTMLResponse)
def article(request: Request, id: Id) -> Response:
    with request.app.state.open_store() as store:
        art = store.article(id)
    if art is None:
        raise HTTPException(404, "article not found")
    return render(request, "article.html", article=art, stored=True)


@router.get("/people/{id}", response_class=HTMLResponse)
def person(request: Request, id: Id, page: PageNo = 1) -> Response:
    with request.app.state.open_store() as store:
        p = store.person(id, limit=PAGE + 1, offset=(page - 1) * PAGE)
    if p is None:
        raise HTTPException(404, "person not found")
    pager = Pager(request, page, len(p["statements"]) > PAGE)
    p["statements"] = p["statements"][:PAGE]
    return render(request, "person.html", person=p, pager=pager)


@router.get("/quotes/{id}", response_class=HTMLResponse)
def quote(request: Request, id: Id) -> Response:
    with request.app.state.open_store() as store:
        q = store.quote(id)
    if q is None:
        raise HTTPException(404, "quote not found")
    return render(request, "quote.html", quote=q)


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> Response:
    return render(request, "paste.html", text="", title="", published="", article=None, error=None)


@router.post("/paste", response_class=HTMLResponse)
async def paste(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10, max_part_size=MAX_BODY_BYTES)
    text, title, published = (form.get(k) for k in ("text", "title", "published"))
    text = text if isinstance(text, str) else ""
    title = title.strip() if isinstance(title, str) and title.strip() else None
    published = published.strip() if isinstance(published, str) and published.strip() else None
    typed = {"text": text, "title": title or "", "published": published or ""}
    try:
        art = await request.app.state.extractor.run(with_headline(text, title), title, published)
    except LimitError as err:  # the form comes back with everything the user typed
        return render(request, "paste.html", status=err.status, **typed, article=None, error=err.message)
    return render(request, "paste.html", **typed, article=art, error=None)


def with_headline(text: str, title: str | None) -> str:
    """The article as read: a headline typed apart opens the text, as in a ``.txt`` file."""
    if title and not text.lstrip().startswith(title):
        return f"{title}\n\n{text}"
    return text
