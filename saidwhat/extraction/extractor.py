"""From text to an :class:`Article`: the one function the CLI, store, web app and Spark call."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.tokens import Doc

from ..errors import ArticleTooLong
from ..schema import Addressee, Article, Setting, Statement, TextSpans, Time
from ..schema import Resolution as SpeakerResolution
from .checks import headline_speaker_check
from .circumstances import CircumstanceReader, Circumstances
from .entities import ORGANIZATION, Entity
from .headline import find_headline
from .language import ENGLISH, detect_language
from .model import DEFAULT_MODEL, load_model
from .outlets import find_article_sources
from .pipeline import CHUNK_CHARS, load_pipeline, parse
from .quotes import QuoteIndex
from .rules import FrameFinder, rule_frames
from .spans import Candidate, CharSpan
from .speakers import SpeakerResolver
from .statements import find_candidates

# longer "articles" are refused unless asked for: spaCy's own default limit, and in practice
# a dump of many articles whose speakers should not be resolved together
MAX_ARTICLE_CHARS = 1_000_000
K = TypeVar("K")


def _speaker_id(entity: Entity | None) -> str | None:
    return entity.speaker_id if entity is not None else None


def _statement(cand: Candidate, n: int, text: str, around: Circumstances) -> Statement:
    resolution = cand.extra.get("resolution")
    entity = resolution.entity if resolution is not None else None
    piece = lambda span: (text[span[0]:span[1]], [span])  # noqa: E731
    return Statement(
        id=f"s{n}",
        kind=cand.kind,
        content=TextSpans.from_spans(text, cand.content),
        cue=TextSpans.from_spans(text, cand.cue) if cand.cue else None,
        source=TextSpans.from_spans(text, [cand.source]) if cand.source else None,
        speaker=entity.speaker_id if entity is not None else None,
        confidence=cand.confidence,
        resolution=SpeakerResolution(sorted(resolution.antecedents), resolution.confidence)
        if entity is not None else None,
        time=Time(*piece(around.time), around.date) if around.time else None,
        addressee=Addressee(*piece(around.addressee), _speaker_id(around.addressee_entity))
        if around.addressee else None,
        setting=Setting(*piece(around.setting), around.setting_kind or "other") if around.setting else None,
        responds_to=_speaker_id(around.responds_to),
    )


def frame_finder(attribution_model: str | None = DEFAULT_MODEL) -> FrameFinder:
    """What decides the cues: the learned model in ``attribution_model`` (a model directory,
    by default the one shipped with the package), or the rules alone when it is None."""
    if attribution_model is None:
        return rule_frames
    return load_model(str(attribution_model)).frames


def unread(text: str, language: str, headline: CharSpan | None = None, **meta: str | None) -> Article:
    """An article in a language the extractor does not read: its metadata, no statements."""
    article = Article(id=meta.get("id"), text=text, title=meta.get("title"), url=meta.get("url"),
                      published=meta.get("published"), outlet=meta.get("outlet"), language=language)
    if article.title is None and headline is not None:
        article.title = text[headline[0]:headline[1]]
    return article


def analyse(doc: Doc, headline: CharSpan | None = None, frames: FrameFinder = rule_frames,
            language: str | None = None, **meta: str | None) -> Article:
    """Everything saidwhat finds in a parsed document (nothing but its language, ``language``
    or detected, when that is not English)."""
    text = doc.text
    language = language or detect_language(text)
    if language != ENGLISH:
        return unread(text, language, headline, **meta)
    quotes = QuoteIndex(text)
    resolver = SpeakerResolver(doc, quotes, headline)
    cands = find_candidates(doc, headline, quotes, frames, writer_named=resolver.table.author is not None)
    resolutions = resolver.resolve(cands)
    circumstances = CircumstanceReader(doc, resolver.table, meta.get("published")).read(cands)
    speakers = resolver.speakers(also=[e for c in circumstances for e in (c.addressee_entity, c.responds_to)
                                       if e is not None])
    statements = [_statement(c, n, text, around) for n, (c, around) in enumerate(zip(cands, circumstances), 1)]
    reporting_orgs = [r.entity.name for c, r in zip(cands, resolutions)
                      if r.entity is not None and r.entity.type == ORGANIZATION and c.cue_lemma == "report"]
    article = Article(id=meta.get("id"), text=text, title=meta.get("title"), url=meta.get("url"),
                      published=meta.get("published"), outlet=meta.get("outlet"), language=language,
                      statements=statements, speakers=speakers,
                      article_sources=find_article_sources(doc, reporting_orgs))
    if article.title is None and headline is not None:
        article.title = text[headline[0]:headline[1]]
    if headline is not None:
        article.flags = headline_speaker_check(text, headline[1], statements, speakers)
    return article


def length_problem(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> str | None:
    """Why ``text`` is too long to be one article, or None."""
    if len(text) <= max_chars:
        return None
    return (f"{len(text):,} characters is over the {max_chars:,} limit for one article "
            f"(split it into articles, or raise the limit with --max-chars)")


def extract(text: str, title: str | None = None, published: str | None = None,
            url: str | None = None, *, id: str | None = None, outlet: str | None = None,
            model: str | None = None, max_chars: int = MAX_ARTICLE_CHARS,
            attribution_model: str | None = DEFAULT_MODEL) -> Article:
    """Who said what in one article.

    ``title`` names the headline when it opens ``text``; without it a title-like first
    line is taken as the headline (as for ``.txt`` files). ``model`` names the spaCy
    pipeline (default: :func:`.pipeline.default_pipeline_name`); ``attribution_model`` the
    learned model directory (None: the rules alone).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    problem = length_problem(text, max_chars)
    if problem:
        raise ArticleTooLong(problem)
    nlp = load_pipeline(model)
    frames = frame_finder(attribution_model)
    language = detect_language(text)
    if language != ENGLISH:
        return unread(text, language, find_headline(text, title), id=id, title=title, url=url,
                      published=published, outlet=outlet)
    doc = parse(nlp, text)
    return analyse(doc, find_headline(text, title), frames, language, id=id, title=title, url=url,
                   published=published, outlet=outlet)


def extract_many(items: Iterable[tuple[K, str, dict]], model: str | None = None,
                 batch_size: int = 16, max_chars: int = MAX_ARTICLE_CHARS,
                 attribution_model: str | None = DEFAULT_MODEL) -> Iterator[tuple[K, Article | None, str | None]]:
    """Extract from ``(key, text, metadata)`` items, parsing in batches for speed.

    Yields ``(key, article, None)`` in input order, or ``(key, None, reason)`` for a document
    that failed, so that one bad document never stops a batch. An article not in English is
    not parsed: it comes back with its language and no statements.
    """
    nlp = load_pipeline(model)
    frames = frame_finder(attribution_model)
    batch: list[tuple[K, str, dict, str]] = []

    def one(doc: Doc, key: K, text: str, meta: dict, language: str) -> tuple[K, Article | None, str | None]:
        try:
            return key, analyse(doc, find_headline(text, meta.get("title")), frames, language, **meta), None
        except Exception as err:  # noqa: BLE001 - reported per document, the batch goes on
            return key, None, f"extraction failed: {type(err).__name__}: {err}"

    def parsed(texts: list[str]) -> list[Doc | Exception]:
        if all(len(text) <= CHUNK_CHARS for text in texts):
            try:
                return list(nlp.pipe(texts))
            except Exception:  # noqa: BLE001 - fall back to one at a time to find the culprit
                pass
        docs: list[Doc | Exception] = []
        for text in texts:
            try:
                docs.append(parse(nlp, text))
            except Exception as err:  # noqa: BLE001
                docs.append(err)
        return docs

    def flush() -> Iterator[tuple[K, Article | None, str | None]]:
        docs = iter(parsed([text for _, text, _, language in batch if language == ENGLISH]))
        for key, text, meta, language in batch:
            if language != ENGLISH:
                yield key, unread(text, language, find_headline(text, meta.get("title")), **meta), None
                continue
            doc = next(docs)
            if isinstance(doc, Exception):
                yield key, None, f"parsing failed: {type(doc).__name__}: {doc}"
            else:
                yield one(doc, key, text, meta, language)

    for item in items:
        problem = length_problem(item[1], max_chars)
        if problem:
            yield from flush()  # in input order
            batch = []
            yield item[0], None, problem
            continue
        batch.append((*item, detect_language(item[1])))
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
