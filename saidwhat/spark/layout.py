"""Where the Spark tables live and how they are typed: :data:`saidwhat.schema.PARQUET_COLUMNS`
as Spark schemas (spans as ``array<array<int>>``), table folders, the corpus sort order.

pyspark is imported inside the functions: it is an optional extra.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..schema import PARQUET_COLUMNS

#: the tables the extract job writes (the link job adds its own)
TABLES = tuple(PARQUET_COLUMNS)


def schemas() -> dict[str, Any]:
    """The Spark schema of each extract table."""
    from pyspark.sql.types import ArrayType, DoubleType, IntegerType, StringType, StructField, StructType

    types = {"text": StringType(), "int": IntegerType(), "real": DoubleType(),
             "spans": ArrayType(ArrayType(IntegerType(), False), False),
             "texts": ArrayType(StringType(), False)}
    return {table: StructType([StructField(c.name, types[c.type], c.nullable) for c in columns])
            for table, columns in PARQUET_COLUMNS.items()}


def article_order_columns() -> list:
    """:func:`saidwhat.schema.article_order` as Spark sort columns."""
    from pyspark.sql import functions as F

    return [F.col("date"), F.coalesce(F.col("published"), F.lit("")), F.col("path"),
            F.col("doc_index"), F.col("origin")]


def table_path(output: str, table: str) -> str:
    """Where table ``table`` of an output folder (local path or URI) lives."""
    return str(Path(output) / table) if "://" not in output else f"{output.rstrip('/')}/{table}"


def write_table(df: Any, output: str, table: str, mode: str, by_date: bool) -> None:
    """One Parquet table under ``output``, partitioned by ``date`` when ``by_date``."""
    writer = df.write.mode(mode)
    if by_date:
        writer = writer.partitionBy("date")
    writer.parquet(table_path(output, table))
