"""Write ``docs/output.md``: every field of the output, from ``saidwhat.schema`` (the one source;
``tests/test_output_schema.py`` fails when the file and the schema disagree).

    .venv/bin/python scripts/make_output_docs.py
"""
from __future__ import annotations

from pathlib import Path

from saidwhat.schema import json_schema

OUT = Path(__file__).resolve().parents[1] / "docs" / "output.md"

INTRO = """# Output: every field

What `saidwhat extract` writes (one JSON object an article; JSONL with one a line for several),
what the API's `/api/extract` returns and what the store and the Parquet tables hold row by
row. Offsets are Python `str` indices (code points) into the article `text` exactly as read;
`text[start:end]` is the marked piece. The machine-readable form is a JSON Schema:
`saidwhat schema > article.schema.json`.

This file is made by `scripts/make_output_docs.py` from `saidwhat/schema.py`; do not edit it by hand.
"""


def _type(prop: dict) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[1]
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"])
    kind = prop.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        items = prop["items"]
        return "[[start, end], …]" if items.get("type") == "array" else f"list of {_type(items)}"
    return kind


def markdown() -> str:
    schema = json_schema()
    parts = [INTRO]
    for name, obj in schema["$defs"].items():
        parts.append(f"\n## {name}\n\n{obj['description']}\n\n| field | type | meaning |\n|---|---|---|")
        for field, prop in obj["properties"].items():
            meaning = prop["description"].replace("|", "\\|")
            if "enum" in prop:
                meaning += ": " + ", ".join(f"`{v}`" for v in prop["enum"])
            if field not in obj["required"]:
                meaning += " (left out when empty)"
            parts.append(f"| `{field}` | {_type(prop)} | {meaning} |")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    OUT.write_text(markdown(), encoding="utf-8")
    print(f"wrote {OUT}")
