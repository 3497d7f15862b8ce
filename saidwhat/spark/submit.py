"""The script to give ``spark-submit``, which runs a file rather than ``python -m``.

Absolute imports, so that running this file by its path works; the functions Spark ships to
executors stay in :mod:`saidwhat.spark.extract` and :mod:`saidwhat.spark.link` (imported from
the shipped environment there)::

    spark-submit [spark options] "$(python -c 'import saidwhat.spark.submit as m; print(m.__file__)')" \\
        INPUT... --output DIR [--link]

The arguments are those of ``saidwhat spark`` (``--link`` with no INPUT links an existing output).
"""
import sys

from saidwhat.cli.spark import run_spark_command

if __name__ == "__main__":
    sys.exit(run_spark_command())
