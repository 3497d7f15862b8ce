"""The FastAPI application: pages, JSON API, limits and error handling.

The database path is fixed when the app is made; no request can name a file. Every
request opens its own read-only connection (sqlite3 connections stay in their thread).
"""
from __future__ import annotations

import importlib.resources
import logging
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from ..corpus.search import count_text
from ..corpus.store import Store
from ..errors import LimitError, QueryError
from . import api, pages
from .charts import timeline_svg
from .circumstances import circumstance_line, speaker_names
from .highlight import highlight_article, mark_matches, resolution_note, speaker_colours
from .limits import MAX_TEXT_CHARS, BodyLimitMiddleware, Extractor

HERE = Path(__file__).resolve().parent
log = logging.getLogger("saidwhat.web")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# the API docs: their own inline start-up script and styles, nothing from elsewhere (ReDoc's
# footer logo would come from a CDN)
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(highlight_article=highlight_article, timeline_svg=timeline_svg, mark_matches=mark_matches,
                       speaker_colours=speaker_colours, resolution_note=resolution_note,
                       flag_links=pages.flag_links, count_text=count_text, max_chars=MAX_TEXT_CHARS,
                       circumstance_line=circumstance_line, speaker_names=speaker_names)
    return Jinja2Templates(env=env)


def create_app(db_path: str | Path, extract_timeout: float | None = None, extract_workers: int = 2) -> FastAPI:
    """The web app over the store at ``db_path``, opened read-only (fails now if it cannot)."""
    db = Path(db_path).resolve()
    Store(db, readonly=True).close()  # a missing or foreign file fails here, not per request
    extractor = Extractor(workers=extract_workers) if extract_timeout is None else \
        Extractor(workers=extract_workers, timeout=extract_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        extractor.prestart()
        yield
        extractor.close()

    app = FastAPI(title="saidwhat", description="Who said what in the news: search the store, "
                  "extract statements from a pasted article.", version="0.1.0",
                  lifespan=lifespan, debug=False, docs_url=None, redoc_url=None)
    app.state.db = db
    app.state.extractor = extractor
    app.state.templates = templates()

    @contextmanager
    def open_store() -> Iterator[Store]:
        store = Store(db, readonly=True)
        try:
            yield store
        finally:
            store.close()

    app.state.open_store = open_store
    app.add_middleware(BodyLimitMiddleware)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _api_docs(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    _error_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN202
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        docs = request.url.path in ("/docs", "/redoc")  # their pages run inline scripts and styles
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app


def _api_docs(app: FastAPI) -> None:
    """Swagger UI at /docs and ReDoc at /redoc with their scripts and styles served from the
    ``fastapi-offline`` package: no CDN, so they work where there is no internet."""
    assets = importlib.resources.files("fastapi_offline") / "static"
    app.mount("/static-docs", StaticFiles(directory=str(assets)), name="static-docs")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="saidwhat API",
                                   swagger_js_url="/static-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static-docs/swagger-ui.css",
                                   swagger_favicon_url="/static-docs/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title="saidwhat API",
                              redoc_js_url="/static-docs/redoc.standalone.js",
                              redoc_favicon_url="/static-docs/favicon.png", with_google_fonts=False)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    """JSON ``{"detail": ...}`` for the API, a small HTML page for everything else."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        response = error_response(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(LimitError)
    async def limit_error(request: Request, exc: LimitError) -> Response:
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        return error_response(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            errors = [{"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")}
                      for e in exc.errors()]
            return JSONResponse({"detail": errors}, status_code=422)
        status = 404 if any(e.get("loc", [""])[0] == "path" for e in exc.errors()) else 400
        return error_response(request, status, "not found" if status == 404 else "bad request")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if _wants_json(request):
            return JSONResponse({"detail": "internal server error"}, status_code=500)
        return HTMLResponse("<!doctype html><title>Error</title><h1>Internal server error</h1>",
                            status_code=500)
