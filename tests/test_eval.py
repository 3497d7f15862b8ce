"""Tests for saidwhat.learning (gold and metrics): brat parsing, span normalisation and the six metrics."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwhat.learning.gold import SpanStatement, annotator_files, load_gold, read_brat, statements_from_article
from saidwhat.learning.metrics import (
    HUMAN_AGREEMENT_F1,
    METRICS,
    evaluate,
    format_report,
    human_agreement,
    match_statements,
    normalise_spans,
    score,
)

POLNEAR_TRAIN = Path("/work/shared/data/polnear/train")


def sp(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Span of the nth occurrence of sub in text."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(sub, i + 1)
    return (i, i + len(sub))


def t_line(tid: str, ttype: str, text: str, *spans: tuple[int, int]) -> str:
    offs = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{ttype} {offs}\t{' '.join(text[s:e] for s, e in spans)}"


# --------------------------------------------------------------------------- parsing

PARSE_TEXT = 'Smith said: "We will win, he added, and we will win big."\nOfficials expect a delay.\n'


def write_parse_fixture(tmp_path: Path) -> Path:
    t = PARSE_TEXT
    c1, c2 = sp(t, '"We will win,'), sp(t, 'and we will win big."')
    lines = [
        # E1 comes first and refers to T's defined later (forward references).
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T1", "Source", t, sp(t, "Smith")),
        t_line("T2", "Cue", t, sp(t, "said")),
        t_line("T3", "Content", t, c1, c2),
        t_line("T4", "Attribution", t, sp(t, "said")),
        "a continuation line of some multi-line span text",
        "#1\tAnnotatorNotes T3\tis this one quote?",
        "H\tsomething odd",
        t_line("T5", "Cue", t, sp(t, "expect")),
        t_line("T6", "Content", t, sp(t, "a delay")),
        t_line("T7", "Attribution-no-source", t, sp(t, "expect")),
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5",
        t_line("T8", "Discuss", t, sp(t, "Officials")),
        "E3\tAttribution:T9 Content:T99",  # dangling references only -> no statement
        "",
    ]
    path = tmp_path / "doc_abcd.ann"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_read_brat_multispan_forward_refs_no_source_and_stray_lines(tmp_path: Path) -> None:
    t = PARSE_TEXT
    sts = read_brat(write_parse_fixture(tmp_path), t)
    assert len(sts) == 2
    s1, s2 = sts
    assert s1.source == (sp(t, "Smith"),)
    assert s1.cue == (sp(t, "said"),)
    assert s1.content == (sp(t, '"We will win,'), sp(t, 'and we will win big."'))
    assert s2.source == ()
    assert s2.cue == (sp(t, "expect"),)
    assert s2.content == (sp(t, "a delay"),)


def test_read_brat_content2_and_trigger_fallback(tmp_path: Path) -> None:
    t = "He argued that taxes rise. And spending falls.\n"
    lines = [
        t_line("T1", "Source", t, sp(t, "He")),
        t_line("T2", "Cue", t, sp(t, "argued")),
        t_line("T3", "Content", t, sp(t, "taxes rise")),
        t_line("T4", "Content", t, sp(t, "spending falls")),
        t_line("T5", "Attribution", t, sp(t, "argued")),
        "E1\tAttribution:T5 Source:T1 Content:T3 Content2:T4",  # no Cue role
    ]
    path = tmp_path / "x_a.ann"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (st,) = read_brat(path, t)
    assert st.content == (sp(t, "taxes rise"), sp(t, "spending falls"))
    assert st.cue == (sp(t, "argued"),)  # taken from the Attribution trigger


def test_read_brat_drops_spans_outside_text(tmp_path: Path) -> None:
    path = tmp_path / "x_a.ann"
    path.write_text("T1\tCue 0 4\tsaid\nT2\tContent 5 500\tx\nE1\tAttribution:T1 Cue:T1 "
                    "Content:T2\n", encoding="utf-8")
    (st,) = read_brat(path, "said hello")
    assert st.cue == ((0, 4),) and st.content == ()


def test_load_gold_and_annotator_files(tmp_path: Path) -> None:
    split = tmp_path / "train"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "my_doc-1.txt").write_text(PARSE_TEXT, encoding="utf-8", newline="")
    write_parse_fixture(split / "attributions").rename(split / "attributions" / "my_doc-1_bbbb.ann")
    (split / "attributions" / "my_doc-1_aaaa.ann").write_text("", encoding="utf-8")
    files = annotator_files(split)
    assert [p.name for p in files["my_doc-1"]] == ["my_doc-1_aaaa.ann", "my_doc-1_bbbb.ann"]
    gold = load_gold(split)
    text, sts = gold["my_doc-1"]
    assert text == PARSE_TEXT and sts == []  # first annotator in sorted order is the reference
    agree = human_agreement(split)
    assert agree["documents"] == 1
    assert agree["content_overlap"]["pred"] == 2 and agree["content_overlap"]["gold"] == 0


# --------------------------------------------------------------------------- normalisation

def test_normalise_trims_whitespace_punctuation_and_quotes() -> None:
    t = ' "Hello, world." '
    assert normalise_spans(t, [(0, len(t))]) == (sp(t, "Hello, world"),)
    for q in ["«Bonjour»", "„Hallo“", "“Hi”", "‘Yo’", "'ok'"]:
        inner = q[1:-1]
        assert normalise_spans(q, [(0, len(q))]) == ((1, 1 + len(inner)),)


def test_normalise_drops_empty_and_merges() -> None:
    t = '"We will win," he said, "and win big." Then: more.'
    a, b = sp(t, '"We will win,"'), sp(t, '"and win big."')
    # separated by words: stay apart
    assert normalise_spans(t, [b, a]) == (sp(t, "We will win"), sp(t, "and win big"))
    # separated only by punctuation/space: merge
    c, d = sp(t, "Then"), sp(t, "more")
    assert normalise_spans(t, [c, d]) == ((c[0], d[1]),)
    # overlapping spans merge; a quote-only span disappears
    assert normalise_spans(t, [(0, 5), (3, 8), (0, 1)]) == ((1, 8),)
    assert normalise_spans(t, [(0, 1), (13, 15)]) == ()


def test_normalise_keeps_nbsp() -> None:
    # Unicode spaces are not trimmed (reproduces the published source agreement).
    t = "He\xa0said"
    assert normalise_spans(t, [(0, 3)]) == ((0, 3),)
    assert normalise_spans(t, [(0, 2), (3, 7)]) == ((0, 2), (3, 7))


# --------------------------------------------------------------------------- predictions

def test_statements_from_article() -> None:
    art = {"id": "x", "statements": [
        {"id": "s1", "kind": "direct",
         "content": {"text": "a … b", "spans": [[10, 12], [0, 3]]},
         "cue": {"text": "said", "spans": [[4, 8]]}, "source": None,
         "speaker": None, "confidence": 0.4},
        {"id": "s2", "kind": "indirect", "content": {"text": "c", "spans": [[20, 25]]},
         "cue": None, "source": {"text": "He", "spans": [[15, 17]]}},
    ]}
    s1, s2 = statements_from_article(art)
    assert s1 == SpanStatement(((0, 3), (10, 12)), ((4, 8),), ())
    assert s2 == SpanStatement(((20, 25),), (), ((15, 17),))


# --------------------------------------------------------------------------- metrics

METRIC_TEXT = 'Smith said "taxes will rise". Jones claimed the plan failed. Critics say nothing works.'


def metric_fixture() -> tuple[str, list[SpanStatement], list[SpanStatement]]:
    t = METRIC_TEXT

    def st(content: str | None, cue: str | None, source: str | None) -> SpanStatement:
        return SpanStatement(*(((sp(t, x),) if x else ()) for x in (content, cue, source)))

    gold = [st('"taxes will rise".', "said", "Smith"),
            st("the plan failed", "claimed", "Jones"),
            st("nothing works", "say", "Critics")]
    pred = [st("taxes will rise", "said", "Smith"),  # right (quotes trimmed)
            st("plan failed", "claimed", "Smith"),  # partial content, wrong source
            st("Jones claimed", None, None)]  # spurious
    return t, gold, pred


def f1(scores: dict, name: str) -> tuple[float, float, float]:
    m = scores[name]
    return (m["precision"], m["recall"], m["f1"])


def test_metrics_by_hand() -> None:
    s = score({"d": metric_fixture()})
    assert s["documents"] == 1
    assert f1(s, "content_exact") == (33.3, 33.3, 33.3)
    assert f1(s, "cue_exact") == (100.0, 66.7, 80.0)
    # both predictions name Smith: one unique source span set
    assert f1(s, "source_exact") == (100.0, 33.3, 50.0)
    assert s["source_exact"]["pred"] == 1
    assert f1(s, "content_overlap") == (66.7, 66.7, 66.7)
    assert f1(s, "attribution") == (33.3, 33.3, 33.3)
    # tokens: gold 3+3+2, pred 3+2+2, shared 3+2
    assert s["content_token"]["tp"] == 5
    assert (s["content_token"]["pred"], s["content_token"]["gold"]) == (7, 8)
    assert f1(s, "content_token") == (71.4, 62.5, 66.7)


def test_perfect_and_wrong_predictions() -> None:
    t, gold, pred = metric_fixture()
    perfect = score({"d": (t, gold, list(gold))})
    assert all(perfect[m]["f1"] == 100.0 for m in METRICS)
    spurious = SpanStatement(((0, 5),), ((0, 10),), ())  # "Smith" / "Smith said"
    worse = score({"d": (t, gold, list(gold) + [spurious])})
    for m in ("content_exact", "cue_exact", "content_overlap", "attribution", "content_token"):
        assert worse[m]["precision"] < 100.0 and worse[m]["recall"] == 100.0
    empty = score({"d": (t, gold, [])})
    assert all(empty[m]["f1"] == 0.0 for m in METRICS)


def test_attribution_no_source_on_both_sides_counts() -> None:
    t = "Officials expect a delay."
    g = [SpanStatement((sp(t, "a delay"),), (sp(t, "expect"),), ())]
    p_ok = [SpanStatement((sp(t, "a delay."),), (sp(t, "expect"),), ())]
    p_bad = [SpanStatement((sp(t, "a delay"),), (sp(t, "expect"),), (sp(t, "Officials"),))]
    assert score({"d": (t, g, p_ok)})["attribution"]["f1"] == 100.0
    assert score({"d": (t, g, p_bad)})["attribution"]["f1"] == 0.0


def test_matching_is_one_to_one_and_greedy() -> None:
    t = "aaaa bbbbbbbb cccc"
    gold = [SpanStatement((sp(t, "aaaa"),)), SpanStatement((sp(t, "bbbbbbbb cccc"),))]
    pred = [SpanStatement((sp(t, "aaaa bbbbbbbb cccc"),))]
    assert match_statements(gold, pred) == [(1, 0)]  # the larger overlap wins
    s = score({"d": (t, gold, pred)})
    assert (s["content_overlap"]["tp"], s["content_overlap"]["pred"],
            s["content_overlap"]["gold"]) == (1, 1, 2)


def test_evaluate_and_report(tmp_path: Path) -> None:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "doc.txt").write_text(PARSE_TEXT, encoding="utf-8", newline="")
    write_parse_fixture(split / "attributions").rename(split / "attributions" / "doc_a1.ann")
    gold_sts = load_gold(split)["doc"][1]
    art = {"id": "doc", "statements": [
        {"id": f"s{i}", "kind": "direct",
         "content": {"text": "", "spans": [list(x) for x in g.content]},
         "cue": {"text": "", "spans": [list(x) for x in g.cue]},
         "source": {"text": "", "spans": [list(x) for x in g.source]} if g.source else None}
        for i, g in enumerate(gold_sts)]}
    other = {"id": "not-in-gold", "statements": []}
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(art) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    s = evaluate(split, pred)
    assert s["documents"] == 1 and s["attribution"]["f1"] == 100.0
    report = format_report(s, HUMAN_AGREEMENT_F1)
    for m in METRICS:
        assert m in report
    assert "100.0" in report


# --------------------------------------------------------------------------- real data

@pytest.mark.skipif(not (POLNEAR_TRAIN / "attributions").is_dir(), reason="PolNeAR not present")
def test_human_agreement_reproduces_published_numbers() -> None:
    s = human_agreement(POLNEAR_TRAIN)
    assert s["documents"] == 16
    for m, ref in HUMAN_AGREEMENT_F1.items():
        assert abs(s[m]["f1"] - ref) <= 0.5, (m, s[m]["f1"], ref)
