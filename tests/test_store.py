"""The SQLite corpus store: idempotency, transactions, people and quote linking, queries."""
from __future__ import annotations

import sqlite3
from functools import lru_cache

import pytest

import saidwhat
from saidwhat.corpus import linking
from saidwhat.corpus.database import SCHEMA_VERSION
from saidwhat.corpus.query import fts_query
from saidwhat.corpus.store import Store
from saidwhat.corpus.writer import ArticleWriter
from saidwhat.errors import QueryError, ReadOnlyError, StoreError, StoreVersionError
from saidwhat.schema import CIRCUMSTANCE_COLUMNS, Article, Speaker, Statement, TextSpans, sha256_text

QUOTE = "\"We cannot defend a continent that will not defend itself,\""

# (key, text, outlet, published, url)
DOCS = {
    "lopez-planet": (
        "Lopez Warns Allies on Spending\n\nDefense Secretary Maria Lopez said on Monday that allies "
        f"must spend more. {QUOTE} Lopez told reporters in Brussels. She added that the alliance "
        "was strong.", "Daily Planet", "2025-01-02", "https://planet.example/lopez"),
    "lopez-star": (
        "Lopez Speaks\n\n\"We cannot defend a continent that refuses to defend itself,\" said "
        "Maria Lopez, the defense secretary. Lopez also said the budget would grow.",
        "Evening Star", "2025-01-03T09:30:00", "https://star.example/lopez"),
    "carter-post": (
        f"Spending Row\n\n{QUOTE} said John Carter, a senator. Anonymous officials said the plan "
        "was unrealistic.", "Morning Post", "2025-01-04", "https://post.example/carter"),
    "lopez-bare": (
        "Budget\n\nLopez said the plan was \"a historic step for the alliance and its members\". "
        "Carter disagreed.", "Gazette", "2025-01-05", None),
    "hegseth-bare": (
        "Pentagon Review\n\nHegseth said the review would take months. \"We are going to rebuild "
        "the readiness of the force from the ground up,\" he told reporters.",
        "Daily Planet", "2025-02-01", "https://planet.example/hegseth-1"),
    "hegseth-full": (
        "Readiness Plan\n\nPete Hegseth said the plan was ready. \"Every unit will be certified "
        "again before the summer,\" Hegseth said.", "Evening Star", "2025-02-03",
        "https://star.example/hegseth"),
    "hegseth-title": (
        "Defense Chief Visits Base\n\nDefense Secretary Pete Hegseth said on Friday that morale "
        "was high. The Pentagon said the visit was routine.", "Morning Post", "2025-02-05",
        "https://post.example/hegseth"),
    "ana-lopez": (
        "Lopez Clarifies\n\nAna Lopez, a trade envoy, said the tariffs were temporary. \"We will "
        "lift them as soon as the talks conclude,\" she said.", "Gazette", "2025-03-01",
        "https://gazette.example/ana"),
    "lopez-ambiguous": (
        "Talks Stall\n\nLopez said the talks had stalled. \"Nobody in this room wants a trade war "
        "with our neighbours,\" Lopez said.", "Gazette", "2025-03-02", "https://gazette.example/x"),
    "durand": (
        "Café Owners Protest\n\n\"Les prix augmentent chaque semaine sans explication,\" said "
        "Émile Durand, a café owner in Montréal. He said rents were “déjà trop élevés”.",
        "Le Courrier", "2025-03-03", "https://courrier.example/durand"),
}


@lru_cache(maxsize=None)
def _extract(key: str) -> Article:
    text, outlet, published, url = DOCS[key]
    return saidwhat.extract(text, outlet=outlet, published=published, url=url, id=key)


def art(key: str) -> Article:
    """A fresh copy of the extracted article (extraction itself is cached)."""
    return Article.from_dict(_extract(key).to_dict(with_text=True))


def build(path, keys) -> Store:
    store = Store(path)
    for k in keys:
        store.add_article(art(k))
    return store


def handmade(doc_id: str, speaker: str | None, quote: str, outlet: str = "Wire",
             published: str = "2025-05-01", url: str | None = None, kind: str = "direct",
             type_: str = "person") -> Article:
    """A one-statement article built by hand: ``"<quote>," said <speaker>.``"""
    text = f"\u201c{quote},\u201d said {speaker or 'someone'}."
    q_end = len(quote) + 3
    speakers = []
    if speaker:
        s = text.index(speaker)
        speakers = [Speaker("p1", speaker, type_, [], [(s, s + len(speaker))])]
    st = Statement("s1", kind, TextSpans.from_spans(text, [(0, q_end)]),
                   TextSpans.from_spans(text, [(q_end + 1, q_end + 5)]), None,
                   "p1" if speaker else None, 0.9)
    return Article(doc_id, text, None, url or f"https://wire.example/{doc_id}", published, outlet,
                   [st], speakers)


def dump(path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def counts(store: Store) -> dict[str, int]:
    tables = ["articles", "statements", "speakers", "people", "quotes", "quote_variants",
              "quote_shingles", "flags"]
    out = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    out["statements_fts"] = store.conn.execute(
        "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'defend'").fetchone()[0]
    out["people_statements"] = store.conn.execute(
        "SELECT coalesce(sum(n_statements), 0) FROM people").fetchone()[0]
    return out


# ------------------------------------------------------------------ schema, opening

def test_schema_fts_tables_as_datasette_expects(tmp_path):
    store = Store(tmp_path / "c.db")
    sql = dict(store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert sql["statements_fts"].startswith('CREATE VIRTUAL TABLE statements_fts USING fts5(content, '
                                            'content="statements", content_rowid="id",')
    assert 'content="articles"' in sql["articles_fts"] and 'content="people"' in sql["people_fts"]
    assert all('remove_diacritics 2"' in sql[t] for t in ("statements_fts", "articles_fts", "people_fts"))
    assert 'tokenize="porter' in sql["statements_fts"] and "porter" not in sql["people_fts"]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == SCHEMA_VERSION
    assert store.stats()["articles"] == 0


def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "c.db"
    Store(path).close()
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreVersionError, match="newer saidwhat"):
            Store(path, readonly=readonly)


def _back_to_version_3(conn: sqlite3.Connection) -> None:
    """Make a store what version 3 wrote: no circumstance columns."""
    conn.execute("DROP INDEX statements_said_date")
    for column in CIRCUMSTANCE_COLUMNS:
        conn.execute(f"ALTER TABLE statements DROP COLUMN {column.name}")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 3")


def test_a_version_3_store_gets_the_circumstance_columns(tmp_path):
    path = tmp_path / "v3.db"
    build(path, ["lopez-planet"]).close()
    conn = sqlite3.connect(str(path))
    _back_to_version_3(conn)
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError):
        Store(path, readonly=True)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        old = store.search()
        assert old and all(r["time"] is None and r["addressee"] is None for r in old)
        store.add_article(art("hegseth-bare"))
        assert [r["addressee"]["text"] for r in store.search(to="REPORT")] == ["reporters"]


def test_a_version_1_store_is_upgraded_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.add_article(art("lopez-planet"))
    conn = sqlite3.connect(str(path))  # turn it back into what version 1 wrote
    _back_to_version_3(conn)
    for table, column in (("articles", "language"), ("speakers", "members"), ("statements", "resolution_mentions"),
                          ("statements", "resolution_confidence")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("UPDATE speakers SET type = 'PERSON' WHERE type = 'person'")
    conn.execute("UPDATE people SET type = 'ORG' WHERE type = 'organization'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError, match="open it for writing once"):
        Store(path, readonly=True)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert {r[0] for r in store.conn.execute("SELECT DISTINCT type FROM speakers")} <= {
            "person", "organization"}
        article = store.article(1)
        assert all(sp["members"] == [] for sp in article["speakers"] if "members" in sp)
        store.add_article(art("carter-post"))  # and it takes the new columns
    with Store(path, readonly=True) as store:
        assert store.stats()["articles"] == 2


def test_a_version_2_store_gets_the_stemming_and_name_indexes(tmp_path):
    path = tmp_path / "v2.db"
    build(path, ["lopez-planet", "hegseth-full"]).close()
    conn = sqlite3.connect(str(path))  # the text indexes as version 2 made them, no name index
    _back_to_version_3(conn)
    for name in ("people_ai", "people_ad", "people_au"):
        conn.execute(f"DROP TRIGGER {name}")
    for table in ("people_fts", "statements_fts", "articles_fts"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute('CREATE VIRTUAL TABLE statements_fts USING fts5(content, content="statements", content_rowid="id")')
    conn.execute('CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content="articles", content_rowid="id")')
    conn.execute("INSERT INTO statements_fts (statements_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError):
        Store(path, readonly=True)
    Store(path).close()
    with Store(path, readonly=True) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert len(store.search("defends")) == 1 and store.search(speaker="heg")
        assert store.search_articles("warned")[0]["doc_id"] == "lopez-planet"


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a saidwhat store"):
        Store(path)
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA user_version = 7")  # another application's own versioning
    conn.close()
    with pytest.raises(StoreError, match="not a saidwhat store"):
        Store(path)
    assert sqlite3.connect(str(path)).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store(junk)


def test_readonly_refuses_writes(tmp_path):
    path = tmp_path / "c.db"
    build(path, ["lopez-planet"]).close()
    ro = Store(path, readonly=True)
    with pytest.raises(ReadOnlyError):
        ro.add_article(art("carter-post"))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.conn.execute("DELETE FROM articles")
    assert ro.stats()["articles"] == 1
    assert ro.search("defend")
    with pytest.raises(ReadOnlyError):
        ro.optimize()
    ro.close()
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


# ------------------------------------------------------------------ idempotency, transactions

def test_same_document_twice_adds_nothing(tmp_path):
    store = Store(tmp_path / "c.db")
    a = art("lopez-planet")
    assert store.add_article(a) == 1
    before = dump(tmp_path / "c.db")
    assert store.add_article(art("lopez-planet")) is None
    # same URL, changed text: the same document (e.g. a re-crawl)
    changed = art("lopez-planet")
    changed.text += "\nUpdated."
    assert store.add_article(changed) is None
    assert dump(tmp_path / "c.db") == before
    assert store.contains(url=a.url)


def test_dedup_by_text_hash_without_url(tmp_path):
    store = Store(tmp_path / "c.db")
    a = art("lopez-bare")
    assert a.url is None
    assert store.add_article(a) == 1
    assert store.add_article(art("lopez-bare")) is None
    assert store.contains(text=a.text) and store.contains(text_hash=sha256_text(a.text))
    # a caller-given hash is what counts
    assert store.add_article(art("lopez-bare"), text_hash="other") == 2
    # the same text under a different URL is a separate publication (documented)
    b = art("lopez-bare")
    b.url = "https://gazette.example/syndicated"
    assert store.add_article(b) == 3
    assert store.stats()["articles"] == 3


def test_failure_mid_article_leaves_nothing(tmp_path, monkeypatch):
    store = build(tmp_path / "c.db", ["lopez-planet"])
    before_counts, before_dump = counts(store), dump(tmp_path / "c.db")

    def boom(*args, **kwargs):
        raise RuntimeError("killed mid-article")
    # the variant step runs for lopez-star's new quote, after its article, speakers, people
    # and first statements are written
    monkeypatch.setattr(ArticleWriter, "_link_variants", boom)
    with pytest.raises(RuntimeError, match="killed"):
        store.add_article(art("lopez-star"))
    assert not store.conn.in_transaction
    assert counts(store) == before_counts
    assert dump(tmp_path / "c.db") == before_dump
    monkeypatch.undo()
    assert store.add_article(art("lopez-star")) == 2


def test_deterministic_contents_also_after_a_killed_run(tmp_path, monkeypatch):
    keys = list(DOCS)
    build(tmp_path / "a.db", keys).close()
    build(tmp_path / "b.db", keys).close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    # run 3: dies in the middle of the 5th article, then restarts from the beginning
    store = build(tmp_path / "c.db", keys[:4])
    monkeypatch.setattr(linking, "word_diff", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    monkeypatch.setattr(ArticleWriter, "_check_speaker_conflict",
                        lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.add_article(art(keys[4]))
    monkeypatch.undo()
    store.close()
    store = Store(tmp_path / "c.db")
    added = [store.add_article(art(k)) for k in keys]
    assert added[:4] == [None] * 4 and all(added[4:])
    store.close()
    assert dump(tmp_path / "c.db") == dump(tmp_path / "a.db")


_KILL_SCRIPT = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
from test_store import handmade
from saidwhat.corpus import Store
from saidwhat.corpus.writer import ArticleWriter
store = Store(sys.argv[1])
real = ArticleWriter._link_variants
def hang(self, *args):
    real(self, *args)
    if self.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4:
        print("inside", flush=True)
        time.sleep(60)
ArticleWriter._link_variants = hang
for i in range(6):
    store.add_article(handmade(f"k{i}", f"Person{i % 3} Smith", f"We will win quote number {i} today friends"))
"""


def test_killed_process_leaves_no_half_article(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path
    tests_dir = str(Path(__file__).parent)
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(tmp_path / "k.db"), tests_dir],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside"  # in the middle of the 4th article
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    store = Store(tmp_path / "k.db")
    assert store.stats()["articles"] == 3 and store.stats()["statements"] == 3
    arts = [handmade(f"k{i}", f"Person{i % 3} Smith", f"We will win quote number {i} today friends")
            for i in range(6)]
    assert [store.add_article(a) for a in arts] == [None, None, None, 4, 5, 6]
    store.close()
    ref = Store(tmp_path / "ref.db")
    for a in arts:
        ref.add_article(a)
    ref.close()
    assert dump(tmp_path / "k.db") == dump(tmp_path / "ref.db")


# ------------------------------------------------------------------ people

def test_people_bare_full_and_titled_names_merge(tmp_path):
    store = build(tmp_path / "c.db", ["hegseth-bare", "hegseth-full", "hegseth-title"])
    people = store.people(type="person")
    assert [p["name"] for p in people] == ["Pete Hegseth"]
    p = people[0]
    assert p["titles"] == ["Defense Secretary"]
    assert p["aliases"] == ["Hegseth", "Pete Hegseth"]
    assert p["outlets"] == ["Daily Planet", "Evening Star", "Morning Post"]
    assert (p["first_seen"], p["last_seen"]) == ("2025-02-01", "2025-02-05")
    assert p["n_statements"] == 5 and p["n_articles"] == 3
    orgs = store.people(type="organization")
    assert [o["name"] for o in orgs] == ["Pentagon"]
    detail = store.person(p["id"])
    assert [s["published"] for s in detail["statements"]] == sorted(
        s["published"] for s in detail["statements"])
    # "said on Friday" in an article of Wednesday 5 February: the day it was said, not published
    assert [(d["date"], d["published"]) for d in detail["timeline"]] == [
        ("2025-01-31", False), ("2025-02-01", True), ("2025-02-03", True)]
    assert store.people(query="hegs")[0]["id"] == p["id"]


def test_shared_surname_never_merges_and_bare_surname_needs_one_candidate(tmp_path):
    store = build(tmp_path / "c.db", ["lopez-planet", "lopez-bare"])
    # one known Lopez: the bare "Lopez" joins her
    assert [(p["name"], p["n_articles"]) for p in store.people(type="person")] == [
        ("Maria Lopez", 2)]
    store.add_article(art("ana-lopez"))
    store.add_article(art("lopez-ambiguous"))
    names = sorted(p["name"] for p in store.people(type="person"))
    # two Lopezes now: the next bare "Lopez" stays a person of its own
    assert names == ["Ana Lopez", "Lopez", "Maria Lopez"]
    # a later full name does not absorb a bare person created while ambiguous
    store.add_article(handmade("lopez-3", "Carla Lopez", "We will never sign that agreement now"))
    assert sorted(p["name"] for p in store.people(type="person")) == [
        "Ana Lopez", "Carla Lopez", "Lopez", "Maria Lopez"]


def test_anonymous_speakers_get_no_person(tmp_path):
    store = build(tmp_path / "c.db", ["carter-post"])
    art_d = store.article(1)
    anonymous = {sp["id"] for sp in art_d["speakers"] if sp["type"] == "anonymous"}
    anon = [s for s in art_d["statements"] if s["speaker"] in anonymous]
    assert anon and all(s["person_id"] is None for s in anon)
    assert all(sp["person_id"] is None for sp in art_d["speakers"] if sp["id"] in anonymous)
    assert [p["name"] for p in store.people()] == ["John Carter"]


def test_full_names_in_an_article_are_linked_before_bare_surnames(tmp_path):
    text = "x"
    a = Article("mixed", text, url="https://wire.example/m", published="2025-01-01",
                speakers=[Speaker("p1", "Lopez", "person"), Speaker("p2", "Maria Lopez", "person"),
                          Speaker("p3", "John Lopez", "person")])
    store = Store(tmp_path / "c.db")
    store.add_article(a)
    assert sorted(p["name"] for p in store.people()) == ["John Lopez", "Lopez", "Maria Lopez"]


# ------------------------------------------------------------------ quotes

def test_quote_occurrences_variants_and_flags(tmp_path):
    store = build(tmp_path / "c.db", ["lopez-planet", "lopez-star", "carter-post"])
    quotes = store.quotes()
    top = quotes[0]
    assert top["text"] == "We cannot defend a continent that will not defend itself"
    assert top["n_occurrences"] == 2 and top["n_variants"] == 1
    assert {p["name"] for p in top["people"]} == {"Maria Lopez", "John Carter"}
    q = store.quote(top["id"])
    assert q["people"] == top["people"]
    occ = [(o["outlet"], o["published"], o["url"], o["person"]["name"]) for o in q["occurrences"]]
    assert occ == [("Daily Planet", "2025-01-02", "https://planet.example/lopez", "Maria Lopez"),
                   ("Morning Post", "2025-01-04", "https://post.example/carter", "John Carter")]
    [v] = q["variants"]
    assert v["text"] == "We cannot defend a continent that refuses to defend itself"
    assert v["similarity"] >= linking.VARIANT_MIN_RATIO
    assert v["diff"] == [["=", "we cannot defend a continent that"], ["-", "will not"],
                         ["+", "refuses to"], ["=", "defend itself"]]
    # seen from the variant, the diff runs the other way
    assert store.quote(v["id"])["variants"][0]["diff"] == linking.invert_diff(v["diff"])
    assert [q["id"] for q in store.quotes(variants=True)] == sorted([top["id"], v["id"]])
    [altered] = store.flags("quote_altered")
    assert altered["quote_id"] == v["id"] and altered["quote2_id"] == top["id"]
    assert "Daily Planet" in altered["message"] and "Evening Star" in altered["message"]
    [conflict] = store.flags("speaker_conflict")
    assert {conflict["person_id"], conflict["person2_id"]} == {
        p["id"] for p in store.people() if p["name"] in ("Maria Lopez", "John Carter")}
    assert "John Carter" in conflict["message"] and "Maria Lopez" in conflict["message"]
    assert store.article(3)["corpus_flags"][0]["kind"] == "speaker_conflict"
    assert store.stats()["flags"] == {"quote_altered": 1, "speaker_conflict": 1}


def test_variant_credited_to_someone_else_is_a_conflict(tmp_path):
    store = Store(tmp_path / "c.db")
    store.add_article(handmade("a", "Maria Lopez", "Our allies must carry their share of the burden"))
    store.add_article(handmade("b", "John Carter", "Our allies must carry their fair share of the burden"))
    kinds = sorted(f["kind"] for f in store.flags())
    assert kinds == ["quote_altered", "speaker_conflict"]
    assert "A version of this quote" in store.flags("speaker_conflict")[0]["message"]


def test_same_person_short_quotes_and_bare_surnames_raise_no_conflict(tmp_path):
    store = Store(tmp_path / "c.db")
    store.add_article(handmade("a", "Maria Lopez", "We will not back down on spending targets"))
    store.add_article(handmade("b", "Maria Lopez", "We will not back down on spending targets"))
    store.add_article(handmade("c", "Ana Lopez", "Not now"))
    store.add_article(handmade("d", "John Carter", "Not now"))  # too short to compare
    store.add_article(handmade("e", "Lopez", "We will not back down on spending targets"))
    assert store.flags("speaker_conflict") == []
    q = store.quotes()[0]
    assert q["n_occurrences"] == 3
    assert store.quotes()[-1]["text"] != "Not now"  # two words: not tracked


def test_quote_normalisation_and_mixed_quotes(tmp_path):
    store = Store(tmp_path / "c.db")
    store.add_article(handmade("a", "Maria Lopez", "We don’t negotiate with   deadlines"))
    store.add_article(handmade("b", "Maria Lopez", "we DON'T negotiate, with deadlines!"))
    assert [q["n_occurrences"] for q in store.quotes()] == [2]
    store.add_article(art("durand"))
    mixed = [q for q in store.quotes() if "élevés" in q["text"]]
    assert [q["text"] for q in mixed] == ["déjà trop élevés"]
    assert linking.quoted_text("mixed", 'the plan was "a historic step" and "a start"') == \
        "a historic step … a start"
    assert linking.quoted_text("indirect", "that the plan works") is None
    # no lead-in words and no marks between the parts of a quote
    assert linking.quoted_text("direct", "that “we have received an inquiry.”") == "we have received an inquiry."
    assert linking.quoted_text("direct", "“The plan is sound,” … “We will go on.”") == \
        "The plan is sound … We will go on."
    assert linking.quoted_text("direct", "We will go on") == "We will go on"


def test_middle_names_join_the_one_person_they_can_be(tmp_path):
    assert linking.match_person("Owen Dempsey", "person", [(4, "owen john dempsey", "person")]) == ("join", 4)
    assert linking.match_person("Owen John Dempsey", "person", [(4, "owen dempsey", "person")]) == ("join", 4)
    two = [(4, "owen john dempsey", "person"), (5, "owen paul dempsey", "person")]
    assert linking.match_person("Owen Dempsey", "person", two) == ("new", None)  # which one?
    assert linking.match_person("Ann Dempsey", "person", [(4, "owen john dempsey", "person")]) == ("new", None)
    assert linking.compatible_names("Owen Dempsey", "Owen John Dempsey")
    with Store(tmp_path / "m.db") as store:
        store.add_article(handmade("a", "Owen John Dempsey", "We will rebuild the harbour before winter comes"))
        store.add_article(handmade("b", "Owen Dempsey", "We will rebuild the harbour before the winter comes"))
        assert [p["name"] for p in store.people()] == ["Owen John Dempsey"]
        assert store.flags("speaker_conflict") == []


def test_altered_message_says_earlier_only_when_the_dates_do():
    msg = linking.altered_message("Wire", "2025-01-01T10:00", "a b", "Post", "2025-01-02", "a c")
    assert msg.startswith("Quote differs from an earlier version: Wire, 2025-01-01T10:00 has “a b”")
    assert "a later version" in linking.altered_message("Wire", "2025-01-03", "a", "Post", "2025-01-02", "b")
    assert "the same day" in linking.altered_message("Wire", "2025-01-02T08:00", "a", "Post", "2025-01-02", "b")
    assert "another version" in linking.altered_message(None, None, "a", "Post", "2025-01-02", "b")
    assert linking.quote_words("“Don’t,” he said — “STOP!”") == ["dont", "he", "said", "stop"]


def test_variant_lookup_does_not_compare_against_every_quote(tmp_path, monkeypatch):
    store = Store(tmp_path / "c.db")
    words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
             "november oscar papa quebec romeo sierra tango uniform victor whiskey").split()
    for i in range(300):  # unrelated quotes (each shares only common shingles)
        ws = [words[(i * 7 + j * 3) % len(words)] + str(i) for j in range(8)]
        store.add_article(handmade(f"n{i}", f"Person{i} Smith{i}", " ".join(ws)))
    store.add_article(handmade("orig", "Maria Lopez", "The budget will rise by ten percent next year"))
    calls = []
    real = linking.is_variant
    monkeypatch.setattr(linking, "is_variant", lambda a, b: calls.append(1) or real(a, b))
    store.add_article(handmade("alt", "Maria Lopez", "The budget will rise by twelve percent next year"))
    assert len(calls) == 1
    assert store.quotes(variants=True)


# ------------------------------------------------------------------ search

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "c.db"
    build(path, list(DOCS)).close()
    store = Store(path, readonly=True)
    yield store
    store.close()


@pytest.mark.parametrize("text", [
    '"', '""', "AND", "defend AND", "OR", "NOT defend", "*", "defend*", "NEAR(defend continent)",
    "(", ")", "content:defend", "statements_fts:x", "^defend", "-", "a - b", "'", "don't",
    "😀", "Montréal", "\x00", "défend", "a" * 500, "%", "_", "\\", "NULL", ";DROP TABLE x;--"])
def test_search_survives_awkward_text(corpus, text):
    res = corpus.search(text)
    assert isinstance(res, list)
    assert corpus.search_articles(text) is not None


def test_search_text(corpus):
    hits = corpus.search("DEFEND continent")
    assert {h["quote_id"] for h in hits} and len(hits) == 3
    assert [h["published"] for h in hits] == sorted((h["published"] for h in hits), reverse=True)
    assert len(corpus.search('"defend')) == 3
    assert len(corpus.search("defend AND")) == 3  # AND is what words do anyway
    assert [h["doc_id"] for h in corpus.search("élevés")] == ["durand"]
    assert corpus.search("*") == [] and corpus.search("zzzunknown") == []
    assert corpus.search_articles("Brussels")[0]["doc_id"] == "lopez-planet"
    assert len(corpus.search("defend", limit=1, offset=1)) == 1
    assert corpus.search("defend", limit=0) == []


def test_optimize_keeps_search_results(tmp_path):
    store = build(tmp_path / "c.db", ["lopez-planet", "lopez-star", "carter-post"])
    before = store.search("defend")
    store.optimize()
    assert store.search("defend") == before and store.search_articles("Brussels")


def ids_of(rows):
    return [r["id"] for r in rows]


def test_search_language_stems_folds_and_combines(corpus):
    defend = set(ids_of(corpus.search("defend")))
    assert len(defend) == 3 and set(ids_of(corpus.search("defends"))) == defend  # stems
    assert [h["doc_id"] for h in corpus.search("eleves")] == ["durand"]  # accents folded
    tariffs, talks = set(ids_of(corpus.search("tariff"))), set(ids_of(corpus.search("talks")))
    assert tariffs and talks and not tariffs & talks
    assert set(ids_of(corpus.search("tariff OR talks"))) == tariffs | talks
    assert set(ids_of(corpus.search("talks -tariffs"))) == talks - tariffs
    refuses = corpus.search("defend -refuses")
    assert len(refuses) == 2 and all("refuses" not in h["content"]["text"] for h in refuses)
    assert len(corpus.search('"defend a continent"')) == 3
    assert corpus.search('"continent defend"') == []  # a phrase keeps its order
    assert set(ids_of(corpus.search("defen*"))) == defend
    with pytest.raises(QueryError):
        corpus.search("-defend")


def test_search_orders_counts_and_highlights(corpus):
    by_date = corpus.search("defend", order="date")
    assert [h["published"] for h in by_date] == sorted((h["published"] for h in by_date), reverse=True)
    best = corpus.search("defend continent refuses")
    assert len(best) == 1 and "refuses" in best[0]["content"]["text"]
    for hit in corpus.search("defends CONTINENT"):
        words = [hit["content"]["text"][a:b].lower() for a, b in hit["matches"]]
        assert words and set(words) <= {"defend", "continent"}
    assert corpus.count("defend") == 3 and corpus.count() == corpus.stats()["statements"]
    assert corpus.count("defend", cap=2) == 3  # over the cap: cap + 1
    assert corpus.count(speaker="Nobody Known") == 0 and corpus.count("*") == 0
    with pytest.raises(QueryError, match="order"):
        corpus.search("defend", order="best")


def test_relevance_puts_the_best_match_first_and_date_order_the_newest(tmp_path):
    with Store(tmp_path / "r.db") as store:
        store.add_article(handmade("weak", "Ann Lee", "The committee met on Tuesday to discuss roads, "
                                   "schools, water, housing and, briefly, tariffs", published="2025-06-02"))
        store.add_article(handmade("strong", "Bo Chan", "Tariffs hurt farmers, and tariffs hurt families",
                                   published="2025-06-01"))
        assert [h["doc_id"] for h in store.search("tariff")] == ["strong", "weak"]
        assert [h["doc_id"] for h in store.search("tariff", order="date")] == ["weak", "strong"]
        assert [h["doc_id"] for h in store.search(order="relevance")] == ["weak", "strong"]  # no text: newest
        assert store.order_used("tariff") == "relevance" and store.order_used("tariff", "date") == "date"


def test_a_text_with_too_many_matches_to_rank_comes_newest_first(tmp_path, monkeypatch):
    from saidwhat.corpus import search
    monkeypatch.setattr(search, "RANK_MAX_MATCHES", 1)
    with Store(tmp_path / "r.db") as store:
        store.add_article(handmade("weak", "Ann Lee", "Roads, schools and, briefly, tariffs", published="2025-06-02"))
        store.add_article(handmade("strong", "Bo Chan", "Tariffs hurt farmers, tariffs hurt families",
                                   published="2025-06-01"))
        assert store.order_used("tariff") == "date"
        assert [h["doc_id"] for h in store.search("tariff")] == ["weak", "strong"]


def test_search_by_kind_and_outlets(corpus):
    direct = corpus.search(kind="direct", limit=100)
    assert direct and all(h["kind"] == "direct" for h in direct)
    assert corpus.count(kind="DIRECT") == len(direct)
    with pytest.raises(QueryError, match="kind"):
        corpus.search(kind="quote")
    outlets = corpus.outlets()
    assert {o["outlet"] for o in outlets} == {d[1] for d in DOCS.values()}
    assert [o["articles"] for o in outlets] == sorted((o["articles"] for o in outlets), reverse=True)


def test_speaker_filter_takes_prefixes_and_folds_accents(corpus):
    hegseth = set(ids_of(corpus.search(speaker="Pete Hegseth")))
    assert hegseth and set(ids_of(corpus.search(speaker="heg"))) == hegseth
    assert set(ids_of(corpus.search(speaker="Pete"))) >= hegseth
    assert set(ids_of(corpus.search(speaker="pete heg"))) == hegseth
    durand = corpus.search(speaker="emile durand")
    assert durand and {h["person"]["name"] for h in durand} == {"Émile Durand"}
    assert corpus.search(speaker="Hegsethx") == []


def test_search_filters(corpus):
    lopez = corpus.search(speaker="maria LOPEZ")
    assert lopez and {h["person"]["name"] for h in lopez} == {"Maria Lopez"}
    every_lopez = corpus.search(speaker="Lopez", limit=100)
    assert {h["person"]["name"] for h in every_lopez} == {"Maria Lopez", "Ana Lopez", "Lopez"}
    assert corpus.search(speaker="Nobody Known") == []
    assert {h["outlet"] for h in corpus.search(outlet="daily planet")} == {"Daily Planet"}
    window = corpus.search(since="2025-01-03", until="2025-01-04")
    # the until date includes that day; a timestamp on the since day counts too
    assert {h["doc_id"] for h in window} == {"lopez-star", "carter-post"}
    assert {h["doc_id"] for h in corpus.search(until="2025-01-03")} == {"lopez-planet", "lopez-star"}
    both = corpus.search("defend", speaker="Carter", outlet="Morning Post", since="2025-01-01")
    assert [h["person"]["name"] for h in both] == ["John Carter"]
    assert corpus.search("defend", outlet="Gazette") == []
    assert corpus.search(speaker="Pentagon")[0]["speaker"]["type"] == "organization"


def test_article_round_trip_and_stats(corpus):
    for i, key in enumerate(DOCS, 1):
        d = corpus.article(i)
        assert d["db_id"] == i and d["id"] == key
        assert Article.from_dict(d).to_dict(with_text=True) == _extract(key).to_dict(with_text=True)
    assert corpus.article(999) is None and corpus.person(999) is None and corpus.quote(999) is None
    st = corpus.stats()
    assert st["articles"] == len(DOCS) and st["people"] == 6 and st["entities"]["organization"] == 1
    assert st["quotes"] >= 6 and st["quote_variants"] == 1
    assert len(list(corpus.iter_articles(batch=3))) == len(DOCS)


# ------------------------------------------------------------------ pure linking rules

def test_linking_names():
    assert linking.name_key("Mr. Donald J. Trump") == "donald trump"
    assert linking.surname("Martin Luther King Jr.") == "king"
    assert linking.is_bare("Hegseth") and not linking.is_bare("Pete Hegseth")
    c = [(1, "maria lopez", "person")]
    assert linking.match_person("Lopez", "person", c) == ("join", 1)
    assert linking.match_person("Ana Lopez", "person", c) == ("new", None)
    assert linking.match_person("Lopez", "person", c + [(2, "ana lopez", "person")]) == ("new", None)
    assert linking.match_person("Lopez", "person", c + [(2, "ana lopez", "person"),
                                                      (3, "lopez", "person")]) == ("join", 3)
    assert linking.match_person("Maria Lopez", "person", [(3, "lopez", "person")]) == ("absorb", 3)
    assert linking.match_person("Pentagon", "organization", [(4, "pentagon", "organization")]) == ("join", 4)
    assert linking.match_person("", "person", c) == ("new", None)


def test_linking_variants_and_shingle_recall():
    a = "we cannot defend a continent that will not defend itself".split()
    b = "we cannot defend a continent that refuses to defend itself".split()
    assert linking.is_variant(a, b) == pytest.approx(0.8)
    assert linking.is_variant(a, a) is None
    assert linking.is_variant(a[:5], b[:5]) is None  # too short
    # ratio >= 0.8 always shares a 2-word shingle: insertions between every pair of words
    x = "one two three four five six".split()
    y = "one two X three four Y five six Z".split()
    assert linking.is_variant(x, y) is not None
    assert set(linking.shingles(x)) & set(linking.shingles(y))
    ops = linking.word_diff(x, y)
    assert ops == [["=", "one two"], ["+", "X"], ["=", "three four"], ["+", "Y"],
                   ["=", "five six"], ["+", "Z"]]
    assert linking.word_diff(y, x) == linking.invert_diff(ops)


def test_query_language_becomes_safe_fts5():
    assert fts_query("say hi") == '"say" AND "hi"'
    assert fts_query('"trade war" tariff*') == '"trade war" AND "tariff"*'
    assert fts_query("nato OR trump -russia") == '(("nato" OR "trump")) NOT ("russia")'
    assert fts_query('OR a OR') == '"a"'  # dangling operators are dropped
    assert fts_query('say "hi AND *') == '"say" AND "hi AND *"'  # an unclosed phrase runs to the end
    assert fts_query('col:x ^y (z) NEAR(a b)') == '"col:x" AND "^y" AND "(z)" AND "NEAR(a" AND "b)"'
    assert fts_query("*** - ") is None and fts_query("a\x00b") == '"a" AND "b"'
    with pytest.raises(QueryError, match="only leaves words out"):
        fts_query("-nato")


# ------------------------------------------------------------------ search plans agree

def _random_corpus(path, n_articles=150, seed=5):
    import random
    rng = random.Random(seed)
    vocab = ["tariff", "budget", "alliance", "defend", "growth", "the", "we", "will", "nato",
             "border", "tax", "jobs", "war", "peace", "energy"]
    names = ["Maria Lopez", "Ana Lopez", "John Carter", "Lopez", "Pete Hegseth", "Hegseth",
             "Li Wei", "Pentagon"]
    outlets = ["Daily Planet", "Evening Star", "Gazette", None]
    store = Store(path)
    for i in range(n_articles):
        parts, stmts, speakers = [], [], []
        for j in range(rng.randint(1, 4)):
            words = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 9)))
            start = sum(len(p) + 1 for p in parts)
            parts.append(words)
            sid = None
            if rng.random() < 0.85:
                name = rng.choice(names)
                sp = next((s for s in speakers if s.name == name), None)
                if sp is None:
                    sp = Speaker(f"p{len(speakers) + 1}", name,
                                 "organization" if name == "Pentagon" else "person")
                    speakers.append(sp)
                sid = sp.id
            stmts.append(Statement(f"s{j + 1}", rng.choice(["direct", "indirect"]),
                                   TextSpans(words, [(start, start + len(words))]), None, None,
                                   sid, 0.8))
        published = rng.choice([None, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00"])
        store.add_article(Article(f"r{i}", " ".join(parts), None, f"https://r.example/{i}",
                                  published, rng.choice(outlets), stmts, speakers))
    return store


def test_search_plans_return_the_same_results(tmp_path, monkeypatch):
    from saidwhat.corpus import database, search
    monkeypatch.setattr(database, "BLOCK_BITS", 3)  # many small id blocks
    store = _random_corpus(tmp_path / "r.db")
    queries = []
    for text in ["the", "tariff budget", "we will", "nato", "peace war energy"]:
        for kw in [{}, {"speaker": "Lopez"}, {"speaker": "maria lopez"}, {"outlet": "gazette"},
                   {"since": "2024-03-01"}, {"since": "2024-02-01", "until": "2024-06-30"},
                   {"speaker": "Hegseth", "until": "2024-08-15"},
                   {"speaker": "Pentagon", "outlet": "Daily Planet"}]:
            for limit, offset in [(5, 0), (7, 3), (500, 0)]:
                queries.append(dict(text=text, limit=limit, offset=offset, **kw))
    reference = {}
    for q in queries:  # few matches: everything read and sorted
        reference[repr(q)] = [h["id"] for h in store.search(**q)]
    assert any(len(v) > 20 for v in reference.values())
    monkeypatch.setattr(search, "FEW_MATCHES", 1)
    # many matches: id blocks, or (with speaker / outlet) the filter walk, or sort all
    for probe_cost in (0.0, 1e9):
        monkeypatch.setattr(search, "COST_PROBE_US", probe_cost)
        for q in queries:
            assert [h["id"] for h in store.search(**q)] == reference[repr(q)], (probe_cost, q)
    # and the results are right: ordered, filtered, complete
    everything = store.search(limit=10_000)
    assert len(everything) == store.stats()["statements"]
    keys = [(h["published"] is not None, h["published"] or "", h["id"]) for h in everything]
    assert keys == sorted(keys, reverse=True)
    lopez = [h["id"] for h in everything if h["person"] and h["person"]["name"].endswith("Lopez")]
    assert [h["id"] for h in store.search(speaker="LOPEZ", limit=10_000)] == lopez
    # several people for one name are merged from per-person index ranges
    for limit, offset in [(3, 0), (4, 5), (1000, 0)]:
        assert [h["id"] for h in store.search(speaker="lopez", limit=limit, offset=offset)] == \
            lopez[offset:offset + limit]
    gazette_window = [h["id"] for h in everything if h["outlet"] == "Gazette"
                      and h["published"] and "2024-02-01" <= h["published"] <= "2024-06-30\uffff"]
    assert [h["id"] for h in store.search(outlet="GAZETTE", since="2024-02-01",
                                          until="2024-06-30", limit=10_000)] == gazette_window


def test_titles_left_in_names_and_org_names(tmp_path):
    assert linking.name_key("Defense Secretary Pete Hegseth") == "pete hegseth"
    assert linking.name_key("Secretary Hegseth") == "secretary hegseth"  # never a bare surname
    assert linking.name_key("General Motors", "organization") == "general motors"
    store = Store(tmp_path / "c.db")
    store.add_article(handmade("a", "Pete Hegseth", "We will restore the warrior ethos now"))
    store.add_article(handmade("b", "Defense Secretary Pete Hegseth", "Readiness is our priority"))
    store.add_article(handmade("c", "US State Department", "The talks will continue next week",
                               type_="organization"))
    people = store.people()
    assert [(p["name"], p["n_articles"]) for p in people if p["type"] == "person"] == [
        ("Pete Hegseth", 2)]
    assert [h["doc_id"] for h in store.search(speaker="us state department")] == ["c"]
    assert {h["doc_id"] for h in store.search(speaker="Secretary Pete Hegseth")} == {"a", "b"}
