"""``python -m saidwhat.spark INPUT... --output DIR``: the same command as ``saidwhat spark``."""
import sys

from saidwhat.cli.spark import run_spark_command

sys.exit(run_spark_command())
