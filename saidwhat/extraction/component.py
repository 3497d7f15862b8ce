"""saidwhat as a spaCy pipeline component: ``nlp.add_pipe("saidwhat")``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .extractor import analyse, frame_finder
from .headline import find_headline
from .model import DEFAULT_MODEL
from .rules import FrameFinder

for _name in ("statements", "speakers", "flags", "article_sources", "saidwhat"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class SaidWhat:
    """Sets ``doc._.statements``, ``doc._.speakers``, ``doc._.flags`` and ``doc._.saidwhat``.

    A headline is taken from ``doc.user_data["title"]`` when set, else from a
    title-like first line; ``doc.user_data["published"]`` (ISO date) dates the statements'
    times ("on Wednesday"). Each statement has its circumstances (``time``, ``addressee``,
    ``setting``, ``responds_to``).
    """

    def __init__(self, frames: FrameFinder):
        self.frames = frames

    def __call__(self, doc: Doc) -> Doc:
        title = doc.user_data.get("title")
        article = analyse(doc, find_headline(doc.text, title), self.frames, title=title,
                          published=doc.user_data.get("published"))
        doc._.saidwhat = article
        doc._.statements = article.statements
        doc._.speakers = article.speakers
        doc._.flags = article.flags
        doc._.article_sources = article.article_sources
        return doc


@Language.factory("saidwhat", default_config={"attribution_model": DEFAULT_MODEL})
def make_saidwhat(nlp: Language, name: str, attribution_model: str | None) -> SaidWhat:
    """``attribution_model``: a model directory, or None for the rules alone."""
    return SaidWhat(frame_finder(attribution_model))
