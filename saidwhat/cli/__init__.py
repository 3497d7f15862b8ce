"""The ``saidwhat`` command: one typer app, a thin module per group of commands.

:mod:`.extract` (``extract``), :mod:`.learning` (``eval``, ``train``, ``train-tagger``, ``train-speakers``),
:mod:`.corpus` (``ingest``, ``search``, ``people``, ``quotes``, ``flags``, ``export``, ``serve``) and
:mod:`.spark` (``spark``, ``spark-link``); what they share is in :mod:`.common`.
"""
import typer

from . import corpus, learning, spark
from .extract import extract, schema

app = typer.Typer(help="Who said what in the news.", no_args_is_help=True, add_completion=False)
app.command()(extract)
app.command()(schema)
app.command("eval")(learning.eval_command)
app.command()(learning.train)
app.command("train-tagger")(learning.train_tagger)
app.command("train-speakers")(learning.train_speakers)
for command in (corpus.ingest, corpus.search, corpus.people, corpus.quotes, corpus.flags, corpus.export,
                corpus.serve):
    app.command()(command)
app.command()(spark.spark)
app.command("spark-link")(spark.spark_link)


def main() -> None:  # pragma: no cover - console entry point
    app()


__all__ = ["app", "main"]
