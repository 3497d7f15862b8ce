"""Who a statement is credited to: the speaker resolver on constructions a careful reader
settles at once, speaker accuracy scoring, GUM reading and ``saidwhat train-speakers``.

Texts are invented; each starts with a headline line and a blank line, as a .txt article does.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import HEADLINE, check_article_spans, cli_command, describe, find, shared_dir

import saidwhat
from saidwhat.learning.gum import read_gum
from saidwhat.learning.speakers import GoldSpeaker, PredictedSpeaker, is_right, same_name


def run(body: str, headline: str = HEADLINE):
    text = headline + body
    article = saidwhat.extract(text)
    check_article_spans(article, text)
    return article


def speaker_of(article, content: str):
    st = find(article, content)
    return article.speaker(st.speaker)


# ------------------------------------------------------------------ rules a careful reader is sure of

def test_apposition_names_the_speaker_not_the_possessive_owner():
    art = run("Carlineo's attorney, Sonya Zoghlin, said that her client would plead not guilty.")
    sp = speaker_of(art, "her client would plead not guilty")
    assert sp.name == "Sonya Zoghlin" and sp.type == "person", describe(art)


def test_unnamed_advisers_of_a_named_person_stay_anonymous():
    art = run("President Dana Hart spoke on Monday. Hart's advisers said that the plan would change.")
    sp = speaker_of(art, "the plan would change")
    assert sp.type == "anonymous" and sp.name != "Dana Hart", describe(art)


def test_plural_and_quantified_sources_are_anonymous():
    art = run("Republicans said that the bill was dead. Some Democrats said that it could still pass.")
    for content in ("the bill was dead", "it could still pass"):
        assert speaker_of(art, content).type == "anonymous", describe(art)


def test_an_owners_campaign_is_an_organisation():
    art = run("Senator Ana Ruiz is running for governor. The Ruiz campaign said that she would win.")
    sp = speaker_of(art, "she would win")
    assert sp.type == "organization" and "campaign" in sp.name, describe(art)


def test_a_named_poll_is_a_document_and_the_poll_is_it_again():
    art = run("A Quinnipiac University poll found that the mayor was ahead. The poll also found that "
              "turnout would be low.")
    first, second = speaker_of(art, "the mayor was ahead"), speaker_of(art, "turnout would be low")
    assert first.type == "document" and "Quinnipiac" in first.name, describe(art)
    assert second.id == first.id, describe(art)


def test_two_named_people_speaking_together_are_a_group_with_members():
    art = run("John Smith and Mary Jones said that the plan was sound.")
    sp = speaker_of(art, "the plan was sound")
    assert sp.type == "group", describe(art)
    assert sorted(art.speaker(m).name for m in sp.members) == ["John Smith", "Mary Jones"]


def test_an_honorific_decides_between_two_people_of_one_surname():
    art = run("Bill Clinton and Hillary Clinton toured the plant on Monday.\n\n"
              "Mrs. Clinton said that jobs would come back.")
    assert speaker_of(art, "jobs would come back").name == "Hillary Clinton", describe(art)


def test_a_pronoun_takes_the_person_of_its_gender():
    art = run("Jane Roe met John Doe on Monday.\n\nShe said that the deal was done.")
    assert speaker_of(art, "the deal was done").name == "Jane Roe", describe(art)


def test_a_name_inside_the_quote_is_not_the_speaker():
    art = run("Vinay Prasad, an oncologist, spoke to reporters.\n\n"
              "“The cuts mean Kemp makes the prospects of patients worse,” he said.")
    assert speaker_of(art, "makes the prospects").name == "Vinay Prasad", describe(art)


def test_a_description_resolves_to_the_person_it_describes():
    art = run("Indiana Gov. Mike Pence spoke in Ohio. The Indiana governor said that taxes would fall.")
    sp = speaker_of(art, "taxes would fall")
    assert sp.name == "Mike Pence", describe(art)
    st = find(art, "taxes would fall")
    assert st.resolution is not None and st.resolution.mentions, describe(art)
    text = art.text
    assert any("Mike Pence" in text[s:e] for s, e in st.resolution.mentions)


def test_resolution_is_in_the_output():
    art = run("Maria Lopez spoke on Tuesday.\n\n“We will win,” she said.")
    d = find(art, "We will win").to_dict()
    assert d["resolution"]["confidence"] > 0
    assert [art.text[s:e] for s, e in d["resolution"]["mentions"]] == ["Maria Lopez"]
    assert {sp["type"] for sp in art.to_dict()["speakers"]} <= {"person", "organization", "group", "document",
                                                               "anonymous"}


def test_a_transcript_turn_is_its_speakers_statement():
    art = run("Chris Wallace interviewed Mike Pence on Sunday.\n\n"
              "WALLACE: Will the debate go ahead as planned?\n\n"
              "PENCE: Well, look, the debate will go ahead tomorrow night.")
    assert speaker_of(art, "the debate will go ahead tomorrow night").name == "Mike Pence", describe(art)
    assert speaker_of(art, "Will the debate go ahead").name == "Chris Wallace", describe(art)


def test_a_cue_without_a_subject_takes_the_subject_it_hangs_from():
    art = run("Senator Ana Ruiz spoke in Dayton on Monday.\n\n"
              "Ruiz went on to rebut many of the points in the governor's letter.")
    assert speaker_of(art, "many of the points").name == "Ana Ruiz", describe(art)


def test_a_relative_clause_keeps_its_source_outside_the_content():
    art = run("Defense Minister Karl Berg spoke on Monday. Spending will fall to 1.1 percent, which he said "
              "would be its lowest ever.")
    st = find(art, "would be its lowest ever")
    assert art.speaker(st.speaker).name == "Karl Berg", describe(art)
    assert all("he said" not in art.text[s:e] for s, e in st.content.spans), describe(art)


def test_named_members_after_including_make_a_group():
    art = run("Several candidates, including Jane Roe and John Doe, criticized the deal on Monday.")
    sp = speaker_of(art, "the deal")
    assert sp.type == "group", describe(art)
    assert sorted(art.speaker(m).name for m in sp.members) == ["Jane Roe", "John Doe"]


def test_capitals_and_a_colon_are_no_transcript_without_a_person_of_that_name():
    art = run("Protests went on for a third day, the police said.\n\n"
              "SEE MORE: Students stay in the university as the siege goes on\n\n"
              "DEAR ABBY: My husband bought plane tickets without asking me.")
    assert [st.content.text for st in art.statements if st.cue and st.cue.text == ":"] == [], describe(art)


def test_the_writers_first_person_is_the_author_the_article_names():
    art = run("I believe that the census should never share its records.\n\n"
              "Jane Roe is the author of a book about the census.")
    assert speaker_of(art, "the census should never share").name == "Jane Roe", describe(art)


def test_a_definite_description_of_a_person_is_someone_the_article_met():
    art = run("Jane Roe, a senator from Ohio, spoke on Monday.\n\n"
              "The candidate said that the economy would grow.")
    assert speaker_of(art, "the economy would grow").name == "Jane Roe", describe(art)


# ------------------------------------------------------------------ scoring

def test_same_name():
    assert same_name("Clinton", "Hillary Clinton")
    assert same_name("Hillary Rodham Clinton", "Hillary Clinton")
    assert same_name("Mr. Trump", "Donald Trump")
    assert not same_name("Bill Clinton", "Hillary Clinton")
    assert not same_name("Donald", "Donald Trump")
    assert same_name("the Post", "New York Post", person=False)
    assert same_name("Tax Policy Center", "Tax Policy Center at the Urban Institute", person=False)
    assert not same_name("Tax Policy Center", "Tax Policy Center at the Urban Institute", person=True)


def test_is_right_for_anonymous_and_groups():
    anon = GoldSpeaker(((0, 8),), "officials", None, "anonymous")
    assert is_right(PredictedSpeaker(None), anon)
    assert is_right(PredictedSpeaker("officials", "anonymous"), anon)
    assert not is_right(PredictedSpeaker("Pete Hegseth", "person"), anon)
    group = GoldSpeaker(((0, 5),), "they", "Smith and Jones", "group", ("John Smith", "Mary Jones"))
    assert is_right(PredictedSpeaker("Mary Jones", "person"), group)
    assert not is_right(PredictedSpeaker(None), group)
    assert group.kind == "pronoun" and anon.kind == "anonymous"
    assert GoldSpeaker(((0, 5),), "Jones", "Mary Jones", "person").kind == "name"
    assert GoldSpeaker(((0, 9),), "the judge", "Mary Jones", "person").kind == "description"


# ------------------------------------------------------------------ GUM

def test_gum_reader_rebuilds_text_and_mentions(tmp_path):
    conllu = tmp_path / "GUM_news_tiny.conllu"
    rows = [("Kim", "Entity=(1-person-new-x-x-1-coref)"), ("said", "_"), ("she", "Entity=(1-person-giv-x-x-1-coref)"),
            ("would", "_"), ("go", "SpaceAfter=No"), (".", "_")]
    lines = ["# newdoc id = GUM_news_tiny", "# newpar", "# text = Kim said she would go."]
    lines += [f"{i}\t{w}\t{w}\tX\tX\t_\t0\tdep\t_\t{misc}" for i, (w, misc) in enumerate(rows, 1)]
    conllu.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read_gum(conllu)
    assert doc.text == "Kim said she would go." and doc.genre == "news"
    assert [(doc.text[m.start:m.end], m.entity, m.type) for m in doc.mentions] == [
        ("Kim", 1, "person"), ("she", 1, "person")]


# ------------------------------------------------------------------ training

POLNEAR = shared_dir() / "data" / "polnear"
ANNOTATIONS = Path(__file__).resolve().parents[1] / "annotations" / "speakers"


def _tiny_split(src: Path, dst: Path, stems: list[str]) -> None:
    for sub in ("text", "attributions"):
        (dst / sub).mkdir(parents=True)
    for stem in stems:
        (dst / "text" / f"{stem}.txt").write_bytes((src / "text" / f"{stem}.txt").read_bytes())
        for ann in (src / "attributions").glob(f"{stem}_*.ann"):
            (dst / "attributions" / ann.name).write_bytes(ann.read_bytes())


@pytest.mark.slow
def test_train_speakers_through_the_cli_is_deterministic(tmp_path):
    if not (POLNEAR / "train").is_dir():
        pytest.skip("PolNeAR not found")
    annotated = {}
    for split in ("train", "dev"):
        rows = [json.loads(line) for line in (ANNOTATIONS / f"{split}.jsonl").read_text().splitlines()]
        stems = sorted({r["doc"] for r in rows})[:3]
        _tiny_split(POLNEAR / split, tmp_path / split, stems)
        path = tmp_path / f"{split}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc"] in stems))
        annotated[split] = path
    outs = []
    for n in (1, 2):
        out = tmp_path / f"model{n}"
        res = subprocess.run([*cli_command(), "train-speakers", "--train", str(tmp_path / "train"),
                              "--train-speakers", str(annotated["train"]), "--dev", str(tmp_path / "dev"),
                              "--dev-speakers", str(annotated["dev"]), "--out", str(out), "--seed", "0"],
                             capture_output=True, timeout=600)
        assert res.returncode == 0, res.stderr.decode()
        assert b"dev rankings: learned" in res.stdout
        outs.append(out)
    assert (outs[0] / "model.txt").read_bytes() == (outs[1] / "model.txt").read_bytes()
    meta = json.loads((outs[0] / "ranker.json").read_text())
    assert meta["rankings"]["polnear_train"] > 0 and meta["features"]
    assert all(0 < meta["thresholds"][how] < 1 for how in ("pronoun", "description"))
    bad = subprocess.run([*cli_command(), "train-speakers", "--train", str(tmp_path / "train"),
                          "--train-speakers", str(tmp_path / "missing.jsonl"), "--dev", str(tmp_path / "dev"),
                          "--dev-speakers", str(annotated["dev"]), "--out", str(tmp_path / "x")],
                         capture_output=True, timeout=120)
    assert bad.returncode == 2 and b"missing.jsonl: no such file" in bad.stderr
