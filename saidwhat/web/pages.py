"""Server-rendered HTML pages (Jinja2, autoescaped)."""
from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import LimitError
from .limits import MAX_BODY_BYTES

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Str = Annotated[str | None, Query(max_length=500)]
PAGE = 50


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def search(request: Request, q: Str = None, speaker: Str = None, outlet: Str = None,
           since: Str = None, until: Str = None,
           page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    form = {"q": q or "", "speaker": speaker or "", "outlet": outlet or "",
            "since": since or "", "until": until or ""}
    with request.app.state.open_store() as store:
        results = store.search(q, speaker=speaker, outlet=outlet, since=since or None,
                               until=until or None, limit=PAGE + 1, offset=(page - 1) * PAGE)
        stats = store.stats()
    return render(request, "index.html", form=form, results=results[:PAGE],
                  more=len(results) > PAGE, page=page, stats=stats,
                  searched=any(form.values()))


@router.get("/articles/{id}", response_class=HTMLResponse)
def article(request: Request, id: Id) -> Response:
    with request.app.state.open_store() as store:
        art = store.article(id)
    if art is None:
        raise HTTPException(404, "article not found")
    return render(request, "article.html", article=art, stored=True)


@router.get("/people/{id}", response_class=HTMLResponse)
def person(request: Request, id: Id) -> Response:
    with request.app.state.open_store() as store:
        p = store.person(id, limit=500)
        if p is None:
            raise HTTPException(404, "person not found")
        counts = Counter(s["quote_id"] for s in p["statements"] if s["quote_id"] is not None)
        top = [q for qid, _ in counts.most_common(10) if (q := store.quote(qid, limit=1))]
    top.sort(key=lambda q: (-q["n_occurrences"], q["id"]))
    return render(request, "person.html", person=p, top_quotes=top)


@router.get("/quotes/{id}", response_class=HTMLResponse)
def quote(request: Request, id: Id) -> Response:
    with request.app.state.open_store() as store:
        q = store.quote(id)
    if q is None:
        raise HTTPException(404, "quote not found")
    return render(request, "quote.html", quote=q)


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> Response:
    return render(request, "paste.html", text="", title="", article=None, error=None)


@router.post("/paste", response_class=HTMLResponse)
async def paste(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10, max_part_size=MAX_BODY_BYTES)
    text, title = form.get("text"), form.get("title")
    text = text if isinstance(text, str) else ""
    title = title.strip() if isinstance(title, str) and title.strip() else None
    try:
        art = await request.app.state.extractor.run(text, title)
    except LimitError as err:
        shown = text if len(text) <= 10_000 else ""
        return render(request, "paste.html", status=err.status, text=shown, title=title or "",
                      article=None, error=err.message)
    return render(request, "paste.html", text=text, title=title or "", article=art, error=None)
