"""The language of an article (ISO 639-1), by py3langid's model, offline.

The extractor reads English; an article in another language keeps its language and gets no
statements rather than junk ones ("Das Thema said"). The writer's language is what counts, so
text between double quotation marks (an English report may quote a French café owner) is left
out when enough remains. Short or mixed texts, where the model is unsure, count as English, the
language the pipeline reads.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from .lexicon import DOUBLE_QUOTE_MARKS

#: what the extractor reads
ENGLISH = "en"
#: characters the model reads (more does not change the answer, and costs time)
SAMPLE_CHARS = 3000
#: below this probability, or with fewer letters, a text is taken as English
MIN_PROBABILITY = 0.9
MIN_LETTERS = 40
_MARKS = re.escape("".join(sorted(DOUBLE_QUOTE_MARKS)))
#: a quotation: a double mark, up to 600 characters without a paragraph break, a double mark
_QUOTATION = re.compile(f"[{_MARKS}][^{_MARKS}\n]{{1,600}}[{_MARKS}]")


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language; ``en`` when the model is unsure."""
    sample = text[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return ENGLISH
    writer = _QUOTATION.sub(" ", sample)
    if _letters(writer) >= MIN_LETTERS:
        sample = writer
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else ENGLISH


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)
