"""Limits on what one request may cost: body size and extraction time.

Extraction is CPU-bound spaCy work; it runs in worker *processes* (started on first use, each
loading the pipeline once) so the event loop stays responsive and a request waits at most
``timeout`` seconds: a worker still busy then is killed and replaced, so abandoned work never
holds up the next request. At most ``max_pending`` requests wait or run at once; more get 503.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import LimitError
from ..extraction.dates import publication_day
from ..extraction.extractor import extract
from ..extraction.model import DEFAULT_MODEL, FAST_MODEL

MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 1_000
# a UTF-8 character is at most 4 bytes; JSON escapes (\uXXXX) up to 6, forms (%XX) up to 12
MAX_BODY_BYTES = 12 * MAX_TEXT_CHARS + 16_384
EXTRACT_TIMEOUT_S = 30.0
_WARM_UP = ("Minister Warns on Budget\n\nThe finance minister, Jane Holt, said the budget was tight. "
            "\"We cannot spend more,\" she told reporters, according to officials.")


def check_text(text: str, title: str | None, published: str | None = None) -> None:
    if published is not None and publication_day(published) is None:
        raise LimitError(422, f"published {published[:40]!r}: expected a date as YYYY-MM-DD")
    if len(text) > MAX_TEXT_CHARS:
        raise LimitError(413, f"article too long: {len(text):,} characters "
                              f"(the limit is {MAX_TEXT_CHARS:,})")
    if title is not None and len(title) > MAX_TITLE_CHARS:
        raise LimitError(413, f"title too long (the limit is {MAX_TITLE_CHARS:,} characters)")
    if not text.strip():
        raise LimitError(422, "no text to analyse")


def _serve(conn: Connection) -> None:
    """A worker process: extract each ``(text, title, published, fast)`` it is sent, until the pipe
    closes; ``fast``: the trees alone, without the span tagger."""
    # the pipeline and every model, before any request is timed (each once: the default may be the fast one)
    for model in dict.fromkeys((DEFAULT_MODEL, FAST_MODEL)):
        extract(_WARM_UP, attribution_model=model)
    conn.send(("ready", None))
    while True:
        try:
            text, title, published, fast = conn.recv()
        except (EOFError, OSError):
            return
        try:
            article = extract(text, title=title, published=published,
                              attribution_model=FAST_MODEL if fast else DEFAULT_MODEL)
            conn.send(("ok", article.to_dict(with_text=True)))
        except Exception as err:  # noqa: BLE001 - reported to the request, the worker goes on
            conn.send(("error", f"{type(err).__name__}: {err}"))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="saidwhat-extract")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until the worker has loaded the pipeline (not counted against a request's time)."""
        if not self.ready:
            if not self.conn.poll(timeout):
                raise OSError("the extraction worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Extractor:
    """Runs ``saidwhat.extract`` in ``workers`` killable processes with a timeout and a limit on
    the requests waiting or running (``max_pending``)."""

    def __init__(self, workers: int = 2, timeout: float = EXTRACT_TIMEOUT_S,
                 max_pending: int = 8) -> None:
        self.workers = workers
        self.timeout = timeout
        self.max_pending = max_pending
        self.pending = 0
        self.busy = 0
        self._ctx = multiprocessing.get_context("spawn")  # the server has threads: no fork
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="saidwhat-extract")

    def status(self) -> dict[str, Any]:
        """How busy extraction is: for the API, and for a client deciding when to retry."""
        return {"workers": self.workers, "running": self.busy, "waiting": max(0, self.pending - self.busy),
                "max_pending": self.max_pending, "timeout_s": self.timeout,
                "accepting": self.pending < self.max_pending,
                "processes": [w.process.pid for w in list(self._all)]}

    def prestart(self) -> None:
        """Start one worker now, so the first request does not wait for the pipeline to load."""
        with self._lock:
            if not self._all:
                worker = _Worker(self._ctx)
                self._all.append(worker)
                self._idle.put(worker)

    async def run(self, text: str, title: str | None, published: str | None = None,
                  fast: bool = False) -> dict[str, Any]:
        """The article dict (with text), or :class:`LimitError` 503 (busy) / 504 (too slow);
        ``published`` (YYYY-MM-DD) dates the statements' times; ``fast``: the trees alone."""
        check_text(text, title, published)
        if self.pending >= self.max_pending:
            raise LimitError(503, "the server is busy extracting other articles; try again soon")
        self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads, self._call, text, title or None, published, fast)
        finally:
            self.pending -= 1

    def _worker(self) -> _Worker:
        """An idle worker, a new one while fewer than ``workers`` run, else wait for one."""
        with self._lock:
            if self._idle.empty() and len(self._all) < self.workers:
                worker = _Worker(self._ctx)
                self._all.append(worker)
                return worker
        worker = self._idle.get()
        if worker is None:
            raise LimitError(503, "the server is shutting down")
        return worker

    def _call(self, text: str, title: str | None, published: str | None, fast: bool) -> dict[str, Any]:
        worker: _Worker | None = self._worker()
        self.busy += 1
        try:
            worker.wait_ready()
            deadline = time.monotonic() + self.timeout
            worker.conn.send((text, title, published, fast))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                raise LimitError(504, f"extraction took longer than {self.timeout:g} s; try a shorter text")
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            worker = None
            raise LimitError(500, "the extraction worker stopped; try again") from None
        finally:
            self.busy -= 1
            if worker is not None:
                self._idle.put(worker)
        if status != "ok":
            raise LimitError(500, f"extraction failed ({value})")
        return value

    def _replace(self, worker: _Worker | None) -> None:
        """Kill a worker (its work is abandoned); the next request starts a fresh one."""
        if worker is None:
            return
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
        for _ in range(self.workers):
            self._idle.put(None)
        self._threads.shutdown(wait=False, cancel_futures=True)


class BodyLimitMiddleware:
    """Answers 413 to any request body over ``max_bytes``, declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, scope)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge(413, "request body too large")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, scope)


class _BodyTooLarge(HTTPException):
    """An HTTP 413, so the app's own handlers answer it when they see it first."""


_TOO_LARGE_PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Too long · saidwhat</title>
<link rel="stylesheet" href="/static/style.css"></head><body><main><h1>That text is too long</h1>
<p class="error" role="alert">Nothing was sent: an article may have up to {MAX_TEXT_CHARS:,} characters.</p>
<p>Go <strong>back</strong> in your browser: your text is still in the form there.</p>
<p><a href="/paste">Paste an article</a></p></main></body></html>""".encode()


async def _too_large(send: Send, scope: Scope) -> None:
    """413: JSON for the API, a page that says how to get the text back for a form."""
    api = str(scope.get("path", "")).startswith("/api")
    body, kind = (b'{"detail":"request body too large"}', b"application/json") if api \
        else (_TOO_LARGE_PAGE, b"text/html; charset=utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
