"""Starting Spark: a session for a master URL (local ones quiet and bound to 127.0.0.1), and how
many partitions to work in. pyspark is imported inside the functions: it is an optional extra."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any


def spark_session(master: str | None = None, app_name: str = "saidwhat",
                  conf: Mapping[str, str] | None = None) -> Any:
    """A session; a ``local`` one bound to 127.0.0.1 and without the web UI. ``conf``:
    more Spark settings (``spark.hadoop.fs.s3a.…``, ``spark.executor.memory``, …). Without
    ``master``: ``$SAIDWHAT_SPARK_MASTER``, else the ``--master`` of ``spark-submit`` when it
    started this process, else ``local[*]``."""
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = master or os.environ.get("SAIDWHAT_SPARK_MASTER")
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit,
        SparkContext._ensure_initialized()                       # whose JVM has its --master
        master = SparkConf().get("spark.master", None)
    master = master or "local[*]"
    builder = SparkSession.builder.master(master).appName(app_name) \
        .config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):  # on a cluster the web UI is how a run is watched
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.ui.enabled", "false") \
            .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def active_session() -> Any | None:
    """The session already running in this process (under ``spark-submit`` or in tests), if any."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def default_partitions(sc: Any, partitions: int | None) -> int:
    """Twice the cores unless told: a slow document then holds up half a core's share, not all
    of it, and the per-task cost (worker reuse, no pipeline reload) stays small."""
    return partitions or 2 * sc.defaultParallelism
