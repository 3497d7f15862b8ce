"""Reading input documents: paths in, (text, metadata) out, with errors that name the file."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
MAX_BYTES = 200 * 1024 * 1024


class InputError(ValueError):
    """A document that cannot be read; the message names the file and the problem."""


@dataclass
class Document:
    """One input document before extraction."""

    id: str
    text: str
    meta: dict = field(default_factory=dict)
    origin: str = ""


def decode_text(data: bytes, origin: str) -> str:
    """Bytes to text, refusing binaries and invalid UTF-8 with a message naming ``origin``."""
    if not data.strip():
        raise InputError(f"{origin}: empty file")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: binary file (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark is not part of the article
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{origin}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})") \
            from None


def read_text_file(path: Path) -> Document:
    """A ``.txt`` article: the first non-empty line is its headline (and part of the text)."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{origin}: {size / 2**20:.0f} MB is over the {MAX_BYTES // 2**20} MB limit")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{origin}: cannot read ({err.strerror})") from None
    text = decode_text(data, origin)
    return Document(id=path.stem, text=text, meta={"title": first_line(text)}, origin=origin)


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def read_stdin() -> Document:
    text = decode_text(sys.stdin.buffer.read(), "<stdin>")
    return Document(id="stdin", text=text, meta={"title": first_line(text)}, origin="<stdin>")


def expand_paths(paths: Iterable[str]) -> Iterator[str | Path]:
    """Files as given, directories walked for text files (sorted), ``-`` for stdin."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            yield from sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        else:
            yield path


def read_document(item: str | Path) -> Document:
    if item == "-":
        return read_stdin()
    path = Path(item)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    return read_text_file(path)
