"""JSON API under ``/api`` (OpenAPI at ``/docs``): the store's dicts as they are."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from ..corpus.search import COUNT_CAP
from ..schema import STATEMENT_KINDS

router = APIRouter(prefix="/api", tags=["api"])

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Str = Annotated[str | None, Query(max_length=500)]


class ExtractRequest(BaseModel):
    """An article to analyse; it is not stored."""

    text: str = Field(description="the article text (the first line may be the headline)")
    title: str | None = Field(None, description="the headline, when it opens the text")
    published: str | None = Field(None, max_length=40, description=(
        "when it was published (YYYY-MM-DD): statements' times ('on Wednesday') get their dates from it"))
    fast: bool = Field(False, description="the trees over the parse alone, without the span tagger: faster, "
                                          "less accurate (`saidwhat extract --fast`)")


def _found(value: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if value is None:
        raise HTTPException(404, f"{what} not found")
    return value


@router.post("/extract", summary="Who said what in one article (same JSON as `saidwhat extract`)")
async def extract(body: ExtractRequest, request: Request) -> dict[str, Any]:
    return await request.app.state.extractor.run(body.text, body.title, body.published, body.fast)


@router.get("/status", summary="How busy the server is, and what the store holds")
def status(request: Request) -> dict[str, Any]:
    with request.app.state.open_store() as store:
        stats = store.stats()
    return {"extraction": request.app.state.extractor.status(), "store": stats}


Text = Annotated[str | None, Query(max_length=500, description=(
    'words (stemmed, accents folded), "a phrase", a OR b, -word, prefix*'))]
Speaker = Annotated[str | None, Query(max_length=500, description=(
    "a name, or the start of each of its words (heg, schroder)"))]
Since = Annotated[str | None, Query(max_length=10, description="published on or after: YYYY-MM-DD, YYYY-MM or YYYY")]
Until = Annotated[str | None, Query(max_length=10, description="published on or before: YYYY-MM-DD, YYYY-MM or YYYY")]
Kind = Annotated[str | None, Query(max_length=20, description=f"statement kind: {', '.join(STATEMENT_KINDS)}")]
SaidSince = Annotated[str | None, Query(max_length=10, description=(
    "said on or after (where the text dates the statement): YYYY-MM-DD, YYYY-MM or YYYY"))]
SaidUntil = Annotated[str | None, Query(max_length=10, description=(
    "said on or before (where the text dates the statement): YYYY-MM-DD, YYYY-MM or YYYY"))]
To = Annotated[str | None, Query(max_length=200, description="said to: part of the addressee's words or name")]
Order = Annotated[Literal["relevance", "date"], Query(
    description="relevance: best match first (newest first without q); date: newest first")]


@router.get("/statements", summary="Search statements, best match or newest first")
def statements(request: Request, q: Text = None, speaker: Speaker = None, outlet: Str = None,
               since: Since = None, until: Until = None, kind: Kind = None,
               order: Order = "relevance", limit: Limit = 50, offset: Offset = 0,
               said_since: SaidSince = None, said_until: SaidUntil = None, to: To = None) -> list[dict[str, Any]]:
    """With ``q``, each statement has ``matches``: ``[start, end]`` offsets of the matched
    words in its content."""
    with request.app.state.open_store() as store:
        return store.search(q, speaker=speaker, outlet=outlet, since=since, until=until,
                            kind=kind, order=order, limit=limit, offset=offset,
                            said_since=said_since, said_until=said_until, to=to)


@router.get("/statements/count", summary="How many statements a search finds")
def statements_count(request: Request, q: Text = None, speaker: Speaker = None, outlet: Str = None,
                     since: Since = None, until: Until = None, kind: Kind = None,
                     said_since: SaidSince = None, said_until: SaidUntil = None, to: To = None) -> dict[str, Any]:
    """``count`` stops at ``cap``: ``more`` is true when there are more than ``cap``; ``order`` is
    the order /api/statements gives these results in by default (``date`` for a text with too
    many matches to rank)."""
    with request.app.state.open_store() as store:
        n = store.count(q, speaker=speaker, outlet=outlet, since=since, until=until, kind=kind,
                        said_since=said_since, said_until=said_until, to=to)
        order = store.order_used(q)
    return {"count": min(n, COUNT_CAP), "more": n > COUNT_CAP, "cap": COUNT_CAP, "order": order}


@router.get("/outlets", summary="Outlets with their number of articles, most first")
def outlets(request: Request) -> list[dict[str, Any]]:
    with request.app.state.open_store() as store:
        return store.outlets()


@router.get("/people", summary="People and other speakers, most statements first")
def people(request: Request, q: Str = None, type: Str = None, limit: Limit = 50,
           offset: Offset = 0) -> list[dict[str, Any]]:
    with request.app.state.open_store() as store:
        return store.people(limit=limit, offset=offset, query=q, type=type)


@router.get("/people/{id}", summary="One person: statements, timeline, flags")
def person(request: Request, id: Id, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    with request.app.state.open_store() as store:
        return _found(store.person(id, limit=limit, offset=offset), "person")


@router.get("/quotes", summary="Quotes, most occurrences first")
def quotes(request: Request, variants: bool = False, limit: Limit = 50,
           offset: Offset = 0) -> list[dict[str, Any]]:
    with request.app.state.open_store() as store:
        return store.quotes(variants=variants, limit=limit, offset=offset)


@router.get("/quotes/{id}", summary="One quote: occurrences, variants with word diffs")
def quote(request: Request, id: Id) -> dict[str, Any]:
    with request.app.state.open_store() as store:
        return _found(store.quote(id), "quote")


@router.get("/articles/{id}", summary="One stored article with its text and database ids")
def article(request: Request, id: Id) -> dict[str, Any]:
    with request.app.state.open_store() as store:
        return _found(store.article(id), "article")


@router.get("/flags", summary="Article and corpus flags")
def flags(request: Request, kind: Str = None, limit: Limit = 100,
          offset: Offset = 0) -> list[dict[str, Any]]:
    with request.app.state.open_store() as store:
        return store.flags(kind=kind, limit=limit, offset=offset)
