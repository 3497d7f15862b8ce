"""Cross-article matching: people by name, quotes by normalised text. Pure functions.

The store (:mod:`.writer`) asks the database for candidates and lets these
functions decide; the Spark link job (:mod:`saidwhat.spark.link`) finds the same candidates
with joins and calls the same functions. Nothing here touches SQLite or Spark.

People (conservative)
    * a full name (two or more words) joins the person with the same normalised name;
    * two different full names never merge, even when they share a surname;
    * a bare surname joins a person only when exactly one known full-name person of the
      same type has that surname, else it joins / creates a bare-surname person;
    * a new full name absorbs an earlier bare-surname person when it is the first full
      name with that surname (the bare person then takes the full name, keeping its id).

Quotes
    * the quoted words of a direct / mixed statement, case-folded, punctuation, quote marks,
      apostrophes and whitespace removed, form the quote key;
    * two quotes of at least :data:`VARIANT_MIN_WORDS` words whose word lists have a difflib
      ratio of at least :data:`VARIANT_MIN_RATIO` are variants of each other.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..extraction.lexicon import DOUBLE_QUOTE_MARKS, HONORIFICS, QUOTE_CHARS, TITLE_WORDS

# -------------------------------------------------------------------- constants

#: quotes shorter than this (in words) are not tracked across articles
QUOTE_MIN_WORDS = 3
#: quotes shorter than this are never variants, and never raise ``speaker_conflict``
VARIANT_MIN_WORDS = 6
#: difflib ratio on word lists at or above which two quotes are variants
VARIANT_MIN_RATIO = 0.8
#: words per shingle used to find variant candidates (2 guarantees recall at ratio >= 0.8)
SHINGLE_WORDS = 2
#: a shingle shared by more quotes than this is too common to find candidates with; the
#: store stops keeping its posting list
SHINGLE_MAX_QUOTES = 64
#: at most this many candidates (most shared shingles first) are compared with difflib
MAX_VARIANT_CANDIDATES = 50
#: quoted text in flag messages is cut to this many characters
MAX_MESSAGE_QUOTE = 160

# -------------------------------------------------------------------- names

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NAME_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def name_words(name: str, person: bool = True) -> list[str]:
    """The words of a name, case-folded; for a person also without honorifics, leading
    title words (while two words remain) and middle initials.

    >>> name_words("Mr. Donald J. Trump")
    ['donald', 'trump']
    >>> name_words("Defense Secretary Pete Hegseth")
    ['pete', 'hegseth']
    """
    name = unicodedata.normalize("NFKC", name).replace("’", "'").casefold()
    words = _NAME_WORD.findall(name)
    if not person:
        return words
    while words and words[0] in HONORIFICS and len(words) > 1:
        words = words[1:]
    # leading title words left in a name ("Defense Secretary Pete Hegseth") go only while two
    # words remain, so "Secretary Hegseth" never turns into a bare surname
    while len(words) > 2 and words[0] in TITLE_WORDS:
        words = words[1:]
    if len(words) > 2:  # drop middle initials: "donald j trump" -> "donald trump"
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return words


#: the speaker types linked into people across articles; documents, groups and anonymous
#: sources never merge into people
LINKED_TYPES = ("person", "organization")


def name_key(name: str, type_: str = "person") -> str:
    """The key under which names are the same: ``"Pete  Hegseth"`` == ``"pete hegseth"``.
    Only a person's name loses honorifics and titles (``"General Motors"`` stays whole)."""
    return " ".join(name_words(name, person=type_ == "person"))


def surname(name: str) -> str:
    """The last name word, skipping suffixes such as ``Jr.``; '' for an empty name."""
    words = name_words(name)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return words[-1] if words else ""


def is_bare(name: str) -> bool:
    """True for a one-word name ("Hegseth")."""
    words = name_words(name)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return len(words) <= 1


def match_person(name: str, type_: str,
                 candidates: Sequence[tuple[int, str, str]]) -> tuple[str, int | None]:
    """Decide which known person a speaker named ``name`` is.

    ``candidates`` are ``(person_id, name_key, type)`` of every known person whose
    :func:`surname` equals this name's surname or whose key equals this name's key
    (the store looks them up by index). Returns one of

    * ``("join", id)`` — the speaker is that person (same name; a bare surname and the one
      full name with it; the one name that only adds or lacks middle names);
    * ``("absorb", id)`` — that bare-surname person takes this full name and is the speaker;
    * ``("new", None)`` — a new person.

    The decision depends only on the candidates (sorted by id here), so it is deterministic.
    """
    key = name_key(name, type_)
    if not key:
        return ("new", None)
    cands = sorted(c for c in candidates if c[2] == type_)
    exact = [c for c in cands if c[1] == key]
    if type_ != "person":
        return ("join", exact[0][0]) if exact else ("new", None)
    sur = surname(name)
    same_surname = [c for c in cands if surname(c[1]) == sur]
    full = [c for c in same_surname if not is_bare(c[1])]
    if is_bare(name):
        if len(full) == 1:
            return ("join", full[0][0])
        return ("join", exact[0][0]) if exact else ("new", None)
    if exact:
        return ("join", exact[0][0])
    middle = [c for c in full if middle_names_differ(key, c[1])]
    if len(middle) == 1:  # "Owen Dempsey" is "Owen John Dempsey" when no other Owen … Dempsey is
        return ("join", middle[0][0])
    bare = [c for c in same_surname if is_bare(c[1])]
    if not full and len(bare) == 1:
        return ("absorb", bare[0][0])
    return ("new", None)


def middle_names_differ(key_a: str, key_b: str) -> bool:
    """Two name keys with the same first and last words where one only adds middle names
    ("owen dempsey", "owen john dempsey")."""
    a, b = key_a.split(), key_b.split()
    if len(a) == len(b) or min(len(a), len(b)) < 2 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    rest = iter(long)
    return all(word in rest for word in short)  # the shorter name's words, in order


def compatible_names(a: str, b: str) -> bool:
    """Could two person names be the same person? (same key, a bare surname of the other, or
    the same name with middle names added)."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb or middle_names_differ(ka, kb):
        return True
    if is_bare(a) or is_bare(b):
        return surname(a) == surname(b)
    return False


def merge_list(existing: Iterable[str], new: Iterable[str]) -> list[str]:
    """``existing`` then the items of ``new`` not yet in it (compared case-insensitively)."""
    out = list(existing)
    seen = {x.casefold() for x in out}
    for item in new:
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


@dataclass
class PersonSummary:
    """What a person row sums up over the articles linked to it, one article at a time."""

    titles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    n_statements: int = 0
    n_articles: int = 0

    def add_article(self, names: Sequence[str], titles: Iterable[str], outlet: str | None,
                    published: str | None, n_statements: int) -> None:
        """One article's speakers of this person (``names``, their ``titles``, in speaker order)."""
        self.titles = merge_list(self.titles, titles)
        self.aliases = merge_list(self.aliases, names)
        if outlet:
            self.outlets = merge_list(self.outlets, [outlet])
        if published:
            self.first_seen = min(self.first_seen, published) if self.first_seen else published
            self.last_seen = max(self.last_seen, published) if self.last_seen else published
        self.n_statements += n_statements
        self.n_articles += 1


def person_group(name: str, type_: str) -> tuple[str, str] | None:
    """Every person :func:`match_person` could pick for this name lies in this group:
    ``(type, surname)`` for a person (same key implies same surname), ``(type, name key)`` for
    an organisation; ``None`` for a name without key and for types that are never linked
    (:data:`LINKED_TYPES`). Groups link independently,
    which is what lets a corpus be linked group by group in parallel."""
    key = name_key(name, type_)
    if not key or type_ not in LINKED_TYPES:
        return None
    return (type_, surname(name)) if type_ == "person" else (type_, key)


#: a person's key while linking a corpus: the :meth:`GroupSpeaker.order` of the speaker that
#: created it (sorts people in the order the store gives them ids)
PersonKey = tuple[int, bool, int]


@dataclass
class GroupSpeaker:
    """One speaker as the people of its :func:`person_group` see it."""

    article: int          # the article's place in ingest order
    index: int            # the speaker's place in its article
    name: str
    type: str
    titles: list[str]
    outlet: str | None
    published: str | None
    n_statements: int     # statements of the article this speaker said
    ref: Any = None       # handed back with the decision

    def order(self) -> PersonKey:
        """Ingest order: by article; in one article full names before bare surnames."""
        return (self.article, is_bare(self.name), self.index)


@dataclass
class LinkedPerson:
    """A person of a :class:`PeopleGroup`, with the name it had before a rename."""

    key: PersonKey
    name: str
    type: str
    summary: PersonSummary
    former_name: str | None = None   # the bare surname it had before a full name absorbed it
    renamed_at: int | None = None    # the article that renamed it


def name_at(name: str, former_name: str | None, renamed_at: int | None, article: int) -> str:
    """A person's name while ``article`` was being ingested: ``former_name`` before the article
    that renamed it (a full name absorbing a bare surname), ``name`` from then on."""
    if renamed_at is not None and former_name is not None and article < renamed_at:
        return former_name
    return name


class PeopleGroup:
    """The people of one :func:`person_group`, linked article by article exactly as
    ``Store.add_article`` links them when the same articles come in the same order (all the
    store's candidates for a name are in its group, and :func:`match_person` decides)."""

    def __init__(self) -> None:
        self.people: dict[PersonKey, LinkedPerson] = {}
        self._keys: dict[PersonKey, str] = {}

    def add_article(self, speakers: Sequence[GroupSpeaker]) -> list[tuple[Any, PersonKey]]:
        """This group's speakers of one article, in :meth:`GroupSpeaker.order`:
        ``(speaker ref, person key)`` for each."""
        person_of: list[tuple[GroupSpeaker, PersonKey]] = []
        for sp in speakers:
            cands = [(k, v, sp.type) for k, v in self._keys.items()]
            action, pid = match_person(sp.name, sp.type, cands)
            if action == "new":
                pid = sp.order()
                self.people[pid] = LinkedPerson(pid, sp.name, sp.type, PersonSummary())
            elif action == "absorb":
                person = self.people[pid]
                person.former_name, person.renamed_at, person.name = person.name, sp.article, sp.name
            if action != "join":
                self._keys[pid] = name_key(sp.name, sp.type)
            person_of.append((sp, pid))
        for pid in sorted({p for _, p in person_of}):
            sps = sorted((sp for sp, p in person_of if p == pid), key=lambda sp: sp.index)
            self.people[pid].summary.add_article([sp.name for sp in sps],
                                                 [t for sp in sps for t in sp.titles],
                                                 sps[0].outlet, sps[0].published,
                                                 sum(sp.n_statements for sp in sps))
        return [(sp.ref, pid) for sp, pid in person_of]


# -------------------------------------------------------------------- quotes

_DOUBLE = "".join(sorted(DOUBLE_QUOTE_MARKS))
_DOUBLE_QUOTED = re.compile(f"[{_DOUBLE}]([^{_DOUBLE}]+)[{_DOUBLE}]")
_CURLY_SINGLE = re.compile(r"‘([^‘’]+)’(?![A-Za-z])")
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"(?<=[^\W_])['’ʼ`](?=[^\W_])")
_EDGE = "".join(sorted(QUOTE_CHARS)) + "´ \t\r\n,;:…-–—"


def quoted_text(kind: str, content: str) -> str | None:
    """The words a statement quotes: the parts of a direct or mixed statement's content inside
    quotation marks (joined by " … "), or the whole content of a direct statement without
    marks; ``None`` for other kinds or no quoted part."""
    if kind not in ("direct", "mixed"):
        return None
    parts = [m.group(1) for m in _DOUBLE_QUOTED.finditer(content)]
    if not parts:
        parts = [m.group(1) for m in _CURLY_SINGLE.finditer(content)]
    if parts:  # the quoted words only: no lead-in ("that “we …”"), no marks between parts
        text = " … ".join(p for p in (p.strip(_EDGE) for p in parts) if p)
    elif kind == "direct":
        text = content
    else:
        return None
    text = text.strip(_EDGE)
    return text or None


def quote_words(text: str) -> list[str]:
    """Normalised words of a quote: NFKC, case-folded, apostrophes inside words dropped
    ("don’t" == "dont"), every other non-word character a separator."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return _WORD.findall(text)


def shingle_hash(words: Sequence[str]) -> int:
    """A stable signed 64-bit hash of a word sequence (fits an SQLite INTEGER)."""
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def shingles(words: Sequence[str], k: int = SHINGLE_WORDS) -> list[int]:
    """Distinct hashes of the k-word shingles of ``words``, in first-seen order."""
    if len(words) < k:
        return [shingle_hash(words)] if words else []
    out: list[int] = []
    seen: set[int] = set()
    for i in range(len(words) - k + 1):
        h = shingle_hash(words[i:i + k])
        if h not in seen:
            seen.add(h)
            out.append(h)
    return out


def min_shared_shingles(n: int, m: int, ratio: float = VARIANT_MIN_RATIO) -> int:
    """A lower bound on the distinct 2-word shingles two word lists of lengths n and m share
    when their difflib ratio reaches ``ratio`` (before allowing for repeated shingles).

    With M matched words in B matching blocks, ratio = 2M/L (L = n + m), the blocks share
    at least M - B bigrams, and B - 1 <= L - 2M (blocks are separated by unmatched words):
    shared >= 3M - L - 1 with M >= ratio * L / 2.
    """
    total = n + m
    matched = math.ceil(ratio * total / 2 - 1e-9)
    return 3 * matched - total - 1


def compatible_lengths(n: int, ratio: float = VARIANT_MIN_RATIO) -> tuple[int, int]:
    """The word counts m for which :func:`length_compatible` (n, m) holds: (lowest, highest)."""
    lo = math.ceil(n * ratio / (2 - ratio) - 1e-9)
    hi = math.floor(n * (2 - ratio) / ratio + 1e-9)
    return lo, hi


def variant_lookup(words: Sequence[str], hashes: Sequence[int],
                   df: Mapping[int, int]) -> tuple[list[int], int]:
    """What to look a new quote's variant candidates up by: its *rare* shingles (in 1 to
    :data:`SHINGLE_MAX_QUOTES` earlier quotes; ``df`` counts earlier quotes per shingle) and
    the slack (repeated and common shingles) that :func:`pick_variant_candidates` allows."""
    rare = [h for h in hashes if 0 < df.get(h, 0) <= SHINGLE_MAX_QUOTES]
    n_common = sum(1 for h in hashes if df.get(h, 0) > SHINGLE_MAX_QUOTES)
    repeats = max(0, len(words) - SHINGLE_WORDS + 1 - len(hashes))
    return rare, repeats + n_common


def pick_variant_candidates(n_words: int, slack: int,
                            rows: Iterable[tuple[Any, int, int]]) -> list[Any]:
    """The earlier quotes worth comparing with difflib, most shared rare shingles first (then
    by id), at most :data:`MAX_VARIANT_CANDIDATES`; ``rows`` are ``(quote id, rare shingles
    shared, its word count)`` of every earlier quote sharing one of the new quote's rare
    shingles."""
    lo, hi = compatible_lengths(n_words)
    cands = []
    for qid, shared, m in rows:
        need = min_shared_shingles(m, n_words) - slack
        if lo <= m <= hi and shared >= max(1, need):
            cands.append((-shared, qid))
    cands.sort()
    return [qid for _, qid in cands[:MAX_VARIANT_CANDIDATES]]


def length_compatible(n: int, m: int, ratio: float = VARIANT_MIN_RATIO) -> bool:
    """Can word lists of lengths n and m reach ``ratio``? (ratio <= 2*min/(n+m))."""
    return n + m > 0 and 2 * min(n, m) / (n + m) >= ratio


def is_variant(a: Sequence[str], b: Sequence[str]) -> float | None:
    """The similarity of two different quotes when they are variants, else ``None``."""
    if list(a) == list(b) or min(len(a), len(b)) < VARIANT_MIN_WORDS:
        return None
    if not length_compatible(len(a), len(b)):
        return None
    sm = SequenceMatcher(None, list(a), list(b), autojunk=False)
    if sm.real_quick_ratio() < VARIANT_MIN_RATIO or sm.quick_ratio() < VARIANT_MIN_RATIO:
        return None
    r = sm.ratio()
    return r if r >= VARIANT_MIN_RATIO else None


def word_diff(a: Sequence[str], b: Sequence[str]) -> list[list[str]]:
    """Ops that turn word list ``a`` into ``b``: ``[["=", "we cannot"], ["-", "will not"],
    ["+", "refuses to"], ...]`` (a replacement is a ``-`` then a ``+``)."""
    ops: list[list[str]] = []
    sm = SequenceMatcher(None, list(a), list(b), autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(["=", " ".join(a[i1:i2])])
        else:
            if i2 > i1:
                ops.append(["-", " ".join(a[i1:i2])])
            if j2 > j1:
                ops.append(["+", " ".join(b[j1:j2])])
    return ops


def invert_diff(ops: Iterable[Sequence[str]]) -> list[list[str]]:
    """The diff from ``b`` to ``a`` given the diff from ``a`` to ``b``."""
    out: list[list[str]] = []
    for op, words in ops:
        if op == "=":
            out.append(["=", words])
        elif op == "-":
            out.append(["+", words])
        else:
            out.append(["-", words])
    # keep "-" before "+" within each changed stretch, as word_diff writes them
    i = 0
    while i < len(out) - 1:
        if out[i][0] == "+" and out[i + 1][0] == "-":
            out[i], out[i + 1] = out[i + 1], out[i]
            i += 2
        else:
            i += 1
    return out


# -------------------------------------------------------------------- corpus flags

def compact_json(value: Any) -> str:
    """Deterministic compact JSON, as the store writes lists and flag data."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def short(text: str, n: int = MAX_MESSAGE_QUOTE) -> str:
    """``text`` cut to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def where(outlet: str | None, published: str | None) -> str:
    """An occurrence in a flag message: ``"Daily Planet, 2025-01-02"``."""
    outlet = outlet or "unknown outlet"
    return f"{outlet}, {published}" if published else outlet


def altered_message(old_outlet: str | None, old_published: str | None, old_text: str,
                    new_outlet: str | None, new_published: str | None, new_text: str) -> str:
    """The message of a ``quote_altered`` flag: both versions, where and when they ran; the
    other version is "earlier" or "later" only when the publication days say so."""
    old_day, new_day = (old_published or "")[:10], (new_published or "")[:10]
    if old_day and new_day and old_day != new_day:
        other = "an earlier version" if old_day < new_day else "a later version"
    elif old_day and old_day == new_day:
        other = "a version published the same day"
    else:
        other = "another version"
    return (f"Quote differs from {other}: {where(old_outlet, old_published)} has “{short(old_text)}”, "
            f"{where(new_outlet, new_published)} has “{short(new_text)}”")


def altered_data(old_quote: int, new_quote: int, old_statement: int | None, similarity: float,
                 diff: list[list[str]]) -> dict[str, Any]:
    """The ``data`` of a ``quote_altered`` flag (key order fixed: it is stored as JSON)."""
    return {"original_quote_id": old_quote, "variant_quote_id": new_quote,
            "original_statement_id": old_statement, "similarity": similarity, "diff": diff}


def altered_key(old_quote: Any, new_quote: Any) -> str:
    """One ``quote_altered`` flag per pair of quotes."""
    return f"quote_altered:{old_quote}:{new_quote}"


def conflict_message(same_quote: bool, other_name: str, other_where: str, name: str,
                     here: str) -> str:
    """The message of a ``speaker_conflict`` flag."""
    what = "The same quote" if same_quote else "A version of this quote"
    return f"{what} is credited to {other_name} ({other_where}) and to {name} ({here})"


def conflict_data(other_statement: int, statement: int, other_person: int, other_name: str,
                  person: int, name: str) -> dict[str, Any]:
    """The ``data`` of a ``speaker_conflict`` flag: both statements, the earlier one first."""
    return {"statement_ids": [other_statement, statement],
            "people": [{"id": other_person, "name": other_name}, {"id": person, "name": name}]}


def conflict_key(quote: int, quote2: int, person: int, person2: int) -> str:
    """One ``speaker_conflict`` flag per pair of quotes and pair of people."""
    qa, qb = sorted((quote, quote2))
    pa, pb = sorted((person, person2))
    return f"speaker_conflict:{qa}:{qb}:{pa}:{pb}"
