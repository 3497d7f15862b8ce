"""Reading input documents: paths, bytes or streams in, :class:`Document` or :class:`InputError` out.

:func:`read_stream` is the one reader of a file's bytes, whatever the format (told by the
file's name); the path readers open a file and call it, and the Spark job calls it on the
bytes of each file (:func:`read_bytes`). :func:`iter_documents` reads many paths and yields an
:class:`InputError` for a bad file, line or record instead of raising, so that one bad input
never stops a batch.
"""
from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import InputError
from ..extraction.headline import first_line
from .documents import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_BYTES,
    MAX_HTML_BYTES,
    WARC_SUFFIXES,
    Document,
    JsonlFields,
    doc_stem,
    expand_paths,
    format_suffix,
    missing_error,
)
from .html import read_html
from .jsonl import read_jsonl_stream
from .text import decode_text
from .warc import warc_records

_GZIP_START = b"\x1f\x8b"


def _read_whole(fh: BinaryIO, name: str, limit: int) -> bytes:
    """The bytes of a one-article file (decompressed for ``.gz``), refusing more than ``limit``."""
    try:
        if name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
                data = gz.read(limit + 1)
        else:
            size = fh.seek(0, io.SEEK_END)
            fh.seek(0)
            if size > limit:
                raise InputError(f"{name}: {size:,} bytes, over the {limit:,}-byte limit for one article")
            data = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as err:  # gzip reports damage as any of these
        raise InputError(f"{name}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    if len(data) > limit:
        raise InputError(f"{name}: over the {limit:,}-byte limit for one article once decompressed")
    return data


def read_stream(name: str, fh: BinaryIO,
                fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """The documents in one file, given its name (which decides the format, and names it in ids
    and errors) and a seekable binary stream of its bytes. Never raises for bad input."""
    path = PurePosixPath(name)
    suffix = format_suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_stream(fh, name, fields)
        return
    if suffix in WARC_SUFFIXES:
        try:
            gz = fh.read(2) == _GZIP_START or name.lower().endswith(".gz")
            yield from warc_records(fh, path, gz)
        except OSError as err:
            yield InputError(f"{name}: cannot read ({err.strerror or err})")
        return
    try:
        if suffix in HTML_SUFFIXES:
            yield read_html(_read_whole(fh, name, MAX_HTML_BYTES), name, doc_stem(path))
            return
        text = decode_text(_read_whole(fh, name, MAX_BYTES), name)
        yield Document(id=path.stem, text=text, meta={"title": first_line(text)}, origin=name)
    except InputError as err:
        yield err


def read_bytes(name: str, data: bytes,
               fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """:func:`read_stream` over bytes in memory (a file as Spark's ``binaryFiles`` gives it)."""
    yield from read_stream(name, io.BytesIO(data), fields)


def read_path(path: Path, fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """The documents in the file at ``path`` (JSONL and WARC streamed, others read whole)."""
    try:
        with path.open("rb") as fh:
            yield from read_stream(str(path), fh, fields)
    except FileNotFoundError:
        yield missing_error(path)
    except OSError as err:
        yield InputError(f"{path}: cannot read ({err.strerror or err})")


def read_stdin() -> Document:
    """Standard input, read as one text article."""
    text = decode_text(sys.stdin.buffer.read(), "<stdin>")
    return Document(id="stdin", text=text, meta={"title": first_line(text)}, origin="<stdin>")


def read_document(item: str | Path) -> Document:
    """One single-article input: a text or HTML file, or ``-`` for stdin."""
    if item == "-":
        return read_stdin()
    path = Path(item)
    suffix = format_suffix(path)
    if suffix in JSONL_SUFFIXES + WARC_SUFFIXES and path.exists():
        raise InputError(f"{path}: a {suffix} file holds many articles; read it with iter_documents()")
    for doc in read_path(path):
        if isinstance(doc, InputError):
            raise doc
        return doc
    raise InputError(f"{path}: no article found")


def iter_documents(paths: Iterable[str],
                   fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """Every article in ``paths`` (files, directories, glob patterns, ``-``), in order, with an
    :class:`InputError` in place of each bad file, line or record; never raises for bad input."""
    for item in expand_paths(paths):
        if item == "-":
            try:
                yield read_stdin()
            except InputError as err:
                yield err
        else:
            yield from read_path(Path(item), fields)
