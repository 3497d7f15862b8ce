"""Reading input documents: paths in, (text, metadata) out, with errors that name the file.

Formats, told apart by suffix (a file named explicitly with any other suffix is read as text):

* ``.txt`` ``.text`` ``.md``: one article; the first non-empty line is its headline.
* ``.html`` ``.htm`` (optionally ``.gz``): one article, text and metadata by trafilatura.
* ``.jsonl``: one article a line (field names in :class:`JsonlFields`), streamed.
* ``.warc`` ``.warc.gz``: HTML responses as crawled (CC-NEWS layout), streamed with fastwarc.
* ``-``: standard input, read as text.

:func:`iter_documents` reads them all and yields an :class:`InputError` for a bad file, line
or record instead of raising, so that one bad input never stops a batch.
"""
from __future__ import annotations

import codecs
import glob
import gzip
import json
import logging
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, BinaryIO

import trafilatura
from fastwarc.warc import ArchiveIterator, WarcRecordType

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl",)
WARC_SUFFIXES = (".warc", ".warc.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES

# One article (a text file, a JSONL line) is read whole; above this it is refused, not read.
MAX_BYTES = 200 * 1024 * 1024
# trafilatura's own MAX_FILE_SIZE: it silently returns nothing above it, and the lxml tree of
# a page costs several times its size in memory, so bigger pages are refused with a message.
MAX_HTML_BYTES = 20_000_000
# trafilatura returns whatever text a page has (a menu, a cookie notice, "Home"); fewer
# non-space characters than this is taken as a page without an article (chars, not words,
# so that Chinese and Japanese count alike)
MIN_ARTICLE_CHARS = 50

# Without this, trafilatura's log lines reach stderr through logging's last-resort handler
# whenever the application has not configured logging; our own errors already say what failed.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())


class InputError(ValueError):
    """A document that cannot be read; the message names the file and the problem."""


@dataclass
class Document:
    """One input document before extraction."""

    id: str
    text: str
    meta: dict = field(default_factory=dict)
    origin: str = ""


@dataclass(frozen=True)
class JsonlFields:
    """Which JSON keys of a ``.jsonl`` line hold the article and its metadata.

    Only ``text`` must be present; a missing ``id`` gives ``<file stem>:<line number>``.
    """

    text: str = "text"
    title: str = "title"
    url: str = "url"
    published: str = "published"
    outlet: str = "outlet"
    id: str = "id"


# ------------------------------------------------------------------ paths

def _suffix(path: PurePath) -> str | None:
    """The supported suffix ``path`` ends with (the longest, so ``.html.gz`` over ``.gz``)."""
    name = path.name.lower()
    return max((s for s in SUFFIXES if name.endswith(s)), key=len, default=None)


def is_container(item: str | Path) -> bool:
    """Whether one file holds many articles (JSONL, WARC)."""
    return item != "-" and _suffix(Path(item)) in JSONL_SUFFIXES + WARC_SUFFIXES


def doc_stem(path: PurePath) -> str:
    """The file name without its format suffix: ``a.html.gz`` -> ``a``, ``x.warc.gz`` -> ``x``."""
    suffix = _suffix(path)
    return path.name[:-len(suffix)] if suffix else path.stem


def expand_paths(paths: Iterable[str]) -> Iterator[str | Path]:
    """Files as given, directories walked for supported files (sorted), glob patterns
    expanded (sorted), ``-`` for stdin. A pattern matching nothing is passed on as is, so
    that reading it reports the miss."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if not path.exists() and glob.has_magic(p):
            # like a directory, a pattern selects the supported files among its matches
            matches = sorted({f for m in glob.glob(p, recursive=True)
                              for f in (_walk(Path(m)) if Path(m).is_dir() else [Path(m)]) if _suffix(f)})
            yield from matches or [path]
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(directory: Path) -> list[Path]:
    return sorted(f for f in directory.rglob("*") if f.is_file() and _suffix(f))


def _missing(path: Path) -> InputError:
    what = "no supported file matches this pattern" if glob.has_magic(str(path)) else "no such file"
    return InputError(f"{path}: {what}")


# ------------------------------------------------------------------ text

def decode_text(data: bytes, origin: str) -> str:
    """Bytes to text, refusing binaries and invalid UTF-8 with a message naming ``origin``."""
    if not data.strip():
        raise InputError(f"{origin}: empty file")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: binary file (NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]  # a UTF-8 byte-order mark is not part of the article
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{origin}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})") \
            from None


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes (decompressed for ``.gz``), refusing more than ``limit`` of them."""
    gz = path.name.lower().endswith(".gz")
    try:
        if not gz and (size := path.stat().st_size) > limit:
            raise InputError(f"{path}: {size:,} bytes, over the {limit:,}-byte limit for one article")
        with gzip.open(path, "rb") if gz else path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise _missing(path) from None
    except (OSError, EOFError, zlib.error) as err:  # gzip reports damage as any of these
        raise InputError(f"{path}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    if len(data) > limit:
        raise InputError(f"{path}: over the {limit:,}-byte limit for one article once decompressed")
    return data


def read_text_file(path: Path) -> Document:
    """A ``.txt`` article: the first non-empty line is its headline (and part of the text)."""
    text = decode_text(_read_bytes(path, MAX_BYTES), str(path))
    return Document(id=path.stem, text=text, meta={"title": first_line(text)}, origin=str(path))


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def read_stdin() -> Document:
    text = decode_text(sys.stdin.buffer.read(), "<stdin>")
    return Document(id="stdin", text=text, meta={"title": first_line(text)}, origin="<stdin>")


# ------------------------------------------------------------------ HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# labels that browsers read as windows-1252 (WHATWG Encoding): pages so labelled use its
# curly quotes and dashes, which latin-1 would turn into control characters
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}


def decode_html(data: bytes, charset: str | None = None) -> str | bytes:
    """Page bytes to text: valid UTF-8 as such (mislabelled pages are usually UTF-8), else
    the charset declared by HTTP (``charset``) or a ``<meta>`` tag, else the bytes unchanged
    for trafilatura's detection (which falls back to UTF-8 with replacement characters)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = charset or (m.group(1).decode("ascii", "replace") if (m := _META_CHARSET.search(data[:4096]))
                           else None)
    if declared:
        declared = declared.strip().lower()
        try:
            return data.decode("cp1252" if declared in _AS_CP1252 else declared, errors="replace")
        except LookupError:
            pass  # an unknown label: detect instead
    return data


def _paragraphs(text: str, title: str | None) -> str:
    """trafilatura's one-line-per-block text as blank-line separated paragraphs, without a
    leading copy of the title (the title is metadata, not body text, for HTML)."""
    paras = [line.strip() for line in text.splitlines() if line.strip()]
    if paras and title and " ".join(paras[0].split()).casefold() == " ".join(title.split()).casefold():
        paras = paras[1:]
    return "\n\n".join(paras)


def read_html(data: bytes, origin: str, doc_id: str, url: str | None = None,
              charset: str | None = None) -> Document:
    """One page's article text and metadata (title, url, published, outlet) by trafilatura."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"{origin}: {len(data):,} bytes, over the {MAX_HTML_BYTES:,}-byte limit for a page")
    try:
        result = trafilatura.bare_extraction(decode_html(data, charset), url=url, with_metadata=True,
                                             include_comments=False)
    except Exception as err:  # noqa: BLE001 - a page that breaks the extractor is bad input
        raise InputError(f"{origin}: HTML extraction failed ({type(err).__name__}: {err})") from None
    page: dict[str, Any] = result.as_dict() if result is not None else {}
    title = page.get("title") or None
    text = _paragraphs(page.get("text") or "", title)
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise InputError(f"{origin}: no article text found in the HTML"
                         + (f" (only {text[:60]!r})" if text else ""))
    meta = {"title": title, "url": page.get("url") or url, "published": page.get("date") or None,
            "outlet": page.get("sitename") or page.get("hostname") or None}
    return Document(id=doc_id, text=text, meta=meta, origin=origin)


def read_html_file(path: Path) -> Document:
    """A ``.html``/``.htm`` page, gzipped or not."""
    return read_html(_read_bytes(path, MAX_HTML_BYTES), str(path), doc_stem(path))


# ------------------------------------------------------------------ JSONL

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


def read_jsonl(path: Path, fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """One article a line, streamed from a file."""
    try:
        with path.open("rb") as fh:
            yield from read_jsonl_stream(fh, str(path), fields)
    except FileNotFoundError:
        yield _missing(path)
    except OSError as err:
        yield InputError(f"{path}: cannot read ({err.strerror or err})")


# ------------------------------------------------------------------ WARC

_HTML_TYPES = ("text/html", "application/xhtml")
_LOOKS_HTML = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RESYNC_CHUNK = 1 << 20
_UNTYPED = (WarcRecordType.unknown, WarcRecordType.no_type)


class _Truncated(InputError):
    """A record cut off by the end of the file: nothing follows it."""


def read_warc(path: Path) -> Iterator[Document | InputError]:
    """The HTML responses of a WARC file, each read as an HTML page.

    Ids are ``<stem>:<n>``, ``n`` counting response records from 1; the URL is the record's
    ``WARC-Target-URI``, the date the page's own or else the day of its ``WARC-Date``. Other
    records, non-HTML responses and non-2xx statuses are skipped silently (not articles).
    A corrupt record is reported and reading resumes at the next record that parses; a
    truncated file is reported after the records before the damage.
    """
    try:
        with path.open("rb") as fh:
            gz = fh.read(2) == b"\x1f\x8b" or path.name.lower().endswith(".gz")
            yield from _warc_records(fh, path, gz)
    except FileNotFoundError:
        yield _missing(path)
    except OSError as err:
        yield InputError(f"{path}: cannot read ({err.strerror or err})")


def _warc_records(fh: BinaryIO, path: Path, gz: bool) -> Iterator[Document | InputError]:
    """fastwarc stops at the first damage, so after one it is restarted at the next good record."""
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


# ------------------------------------------------------------------ all formats

def read_document(item: str | Path) -> Document:
    """One single-article input: a text or HTML file, or ``-`` for stdin."""
    if item == "-":
        return read_stdin()
    path = Path(item)
    if not path.exists():
        raise _missing(path)
    suffix = _suffix(path)
    if suffix in HTML_SUFFIXES:
        return read_html_file(path)
    if suffix in JSONL_SUFFIXES + WARC_SUFFIXES:
        raise InputError(f"{path}: a {suffix} file holds many articles; read it with iter_documents()")
    return read_text_file(path)


def iter_documents(paths: Iterable[str],
                   fields: JsonlFields = JsonlFields()) -> Iterator[Document | InputError]:
    """Every article in ``paths`` (files, directories, glob patterns, ``-``), in order, with an
    :class:`InputError` in place of each bad file, line or record; never raises for bad input."""
    for item in expand_paths(paths):
        suffix = None if item == "-" else _suffix(Path(item))
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(Path(item), fields)
        elif suffix in WARC_SUFFIXES:
            yield from read_warc(Path(item))
        else:
            try:
                yield read_document(item)
            except InputError as err:
                yield err
