"""Article text as HTML with every statement's content, cue and source marked.

One function for the stored-article page and the paste page, so both escape the same
way: every slice of article text goes through ``markupsafe.escape`` and every attribute
value too; nothing from the article is ever emitted raw.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

N_COLOURS = 8
ROLES = ("content", "cue", "source")


@dataclass(frozen=True)
class Mark:
    """One span to mark: where, which CSS classes, which data-* attributes."""

    start: int
    end: int
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None  # id="..." on the first piece

    def open_tag(self, first: bool) -> str:
        cls = " ".join(self.classes + (() if first else ("sw-cont",)))
        out = [f'<mark class="{escape(cls)}"']
        if first and self.anchor:
            out.append(f' id="{escape(self.anchor)}"')
        out.extend(f' {name}="{escape(value)}"' for name, value in self.attrs)
        return "".join(out) + ">"


def speaker_colours(article: dict[str, Any]) -> dict[str | None, int]:
    """A colour index per speaker id, in order of first statement (stable on reload)."""
    colours: dict[str | None, int] = {}
    for st in article.get("statements", []):
        sid = st.get("speaker")
        if sid is not None and sid not in colours:
            colours[sid] = len(colours) % N_COLOURS
    for sp in article.get("speakers", []):
        colours.setdefault(sp["id"], len(colours) % N_COLOURS)
    return colours


def statement_marks(article: dict[str, Any]) -> list[Mark]:
    """Marks for every statement part and every flag span of an ``Article.to_dict()``."""
    speakers = {sp["id"]: sp for sp in article.get("speakers", [])}
    colours = speaker_colours(article)
    text_len = len(article.get("text", ""))
    marks: list[Mark] = []
    statements = article.get("statements", [])
    for number, st in enumerate(statements, 1):
        sp = speakers.get(st.get("speaker"))
        name = sp["name"] if sp else "unresolved speaker"
        colour = f"c{colours[sp['id']]}" if sp else "cx"
        title = f"{name} — {st['kind']}, statement {number} of {len(statements)}"
        attrs = [("data-statement", str(st["id"])), ("data-number", f"{number} of {len(statements)}"),
                 ("data-kind", str(st["kind"])),
                 ("data-speaker", name), ("title", title),
                 ("data-confidence", str(st.get("confidence", ""))),
                 ("data-resolution", resolution_note(article, st))]
        if sp:
            if sp.get("titles"):
                attrs.append(("data-titles", "; ".join(sp["titles"])))
            if sp.get("person_id") is not None:
                attrs.append(("data-person", str(int(sp["person_id"]))))
        if st.get("quote_id") is not None:
            attrs.append(("data-quote", str(int(st["quote_id"]))))
        for role in ROLES:
            part = st.get(role)
            if not part:
                continue
            for i, (s, e) in enumerate(part["spans"]):
                if 0 <= s < e <= text_len:
                    marks.append(Mark(s, e, ("sw", f"sw-{role}", colour),
                                      tuple(attrs) + (("data-role", role),),
                                      f"st-{st['id']}" if role == "content" and i == 0 else None))
    for flag in article.get("flags", []):
        for s, e in flag.get("spans", []):
            if 0 <= s < e <= text_len:
                marks.append(Mark(s, e, ("sw-flag",), (("title", flag["message"]),
                                                       ("data-flag", flag["kind"]))))
    return marks


def highlight(text: str, marks: list[Mark]) -> Markup:
    """``text`` as escaped HTML with ``marks`` as properly nested ``<mark>`` elements.

    Marks may nest, touch or even cross; a mark that crosses another's end is closed and
    reopened (the later pieces carry ``sw-cont``), so the HTML is always well formed.
    """
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    out: list[str] = []
    stack: list[Mark] = []
    for i, pos in enumerate(bounds):
        if any(m.end == pos for m in stack):
            reopen: list[Mark] = []
            while any(m.end == pos for m in stack):
                m = stack.pop()
                out.append("</mark>")
                if m.end != pos:
                    reopen.append(m)
            for m in reversed(reopen):
                out.append(m.open_tag(first=False))
                stack.append(m)
        for m in sorted(starts.get(pos, []), key=lambda m: (-m.end, m.classes)):
            out.append(m.open_tag(first=True))
            stack.append(m)
        if i + 1 < len(bounds):
            out.append(str(escape(text[pos:bounds[i + 1]])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


def mark_matches(text: str, spans: list[list[int]] | None) -> Markup:
    """A search result's content with the words the query matched in ``<mark class="hit">``."""
    marks = [Mark(s, e, ("hit",)) for s, e in spans or [] if 0 <= s < e <= len(text)]
    return highlight(text, marks)


def highlight_article(article: dict[str, Any]) -> Markup:
    """The article page body: the article's text with its statements marked."""
    return highlight(article.get("text", ""), statement_marks(article))


def paragraph_of(text: str, offset: int) -> int:
    """The 1-based paragraph (blocks between blank lines or line breaks) ``offset`` is in."""
    return sum(1 for block in text[:offset].split("\n") if block.strip()) or 1


def resolution_note(article: dict[str, Any], st: dict[str, Any]) -> str:
    """How a statement's speaker was found, for people: 'he → Pete Hegseth, named in paragraph 1'."""
    speakers = {sp["id"]: sp for sp in article.get("speakers", [])}
    sp = speakers.get(st.get("speaker"))
    source = (st.get("source") or {}).get("text")
    if sp is None:
        return f"{source} → not resolved" if source else "no source named"
    if sp["type"] == "anonymous":
        return f"{source} → anonymous"
    res = st.get("resolution") or {}
    mentions = [tuple(m) for m in res.get("mentions") or []]
    source_spans = [tuple(s) for s in (st.get("source") or {}).get("spans") or []]
    text = article.get("text", "")
    note = f"{source} → {sp['name']}" if source and source != sp["name"] else sp["name"]
    earlier = [m for m in mentions if not any(s < m[1] and m[0] < e for s, e in source_spans)]
    if earlier:
        note += f", named in paragraph {paragraph_of(text, earlier[0][0])}"
    if res.get("confidence") is not None:
        note += f" ({round(100 * res['confidence'])} %)"
    return note
