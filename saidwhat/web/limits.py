"""Limits on what one request may cost: body size and extraction time.

Extraction is CPU-bound spaCy work; it runs in a small worker pool so the event loop
stays responsive, and a request waits at most ``timeout`` seconds for it.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import LimitError
from ..extraction.extractor import extract

MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 1_000
# a UTF-8 character is at most 4 bytes; JSON escapes (\uXXXX) up to 6, forms (%XX) up to 12
MAX_BODY_BYTES = 12 * MAX_TEXT_CHARS + 16_384
EXTRACT_TIMEOUT_S = 30.0


def check_text(text: str, title: str | None) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise LimitError(413, f"article too long: {len(text):,} characters "
                              f"(the limit is {MAX_TEXT_CHARS:,})")
    if title is not None and len(title) > MAX_TITLE_CHARS:
        raise LimitError(413, f"title too long (the limit is {MAX_TITLE_CHARS:,} characters)")
    if not text.strip():
        raise LimitError(422, "no text to analyse")


class Extractor:
    """Runs ``saidwhat.extract`` in worker threads with a timeout and a queue limit."""

    def __init__(self, workers: int = 2, timeout: float = EXTRACT_TIMEOUT_S,
                 max_pending: int = 8) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="saidwhat-extract")
        self.timeout = timeout
        self.max_pending = max_pending
        self.pending = 0

    async def run(self, text: str, title: str | None) -> dict[str, Any]:
        """The article dict (with text), or :class:`LimitError` 503 (busy) / 504 (too slow)."""
        check_text(text, title)
        if self.pending >= self.max_pending:
            raise LimitError(503, "the server is busy extracting other articles; try again soon")
        self.pending += 1
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.pool, _extract, text, title or None)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            raise LimitError(504, f"extraction took longer than {self.timeout:g} s; "
                                  "try a shorter text") from None
        finally:
            self.pending -= 1

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _extract(text: str, title: str | None) -> dict[str, Any]:
    return extract(text, title=title).to_dict(with_text=True)


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
            await _too_large(send)
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
                await _too_large(send)


class _BodyTooLarge(HTTPException):
    """An HTTP 413, so the app's own handlers answer it when they see it first."""


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body too large"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
