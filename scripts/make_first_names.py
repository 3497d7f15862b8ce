"""Make ``saidwhat/data/first_names.tsv``: the gender first names signal, for the speaker resolver.

From the name data of nomquamgender (Van Buskirk et al., MIT licence; PyPI
``nomquamgender==0.1.4``, read from its installed data file without importing it): every
first name (letters, apostrophes and hyphens) seen at least ``--min-count`` times whose
share of women is at least ``--clear`` (``f``) or at most ``1 - clear`` (``m``). Ambiguous
names (Kim, Jordan, Jean) are left out: a pronoun or an honorific decides those.

    python3 -m venv /tmp/names && /tmp/names/bin/pip install nomquamgender==0.1.4
    /tmp/names/bin/python scripts/make_first_names.py
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "saidwhat" / "data" / "first_names.tsv"
NAME = re.compile(r"[a-z][a-z'-]+")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=200)
    ap.add_argument("--clear", type=float, default=0.9)
    args = ap.parse_args()
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nomquamgender is not installed (see this script's docstring)")
    data = json.loads((Path(spec.submodule_search_locations[0]) / "name_data.json").read_text("utf-8"))
    rows = []
    for name, (_, count, share_female, *_) in sorted(data.items()):
        if NAME.fullmatch(name) and count >= args.min_count:
            if share_female >= args.clear:
                rows.append(f"{name}\tf")
            elif share_female <= 1 - args.clear:
                rows.append(f"{name}\tm")
    OUT.write_text("# first name\tgender (f/m): from nomquamgender 0.1.4 name data (MIT licence, "
                   "Van Buskirk et al.), scripts/make_first_names.py\n" + "\n".join(rows) + "\n",
                   encoding="utf-8")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main()
