"""Property tests: extraction never raises and every offset slices the text."""
from __future__ import annotations

from conftest import check_article_spans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import saidwhat
from saidwhat.extraction.lexicon import QUOTE_MARKS
from saidwhat.extraction.quotes import pair_quote_marks, quote_groups

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            "     \n\n\t.,;:!?()-—–…/&"
            "\"'“”‘’«»„‚‹›`″\u00a0é")

noisy_text = st.text(alphabet=ALPHABET, max_size=400)

NAMES = ["Maria Lopez", "Senator Tom Reed", "Anna Berg", "Ms. Lopez", "Daniel Ortiz", "Reed",
         "The agriculture chief", "Foreign Minister Anna Berg", "she", "he", "sources",
         "The Secretary of Agriculture, Paul Stone,"]
WORDS = ["the", "budget", "is", "balanced", "we", "will", "win", "taxes", "rise", "bridge",
         "opens", "in", "June", "nobody", "knows", "Ukraine’s", "don't", "’90s", "students’"]
TEMPLATES = [
    '{Name} said "{words}."',
    "{Name} said: “{Words}.”",
    "“{Words},” {name} said.",
    "“{Words},” {name} said, “{words}.”",
    "{Name} said that {words}.",
    "{Name} said Wednesday {words}.",
    "{Words}, {name} said.",
    "{Words}, according to {Name}.",
    "{Name} told reporters that {words}.",
    "{Name} pointed out that {words}.",
    "{Name} responded, saying, “{Words}.”",
    "{Name} said {words} was “{words}” and left.",
    "{Name} believes {words}.",
    "“{Words}.",
    "{Words} “{words}” {words}.",
    "(This article is based on reports from ABC News and The Daily Planet)",
]


@st.composite
def sentence(draw) -> str:
    template = draw(st.sampled_from(TEMPLATES))
    name = draw(st.sampled_from(NAMES))
    words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)))
    return template.format(Name=name[:1].upper() + name[1:], name=name, words=words,
                           Words=words[:1].upper() + words[1:])


@st.composite
def article_text(draw) -> str:
    parts = draw(st.lists(sentence(), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from([" ", "\n", "\n\n", "  \n\n"]),
                         min_size=len(parts), max_size=len(parts)))
    body = "".join(p + s for p, s in zip(parts, seps)).rstrip()
    headline = draw(st.sampled_from(["", "Lopez Says: Budget Is Balanced\n\n",
                                     "Harris: Bridge Opens in June\n\n", "City Budget Vote\n\n"]))
    return headline + body


def _extract_and_check(text: str, title: str | None = None) -> None:
    article = saidwhat.extract(text, title=title)
    check_article_spans(article, text)
    # serialisation round-trips
    again = saidwhat.Article.from_dict(article.to_dict(), text=text)
    assert again.to_dict() == article.to_dict()


@SETTINGS
@given(noisy_text)
def test_extract_never_raises_on_noisy_text(text):
    _extract_and_check(text)


@SETTINGS
@given(article_text())
def test_extract_template_articles_spans_slice_text(text):
    _extract_and_check(text)


@SETTINGS
@given(article_text(), st.booleans())
def test_extract_with_title_argument(text, first_line_as_title):
    title = text.split("\n", 1)[0] if first_line_as_title else "A Title Not In The Text"
    _extract_and_check(text, title=title)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_pair_quote_marks_well_formed(text):
    quotes = pair_quote_marks(text)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start] in QUOTE_MARKS or text[q.start] == "`"
        s, e = q.inner
        assert q.start <= s <= e <= q.end
        assert "\n" not in text[q.start:q.end]  # never runs over a paragraph break
    for a, b in zip(quotes, quotes[1:]):
        assert a.end <= b.start
    assert [q for g in quote_groups(quotes) for q in g] == quotes
