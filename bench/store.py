"""Cost of the corpus store (``saidwhat.corpus``): ingest throughput, size on disk, search latency.

What is measured (PolNeAR train + dev by default: every ``.txt`` under
``../shared/data/polnear/{train,dev}/text``, 924 documents; ``--limit N`` takes the first N):

a. **Ingest** the way ``saidwhat ingest DIR... -p 1`` does it, in this process:
   ``batch.extract_documents(good_documents(paths) minus Store.contains(...))`` with one
   process, ``Store.add_article`` for every article, then ``Store.optimize()``, into a fresh
   store in a temporary directory. The time spent in the store (opening it, ``contains``,
   ``add_article``, ``optimize``, closing) is clocked inside that same run, so the **store
   share** (store seconds / ingest wall seconds) does not depend on other load. It is set
   against **extraction alone**: ``batch.run_extraction(paths, ExtractSettings(), 1)``
   consumed in full (a separate run of the same documents; it also builds the JSON dicts,
   which ingest does not). Both runs follow a warm-up on ``--warmup-docs`` documents; the
   ingest overhead is ``ingest wall / extraction wall - 1``. As a cross-check the extracted
   ``Article`` objects are also added again into a second fresh store with nothing else
   running (**store alone**). Throughput is docs/s and words/s (words = ``len(text.split())``).
   Bar: the store costs < 10 % of the ingest.
b. **Size**: the store file of (a) plus its WAL after ``PRAGMA wal_checkpoint(TRUNCATE)``,
   per 1,000 articles (also per 1,000 statements).
c. **Search latency** on a store of >= ``--big-statements`` (1,000,000) statements made of
   REAL extracted statements: every article of the full corpus (those from (a), plus an
   untimed extraction of any left out by ``--limit``), in publication order, is added again
   and again with a new id and URL (``https://news.example/<copy>/<doc>``), its published
   date moved by ``--shift-days`` per copy (so dates spread over years while ingest order
   roughly follows publication order, as for a crawl) and its outlet cycling through a few
   names, until the statement count passes the target. The store is built once under
   ``--big-db`` and reused by later runs; building is resumable (``add_article`` skips
   stored URLs; a killed build goes on where it stopped, progress on stderr) and the
   extracted base articles are cached next to it (``<big-db>.base.jsonl``), with a sidecar
   ``<big-db>.json`` saying how it was built. Queries are drawn with a seeded RNG from
   random statements of that store: a word of the statement (text), two words (text2), the
   person credited (speaker: the full name, or half the time a multi-word name's surname),
   a date range of 1 / 7 / 30 / 365 days in the store's span (date), a word plus the person
   (text+speaker) or plus a 7 / 30 / 365-day range around the statement's date (text+date).
   The store is opened read-only as ``saidwhat search`` does, the file is read once to warm
   the OS cache, ``--warmup-queries`` queries per kind run untimed, then ``--queries`` per
   kind (default 200) run round-robin, each ``Store.search(...)`` call (default limit 50, in
   ``--order`` relevance — the default of the search — or date) timed with
   ``time.perf_counter``. Bar: p95 < 50 ms for every kind.

The machine may be shared: load averages are reported before and after each part, and
cpu/wall says whether a run got its CPU.

Reproduce::

    cd /work/main && .venv/bin/python bench/store.py --json /tmp/store.json   # everything
    .venv/bin/python bench/store.py --limit 50 --skip-search              # quick (a) + (b)
    .venv/bin/python bench/store.py --skip-ingest                         # (c) only, reusing --big-db
    .venv/bin/python bench/store.py --big-db /tmp/other.db --big-statements 200000
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from machine import cpu_seconds, loadavg, machine_info

from saidwhat.corpus import Store
from saidwhat.inputs import Document, expand_paths, read_document
from saidwhat.inputs.batch import ExtractSettings, extract_documents, good_documents, run_extraction
from saidwhat.schema import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_DIRS = [SHARED / "data/polnear/train/text", SHARED / "data/polnear/dev/text"]
DEFAULT_BIG_DB = Path(tempfile.gettempdir()) / "saidwhat-bench-store-1m.db"
OUTLETS = ["Daily Planet", "Morning Post", "Evening Star", "The Gazette", "Metro Herald",
           "Capital Times", "Wire Service"]
#: copy k of an article is dated (original date + k * shift - BACK_DAYS)
BACK_DAYS = 3650
STORE_SHARE_BAR = 0.10
SEARCH_P95_BAR_MS = 50.0
KINDS = ["text", "text2", "speaker", "date", "text+speaker", "text+date"]
_WORD = re.compile(r"[^\W\d_]{3,}")
_STEM_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)










def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def db_bytes(path: Path) -> dict[str, int]:
    """Store file and WAL sizes after a full checkpoint."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = Path(str(path) + "-wal")
    return {"db": path.stat().st_size, "wal": wal.stat().st_size if wal.exists() else 0}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "statements", "people", "quotes", "quote_variants", "flags")}
    finally:
        conn.close()


# ------------------------------------------------------------------ (a) ingest

def corpus_paths(dirs: list[Path]) -> list[str]:
    paths: list[str] = []
    for d in dirs:
        found = [str(p) for p in expand_paths([str(d)])]
        if not found:
            sys.exit(f"no documents under {d}")
        paths += found
    return paths


def consume_run_extraction(paths: list[str]) -> int:
    errors: list[str] = []
    out = list(run_extraction(paths, ExtractSettings(), processes=1, errors=errors))
    if errors or any(a is None for _, a in out):
        raise RuntimeError(f"run_extraction failed: {errors[:3]}")
    return sum(len(a["statements"]) for _, a in out)  # type: ignore[index]


def extract_articles(paths: list[str]) -> list[Article]:
    """Untimed: the articles of ``paths`` (for the big store)."""
    errors: list[str] = []
    arts = [a for _, a in extract_documents(good_documents(paths, errors), ExtractSettings(), 1,
                                            errors) if a is not None]
    if errors:
        raise RuntimeError(f"extraction failed: {errors[:3]}")
    return arts


def ingest_like_cli(paths: list[str], db: Path) -> dict[str, Any]:
    """``saidwhat ingest PATHS --db DB -p 1`` in process, with the store's time clocked apart."""
    errors: list[str] = []
    articles: list[Article] = []
    store_s = 0.0
    added = 0
    gc.collect()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    store = Store(db)
    store_s += time.perf_counter() - t0

    def new_documents() -> Iterator[Document]:
        nonlocal store_s
        for doc in good_documents(paths, errors):
            t = time.perf_counter()
            stored = store.contains(url=doc.meta.get("url"), text=doc.text)
            store_s += time.perf_counter() - t
            if not stored:
                yield doc

    add_s = 0.0
    for _doc, article in extract_documents(new_documents(), ExtractSettings(), 1, errors):
        if article is None:
            continue
        t = time.perf_counter()
        if store.add_article(article) is not None:
            added += 1
        add_s += time.perf_counter() - t
        articles.append(article)
    t = time.perf_counter()
    store.optimize()
    store.close()
    optimize_s = time.perf_counter() - t
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    if errors:
        raise RuntimeError(f"ingest failed: {errors[:3]}")
    store_s += add_s + optimize_s
    return {"wall_s": wall, "cpu_s": cpu, "store_s": store_s, "add_article_s": add_s,
            "optimize_s": optimize_s, "added": added, "articles": articles}


def store_alone(articles: list[Article], db: Path) -> dict[str, Any]:
    """Only ``add_article`` over already extracted articles, then ``optimize``."""
    gc.collect()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    with Store(db) as store:
        per: list[float] = []
        for a in articles:
            t = time.perf_counter()
            store.add_article(a)
            per.append(time.perf_counter() - t)
        t = time.perf_counter()
        store.optimize()
        optimize_s = time.perf_counter() - t
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "cpu_s": cpu_seconds() - cpu0, "optimize_s": optimize_s,
            "add_ms_p50": 1000 * statistics.median(per), "add_ms_p95": 1000 * percentile(per, 95)}


def run_ingest(paths: list[str], words: int, warmup_docs: int, tmp: Path) -> dict[str, Any]:
    n = len(paths)
    load0 = loadavg()
    log(f"warm-up: run_extraction and ingest on {warmup_docs} docs ...")
    consume_run_extraction(paths[:warmup_docs])
    ingest_like_cli(paths[:warmup_docs], tmp / "warmup.db")
    log(f"extraction alone: run_extraction over {n} docs, 1 process ...")
    gc.collect()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    n_statements = consume_run_extraction(paths)
    ext_wall = time.perf_counter() - t0
    ext_cpu = cpu_seconds() - cpu0
    log(f"  {ext_wall:.1f} s ({n / ext_wall:.2f} docs/s), {n_statements} statements")
    log(f"ingest (the CLI way) into a fresh store, {n} docs ...")
    db = tmp / "ingest.db"
    ing = ingest_like_cli(paths, db)
    log(f"  {ing['wall_s']:.1f} s ({n / ing['wall_s']:.2f} docs/s), store {ing['store_s']:.2f} s")
    articles = ing.pop("articles")
    log("store alone: add_article over the extracted articles into another fresh store ...")
    alone = store_alone(articles, tmp / "alone.db")
    log(f"  {alone['wall_s']:.2f} s")
    size = db_bytes(db)
    cnt = counts(db)
    load1 = loadavg()
    ext = {"wall_s": round(ext_wall, 2), "cpu_per_wall": round(ext_cpu / ext_wall, 2),
           "docs_per_s": round(n / ext_wall, 2), "words_per_s": round(words / ext_wall, 1),
           "statements": n_statements}
    ingest = {"wall_s": round(ing["wall_s"], 2), "cpu_per_wall": round(ing["cpu_s"] / ing["wall_s"], 2),
              "docs_per_s": round(n / ing["wall_s"], 2),
              "words_per_s": round(words / ing["wall_s"], 1),
              "store_s": round(ing["store_s"], 3), "add_article_s": round(ing["add_article_s"], 3),
              "optimize_s": round(ing["optimize_s"], 3), "added": ing["added"],
              "store_share": round(ing["store_s"] / ing["wall_s"], 4),
              "store_ms_per_article": round(1000 * ing["store_s"] / max(1, ing["added"]), 2),
              "overhead_vs_extraction": round(ing["wall_s"] / ext_wall - 1, 4)}
    alone_rec = {"wall_s": round(alone["wall_s"], 2),
                 "cpu_per_wall": round(alone["cpu_s"] / alone["wall_s"], 2),
                 "optimize_s": round(alone["optimize_s"], 3),
                 "ms_per_article": round(1000 * alone["wall_s"] / len(articles), 2),
                 "add_ms_p50": round(alone["add_ms_p50"], 2),
                 "add_ms_p95": round(alone["add_ms_p95"], 2),
                 "share_of_extraction_plus_store": round(alone["wall_s"] / (ext_wall + alone["wall_s"]), 4)}
    total = size["db"] + size["wal"]
    size_rec = {**size, "total": total, "articles": cnt["articles"], "statements": cnt["statements"],
                "mb_per_1000_articles": round(total / cnt["articles"] * 1000 / 1e6, 3),
                "mb_per_1000_statements": round(total / max(1, cnt["statements"]) * 1000 / 1e6, 3),
                "counts": cnt}
    return {"docs": n, "words": words, "extraction": ext, "ingest": ingest, "store_alone": alone_rec,
            "size": size_rec, "load_before": load0, "load_after": load1,
            "meets_bar": ingest["store_share"] < STORE_SHARE_BAR, "_articles": articles}


# ------------------------------------------------------------------ (c) the big store

def base_date(article: Article) -> dt.date:
    m = _STEM_DATE.search(article.id or "")
    return dt.date.fromisoformat(m.group(1)) if m else dt.date(2016, 1, 1)


def replica(article: Article, copy: int, index: int, shift_days: int) -> Article:
    """Copy ``copy`` of a real article: new id, URL, date and outlet; same text and statements."""
    day = base_date(article) + dt.timedelta(days=copy * shift_days - BACK_DAYS)
    return dataclasses.replace(
        article, id=f"{article.id}~{copy}", url=f"https://news.example/{copy}/{article.id}",
        published=day.isoformat(), outlet=OUTLETS[(index + copy) % len(OUTLETS)])


def load_base(cache: Path, n_expected: int) -> list[Article] | None:
    if not cache.exists():
        return None
    arts = [Article.from_dict(json.loads(line)) for line in cache.open(encoding="utf-8")]
    return arts if len(arts) == n_expected else None


def save_base(cache: Path, articles: list[Article]) -> None:
    tmp = cache.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a.to_dict(with_text=True), ensure_ascii=False) + "\n")
    tmp.replace(cache)


@contextlib.contextmanager
def _checkpoint_on_exit(info: dict[str, Any], info_path: Path, before_s: float,
                        t0: float) -> Iterator[None]:
    """Record the build time spent so far when a build is interrupted."""
    try:
        yield
    except BaseException:
        info["build_s"] = round(before_s + time.perf_counter() - t0, 1)
        info_path.write_text(json.dumps(info, indent=1))
        raise


def build_big(big: Path, base_fn: Callable[[], list[Article]], target: int,
              shift_days: int) -> dict[str, Any]:
    """Build (or finish) the big store; returns how it was built."""
    info_path = Path(str(big) + ".json")
    info = json.loads(info_path.read_text()) if info_path.exists() else {}
    if info.get("complete") and big.exists():
        if info.get("target_statements") != target or info.get("shift_days") != shift_days:
            sys.exit(f"{big} was built for {info.get('target_statements')} statements / shift "
                     f"{info.get('shift_days')} days; delete it (and {info_path}) or pass another --big-db")
        log(f"big store {big}: complete, reused ({info['statements']:,} statements)")
        return {**info, "built_now": False, "build_s_this_run": 0.0}
    base = sorted(base_fn(), key=lambda a: (base_date(a), a.id or ""))
    if info and (info.get("base_articles") != len(base) or info.get("target_statements") != target
                 or info.get("shift_days") != shift_days):
        sys.exit(f"{big}: a partial build with other settings ({info}); delete it or pass another --big-db")
    info = {"base_articles": len(base), "base_statements": sum(len(a.statements) for a in base),
            "target_statements": target, "shift_days": shift_days, "outlets": OUTLETS,
            "complete": False, "build_s": info.get("build_s", 0.0)}
    before_s = info["build_s"]  # spent by earlier, interrupted runs
    info_path.write_text(json.dumps(info, indent=1))
    t0 = time.perf_counter()
    last_log = t0
    added = skipped = 0
    with Store(big) as store, _checkpoint_on_exit(info, info_path, before_s, t0):
        n_statements = store.conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        log(f"big store {big}: {n_statements:,} statements so far, building to {target:,} "
            f"from {len(base)} base articles ({info['base_statements']:,} statements per copy)")
        copy = 0  # already stored copies are skipped by URL
        while n_statements < target:
            for i, art in enumerate(base):
                if n_statements >= target:
                    break
                rep = replica(art, copy, i, shift_days)
                if store.add_article(rep) is None:
                    skipped += 1
                    continue
                added += 1
                n_statements += len(rep.statements)
                now = time.perf_counter()
                if now - last_log >= 30:
                    last_log = now
                    rate = added / (now - t0)
                    left = (target - n_statements) / max(1, info["base_statements"]) * len(base)
                    log(f"  copy {copy}: {n_statements:,} statements, {added:,} articles added "
                        f"this run ({1000 / rate:.1f} ms/article), about {left / rate / 60:.1f} min "
                        f"left; load {loadavg()}")
                    info["build_s"] = round(before_s + (now - t0), 1)
                    info_path.write_text(json.dumps(info, indent=1))
            copy += 1
        log(f"  optimize ... ({added:,} added, {skipped:,} already stored)")
        t = time.perf_counter()
        store.optimize()
        optimize_s = time.perf_counter() - t
    build_s = time.perf_counter() - t0
    cnt = counts(big)
    size = db_bytes(big)
    info.update({"complete": True, "build_s": round(before_s + build_s, 1),
                 "copies": -(-cnt["articles"] // len(base)), "statements": cnt["statements"],
                 "counts": cnt,
                 "bytes": size["db"] + size["wal"], "optimize_s": round(optimize_s, 1),
                 "ms_per_article_this_run": round(1000 * (build_s - optimize_s) / max(1, added), 2)})
    info_path.write_text(json.dumps(info, indent=1))
    log(f"big store built: {cnt['statements']:,} statements in {cnt['articles']:,} articles, "
        f"{info['bytes'] / 1e9:.2f} GB, {build_s:.0f} s this run")
    return {**info, "built_now": True, "added_this_run": added, "build_s_this_run": round(build_s, 1)}


def draw_queries(store: Store, n: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """``n`` queries per kind, drawn from random statements of the store."""
    conn = store.conn
    max_id = conn.execute("SELECT max(id) FROM statements").fetchone()[0]
    lo_day, hi_day = (dt.date.fromisoformat(d[:10]) for d in conn.execute(
        "SELECT min(published), max(published) FROM statements").fetchone())
    span_days = (hi_day - lo_day).days

    def statement(with_person: bool = False) -> tuple[list[str], str | None, str | None]:
        while True:
            r = conn.execute("SELECT s.content, s.published, p.name FROM statements s "
                             "LEFT JOIN people p ON p.id = s.person_id WHERE s.id = ?",
                             (rng.randint(1, max_id),)).fetchone()
            if r is None:
                continue
            words = _WORD.findall(r["content"])
            if words and (r["name"] or not with_person):
                return words, r["published"], r["name"]

    def speaker_query(name: str) -> str:
        parts = name.split()
        return parts[-1] if len(parts) > 1 and rng.random() < 0.5 else name

    queries: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for _ in range(n):
        words, _, _ = statement()
        queries["text"].append({"text": rng.choice(words)})
        words, _, _ = statement()
        i = rng.randrange(len(words))
        queries["text2"].append({"text": " ".join(words[i:i + 2]) if i + 1 < len(words)
                                 else " ".join(words[i - 1:i + 1]) if i else words[i]})
        _, _, name = statement(with_person=True)
        queries["speaker"].append({"speaker": speaker_query(name)})
        length = rng.choice([0, 6, 29, 364])
        since = lo_day + dt.timedelta(days=rng.randint(0, max(0, span_days - length)))
        queries["date"].append({"since": since.isoformat(),
                                "until": (since + dt.timedelta(days=length)).isoformat()})
        words, _, name = statement(with_person=True)
        queries["text+speaker"].append({"text": rng.choice(words), "speaker": speaker_query(name)})
        words, pub, _ = statement()
        length = rng.choice([6, 29, 364])
        day = dt.date.fromisoformat(pub[:10])
        since = day - dt.timedelta(days=rng.randint(0, length))
        queries["text+date"].append({"text": rng.choice(words), "since": since.isoformat(),
                                     "until": (since + dt.timedelta(days=length)).isoformat()})
    return queries


def warm_file(path: Path) -> float:
    t0 = time.perf_counter()
    with path.open("rb") as f:
        while f.read(16 << 20):
            pass
    return time.perf_counter() - t0


def run_search(big: Path, n_queries: int, n_warm: int, seed: int, limit: int,
               order: str = "relevance") -> dict[str, Any]:
    load0 = loadavg()
    warm_s = warm_file(big)
    log(f"read {big.stat().st_size / 1e9:.2f} GB into the OS cache in {warm_s:.1f} s")
    rng = random.Random(seed)
    with Store(big, readonly=True) as store:
        warm = draw_queries(store, n_warm, rng)
        timed = draw_queries(store, n_queries, rng)
        for kind in KINDS:
            for q in warm[kind]:
                store.search(**q, limit=limit, order=order)
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        rows: dict[str, list[int]] = {k: [] for k in KINDS}
        slowest: dict[str, tuple[float, dict]] = {}
        gc.collect()
        cpu0, t_all = cpu_seconds(), time.perf_counter()
        for i in range(n_queries):
            for kind in KINDS:
                q = timed[kind][i]
                t0 = time.perf_counter()
                res = store.search(**q, limit=limit, order=order)
                elapsed = time.perf_counter() - t0
                times[kind].append(elapsed)
                rows[kind].append(len(res))
                if elapsed > slowest.get(kind, (0.0, {}))[0]:
                    slowest[kind] = (elapsed, q)
        wall = time.perf_counter() - t_all
        cpu = cpu_seconds() - cpu0
    kinds = []
    for kind in KINDS:
        ms = [1000 * t for t in times[kind]]
        kinds.append({
            "kind": kind, "queries": len(ms), "p50_ms": round(percentile(ms, 50), 2),
            "p95_ms": round(percentile(ms, 95), 2), "p99_ms": round(percentile(ms, 99), 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2),
            "with_results": round(sum(1 for r in rows[kind] if r) / len(ms), 3),
            "mean_rows": round(statistics.fmean(rows[kind]), 1),
            "slowest_query": slowest[kind][1],
            "meets_bar": percentile(ms, 95) < SEARCH_P95_BAR_MS,
            "examples": timed[kind][:3],
        })
    return {"kinds": kinds, "limit": limit, "order": order, "seed": seed, "warmup_queries_per_kind": n_warm,
            "warm_file_s": round(warm_s, 1), "cpu_per_wall": round(cpu / wall, 2),
            "load_before": load0, "load_after": loadavg()}


# ------------------------------------------------------------------ report

def print_report(res: dict[str, Any]) -> None:
    info = res["machine"]
    print()
    print(f"machine: {info['nproc']} CPU(s), {info['cpu']}; Python {info['python']}, "
          f"SQLite {info['sqlite']}, model {info['model']}")
    a = res.get("ingest")
    if a:
        print(f"corpus:  {a['docs']} docs, {a['words']:,} words "
              f"({', '.join(str(d) for d in res['config']['dirs'])})")
        print(f"load average before {a['load_before']}, after {a['load_after']}")
        print()
        head = f"{'(a) ingest, 1 process':46} {'wall s':>8} {'docs/s':>8} {'words/s':>9} {'cpu/wall':>8}"
        print(head)
        print("-" * len(head))
        e, i, s = a["extraction"], a["ingest"], a["store_alone"]
        print(f"{'extraction alone (run_extraction)':46} {e['wall_s']:8.2f} {e['docs_per_s']:8.2f} "
              f"{e['words_per_s']:9,.0f} {e['cpu_per_wall']:8.2f}")
        print(f"{'ingest (extract_documents + add_article)':46} {i['wall_s']:8.2f} {i['docs_per_s']:8.2f} "
              f"{i['words_per_s']:9,.0f} {i['cpu_per_wall']:8.2f}")
        print(f"{'store alone (add_article + optimize)':46} {s['wall_s']:8.2f} "
              f"{a['docs'] / s['wall_s']:8.2f} {a['words'] / s['wall_s']:9,.0f} {s['cpu_per_wall']:8.2f}")
        print()
        mark = "ok" if a["meets_bar"] else "ABOVE BAR"
        print(f"store share of the ingest (clocked in the same run): {100 * i['store_share']:.1f} % "
              f"({i['store_s']:.2f} s: add_article {i['add_article_s']:.2f} s, optimize "
              f"{i['optimize_s']:.2f} s; {i['store_ms_per_article']:.1f} ms/article)  bar < "
              f"{100 * STORE_SHARE_BAR:.0f} %: {mark}")
        print(f"ingest wall vs extraction alone: {100 * i['overhead_vs_extraction']:+.1f} % "
              f"(separate runs: noisier)")
        print(f"store alone: {s['ms_per_article']:.1f} ms/article (add_article p50 {s['add_ms_p50']:.1f} ms, "
              f"p95 {s['add_ms_p95']:.1f} ms); {100 * s['share_of_extraction_plus_store']:.1f} % "
              f"of extraction alone + store alone")
        z = a["size"]
        print()
        print(f"(b) size: {z['total'] / 1e6:.1f} MB (db {z['db']:,} B + WAL {z['wal']:,} B after "
              f"checkpoint) for {z['articles']} articles, {z['statements']:,} statements: "
              f"{z['mb_per_1000_articles']:.2f} MB per 1,000 articles "
              f"({z['mb_per_1000_statements']:.3f} MB per 1,000 statements)")
    b = res.get("big")
    c = res.get("search")
    if b and c:
        cnt = b["counts"]
        print()
        print(f"(c) search on {b['path']}: {cnt['statements']:,} statements, {cnt['articles']:,} "
              f"articles, {cnt['people']:,} people/entities, {cnt['quotes']:,} quotes, "
              f"{b['bytes'] / 1e9:.2f} GB ({b['bytes'] / cnt['articles'] * 1000 / 1e6:.1f} MB per "
              f"1,000 articles); {b['copies']} copies of {b['base_articles']} real articles "
              f"({'built in this run' if b['built_now'] else 'reused'}, build {b['build_s']:.0f} s in all)")
        print(f"limit {c['limit']}, seed {c['seed']}, {c['warmup_queries_per_kind']} warm-up queries "
              f"per kind; load average before {c['load_before']}, after {c['load_after']}; "
              f"cpu/wall {c['cpu_per_wall']}")
        print()
        head = (f"{'kind':14} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                f"{'hits':>6} {'rows':>6}  bar p95 < {SEARCH_P95_BAR_MS:.0f} ms")
        print(head)
        print("-" * len(head))
        for k in c["kinds"]:
            print(f"{k['kind']:14} {k['queries']:7} {k['p50_ms']:8.2f} {k['p95_ms']:8.2f} "
                  f"{k['p99_ms']:8.2f} {k['max_ms']:8.2f} {100 * k['with_results']:5.0f}% "
                  f"{k['mean_rows']:6.1f}  {'ok' if k['meets_bar'] else 'ABOVE BAR'}")
        print("hits = share of queries with at least one result; rows = mean rows returned")
    print(f"total benchmark time {res['total_s']:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, action="append",
                    help="directory of .txt documents (repeatable; default PolNeAR train and dev)")
    ap.add_argument("--limit", type=int, help="only the first N documents for (a) and (b)")
    ap.add_argument("--warmup-docs", type=int, default=8, help="documents in the warm-up (default 8)")
    ap.add_argument("--skip-ingest", action="store_true", help="skip (a) and (b)")
    ap.add_argument("--skip-search", action="store_true", help="skip (c)")
    ap.add_argument("--big-db", type=Path, default=DEFAULT_BIG_DB,
                    help=f"the big store for (c), built once and reused (default {DEFAULT_BIG_DB})")
    ap.add_argument("--big-statements", type=int, default=1_000_000,
                    help="statements in the big store (default 1,000,000)")
    ap.add_argument("--shift-days", type=int, default=120,
                    help="days between the dates of two copies of an article (default 120)")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per kind (default 200)")
    ap.add_argument("--warmup-queries", type=int, default=20, help="untimed queries per kind (default 20)")
    ap.add_argument("--search-limit", type=int, default=50, help="rows per search (default 50)")
    ap.add_argument("--order", choices=("relevance", "date"), default="relevance",
                    help="result order of the text searches (default relevance, the search default)")
    ap.add_argument("--seed", type=int, default=1, help="RNG seed for the queries (default 1)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON here")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    dirs = args.docs or DEFAULT_DIRS
    all_paths = corpus_paths(dirs)
    paths = all_paths[:args.limit] if args.limit else all_paths
    result: dict[str, Any] = {"machine": machine_info(sqlite=sqlite3.sqlite_version),
                              "config": {"dirs": [str(d) for d in dirs], "limit": args.limit,
                                         "warmup_docs": args.warmup_docs, "queries": args.queries,
                                         "big_statements": args.big_statements,
                                         "shift_days": args.shift_days},
                              "bars": {"store_share": STORE_SHARE_BAR,
                                       "search_p95_ms": SEARCH_P95_BAR_MS}}
    extracted: list[Article] = []
    if not args.skip_ingest:
        words = sum(len(read_document(p).text.split()) for p in paths)
        log(f"{len(paths)} docs, {words:,} words; {result['machine']['nproc']} CPU(s); "
            f"load {loadavg()}")
        with tempfile.TemporaryDirectory(prefix="saidwhat-bench-store-") as tmp:
            ing = run_ingest(paths, words, min(args.warmup_docs, len(paths)), Path(tmp))
        extracted = ing.pop("_articles")
        result["ingest"] = ing

    if not args.skip_search:
        big = args.big_db
        cache = Path(str(big) + ".base.jsonl")

        def base() -> list[Article]:
            cached = load_base(cache, len(all_paths))
            if cached is not None:
                log(f"base articles from {cache}")
                return cached
            have = {a.id for a in extracted}
            rest = [p for p, pid in ((p, Path(p).stem) for p in all_paths) if pid not in have]
            if rest:
                log(f"extracting {len(rest)} more docs (untimed) for the big store ...")
            save_base(cache, extracted + extract_articles(rest) if rest else extracted)
            # build from what the cache gives back (to_dict rounds confidences), so a build
            # resumed from the cache writes the same rows as one that never stopped
            arts = load_base(cache, len(all_paths))
            assert arts is not None
            return arts

        big.parent.mkdir(parents=True, exist_ok=True)
        result["big"] = {"path": str(big), **build_big(big, base, args.big_statements, args.shift_days)}
        log(f"search: {args.queries} timed queries per kind ...")
        result["search"] = run_search(big, args.queries, args.warmup_queries, args.seed,
                                      args.search_limit, args.order)
    result["total_s"] = round(time.perf_counter() - started, 1)
    print_report(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
