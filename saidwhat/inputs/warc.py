"""WARC files (CC-NEWS layout): the HTML responses, each read as a page, streamed with fastwarc.

Ids are ``<stem>:<n>``, ``n`` counting response records from 1; the URL is the record's
``WARC-Target-URI``, the date the page's own or else the day of its ``WARC-Date``. Other
records, non-HTML responses and non-2xx statuses are skipped silently (not articles).
A corrupt record is reported and reading resumes at the next record that parses; a
truncated file is reported after the records before the damage.
"""
from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..errors import InputError
from .documents import MAX_HTML_BYTES, Document, doc_stem
from .html import read_html

_HTML_TYPES = ("text/html", "application/xhtml")
_LOOKS_HTML = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)


_GZIP_MAGIC = b"\x1f\x8b\x08"
_RESYNC_CHUNK = 1 << 20
_UNTYPED = (WarcRecordType.unknown, WarcRecordType.no_type)


class _Truncated(InputError):
    """A record cut off by the end of the file: nothing follows it."""


def warc_records(fh: BinaryIO, path: PurePath, gz: bool) -> Iterator[Document | InputError]:
    """The articles of the WARC data in ``fh`` (gzipped when ``gz``), named ``path`` in ids and
    errors. fastwarc stops at the first damage, so after one it is restarted at the next good
    record."""
    stem = doc_stem(path)
    number, start = 0, 0
    while start is not None:
        fh.seek(start)
        pos, in_record = None, False  # where the last record of this pass began
        try:
            # all record types, not just responses: a record whose WARC headers were damaged or
            # cut off comes back untyped, and only seeing it tells a bad file from a whole one
            for record in ArchiveIterator(fh, record_types=WarcRecordType.any_type, parse_http=True):
                pos = record.stream_pos
                if record.record_type in _UNTYPED or record.headers.get("Content-Length") is None:
                    yield InputError(f"{path}: record at byte {pos} has corrupt or cut-off WARC headers "
                                     f"(WARC-Type {record.headers.get('WARC-Type')!r}); skipped")
                    continue
                if record.record_type != WarcRecordType.response:
                    continue
                number, in_record = number + 1, True
                try:
                    item = _warc_document(record, f"{path} record {number} (byte {pos})", f"{stem}:{number}")
                except _Truncated as err:
                    yield InputError(str(err))
                    return
                if item is not None:
                    yield item
                in_record = False
        except OSError as err:  # fastwarc: unparsable headers or data that does not inflate
            where = f"record {number} (byte {pos})" if in_record else \
                f"the record after the one at byte {pos}" if pos is not None else f"byte {start}"
            start = _next_record(fh, (start if pos is None else pos) + 1, gz)
            then = f"; resuming at byte {start}" if start is not None else "; nothing readable after it"
            yield InputError(f"{path}: corrupt or cut-off data at {where} ({err}){then}")
            continue
        pos = start if pos is None else pos
        if gz and (problem := _gzip_damage(fh, pos)):
            yield InputError(f"{path}: gzip stream {problem} after byte {pos}; "
                             f"the {number} record(s) before it were read")
        start = None


def _warc_document(record: Any, origin: str, doc_id: str) -> Document | InputError | None:
    """One response record as an article, an error, or ``None`` when it is not an HTML page."""
    if not record.is_http_parsed or record.http_headers.status_code is None:
        return InputError(f"{origin}: truncated or corrupt HTTP response (no status line)")
    content_type = (record.http_content_type or "").lower()
    # a page without a Content-Type is read if it looks like HTML
    html = 200 <= record.http_headers.status_code < 300 and \
        (not content_type or content_type.startswith(_HTML_TYPES))
    if html and record.content_length > MAX_HTML_BYTES:
        return InputError(f"{origin}: {record.content_length:,} bytes, over the {MAX_HTML_BYTES:,}-byte "
                          f"limit for one page")
    body = record.reader.read() if html else b""
    if (len(body) if html else record.reader.consume()) < record.content_length:
        raise _Truncated(f"{origin}: truncated (the file ends inside it); the records before it were read")
    if not html or not (content_type or _LOOKS_HTML.match(body)):
        return None
    url = record.headers.get("WARC-Target-URI")
    try:
        doc = read_html(body, origin, doc_id, url=url, charset=record.http_charset)
    except InputError as err:
        return err
    doc.meta["url"] = url or doc.meta["url"]
    if not doc.meta["published"] and (warc_date := record.headers.get("WARC-Date")):
        doc.meta["published"] = warc_date[:10]
    return doc


def _next_record(fh: BinaryIO, after: int, gz: bool) -> int | None:
    """Where the next record that fastwarc can read starts, at or after byte ``after``:
    a ``WARC/1.`` line (plain) or a gzip member (``.gz``) whose headers parse."""
    marker = _GZIP_MAGIC if gz else b"WARC/1."
    pos = after
    while True:
        fh.seek(pos)
        chunk = fh.read(_RESYNC_CHUNK + len(marker))
        if len(chunk) < len(marker):
            return None
        i = 0
        while (i := chunk.find(marker, i)) >= 0:
            if _record_at(fh, pos + i):
                return pos + i
            i += 1
        pos += _RESYNC_CHUNK


def _record_at(fh: BinaryIO, pos: int) -> bool:
    fh.seek(pos)
    try:
        record = next(iter(ArchiveIterator(fh, parse_http=False)), None)
    except OSError:
        return False
    # fastwarc may skip garbage to a later record; only one starting right here counts
    return record is not None and record.stream_pos == pos and "Content-Length" in record.headers


def _gzip_damage(fh: BinaryIO, pos: int) -> str | None:
    """Whether the gzip data from ``pos`` (a member start, else the file start) to the end
    is cut off or corrupt; fastwarc stops silently at a cut inside a member's headers."""
    fh.seek(pos)
    if fh.read(3) != _GZIP_MAGIC:
        pos = 0
    fh.seek(pos)
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gzf:
            while gzf.read(_RESYNC_CHUNK):
                pass
    except EOFError:
        return "truncated"
    except (OSError, zlib.error) as err:
        return f"corrupt ({err})"
    return None
