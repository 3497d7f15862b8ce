"""Load on the real web server: a bounded mix of page, search, API and extract requests.

What is measured:

* **the store**: built from real text (PolNeAR dev by default: every ``.txt`` under
  ``../shared/data/polnear/dev/text``, plus ``examples/hegseth-nato.txt``) with the same code
  path as ``saidwhat ingest`` (``good_documents`` + ``extract_documents`` + ``Store.add_article``),
  or an existing store given with ``--db`` (built there first if the file does not exist).
* **the server**: ``saidwhat.web.serve`` (uvicorn, one worker) in a subprocess on 127.0.0.1
  and a free port, so client and server do not share a GIL; the script waits until ``GET /``
  answers 200. Only loopback traffic.
* **the load**: ``--requests`` requests (default 2,000) from ``--concurrency`` threads
  (default 8), each with its own ``httpx.Client`` (keep-alive). The request list is drawn
  up front with a seeded RNG (``--seed``): ``GET /?q=WORD`` and
  ``GET /api/statements?q=WORD`` (words drawn from the stored statements; the API's
  search parameter is ``q``),
  ``GET /articles/{id}``, ``GET /api/articles/{id}``, ``GET /people/{id}`` (ids from the
  store), and ``POST /api/extract`` with short real paragraphs (``--extract-share``,
  default 10%; these run spaCy and are slow). The run stops after all requests or after
  ``--time-limit`` seconds, whichever is first (requests not sent are reported).

Per endpoint: count, errors (non-2xx or exceptions), p50 / p95 / max latency in ms; overall
requests/s over the wall time of the load. The machine's load average is printed before and
after. Exit status 1 if any request failed (or the time limit cut the run short).

Reproduce::

    cd /work/main && .venv/bin/python bench/web_load.py                       # defaults
    .venv/bin/python bench/web_load.py --db /tmp/web_load.db --json /tmp/web_load.json
    .venv/bin/python bench/web_load.py --requests 500 --concurrency 4         # quick
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from saidwhat.corpus import Store
from saidwhat.inputs.batch import ExtractSettings, extract_documents, good_documents

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = ROOT.parent / "shared/data/polnear/dev/text"
EXAMPLE = ROOT / "examples/hegseth-nato.txt"
WORD = re.compile(r"[A-Za-z]{5,}")
STOP = {"about", "after", "their", "there", "these", "those", "would", "could", "should",
        "which", "where", "while", "being", "other", "because", "said"}


@dataclass(frozen=True)
class Req:
    endpoint: str  # the label in the table
    method: str
    url: str
    body: dict[str, Any] | None = None


def build_store(db: Path, paths: list[str]) -> dict[str, int]:
    """Extract and store ``paths`` the way ``saidwhat ingest`` does (one process)."""
    errors: list[str] = []
    added = 0
    with Store(db) as store:
        for _, article in extract_documents(good_documents(paths, errors), ExtractSettings(), 1,
                                            errors):
            if article is not None and store.add_article(article) is not None:
                added += 1
        store.optimize()
    for e in errors:
        print(f"  ingest error: {e}", file=sys.stderr)
    return {"added": added, "errors": len(errors)}


def targets(db: Path) -> dict[str, list]:
    """Article ids, person ids, search words (from stored statements) and paragraphs."""
    with Store(db, readonly=True) as store:
        conn = store.conn
        articles = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        people = [r[0] for r in conn.execute("SELECT id FROM people ORDER BY id")]
        contents = [r[0] for r in conn.execute("SELECT content FROM statements ORDER BY id")]
        texts = [r[0] for r in conn.execute("SELECT text FROM articles ORDER BY id")]
    words = sorted({w.lower() for c in contents for w in WORD.findall(c)} - STOP)
    paragraphs = [p.strip() for t in texts for p in t.split("\n")
                  if 150 <= len(p.strip()) <= 600 and any(q in p for q in "\"“”")]
    if not (articles and people and words and paragraphs):
        raise SystemExit(f"{db}: the store has too little to query "
                         f"({len(articles)} articles, {len(people)} people)")
    return {"articles": articles, "people": people, "words": words, "paragraphs": paragraphs}


def plan(n: int, t: dict[str, list], rng: random.Random, extract_share: float) -> list[Req]:
    """``n`` requests, about ``extract_share`` of them extractions, the rest evenly mixed."""
    kinds = ["GET /?q=", "GET /api/statements?q=", "GET /articles/{id}",
             "GET /api/articles/{id}", "GET /people/{id}"]
    out: list[Req] = []
    for _ in range(n):
        if rng.random() < extract_share:
            out.append(Req("POST /api/extract", "POST", "/api/extract",
                           {"text": rng.choice(t["paragraphs"])}))
            continue
        kind = rng.choice(kinds)
        if kind == "GET /?q=":
            out.append(Req(kind, "GET", "/?" + str(httpx.QueryParams(q=rng.choice(t["words"])))))
        elif kind == "GET /api/statements?q=":
            out.append(Req(kind, "GET",
                           "/api/statements?" + str(httpx.QueryParams(q=rng.choice(t["words"])))))
        elif kind == "GET /people/{id}":
            out.append(Req(kind, "GET", f"/people/{rng.choice(t['people'])}"))
        else:
            prefix = "/api" if kind.startswith("GET /api") else ""
            out.append(Req(kind, "GET", f"{prefix}/articles/{rng.choice(t['articles'])}"))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path, timeout: float = 60.0) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from saidwhat.web import serve; "
            "serve(Path(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]))")
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)],
                                stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2.0).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            raise SystemExit(f"the server did not answer within {timeout:g} s; see {log}")
        time.sleep(0.1)


def run_load(base: str, reqs: list[Req], concurrency: int, time_limit: float,
             timeout: float) -> tuple[list[tuple[str, float, int | None, str | None]], float]:
    """Sends ``reqs`` from ``concurrency`` threads; ``(endpoint, ms, status, error)`` each."""
    results: list[tuple[str, float, int | None, str | None]] = []
    lock = threading.Lock()
    it = iter(reqs)
    stop_at = time.monotonic() + time_limit

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while time.monotonic() < stop_at:
                with lock:
                    r = next(it, None)
                if r is None:
                    return
                t0 = time.perf_counter()
                status, error = None, None
                try:
                    resp = client.request(r.method, r.url, json=r.body)
                    status = resp.status_code
                    if not 200 <= status < 300:
                        error = f"HTTP {status}: {resp.text[:120]!r}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    results.append((r.endpoint, ms, status, error))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for f in [pool.submit(worker) for _ in range(concurrency)]:
            f.result()
    return results, time.perf_counter() - t0


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted ``xs``."""
    return xs[max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))]


def summarise(results: list, wall: float) -> dict[str, Any]:
    by: dict[str, list] = defaultdict(list)
    for endpoint, ms, _status, error in results:
        by[endpoint].append((ms, error))
    rows = {}
    for endpoint in sorted(by):
        ms = sorted(m for m, _ in by[endpoint])
        errs = [e for _, e in by[endpoint] if e]
        rows[endpoint] = {"count": len(ms), "errors": len(errs), "p50_ms": pct(ms, 50),
                          "p95_ms": pct(ms, 95), "max_ms": ms[-1], "first_errors": errs[:3]}
    allms = sorted(m for _, m, _, _ in results)
    total = {"count": len(results), "errors": sum(r["errors"] for r in rows.values()),
             "p50_ms": pct(allms, 50) if allms else 0, "p95_ms": pct(allms, 95) if allms else 0,
             "max_ms": allms[-1] if allms else 0, "wall_s": wall,
             "requests_per_s": len(results) / wall if wall else 0.0}
    return {"endpoints": rows, "total": total}


def print_table(summary: dict[str, Any]) -> None:
    print(f"\n{'endpoint':<30} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8}")
    for name, r in [*summary["endpoints"].items(), ("all", summary["total"])]:
        print(f"{name:<30} {r['count']:>6} {r['errors']:>6} {r['p50_ms']:>8.1f} "
              f"{r['p95_ms']:>8.1f} {r['max_ms']:>8.1f}")
    t = summary["total"]
    print(f"\n{t['count']} requests in {t['wall_s']:.1f} s: {t['requests_per_s']:.1f} requests/s")
    for name, r in summary["endpoints"].items():
        for e in r["first_errors"]:
            print(f"  error on {name}: {e}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="store to serve (built from --docs if missing); "
                    "default: a fresh one in a temporary directory")
    ap.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="texts to ingest")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--extract-share", type=float, default=0.10)
    ap.add_argument("--time-limit", type=float, default=600.0,
                    help="stop sending after this many seconds")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1:
        ap.error("--requests and --concurrency must be at least 1")

    tmp = tempfile.TemporaryDirectory(prefix="saidwhat-web-load-")
    db = args.db or Path(tmp.name) / "corpus.db"
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    built = None
    if not db.exists():
        t0 = time.perf_counter()
        paths = [str(args.docs)] + ([str(EXAMPLE)] if EXAMPLE.exists() else [])
        built = build_store(db, paths)
        print(f"built {db}: {built['added']} articles in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(args.seed)
    t = targets(db)
    print(f"store {db}: {len(t['articles'])} articles, {len(t['people'])} people, "
          f"{len(t['words'])} search words, {len(t['paragraphs'])} paragraphs for extract")
    reqs = plan(args.requests, t, rng, args.extract_share)

    port = free_port()
    log = Path(tmp.name) / "server.log"
    t0 = time.perf_counter()
    proc = start_server(db, port, log)
    print(f"server pid {proc.pid} on http://127.0.0.1:{port} up in "
          f"{time.perf_counter() - t0:.1f} s; {len(reqs)} requests, {args.concurrency} concurrent")
    try:
        results, wall = run_load(f"http://127.0.0.1:{port}", reqs, args.concurrency,
                                 args.time_limit, args.timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    load_after = os.getloadavg()
    summary = summarise(results, wall)
    print_table(summary)
    unsent = len(reqs) - len(results)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    if unsent:
        print(f"time limit ({args.time_limit:g} s) reached: {unsent} requests not sent",
              file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({
            "db": str(db), "built": built, "requests": args.requests,
            "concurrency": args.concurrency, "extract_share": args.extract_share,
            "seed": args.seed, "unsent": unsent, "cpus": os.cpu_count(),
            "loadavg_after": load_after, **summary}, indent=1))
    tmp.cleanup()
    return 1 if summary["total"]["errors"] or unsent else 0


if __name__ == "__main__":
    sys.exit(main())
