"""``python -m saidwhat.cli``: the ``saidwhat`` command."""
from . import main

main()
