"""Running the app: ``serve`` for the CLI, ``ServerThread`` for tests and embedding."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from .app import create_app


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the store at ``db`` read-only until interrupted (localhost unless told)."""
    uvicorn.run(create_app(db), host=host, port=port, log_level="info",
                server_header=False, proxy_headers=False)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ServerThread:
    """A real uvicorn server on a free localhost port in a background thread."""

    def __init__(self, db: Path | FastAPI, host: str = "127.0.0.1", port: int | None = None,
                 **app_options: float) -> None:
        self.host, self.port = host, port or free_port(host)
        app = db if isinstance(db, FastAPI) else create_app(db, **app_options)
        self.app = app
        config = uvicorn.Config(app, host=self.host, port=self.port,
                                log_level="warning", server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="saidwhat-web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
