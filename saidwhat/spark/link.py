"""People, quotes, variants and corpus flags across articles, as Spark jobs over the Parquet
output of :mod:`.extract` (so a corpus too big for one SQLite file is still linked).

``saidwhat spark-link DIR`` (or ``saidwhat spark ... --link``) reads ``DIR/articles``,
``DIR/statements`` and ``DIR/speakers`` and writes
``corpus_articles``, ``people``, ``speaker_people``, ``quotes``, ``quote_occurrences``,
``variants`` and ``corpus_flags`` under ``DIR`` (see ``docs/spark.md``).

The result is the store's: articles are taken in :func:`saidwhat.schema.article_order`,
duplicates dropped as ``Store.add_article`` drops them, and every decision is made by the
functions of :mod:`saidwhat.corpus.linking` the store calls; only the candidate lookups are joins
instead of SQLite queries. Ids are those an empty store gets from
``saidwhat ingest --from-parquet DIR``:

* people are linked per :func:`linking.person_group` (all candidates of a name share it),
  each group replayed in ingest order by a :class:`linking.PeopleGroup`;
* a quote's variant candidates come from its 2-word shingles: for a shingle, the quotes
  that have it in id order give each quote its count of earlier quotes with it (the store's
  ``shingles.n_quotes`` when the quote was added), and pairs are only formed among the first
  ``SHINGLE_MAX_QUOTES + 1`` quotes of a shingle, as the store's posting lists;
* a ``speaker_conflict`` at statement ``t`` looks at the first statement of each (quote,
  person) before ``t``, among the quote and the variants linked to it by then.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from typing import Any

from ..corpus import linking
from ..errors import LinkInputError
from .layout import article_order_columns, schemas, table_path, write_table
from .session import default_partitions

#: columns of the extract tables the link step reads (an older output lacks some)
NEEDED = {
    "articles": ("origin", "doc_id", "url", "published", "outlet", "path", "doc_index", "text_hash",
                 "date"),
    "statements": ("article_id", "origin", "n", "sid", "kind", "content", "speaker", "date"),
    "speakers": ("article_id", "origin", "n", "sid", "name", "type", "titles", "date"),
}


# ------------------------------------------------------------------ helpers

def _keep(data: Any, cache: list) -> Any:
    """Persist a DataFrame or RDD that several tables read, and note it for unpersisting."""
    from pyspark import StorageLevel

    cache.append(data.persist(StorageLevel.MEMORY_AND_DISK))
    return data


def _numbered(spark: Any, df: Any, order: list, name: str, cache: list) -> Any:
    """``df`` with a column ``name`` numbering its rows 1, 2, … in ``order`` (a distributed
    sort and ``zipWithIndex``; no single-partition window), kept."""
    from pyspark.sql.types import LongType, StructField, StructType

    schema = StructType(df.schema.fields + [StructField(name, LongType(), False)])
    rdd = df.orderBy(*order).rdd.zipWithIndex().map(lambda p: (*p[0], p[1] + 1))
    return _keep(spark.createDataFrame(rdd, schema), cache)


def _read(spark: Any, output: str, table: str) -> Any:
    from pyspark.errors import AnalysisException

    path = table_path(output, table)
    try:
        columns = spark.read.parquet(path).columns
    except AnalysisException as err:
        if err.getCondition() != "UNABLE_TO_INFER_SCHEMA":
            raise LinkInputError(f"{path}: cannot read the {table} table of a saidwhat spark "
                                 f"output ({str(err).splitlines()[0]})") from None
        columns = NEEDED[table]  # a folder without data files: a table without rows
    missing = [c for c in NEEDED[table] if c not in columns]
    if missing:
        raise LinkInputError(f"{path}: no column(s) {', '.join(missing)}: written by an older "
                             "saidwhat spark; run the extract job again")
    # the written schema, so that `date` stays a string (Spark would infer a date type)
    return spark.read.schema(schemas()[table]).parquet(path).select(*NEEDED[table])


@contextmanager
def _shuffle_partitions(spark: Any, parts: int) -> Iterator[None]:
    """SQL shuffles in ``parts`` partitions while linking (Spark's default of 200 makes a small
    corpus slow and a big one coarse), unless the launch configuration sets them."""
    key = "spark.sql.shuffle.partitions"
    if spark.sparkContext.getConf().contains(key):
        yield
        return
    old = spark.conf.get(key)
    spark.conf.set(key, str(parts))
    try:
        yield
    finally:
        spark.conf.set(key, old)


def _group_partition(key: tuple) -> int:
    """Stable across processes (``hash`` of a str is salted per process)."""
    return zlib.crc32(repr(key[0]).encode("utf-8"))


# ------------------------------------------------------------------ articles

def _stored_articles(spark: Any, arts: Any, cache: list) -> tuple[Any, Any]:
    """``(stored, corpus_articles)``: the articles an empty store keeps, numbered ``seq`` in
    ingest order, and every article with its ``seq`` or the ``duplicate_of`` it lost to
    (same URL; or, without URL, the same text as an article stored before it)."""
    from pyspark.sql import functions as F

    order = F.struct(*[c.alias(f"k{i}") for i, c in enumerate(article_order_columns())])
    arts = arts.withColumn("url", F.when(F.length("url") > 0, F.col("url"))).withColumn("ord", order)
    first = F.min(F.struct("ord", "origin"))
    by_url = arts.where(F.col("url").isNotNull()).groupBy("url").agg(first.alias("url_first"))
    with_url = arts.join(by_url, "url", "inner")
    kept_url = with_url.where(F.col("ord") == F.col("url_first.ord"))
    no_url = arts.where(F.col("url").isNull())
    first_no_url = no_url.groupBy("text_hash").agg(first.alias("hash_first"))
    earliest_url = kept_url.groupBy("text_hash").agg(F.min("ord").alias("url_ord"))
    kept_no_url = no_url.join(first_no_url, "text_hash").join(earliest_url, "text_hash", "left") \
        .where((F.col("ord") == F.col("hash_first.ord"))
               & (F.col("url_ord").isNull() | (F.col("url_ord") > F.col("ord"))))
    cols = arts.columns
    stored = _numbered(spark, kept_url.select(*cols).unionByName(kept_no_url.select(*cols)),
                       article_order_columns(), "seq", cache)
    # the losers: to their URL's first article, or to the first stored article with their text
    stored_by_hash = stored.groupBy("text_hash").agg(first.alias("stored_first"))
    url_dups = with_url.where(F.col("ord") != F.col("url_first.ord")) \
        .select(*cols, F.col("url_first.origin").alias("duplicate_of"))
    text_dups = no_url.join(stored.select("origin"), "origin", "left_anti") \
        .join(stored_by_hash, "text_hash", "left") \
        .select(*cols, F.col("stored_first.origin").alias("duplicate_of"))
    corpus = stored.select("origin", F.col("doc_id").alias("article_id"), "seq",
                           F.lit(None).cast("string").alias("duplicate_of"), "date") \
        .unionByName(url_dups.unionByName(text_dups).select(
            "origin", F.col("doc_id").alias("article_id"), F.lit(None).cast("long").alias("seq"),
            "duplicate_of", "date"))
    return stored, corpus


# ------------------------------------------------------------------ people

def _people_partition(rows: Iterable[tuple[tuple, tuple]]) -> Iterator[tuple]:
    """Each person group of this partition (rows sorted by group, then ingest order) linked by
    a :class:`linking.PeopleGroup`, one article at a time: ``("link", …)`` per speaker,
    ``("person", …)`` per person. Memory: one group's people and one article's speakers."""
    for _, group_rows in groupby(rows, key=lambda kv: kv[0][0]):
        group = linking.PeopleGroup()
        for _, items in groupby((v for _, v in group_rows), key=lambda v: v[0]):
            speakers = [linking.GroupSpeaker(article=v[0], index=v[1], name=v[2], type=v[3],
                                             titles=list(v[4] or []), outlet=v[5], published=v[6],
                                             n_statements=v[7], ref=(v[8], v[9])) for v in items]
            for (origin, sid), key in group.add_article(speakers):
                yield ("link", (origin, sid, *key))
        for p in group.people.values():
            sm = p.summary
            yield ("person", (*p.key, p.name, linking.name_key(p.name, p.type),
                              linking.surname(p.name), p.type, sm.titles, sm.aliases, sm.outlets,
                              sm.first_seen, sm.last_seen, sm.n_statements, sm.n_articles,
                              p.former_name, p.renamed_at))


def _people(spark: Any, speakers: Any, parts: int, cache: list) -> tuple[Any, Any]:
    """``(people, speaker links)``; people numbered ``id`` in the order the store creates them."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BooleanType, IntegerType, LongType, StringType, StructField, StructType

    def keyed(r: Any) -> list[tuple[tuple, tuple]]:
        group = linking.person_group(r.name, r.type)
        if group is None:
            return []
        value = (r.seq, r.n, r.name, r.type, r.titles, r.outlet, r.published, r.n_statements,
                 r.origin, r.sid)
        return [((group, r.seq, linking.is_bare(r.name), r.n), value)]

    out = _keep(speakers.rdd.flatMap(keyed)
                .repartitionAndSortWithinPartitions(parts, _group_partition)
                .mapPartitions(_people_partition), cache)
    key = [StructField("p_seq", LongType(), False), StructField("p_bare", BooleanType(), False),
           StructField("p_n", IntegerType(), False)]
    strings = ArrayType(StringType(), False)
    people = spark.createDataFrame(out.filter(lambda r: r[0] == "person").map(lambda r: r[1]),
                                   StructType(key + [
                                       StructField("name", StringType(), False),
                                       StructField("name_key", StringType(), False),
                                       StructField("surname", StringType(), False),
                                       StructField("type", StringType(), False),
                                       StructField("titles", strings, False),
                                       StructField("aliases", strings, False),
                                       StructField("outlets", strings, False),
                                       StructField("first_seen", StringType()),
                                       StructField("last_seen", StringType()),
                                       StructField("n_statements", LongType(), False),
                                       StructField("n_articles", LongType(), False),
                                       StructField("former_name", StringType()),
                                       StructField("renamed_at", LongType())]))
    people = _numbered(spark, people, ["p_seq", "p_bare", "p_n"], "id", cache)
    links = spark.createDataFrame(out.filter(lambda r: r[0] == "link").map(lambda r: r[1]),
                                  StructType([StructField("origin", StringType(), False),
                                              StructField("speaker", StringType(), False)] + key))
    links = _keep(links.join(people.select("p_seq", "p_bare", "p_n", F.col("id").alias("person_id")),
                             ["p_seq", "p_bare", "p_n"]).select("origin", "speaker", "person_id"), cache)
    return people, links


# ------------------------------------------------------------------ quotes and variants

def _quote_of(r: Any) -> list[tuple]:
    """The tracked quote of one statement row, as the store keys it (or nothing)."""
    text = linking.quoted_text(r.kind, r.content)
    if text is None:
        return []
    words = linking.quote_words(text)
    if len(words) < linking.QUOTE_MIN_WORDS:
        return []
    return [(" ".join(words), len(words), text, r.statement_seq)]


def _variants_of(item: tuple[int, tuple[Iterable, Iterable]]) -> list[tuple]:
    """The variants a new quote is linked to, decided as the store's ``ArticleWriter._link_variants`` decides:
    candidates by :func:`linking.pick_variant_candidates`, compared in id order."""
    qid, (infos, cands) = item
    infos = list(infos)
    if not infos:
        return []
    norm, positions = infos[0]
    words = norm.split(" ")
    hashes = linking.shingles(words)
    rare, slack = linking.variant_lookup(words, hashes, dict(positions))
    if not rare:
        return []
    cands = list(cands)
    other = {p: p_norm for p, _, _, p_norm in cands}
    picked = linking.pick_variant_candidates(len(words), slack,
                                             [(p, shared, n) for p, shared, n, _ in cands])
    out = []
    for p in sorted(picked):
        old = other[p].split(" ")
        sim = linking.is_variant(old, words)
        if sim is not None:
            out.append((p, qid, round(sim, 4), linking.word_diff(old, words)))
    return out


def _quotes(spark: Any, statements: Any, cache: list) -> tuple[Any, Any, Any]:
    """``(quotes, occurrences, variants)``; quotes numbered ``id`` by their first statement."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, DoubleType, IntegerType, LongType, StringType, StructField, StructType
    from pyspark.sql.window import Window

    said = statements.where(F.col("kind").isin("direct", "mixed"))
    occ = spark.createDataFrame(said.rdd.flatMap(_quote_of), StructType([
        StructField("norm", StringType(), False), StructField("n_words", IntegerType(), False),
        StructField("text", StringType(), False), StructField("statement_seq", LongType(), False)]))
    occ = occ.join(statements.select("statement_seq", "published"), "statement_seq")
    dated = F.when(F.col("published") != "", F.col("published"))  # the store skips "" as no date
    quotes = occ.groupBy("norm").agg(
        F.min(F.struct("statement_seq", "text")).alias("first"), F.first("n_words").alias("n_words"),
        F.count(F.lit(1)).alias("n_occurrences"), F.min(dated).alias("first_seen"),
        F.max(dated).alias("last_seen")) \
        .select("norm", "n_words", "n_occurrences", "first_seen", "last_seen",
                F.col("first.statement_seq").alias("first_statement"), F.col("first.text").alias("text"))
    quotes = _numbered(spark, quotes, ["first_statement"], "id", cache)
    occurrences = occ.join(quotes.select("norm", F.col("id").alias("quote_id")), "norm") \
        .select("statement_seq", "quote_id")

    long_quotes = quotes.where(F.col("n_words") >= linking.VARIANT_MIN_WORDS).select("id", "norm")
    shingles = spark.createDataFrame(
        long_quotes.rdd.flatMap(lambda r: [(r.id, h) for h in linking.shingles(r.norm.split(" "))]),
        StructType([StructField("quote_id", LongType(), False), StructField("hash", LongType(), False)]))
    shingles = _keep(shingles.withColumn(
        "earlier", F.row_number().over(Window.partitionBy("hash").orderBy("quote_id")) - 1), cache)
    # the store's posting list of a shingle holds its first SHINGLE_MAX_QUOTES quotes, and a
    # quote looks a shingle up while it is in at most that many earlier quotes
    first = shingles.where(F.col("earlier") <= linking.SHINGLE_MAX_QUOTES)
    q, p = first.alias("q"), first.alias("p")
    pairs = q.join(p, (F.col("q.hash") == F.col("p.hash")) & (F.col("p.earlier") < F.col("q.earlier"))) \
        .groupBy(F.col("q.quote_id").alias("qid"), F.col("p.quote_id").alias("pid")) \
        .agg(F.count(F.lit(1)).alias("shared")) \
        .join(quotes.select(F.col("id").alias("pid"), F.col("n_words").alias("p_words"),
                            F.col("norm").alias("p_norm")), "pid")
    infos = shingles.groupBy("quote_id").agg(F.collect_list(F.struct("hash", "earlier")).alias("df")) \
        .join(long_quotes.withColumnRenamed("id", "quote_id"), "quote_id") \
        .rdd.map(lambda r: (r.quote_id, (r.norm, [(x.hash, x.earlier) for x in r.df])))
    cands = pairs.rdd.map(lambda r: (r.qid, (r.pid, r.shared, r.p_words, r.p_norm)))
    variants = _keep(spark.createDataFrame(infos.cogroup(cands).flatMap(_variants_of), StructType([
        StructField("quote_id", LongType(), False), StructField("variant_id", LongType(), False),
        StructField("similarity", DoubleType(), False),
        StructField("diff", ArrayType(ArrayType(StringType(), False), False), False)])), cache)
    n_variants = variants.select(F.col("quote_id").alias("id")) \
        .unionByName(variants.select(F.col("variant_id").alias("id"))).groupBy("id") \
        .agg(F.count(F.lit(1)).alias("n_variants"))
    quotes = _keep(quotes.join(n_variants, "id", "left").withColumn(
        "n_variants", F.coalesce(F.col("n_variants"), F.lit(0))), cache)
    return quotes, occurrences, variants


# ------------------------------------------------------------------ corpus flags

def _altered_flags(spark: Any, variants: Any, quotes: Any, statements: Any) -> Any:
    """One ``quote_altered`` flag per variant pair, raised at the newer quote's first statement."""
    from pyspark.sql import functions as F

    first = statements.select("statement_seq", "seq", "origin", "article_id", "sid", "outlet",
                              "published", "date")
    old = quotes.select(F.col("id").alias("quote_id"), F.col("text").alias("old_text"),
                        F.col("first_statement").alias("old_statement")) \
        .join(first.select(F.col("statement_seq").alias("old_statement"),
                           F.col("outlet").alias("old_outlet"),
                           F.col("published").alias("old_published")), "old_statement")
    new = quotes.select(F.col("id").alias("variant_id"), F.col("text").alias("new_text"),
                        F.col("first_statement").alias("statement_seq")).join(first, "statement_seq")
    rows = variants.join(old, "quote_id").join(new, "variant_id")

    def flag(r: Any) -> tuple:
        message = linking.altered_message(r.old_outlet, r.old_published, r.old_text,
                                          r.outlet, r.published, r.new_text)
        data = linking.altered_data(r.quote_id, r.variant_id, r.old_statement, r.similarity,
                                    [list(op) for op in r.diff])
        return ("quote_altered", r.seq, r.origin, r.article_id, r.statement_seq, r.sid, r.variant_id,
                r.quote_id, None, None, message, linking.compact_json(data),
                linking.altered_key(r.quote_id, r.variant_id), r.date)

    return spark.createDataFrame(rows.rdd.map(flag), _flag_schema())


def _conflict_flags(spark: Any, occurrences: Any, quotes: Any, variants: Any, people: Any,
                    statements: Any, cache: list) -> Any:
    """``speaker_conflict`` flags as ``Store._check_speaker_conflict`` raises them, statement by
    statement: the quote (or a variant linked by then) credited before to a person whose name
    (as it was then) is not compatible; the first flag per key wins."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    persons = people.where(F.col("type") == "person").select(
        F.col("id").alias("person_id"), "name", "former_name", "renamed_at")
    said = _keep(occurrences.where(F.col("person_id").isNotNull())
                 .join(quotes.where(F.col("n_words") >= linking.VARIANT_MIN_WORDS)
                       .select(F.col("id").alias("quote_id")), "quote_id")
                 .join(persons.select("person_id"), "person_id")
                 .select(F.col("statement_seq").alias("t"), F.col("quote_id").alias("q"),
                         F.col("person_id").alias("me")), cache)
    firsts = said.groupBy(F.col("q").alias("r"), F.col("me").alias("o")).agg(F.min("t").alias("f"))
    linked_at = quotes.select(F.col("id").alias("variant_id"), F.col("first_statement").alias("c"))
    pairs = variants.select("quote_id", "variant_id").join(linked_at, "variant_id")
    related = said.select("q").distinct().select("q", F.col("q").alias("r"), F.lit(0).cast("long").alias("c")) \
        .unionByName(pairs.select(F.col("quote_id").alias("q"), F.col("variant_id").alias("r"), "c")) \
        .unionByName(pairs.select(F.col("variant_id").alias("q"), F.col("quote_id").alias("r"), "c"))
    cands = said.join(related, "q").where(F.col("c") <= F.col("t")) \
        .join(firsts, "r").where((F.col("f") < F.col("t")) & (F.col("o") != F.col("me"))) \
        .groupBy("t", "q", "me", "o").agg(F.min("r").alias("qid"), F.min("f").alias("sid_first"))
    here = statements.select(F.col("statement_seq").alias("t"), "seq", "origin", "article_id", "sid",
                             "outlet", "published", "date")
    there = statements.select(F.col("statement_seq").alias("sid_first"),
                              F.col("outlet").alias("there_outlet"),
                              F.col("published").alias("there_published"))
    me = persons.select(F.col("person_id").alias("me"), F.col("name").alias("me_name"),
                        F.col("former_name").alias("me_former"), F.col("renamed_at").alias("me_renamed"))
    other = persons.select(F.col("person_id").alias("o"), F.col("name").alias("o_name"),
                           F.col("former_name").alias("o_former"), F.col("renamed_at").alias("o_renamed"))
    rows = cands.join(here, "t").join(there, "sid_first").join(me, "me").join(other, "o")

    def flag(r: Any) -> list[tuple]:
        name = linking.name_at(r.me_name, r.me_former, r.me_renamed, r.seq)
        other_name = linking.name_at(r.o_name, r.o_former, r.o_renamed, r.seq)
        if linking.compatible_names(name, other_name):
            return []
        message = linking.conflict_message(r.qid == r.q, other_name,
                                           linking.where(r.there_outlet, r.there_published), name,
                                           linking.where(r.outlet, r.published))
        data = linking.conflict_data(r.sid_first, r.t, r.o, other_name, r.me, name)
        return [("speaker_conflict", r.seq, r.origin, r.article_id, r.t, r.sid, r.q, r.qid, r.me,
                 r.o, message, linking.compact_json(data), linking.conflict_key(r.q, r.qid, r.me, r.o),
                 r.date)]

    flags = spark.createDataFrame(rows.rdd.flatMap(flag), _flag_schema())
    first = Window.partitionBy("key").orderBy("statement_seq", "person2_id")
    return flags.withColumn("rank", F.row_number().over(first)).where(F.col("rank") == 1).drop("rank")


def _flag_schema() -> Any:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    def s(name: str, nullable: bool = True) -> StructField:
        return StructField(name, StringType(), nullable)

    def n(name: str, nullable: bool = True) -> StructField:
        return StructField(name, LongType(), nullable)

    return StructType([s("kind", False), n("article_seq", False), s("origin", False),
                       s("article_id", False), n("statement_seq", False), s("statement", False),
                       n("quote_id", False), n("quote2_id", False), n("person_id"), n("person2_id"),
                       s("message", False), s("data", False), s("key", False), s("date", False)])


# ------------------------------------------------------------------ the job

def link(spark: Any, output: str, partitions: int | None = None,
         mode: str = "errorifexists") -> dict[str, int]:
    """Link the extract tables under ``output`` and write the link tables next to them;
    returns rows per link table."""
    parts = default_partitions(spark.sparkContext, partitions)
    with _shuffle_partitions(spark, parts):
        return _link(spark, output, parts, mode)


def _link(spark: Any, output: str, parts: int, mode: str) -> dict[str, int]:
    from pyspark.sql import functions as F

    arts = _read(spark, output, "articles")
    statements = _read(spark, output, "statements")
    speakers = _read(spark, output, "speakers")
    cache: list = []

    stored, corpus_articles = _stored_articles(spark, arts, cache)
    info = stored.select("origin", "seq", "published", "outlet")
    statements = _numbered(spark, statements.join(info, "origin"), ["seq", "n"], "statement_seq",
                           cache)
    said = statements.where(F.col("speaker").isNotNull()).groupBy("origin", "speaker") \
        .agg(F.count(F.lit(1)).alias("n_statements")).withColumnRenamed("speaker", "sid")
    speakers = speakers.join(info, "origin").join(said, ["origin", "sid"], "left") \
        .withColumn("n_statements", F.coalesce(F.col("n_statements"), F.lit(0)))
    people, links = _people(spark, speakers, parts, cache)
    speaker_people = speakers.join(links.withColumnRenamed("speaker", "sid"), ["origin", "sid"], "left") \
        .select("origin", "article_id", F.col("sid").alias("speaker"), "person_id", "date")
    quotes, occurrences, variants = _quotes(spark, statements, cache)
    occurrences = _keep(occurrences.join(statements, "statement_seq")
                        .join(links, ["origin", "speaker"], "left")
                        .select("quote_id", "statement_seq", F.col("seq").alias("article_seq"),
                                "origin", "article_id", F.col("sid").alias("statement"), "person_id",
                                "published", "outlet", "date"), cache)
    flags = _altered_flags(spark, variants, quotes, statements).unionByName(
        _conflict_flags(spark, occurrences, quotes, variants, people, statements, cache))
    tables = {
        "corpus_articles": (corpus_articles, True),
        "people": (people.select("id", "name", "name_key", "surname", "type", "titles", "aliases",
                                 "outlets", "first_seen", "last_seen", "n_statements", "n_articles")
                   .orderBy("id"), False),
        "speaker_people": (speaker_people, True),
        "quotes": (quotes.select("id", "text", "norm", "n_words", "n_occurrences", "n_variants",
                                 "first_seen", "last_seen", "first_statement").orderBy("id"), False),
        "quote_occurrences": (occurrences, True),
        "variants": (variants.orderBy("quote_id", "variant_id"), False),
        "corpus_flags": (flags, True),
    }
    counts = {}
    try:
        for table, (df, by_date) in tables.items():
            write_table(df, output, table, mode, by_date)
            counts[table] = spark.read.parquet(table_path(output, table)).count()
    finally:
        for data in cache:
            data.unpersist()
    return counts
