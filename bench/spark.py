"""Throughput of the Spark job (``saidwhat.spark``) in ``local[1]`` and ``local[2]``, and its
overhead against the single-process ``saidwhat extract``.

Documents (1,000 by default; ``--limit N`` takes the first N): every PolNeAR train and dev
text (``../shared/data/polnear/{train,dev}/text/*.txt``, sorted, 924 documents, copied), then the
article bodies of the real news pages of ``../shared/data/news-html/ground-truth.json`` (sorted
by page id, written as ``.txt`` files) up to the count, all in one temporary folder
(``$SAIDWHAT_SHARED`` instead of ``../shared`` when set). All are plain text, so every run reads
the same bytes the same way.

Runs, one after the other on the same folder:

1. **single process**: the real command ``saidwhat extract DIR --format jsonl --out FILE`` in a
   subprocess; wall time from start to exit (interpreter start, model load, reading, extraction,
   writing JSON lines).
2. **Spark** ``local[1]`` then ``local[2]``, each in a new interpreter (so each starts its own
   JVM and Python workers, and loads spaCy in them, as a real job does): the session start is
   timed apart (JVM and context), then ``saidwhat.spark.run`` (read the files, extract in
   ``--partitions`` partitions, default twice the cores, write the five Parquet tables).

Reported: docs/s of each Spark job (documents / job seconds), the **ratio** local[2] / local[1]
(bar >= 1.7), the **overhead** of local[1] against the single process (job seconds / extract
seconds - 1, and the same with the session start added), articles and statements written (they
must equal the single-process run's), the machine (``machine.py``) and its load average before
and after each run. With ``--link`` the link step (``saidwhat.spark.link``) is timed after the
local[2] job as well.

The CPU must be otherwise idle for the ratio to mean anything: on a 2-core machine another busy
process takes the second core that local[2] needs.

Reproduce::

    cd /work/main && .venv/bin/python bench/spark.py --json /tmp/spark-bench.json   # 1,000 docs
    .venv/bin/python bench/spark.py --limit 60                                          # quick check
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import loadavg, machine_info

SHARED = Path(os.environ.get("SAIDWHAT_SHARED") or Path(__file__).resolve().parents[1].parent / "shared") \
    / "data"
BAR = 1.7


def documents(folder: Path, limit: int) -> list[Path]:
    """The first ``limit`` bench documents, copied or written as files under ``folder``."""
    files = sorted((SHARED / "polnear" / "train" / "text").glob("*.txt")) + \
        sorted((SHARED / "polnear" / "dev" / "text").glob("*.txt"))
    out = []
    for f in files[:limit]:
        copy = folder / f"polnear-{f.parent.parent.name}-{f.name}"
        shutil.copyfile(f, copy)
        out.append(copy)
    bodies = json.loads((SHARED / "news-html" / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(bodies):
        if len(out) >= limit:
            break
        body = (bodies[page_id].get("articleBody") or "").strip()
        if body:
            path = folder / f"news-{page_id[:16]}.txt"
            path.write_text(body + "\n", encoding="utf-8")
            out.append(path)
    if len(out) < limit:
        raise SystemExit(f"only {len(out)} documents under {SHARED}, asked for {limit}")
    return out


def single_process(folder: Path, out: Path) -> dict[str, Any]:
    """The real ``saidwhat extract`` over the folder, timed from start to exit."""
    cmd = [str(Path(sys.executable).with_name("saidwhat")), "extract", str(folder),
           "--format", "jsonl", "--out", str(out)]
    before = loadavg()
    start = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"saidwhat extract failed ({res.returncode}):\n{res.stderr[-2000:]}")
    articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {"seconds": round(seconds, 2), "articles": len(articles),
            "statements": sum(len(a["statements"]) for a in articles),
            "load_before": before, "load_after": loadavg()}


def spark_run(folder: Path, out: Path, cores: int, partitions: int | None,
              link: bool) -> dict[str, Any]:
    """One Spark job in a new ``local[cores]`` session: session start, job, (link), stop."""
    from saidwhat.spark.extract import run
    from saidwhat.spark.session import spark_session

    before = loadavg()
    start = time.perf_counter()
    spark = spark_session(f"local[{cores}]")
    started = time.perf_counter()
    try:
        counts = run(spark, [str(folder)], str(out), partitions)
        done = time.perf_counter()
        result = {"master": f"local[{cores}]",
                  "partitions": partitions or 2 * spark.sparkContext.defaultParallelism,
                  "session_seconds": round(started - start, 2), "job_seconds": round(done - started, 2),
                  "articles": counts["articles"], "statements": counts["statements"],
                  "errors": counts["errors"]}
        if link:
            from saidwhat.spark.link import link as link_step

            link_counts = link_step(spark, str(out), partitions)
            result["link_seconds"] = round(time.perf_counter() - done, 2)
            result["link_rows"] = link_counts
    finally:
        spark.stop()
    result["load_before"], result["load_after"] = before, loadavg()
    return result


def spark_run_fresh(*args: Any) -> dict[str, Any]:
    """:func:`spark_run` in a new interpreter, so that each run starts its own JVM: neither
    gets a JVM whose JIT the other one warmed up."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(spark_run, args)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=1000, help="documents (default 1000)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="Spark partitions (default: twice the cores of each run)")
    ap.add_argument("--link", action="store_true", help="also time the link step after local[2]")
    ap.add_argument("--json", type=Path, default=None, help="write the results here as well")
    args = ap.parse_args()
    if args.limit < 1:
        ap.error("--limit must be at least 1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with tempfile.TemporaryDirectory(prefix="saidwhat-spark-bench-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        docs = documents(folder, args.limit)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in docs)
        single = single_process(folder, Path(tmp) / "extract.jsonl")
        runs = [spark_run_fresh(folder, Path(tmp) / f"out{k}", k, args.partitions, args.link and k == 2)
                for k in (1, 2)]
    n = len(docs)
    for r in runs:
        r["docs_per_s"] = round(n / r["job_seconds"], 2)
        r["same_output_as_single_process"] = (r["articles"], r["statements"]) == \
            (single["articles"], single["statements"])
    one, two = runs
    single["docs_per_s"] = round(n / single["seconds"], 2)
    ratio = two["docs_per_s"] / one["docs_per_s"]
    report = {
        "machine": machine_info(),
        "documents": n, "words": words,
        "single_process": single, "spark": runs,
        "ratio_local2_local1": round(ratio, 3), "bar": BAR, "meets_bar": ratio >= BAR,
        "overhead_local1_job_vs_extract": round(one["job_seconds"] / single["seconds"] - 1, 3),
        "overhead_local1_with_session_vs_extract": round(
            (one["session_seconds"] + one["job_seconds"]) / single["seconds"] - 1, 3),
    }
    print(f"{n} documents, {words:,} words; load before/after each run is in the JSON")
    print(f"saidwhat extract (1 process): {single['seconds']:.1f} s, {single['docs_per_s']:.1f} docs/s")
    for r in runs:
        print(f"spark {r['master']} ({r['partitions']} partitions): session {r['session_seconds']:.1f} s, "
              f"job {r['job_seconds']:.1f} s, {r['docs_per_s']:.1f} docs/s, "
              f"same output: {r['same_output_as_single_process']}"
              + (f", link {r['link_seconds']:.1f} s" if "link_seconds" in r else ""))
    print(f"ratio local[2]/local[1]: {ratio:.2f} (bar {BAR}: {'met' if ratio >= BAR else 'NOT met'}); "
          f"overhead of local[1] against extract: {report['overhead_local1_job_vs_extract']:+.0%} "
          f"(job), {report['overhead_local1_with_session_vs_extract']:+.0%} (with session start)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
