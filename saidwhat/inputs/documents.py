"""Documents before extraction, the formats saidwhat reads, and which files a command names.

Formats are told apart by suffix (a file named explicitly with any other suffix is read as text):

* ``.txt`` ``.text`` ``.md``: one article; the first non-empty line is its headline.
* ``.html`` ``.htm`` (optionally ``.gz``): one article, text and metadata by trafilatura.
* ``.jsonl``: one article a line (field names in :class:`JsonlFields`), streamed.
* ``.warc`` ``.warc.gz``: HTML responses as crawled (CC-NEWS layout), streamed with fastwarc.
* ``-``: standard input, read as text.
"""
from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ..errors import InputError

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


def format_suffix(path: PurePath) -> str | None:
    """The supported suffix ``path`` ends with (the longest, so ``.html.gz`` over ``.gz``)."""
    name = path.name.lower()
    return max((s for s in SUFFIXES if name.endswith(s)), key=len, default=None)


def is_container(item: str | Path) -> bool:
    """Whether one file holds many articles (JSONL, WARC)."""
    return item != "-" and format_suffix(Path(item)) in JSONL_SUFFIXES + WARC_SUFFIXES


def doc_stem(path: PurePath) -> str:
    """The file name without its format suffix: ``a.html.gz`` -> ``a``, ``x.warc.gz`` -> ``x``."""
    suffix = format_suffix(path)
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
                              for f in (_walk(Path(m)) if Path(m).is_dir() else [Path(m)]) if format_suffix(f)})
            yield from matches or [path]
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(directory: Path) -> list[Path]:
    return sorted(f for f in directory.rglob("*") if f.is_file() and format_suffix(f))


def missing_error(path: Path) -> InputError:
    what = "no supported file matches this pattern" if glob.has_magic(str(path)) else "no such file"
    return InputError(f"{path}: {what}")
