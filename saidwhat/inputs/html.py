"""HTML pages: the article's text and metadata (title, URL, date, site) by trafilatura.

Charsets are read as browsers read them; a page without article text is an error that
names it, not an empty article. Before trafilatura reads the page, furniture that sits inside
the article's paragraphs is removed: what a reader never sees in the text (hidden elements,
name cards and tooltips shown on hover, with their "latest stories" links) and pull quotes
that repeat the body — left in, they read as statements.
"""
from __future__ import annotations

import codecs
import logging
import re
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from ..errors import InputError
from .documents import MAX_HTML_BYTES, MIN_ARTICLE_CHARS, Document

# Without this, trafilatura's log lines reach stderr through logging's last-resort handler
# whenever the application has not configured logging; our own errors already say what failed.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

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


#: words in a class attribute that mark furniture inside paragraphs (any case, any part of it)
FURNITURE_CLASS_WORDS = ("rollover", "tooltip", "popover", "hovercard", "hover-card", "pullquote",
                         "pull-quote", "sr-only", "visually-hidden", "screen-reader-text")
_FURNITURE = "//*[@hidden or @aria-hidden='true' or contains(translate(@style, ' ', ''), 'display:none') or " + \
    " or ".join(f"contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{w}')"
                for w in FURNITURE_CLASS_WORDS) + "]"


def without_furniture(tree: HtmlElement) -> HtmlElement:
    """``tree`` without the elements :data:`FURNITURE_CLASS_WORDS` and hiding mark (text that
    follows them stays); never the ``<html>``, ``<head>`` or ``<body>`` element itself."""
    for element in tree.xpath(_FURNITURE):
        if element.tag not in ("html", "head", "body") and element.getparent() is not None:
            element.drop_tree()
    return tree


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
        tree = load_html(decode_html(data, charset))
        result = None if tree is None else trafilatura.bare_extraction(
            without_furniture(tree), url=url, with_metadata=True, include_comments=False)
    except Exception as err:  # noqa: BLE001 - a page that breaks the extractor is bad input
        raise InputError(f"{origin}: HTML extraction failed ({type(err).__name__}: {err})") from None
    if tree is None:
        raise InputError(f"{origin}: not an HTML page (no HTML tree)")
    page: dict[str, Any] = result.as_dict() if result is not None else {}
    title = page.get("title") or None
    text = _paragraphs(page.get("text") or "", title)
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise InputError(f"{origin}: no article text found in the HTML"
                         + (f" (only {text[:60]!r})" if text else ""))
    meta = {"title": title, "url": page.get("url") or url, "published": page.get("date") or None,
            "outlet": page.get("sitename") or page.get("hostname") or None}
    return Document(id=doc_id, text=text, meta=meta, origin=origin)
