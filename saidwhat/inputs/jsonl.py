"""JSON lines: one article a line, streamed; a bad line is an error naming it, and the next follow."""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from ..errors import InputError
from .documents import MAX_BYTES, Document, JsonlFields, doc_stem


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines, ``None`` for one longer than ``limit`` (skipped without keeping it)."""
    number = 0
    while line := fh.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _field(record: dict, key: str, origin: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{origin}: field {key!r} is a {type(value).__name__}, not a string")


def _jsonl_document(line: bytes, origin: str, default_id: str, fields: JsonlFields) -> Document:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"{origin}: not valid UTF-8 (byte {err.start} of the line)") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{origin}: not JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{origin}: a JSON {type(record).__name__}, not an object")
    text = record.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{origin}: no article text (field {fields.text!r} missing, empty or not a string)")
    meta = {key: _field(record, getattr(fields, key), origin)
            for key in ("title", "url", "published", "outlet")}
    return Document(id=_field(record, fields.id, origin) or default_id, text=text, meta=meta, origin=origin)


def read_jsonl_stream(fh: BinaryIO, name: str,
                      fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """JSON lines from an open binary stream (a file, or bytes from Spark); ``name`` names it in
    ids and errors. A bad line is an error naming it and the next lines follow."""
    stem = doc_stem(PurePosixPath(name))
    if b"\x00" in fh.read(8192):
        yield InputError(f"{name}: binary or UTF-16/32 data (NUL bytes), not UTF-8 JSON lines")
        return
    fh.seek(0)
    for number, line in _lines(fh, MAX_BYTES):
        origin = f"{name}:{number}"
        if line is None:
            yield InputError(f"{origin}: line over the {MAX_BYTES:,}-byte limit for one article")
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        if not line.strip():
            continue
        try:
            yield _jsonl_document(line, origin, f"{stem}:{number}", fields)
        except InputError as err:
            yield err
