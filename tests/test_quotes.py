"""Quote-mark pairing: saidwhat.extraction.quotes.pair_quote_marks and quote_groups."""
from __future__ import annotations

import time

import pytest

from saidwhat.extraction.quotes import pair_quote_marks, quote_groups


def quoted(text: str) -> list[str]:
    """The quoted stretches (marks included) as strings."""
    return [text[q.start:q.end] for q in pair_quote_marks(text)]


@pytest.mark.parametrize("text, expected", [
    ('The mayor said "the road is closed" on Monday.', '"the road is closed"'),
    ("The mayor said “the road is closed” on Monday.", "“the road is closed”"),
    ("Le maire a dit «la route est fermée» lundi.", "«la route est fermée»"),
    ("Der Bürgermeister sagte „die Straße ist gesperrt“ am Montag.", "„die Straße ist gesperrt“"),
])
def test_double_marks_pair(text, expected):
    quotes = pair_quote_marks(text)
    assert [text[q.start:q.end] for q in quotes] == [expected]
    q = quotes[0]
    assert q.closed and not q.continues
    s, e = q.inner
    assert text[s:e] == expected[1:-1]


def test_two_quotes_in_one_paragraph():
    text = "“We won,” Maria Lopez said. “And we will win again,” she added."
    assert quoted(text) == ["“We won,”", "“And we will win again,”"]


def test_curly_single_marks_without_double_marks():
    text = "The mayor called it ‘a new beginning’ for the town."
    assert quoted(text) == ["‘a new beginning’"]


def test_straight_single_marks_without_double_marks():
    text = "The mayor called it 'a new beginning' for the town."
    assert quoted(text) == ["'a new beginning'"]


def test_single_marks_inside_double_quote_are_nested_not_separate():
    text = "“They called it ‘a disaster’ and left,” Maria Lopez said."
    assert quoted(text) == ["“They called it ‘a disaster’ and left,”"]


APOSTROPHE_TEXTS = [
    "Officials don't expect the vote before Friday.",
    "Officials don’t expect the vote before Friday.",
    "Ukraine’s army held the line.",
    "Ukraine's army held the line.",
    "Prices have not been this high since the ’90s began.",
    "Prices have not been this high since the '90s began.",
    "The students’ books were lost in the flood.",
    "The students' books were lost in the flood.",
    "It’s the students’ books, and the ’90s are over, don’t forget Ukraine’s debt.",
]


@pytest.mark.parametrize("text", APOSTROPHE_TEXTS)
def test_apostrophes_alone_make_no_quote(text):
    assert pair_quote_marks(text) == []


@pytest.mark.parametrize("text", [
    "Ukraine’s leader called it ‘a turning point’ for the country in the ’90s, don’t forget.",
    "The students’ union called the plan ‘a betrayal’ of the ’90s promises.",
    "Ukraine's leader called it 'a turning point' for the country in the '90s, don't forget.",
])
def test_apostrophes_never_open_a_single_quote(text):
    quotes = pair_quote_marks(text)
    assert len(quotes) == 1, quoted(text)
    assert text[quotes[0].start:quotes[0].end] in ("‘a turning point’", "‘a betrayal’",
                                                   "'a turning point'")


def test_apostrophes_inside_a_double_quote_do_not_end_it():
    text = "“Ukraine’s army won’t retreat, and the students’ books stay,” Tom Reed said."
    assert quoted(text) == ["“Ukraine’s army won’t retreat, and the students’ books stay,”"]


def test_unclosed_quote_ends_at_paragraph_end():
    text = ('Maria Lopez said "the budget is gone and nobody knows where.\n\n'
            "The council meets again on Friday. Members were not available.")
    quotes = pair_quote_marks(text)
    assert len(quotes) == 1
    q = quotes[0]
    first_para_end = text.index("\n\n")
    assert q.start == text.index('"')
    assert not q.closed and not q.continues
    assert q.end <= first_para_end
    assert text[q.start:q.end] == '"the budget is gone and nobody knows where.'


def test_unclosed_quote_does_not_swallow_next_paragraph_quote():
    text = ("Maria Lopez said “the budget is gone.\n\n"
            "Tom Reed called it “a scandal” on Friday.")
    assert quoted(text) == ["“the budget is gone.", "“a scandal”"]
    assert [q.closed for q in pair_quote_marks(text)] == [False, True]


def test_single_line_breaks_also_separate_paragraphs():
    text = 'He said "no end in sight\nShe replied that it was over.'
    quotes = pair_quote_marks(text)
    assert len(quotes) == 1 and quotes[0].end <= text.index("\n")


def test_quote_continued_over_paragraphs_is_one_group():
    text = ("Maria Lopez said: “The bridge will open in June.\n\n"
            "“After that we will repair the school roofs.”\n\n"
            "Tom Reed called it “a promise” to voters.")
    quotes = pair_quote_marks(text)
    assert [text[q.start:q.end] for q in quotes] == [
        "“The bridge will open in June.",
        "“After that we will repair the school roofs.”",
        "“a promise”",
    ]
    assert quotes[0].continues and not quotes[0].closed
    assert not quotes[1].continues
    groups = quote_groups(quotes)
    assert [[text[q.start:q.end] for q in g] for g in groups] == [
        ["“The bridge will open in June.", "“After that we will repair the school roofs.”"],
        ["“a promise”"],
    ]


def test_quote_continued_over_three_paragraphs():
    text = ("“One.\n\n“Two.\n\n“Three,” Maria Lopez said.")
    groups = quote_groups(pair_quote_marks(text))
    assert len(groups) == 1 and len(groups[0]) == 3


def test_unclosed_quote_followed_by_plain_paragraph_is_its_own_group():
    text = "“One without end.\n\nThe next paragraph is narration."
    groups = quote_groups(pair_quote_marks(text))
    assert len(groups) == 1 and len(groups[0]) == 1
    assert not groups[0][0].continues


def test_two_char_wire_marks_pair_and_include_both_characters():
    # PolNeAR's NYT copy uses `` and ''; a Quote's start/end include the marks themselves
    text = "``The road is closed,'' the mayor said. A ``b'' and ``c d'' e."
    assert quoted(text) == ["``The road is closed,''", "``b''", "``c d''"]


@pytest.mark.parametrize("marks", ['"' * 5000, "“" * 5000, "”" * 5000, "“”" * 2500, "'" * 5000,
                                   "‘’" * 2500, "« »" * 1700, "a\" " * 5000, "\"\n" * 5000])
def test_thousands_of_marks_are_fast(marks):
    t0 = time.perf_counter()
    quotes = pair_quote_marks(marks)
    groups = quote_groups(quotes)
    assert time.perf_counter() - t0 < 1.0
    for q in quotes:
        assert 0 <= q.start < q.end <= len(marks)
    assert sum(len(g) for g in groups) == len(quotes)
    # quotes never overlap and come in order
    for a, b in zip(quotes, quotes[1:]):
        assert a.end <= b.start
