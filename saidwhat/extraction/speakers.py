"""Who each statement's source mention is: a person, an organisation, a document, or no one named.

The article's entities are read first (:mod:`.entities`); then the statements' source
mentions are resolved in reading order, the way a careful reader does:

* certain cases by rule: a name is its entity; an apposition names the speaker ("Carlineo's
  attorney, Sonya Zoghlin" is Zoghlin, not Carlineo); a relative "who" is the noun its clause
  hangs on; an owner's organisation or a named document is that entity ("the Clinton
  campaign", "his campaign", "a Bloomberg poll"); the people named after "including" are a
  group; a source that cannot speak is its person's ("Trump's initial failure"); the writer's
  "I" is the author the article names; plural and unnamed sources ("officials",
  "Republicans", "Clinton aides", "a spokesman", "a super PAC") stay anonymous, never guessed;
* pronouns and descriptions ("he", "the GOP nominee", "the bank", "the poll") by ranking the
  entities met so far (:mod:`.ranking`): gender and number, type, distance and salience, the
  grammatical role of their last mention, who spoke the previous statement, and the
  description's words against the entity's titles. Names inside the statement's own content
  are never its speaker. "He", "she", "it" and a definite description of a person or an
  organisation always name someone, so their best entity is taken however unsure.

Each statement gets the entity (or an anonymous speaker named by its mention), the mentions
it was resolved through, and a confidence.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..schema import Speaker
from .entities import ANONYMOUS, DOCUMENT, ORGANIZATION, PERSON, Entity, EntityTable, Mention
from .lexicon import (
    ANONYMOUS_HEADS,
    DOCUMENT_SPEAKER_NOUNS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    ORGANIZATION_NOUNS,
    PERSON_NOUNS,
    PRONOUN_GENDER,
    RELATIVE_PRONOUNS,
    can_speak,
    is_person_noun,
)
from .quotes import QuoteIndex
from .ranking import (
    COMPATIBLE_TYPES,
    Ranker,
    always_resolves,
    candidate_features,
    default_ranker,
    fits_place,
    knows,
    mention_gender,
)
from .spans import Candidate, CharSpan, source_range

# determiners that make a source no one in particular ("some Democrats", "many voters")
_QUANTIFIERS = frozenset("some many several most few other others all both each every any no one "
                         "numerous various".split())
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# pronouns that name no one ("someone said", "those close to him", "all agreed")
_INDEFINITE = frozenset("someone somebody anyone anybody everyone everybody nobody one all those some many "
                        "others few several most both".split())


@dataclass
class Resolution:
    """How one statement's speaker was found."""

    entity: Entity | None = None
    anonymous: str | None = None   # the mention an anonymous source is named by
    how: str = "none"
    antecedents: list[CharSpan] = field(default_factory=list)
    confidence: float = 0.0


class SpeakerResolver:
    """Resolves the source mentions of an article's statements to its entities."""

    def __init__(self, doc: Doc, quotes: QuoteIndex | None = None, headline: CharSpan | None = None,
                 ranker: Ranker | None = None):
        self.doc = doc
        self.text = doc.text
        self.table = EntityTable(doc, headline[1] if headline else 0)
        self.quotes = quotes
        self.ranker = ranker or default_ranker()
        self.previous: Entity | None = None  # the speaker of the previous statement
        self.anonymous: dict[str, Entity] = {}
        self.resolutions: list[tuple[Candidate, Resolution]] = []
        # called with (candidate, options, feature rows) at every ranking: how training sees them
        self.on_rank: Callable[[Candidate, list[tuple[Entity, Mention]], list[dict[str, float]]], None] | None = None

    # ---------------------------------------------------------------- driver

    def resolve(self, cands: list[Candidate]) -> list[Resolution]:
        """Each candidate's resolution (also kept on ``cand.extra["resolution"]``), in order."""
        for cand in sorted(cands, key=lambda c: (c.source or (c.anchor, c.anchor))[0]):
            res = self.resolve_source(cand)
            cand.extra["resolution"] = res
            entity = res.entity
            if entity is not None:
                entity.statements += 1
                if cand.source is not None and res.how != "name":
                    entity.add_mention(Mention(cand.source[0], cand.source[1],
                                               cand.source_head.i if cand.source_head is not None else -1, res.how))
                if cand.kind != "headline":
                    self.previous = entity
            self.resolutions.append((cand, res))
        return [c.extra["resolution"] for c in cands]

    def speakers(self, also: Iterable[Entity] = ()) -> list[Speaker]:
        """Speaker records for the entities that said something (and those in ``also``: spoken
        to or answered), numbered by first mention."""
        spoke = {id(r.entity): r.entity for _, r in self.resolutions if r.entity is not None}
        spoke.update((id(e), e) for e in also)
        for e in list(spoke.values()):
            spoke.update((id(m), m) for m in e.members)  # a group's members are speakers too
        ordered = sorted(spoke.values(), key=lambda e: (e.first_seen, e.key))
        for n, e in enumerate(ordered, 1):
            e.speaker_id = f"p{n}"
        return [Speaker(id=e.speaker_id, name=e.name, type=e.type, titles=list(e.titles),
                        mentions=sorted({(m.start, m.end) for m in e.mentions}),
                        members=[m.speaker_id for m in e.members if m.speaker_id]) for e in ordered]

    # ---------------------------------------------------------------- one mention

    def resolve_source(self, cand: Candidate) -> Resolution:
        tok = cand.source_head
        if tok is None or cand.source is None:
            return Resolution()
        if tok.lower_ in RELATIVE_PRONOUNS and tok.dep_.startswith("nsubj") and tok.head.dep_ == "relcl":
            tok = tok.head.head  # "Hegseth, who said ...": the noun the clause hangs on
            how = "relative"
        else:
            how = None
        named = self._named_in_phrase(tok, cand)
        if named is not None:
            entity, mention = named
            group = self._group(tok, entity, mention)
            if group is not None:
                return group
            return self._found(entity, how or ("name" if mention.head == tok.i else "apposition"),
                               [(mention.start, mention.end)], 0.95)
        if tok.pos_ == "PRON" or tok.lower_ in PRONOUN_GENDER or tok.lower_ in GROUP_PRONOUNS:
            return self._pronoun(tok, cand)
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            return self._noun(tok, cand, how)  # "a super PAC", "an anti-Trump PAC": no one in particular
        if tok.text[:1].isupper() and tok.tag_ not in ("NNS", "NNPS"):
            person = self.table.find_name([tok.text], PERSON, tok.idx)
            if person is not None:  # a known surname the tagger did not tag ("Trump avoids ...")
                self.table._mention(person, tok.idx, tok.idx + len(tok.text), tok.i, "name")
                return self._found(person, "name", [(tok.idx, tok.idx + len(tok.text))], 0.8)
        if tok.pos_ == "PROPN" and tok.tag_ != "NNPS" and tok.ent_type_ != "NORP" and tok.text[:1].isupper() \
                and tok.lower_ not in PERSON_NOUNS and tok.lower_ not in ORGANIZATION_NOUNS:
            return self._unknown_name(tok, cand)
        return self._noun(tok, cand, how)

    def _found(self, entity: Entity, how: str, antecedents: list[CharSpan], confidence: float) -> Resolution:
        return Resolution(entity, None, how, antecedents, confidence)

    def _anonymous(self, cand: Candidate, how: str = "anonymous") -> Resolution:
        start, end = cand.source
        phrase = " ".join(self.text[start:end].split())
        key = phrase.casefold()
        entity = self.anonymous.get(key)
        if entity is None:
            entity = Entity(-1 - len(self.anonymous), phrase, ANONYMOUS, phrase.split(), "ANON")
            entity.add_mention(Mention(start, end, cand.source_head.i, "anonymous"))
            self.anonymous[key] = entity
        return Resolution(entity, phrase, how, [], 0.8)

    def _named_in_phrase(self, tok: Token, cand: Candidate) -> tuple[Entity, Mention] | None:
        """The entity named by the source's head, or by an apposition to it ("the senator,
        Ted Cruz," / "Carlineo's attorney, Sonya Zoghlin"); never a possessive owner or a
        name inside a modifier ("Clinton aides", "Obama's aides")."""
        entity = self.table.at_token.get(tok.i)
        if tok.tag_ in ("NNPS", "NNS") and any(c.dep_ in ("det", "predet", "amod") and c.lower_ in _QUANTIFIERS
                                               for c in tok.children):
            return None  # "all GOPers", "some Democrats": no one in particular
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
        if entity is not None and entity.label == "DESC" and any(c.i in self.table.at_token for c in _apposed(tok)):
            entity = None  # "the Tom Hanks movie ''Bridge of Spies''": the title names it
        if entity is not None and entity.type != ANONYMOUS and not (indefinite and entity.type == ORGANIZATION
                                                                    and len(entity.words) == 1):
            # "a super PAC" is no particular PAC, unlike "a Bloomberg poll"
            mention = next((m for m in entity.mentions if m.start <= tok.idx < m.end), None)
            if mention is not None and (mention.how == "name" or mention.head == tok.i):
                return entity, mention
        for c in _apposed(tok):
            if c.i in self.table.at_token:
                entity = self.table.at_token[c.i]
                mention = next((m for m in entity.mentions if m.start <= c.idx < m.end), None)
                if mention is not None and (entity.type == PERSON or c.head.i == tok.i):
                    return entity, mention
        if tok.dep_ == "appos" and tok.head.i in self.table.at_token:
            entity = self.table.at_token[tok.head.i]  # "Ted Cruz, the senator, said"
            mention = next((m for m in entity.mentions if m.start <= tok.head.idx < m.end), None)
            if mention is not None:
                return entity, mention
        return None

    def _group(self, tok: Token, first: Entity, mention: Mention) -> Resolution | None:
        """'Mr. Smith and Mr. Jones said': a group of the named entities joined by "and"."""
        members, mentions = [first], [(mention.start, mention.end)]
        for conj in tok.conjuncts:
            entity = self.table.at_token.get(conj.i)
            if entity is None or entity.type not in (PERSON, ORGANIZATION) or entity in members:
                return None
            found = next((m for m in entity.mentions if m.start <= conj.idx < m.end), None)
            members.append(entity)
            mentions.append((found.start, found.end) if found else (conj.idx, conj.idx + len(conj.text)))
        if len(members) < 2:
            return None
        where = Mention(min(s for s, _ in mentions), max(e for _, e in mentions), tok.i, "group")
        return self._found(self.table.group(members, where), "group", mentions, 0.9)

    def _included(self, tok: Token) -> Resolution | None:
        """'Several candidates, including Donald J. Trump and Senators Ted Cruz and Marco Rubio':
        the group of those it names (two or more)."""
        members: list[Entity] = []
        mentions: list[CharSpan] = []
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ != "including":
                continue
            for t in prep.subtree:
                if any(a.dep_ == "prep" and a.i != prep.i for a in t.ancestors if a.i > prep.i):
                    continue  # "Senator Lamar Alexander of Tennessee": not a member
                entity = self.table.at_token.get(t.i)
                if entity is not None and entity.type in (PERSON, ORGANIZATION) and entity not in members:
                    found = next((m for m in entity.mentions if m.start <= t.idx < m.end), None)
                    if found is not None:
                        members.append(entity)
                        mentions.append((found.start, found.end))
        if len(members) < 2:
            return None
        where = Mention(min(s for s, _ in mentions), max(e for _, e in mentions), tok.i, "group")
        return self._found(self.table.group(members, where), "group", mentions, 0.8)

    def _unknown_name(self, tok: Token, cand: Candidate) -> Resolution:
        """A proper noun the tagger did not call a name: a known surname, or a new entity."""
        first = tok.i
        while first > 0 and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].dep_ == "compound":
            first -= 1
        words = [t.text for t in self.doc[first:tok.i + 1]]
        the = any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)  # "The Blaze reported"
        kind = ORGANIZATION if len(words) == 1 and (words[0].isupper() and len(words[0]) > 1 or the) else PERSON
        entity = self.table.find_name(words, kind, tok.idx)
        if entity is None:
            entity = self.table._new(" ".join(words), kind, words, "PROPN")
        start, end = self.doc[first].idx, tok.idx + len(tok.text)
        self.table._mention(entity, start, end, tok.i, "name")
        return self._found(entity, "name", [(start, end)], 0.7)

    # ---------------------------------------------------------------- nouns

    def _noun(self, tok: Token, cand: Candidate, how: str | None) -> Resolution:
        lemma = tok.lemma_.casefold()
        det = next((c.lower_ for c in tok.children if c.dep_ in ("det", "predet")), "")
        plural = tok.tag_ in ("NNS", "NNPS") or tok.ent_type_ == "NORP" and tok.text.endswith("s")
        described = self.table.described(tok)
        if described is not None:
            return self._found(described, how or "description",
                               [(described.mentions[0].start, described.mentions[0].end)], 0.85)
        speaks_for = self._speaks_for(tok)
        if speaks_for is not None:
            entity, mention = speaks_for
            return self._found(entity, "description", [(mention.start, mention.end)], 0.8)
        if lemma in DOCUMENT_SPEAKER_NOUNS and det not in _QUANTIFIERS and not _quantity(tok):
            return self._document(tok, cand)  # "the poll", "handwritten ledgers", "polls show"
        owned = self._owned(tok, cand) if lemma in ORGANIZATION_NOUNS and not plural else None
        if owned is not None:
            return owned
        if tok.pos_ == "NOUN" and not how and not can_speak(lemma):
            behind = self._person_behind(tok, cand, plural)
            if behind is not None:
                return behind
        if lemma in ORGANIZATION_NOUNS and not det and not plural and tok.pos_ == "PROPN":
            return self._named_organization(tok)  # "Congress", "Parliament"
        headline = cand.source[0] < self.table.headline_end  # where determiners are left out
        included = self._included(tok) if plural else None
        if included is not None:
            return included
        anonymous_head = lemma in ANONYMOUS_HEADS or tok.lower_ in ANONYMOUS_HEADS
        if anonymous_head and not plural and (det in _DEFINITE or headline and not det):
            # "the diplomat", "the official": someone the article gave that title, else no one
            return self._ranked(tok, cand, "description", PERSON) \
                or (self._named_later(tok, PERSON) if headline else None) or self._anonymous(cand)
        if plural or det in _QUANTIFIERS or anonymous_head or tok.ent_type_ == "NORP" \
                or any(c.dep_ == "conj" for c in tok.children):
            return self._anonymous(cand)  # "officials", "the president and ministers"
        definite = det in _DEFINITE or any(c.dep_ == "poss" for c in tok.children) \
            or (tok.pos_ == "PROPN" or headline) and not det
        if not definite:
            return self._anonymous(cand)  # "a spokesman", "one woman"
        kind = ORGANIZATION if lemma in ORGANIZATION_NOUNS else PERSON if is_person_noun(lemma) else None
        found = self._ranked(tok, cand, "description", kind) or (self._named_later(tok, kind) if headline else None)
        if kind == ORGANIZATION and any(c.dep_ == "compound" for c in tok.children) \
                and (found is None or found.entity is None or not knows(found.entity, tok)):
            # "the city council" where no organisation is known as one: the one it names
            name = self.table._noun_phrase(tok)
            return self._found(self.table._described_entity(ORGANIZATION, name.split(), lemma), "description", [], 0.5)
        return found or self._anonymous(cand)

    def _person_behind(self, tok: Token, cand: Candidate, plural: bool) -> Resolution | None:
        """A source that cannot speak but whose person can: "Trump's initial failure", "his best
        response", "a lesson from Loretta Lynch", "nine months of Trump" are the person's
        words; a plural owned by someone ("his donors") is not."""
        for c in tok.children:
            if plural and c.dep_ == "poss":
                continue
            if c.dep_ == "poss" and c.lower_ in PRONOUN_GENDER:
                return self._ranked(c, cand, "pronoun", PERSON)
            of = c.dep_ == "prep" and c.lower_ in ("of", "from")
            for t in [c] if c.dep_ == "poss" else [o for o in c.children if of and o.dep_ == "pobj"]:
                entity = self.table.at_token.get(t.i)
                mention = next((m for m in entity.mentions if m.start <= t.idx < m.end), None) if entity else None
                if entity is not None and entity.type == PERSON and mention is not None:
                    return self._found(entity, "name", [(mention.start, mention.end)], 0.7)
        return None

    def _owned(self, tok: Token, cand: Candidate) -> Resolution | None:
        """'his campaign', 'her office': the organisation of the person the possessive names."""
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in PRONOUN_GENDER), None)
        if owner is None:
            return None
        found = self._ranked(owner, cand, "pronoun", PERSON)
        if found is None or found.entity is None:
            return None
        entity = self.table.organization_of(found.entity, tok)
        return self._found(entity, "description", found.antecedents, found.confidence)

    def _named_organization(self, tok: Token) -> Resolution:
        """'Congress said': an organisation's own name that is also a common noun."""
        words = [tok.text]
        entity = self.table.find_name(words, ORGANIZATION, tok.idx) or self.table._new(tok.text, ORGANIZATION,
                                                                                         words, "PROPN")
        self.table._mention(entity, tok.idx, tok.idx + len(tok.text), tok.i, "name")
        return self._found(entity, "name", [(tok.idx, tok.idx + len(tok.text))], 0.8)

    def _named_later(self, tok: Token, kind: str | None) -> Resolution | None:
        """A headline's description of someone the body names with that title ("British
        diplomat praises ..." for "British diplomat Sir Peter Westmacott")."""
        fits = [e for e in self.table.entities if e.type in COMPATIBLE_TYPES[kind] and e.mentions
                and e.first_seen >= self.table.headline_end and knows(e, tok)]
        if not fits:
            return None
        entity = min(fits, key=lambda e: e.first_seen)
        first = entity.mentions[0]
        return self._found(entity, "description", [(first.start, first.end)], 0.6)

    def _speaks_for(self, tok: Token) -> tuple[Entity, Mention] | None:
        """'A panel of the U.S. Court of Appeals', 'the city of Phoenix', 'a spokesman for the
        Pentagon': an organisation's part or voice speaks for the organisation."""
        lemma = tok.lemma_.casefold()
        if lemma not in ORGANIZATION_NOUNS and lemma not in ("spokesman", "spokeswoman", "spokesperson"):
            return None
        for prep in tok.rights:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "at"):
                continue
            for pobj in prep.children:
                entity = self.table.at_token.get(pobj.i)
                if pobj.dep_ == "pobj" and entity is not None and entity.type == ORGANIZATION:
                    mention = next((m for m in entity.mentions if m.start <= pobj.idx < m.end), None)
                    if mention is not None:
                        return entity, mention
        return None

    def _document(self, tok: Token, cand: Candidate) -> Resolution:
        """'the poll', 'the memo': the latest document of that kind; 'a web video by the
        Republican National Committee': a new document, named by its phrase."""
        lemma = tok.lemma_.casefold()
        det = next((c.lower_ for c in tok.children if c.dep_ == "det"), "")
        described = any(c.dep_ in ("compound", "amod", "nmod", "prep", "poss", "nummod") for c in tok.children)
        best = None
        for e in self.table.entities:
            last = e.last_before(cand.source[0])
            if e.type == DOCUMENT and last is not None and lemma in e.nouns \
                    and (best is None or last.start > best[1].start):
                best = (e, last)
        if best is not None and (det in _DEFINITE or not described):
            return self._found(best[0], "description", [(best[1].start, best[1].end)], 0.75)
        later = [e for e in self.table.entities if e.type == DOCUMENT and lemma in e.nouns
                 and e.first_seen > cand.source[1]]
        if later and det in ("a", "an"):
            # "a new national poll ... A USA TODAY/Suffolk University poll found": the one named next
            entity = min(later, key=lambda e: e.first_seen)
            first = entity.mentions[0]
            return self._found(entity, "description", [(first.start, first.end)], 0.6)
        name = self.table._noun_phrase(tok) if described else tok.text
        words = name.split()
        entity = self.table._new(name, DOCUMENT, words, "DESC")
        entity.nouns.add(lemma)
        self.table._mention(entity, cand.source[0], cand.source[1], tok.i, "description")
        return self._found(entity, "description", [], 0.6)

    # ---------------------------------------------------------------- pronouns

    def _pronoun(self, tok: Token, cand: Candidate) -> Resolution:
        lower = tok.lower_
        if lower in FIRST_PERSON:
            return self._first_person(cand)
        if lower in ("you", "your", "yours"):
            return Resolution()
        if lower in _INDEFINITE:
            return self._anonymous(cand)
        if lower in ("they", "them", "their", "theirs", "themselves"):
            kind = "plural"
        elif lower in ("it", "its", "itself"):
            kind = "thing"
        else:
            kind = PERSON
        return self._ranked(tok, cand, "pronoun", kind) or Resolution()

    def _first_person(self, cand: Candidate) -> Resolution:
        """'I' inside a quotation is its speaker's own word: the statement that quotes it;
        outside quotations it is the writer's, named when the article names its author."""
        if self.quotes is None:
            return Resolution()
        if self.quotes.at(cand.source[0]) is None:
            author = self.table.author
            return self._found(author, "first person", [], 0.6) if author is not None else Resolution()
        for other, res in reversed(self.resolutions):
            if res.entity is not None and any(s <= cand.source[0] < e for s, e in other.content):
                return self._found(res.entity, "first person", [], 0.7)
        return Resolution()

    def _ranked(self, tok: Token, cand: Candidate, how: str, kind: str | None) -> Resolution | None:
        """The best-scoring entity met before the mention, if the ranker is sure enough."""
        position = cand.source[0]
        content = list(cand.content)
        options = []
        gender = mention_gender(tok, how)
        for e in self.table.entities:
            # certain by rule: "he" is a man or a person of unknown gender, "it" no person
            if e.type not in COMPATIBLE_TYPES[kind] or gender and e.gender and e.gender != gender \
                    or how == "description" and not fits_place(tok, e):
                continue
            last = e.last_before(position)
            # mentions inside the statement's own content never make it the speaker
            outside = [m for m in e.mentions if m.start < position
                       and not any(s <= m.start < t for s, t in content)]
            if last is None or not outside:
                continue
            options.append((e, outside[-1]))
        if not options:
            return None
        rows = [candidate_features(tok, cand, how, kind, e, last, options, self.text, self.quotes, self.previous)
                for e, last in options]
        if self.on_rank is not None:
            self.on_rank(cand, options, rows)
        scores = self.ranker.score(rows)
        best = max(range(len(options)), key=lambda i: (scores[i], options[i][1].start))
        if scores[best] < self.ranker.thresholds[how] and not always_resolves(rows[best]):
            return None
        entity, last = options[best]
        if kind == PERSON and how == "pronoun":
            entity.learn_gender(PRONOUN_GENDER.get(tok.lower_))
        if how == "description" and entity.type == PERSON:
            entity.add_title(self.table._noun_phrase(tok))  # "the US defense chief"
        return self._found(entity, how, [(last.start, last.end)], float(scores[best]))


def _quantity(tok: Token) -> bool:
    """'an average of 10 percent (of voters)': a share of people, not a text."""
    return any(o.like_num or o.lemma_ == "percent" or any(n.dep_ == "nummod" for n in o.children)
               for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children)


def _apposed(tok: Token) -> list[Token]:
    """The words that may rename a source's head, nearest first: its appositions; theirs ("the
    other man, his cousin James York"); one hung on its preposition's object by the parser
    ("his partner at Lenox, Lawrence Cummings"); and for a head without a determiner, a name
    joined to it ("Former prosecutor and Mayor Rudy Giuliani")."""
    out = [c for c in tok.children if c.dep_ == "appos"]
    out += [g for c in list(out) if c.pos_ == "NOUN" for g in c.children if g.dep_ == "appos"]
    out += [g for p in tok.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
            for g in o.children if g.dep_ == "appos" and g.pos_ == "PROPN"]
    if tok.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss") for c in tok.children):
        out += [c for c in tok.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
    return out


def source_words(tok: Token) -> str:
    """The words of a source phrase (for features and anonymous names)."""
    first, last = source_range(tok)
    return tok.doc[first:last + 1].text
