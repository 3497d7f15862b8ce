"""The lexicon: every word list the extractor and the corpus read, each in one place.

Cue lemmas are grouped by what they signal: speech cues make `indirect`/`direct`
statements; cognition cues make `belief` statements (PolNeAR counts beliefs,
intentions and knowledge as attributions). Then the words of names and mentions
(honorifics, titles, pronouns, anonymous heads, media words) and the quotation marks.
"""
from __future__ import annotations

import functools
from pathlib import Path

SPEECH_VERBS = frozenset("""
say tell add state emphasize emphasise stress note explain argue claim insist announce declare
write tweet post report reveal warn predict suggest acknowledge admit concede confirm deny
reply respond answer ask recall remark observe comment mention continue conclude assert
contend maintain allege charge complain joke quip boast brag lament vow pledge promise
threaten urge agree disagree estimate speculate testify signal indicate hint whisper shout
yell exclaim muse reiterate repeat elaborate clarify caution advise recommend propose demand
counter retort rebut protest object confess proclaim disclose divulge inform assure reassure
notify cite describe characterize characterise predict forecast show find acknowledge
concede posit opine theorize theorise surmise inquire question wonder recount relate
read declare tout hail praise criticize criticise blast slam accuse blame dismiss
""".split())

COGNITION_VERBS = frozenset("""
believe think feel know hope fear worry expect doubt suspect assume guess reckon figure wish
want understand realize realise recognize recognise consider imagine see view trust bet
anticipate plan intend decide learn discover notice remember forget prefer seek aim
""".split())

# verbs whose object is a thing offered, made, shown, sent out or looked at ("offers 30 colours",
# "released video", "spotted the car", "focused on costs"): with nothing but a noun phrase for
# content they report no words (``saidwhat.extraction.acts``)
OBJECT_VERBS = frozenset("""
offer feature release post publish issue unveil display showcase roll launch debut sell share
spot hit explore focus
""".split())

# words of refusing: "declined to comment", "his refusal to say" report that nothing was said
REFUSAL_WORDS = frozenset({"decline", "refuse", "refusal"})

CUE_NOUNS = frozenset("""
statement claim assertion argument belief view warning promise pledge suggestion
announcement allegation accusation comment remark insistence hope fear concern idea
notion assessment testimony admission acknowledgment acknowledgement denial prediction
message explanation conclusion contention suspicion assurance vow threat
""".split())

# adjectives that make a cognition cue with a copula ("is convinced that ...")
COGNITION_ADJECTIVES = frozenset("""
convinced sure confident aware certain worried concerned afraid hopeful optimistic
pessimistic skeptical sceptical adamant clear
""".split())

# words that make an unnamed source: these never resolve to a named speaker
ANONYMOUS_HEADS = frozenset("""
source sources official officials aide aides people person insider insiders observer
observers critic critics expert experts analyst analysts someone anyone witness witnesses
resident residents lawmaker lawmakers diplomat diplomats
""".split())

# media words for recognising outlets among organisations
MEDIA_WORDS = frozenset("""
times post news journal tribune herald press wire network tv television radio broadcasting
magazine gazette daily agency telegraph guardian chronicle courier examiner inquirer
dispatch register
""".split())

# nouns that cue a belief rather than speech ("his fear that ...")
BELIEF_NOUNS = frozenset({"belief", "view", "hope", "fear", "concern", "idea", "notion", "suspicion"})

# nouns for documents that speak for their author: "released a statement saying ..."
DOCUMENT_NOUNS = frozenset("""statement letter tweet post message report release ad video speech
interview memo email op-ed editorial column note filing brief book article essay""".split())

# offices, ranks and the words of titles that go before a name ("Mayor Ana Ruiz", "Defense
# Secretary Pete Hegseth"): the tagger sometimes folds them into the name
TITLE_WORDS = frozenset("""
mayor president president-elect senator governor minister secretary chancellor judge justice
general chairman chairwoman chair director chief ceo king queen prince princess pope bishop
ambassador envoy representative congressman congresswoman councilman councilwoman councillor
premier sheriff commissioner professor coach captain capt lieutenant lt sergeant sgt colonel col
admiral adm gen gov sen rep officer pastor rabbi imam former vice deputy acting prime foreign
defense defence finance interior health economy energy trade treasury state us attorney speaker
leader spokesman spokeswoman spokesperson
""".split())

# nouns for texts that speak as sources ("the poll found", "the memo says"): a document speaker
DOCUMENT_SPEAKER_NOUNS = DOCUMENT_NOUNS | frozenset("""poll polls survey surveys study studies
analysis data research ruling decision complaint lawsuit suit transcript clip spot commercial
story document documents record records estimate estimates projection forecast audit review
investigation finding findings chart slide presentation petition indictment order motion
affidavit testimony survey report reports paper bill legislation proposal plan platform
website site page blog newsletter cable dossier datum film movie documentary episode audio footage
photo ledger guidance guideline precedent polling examination average""".split()) - {
    "interview", "speech", "paper"}

# documents that speak for the people they asked ("In a CBS News survey, 79 percent said ...")
SURVEY_NOUNS = frozenset("poll survey study".split())

# nouns that describe an organisation ("the bank", "the newspaper", "the campaign")
ORGANIZATION_NOUNS = frozenset("""campaign company firm corporation bank union newspaper paper
network agency department ministry court committee commission party administration government
organization organisation group university college school center centre institute foundation
state city country nation team league channel outlet publication magazine station broadcaster
club council board office bureau service police army military navy force senate house congress
parliament legislature assembly regime cabinet coalition alliance association federation
society charity hospital airline carrier manufacturer maker retailer chain lab laboratory
newsroom website tribunal panel""".split())

# nouns that describe one person ("the nominee", "the judge", "the 70-year-old governor")
PERSON_NOUNS = frozenset("""chancellor general chairwoman chair director king queen prince princess ambassador envoy
representative councilman councilwoman councillor premier sheriff commissioner captain
lieutenant sergeant colonel admiral rabbi imam deputy speaker nominee candidate businessman
businesswoman lawyer official spokesman spokeswoman man woman boy girl father mother wife
husband son daughter brother sister actress actor star singer author writer reporter journalist
columnist anchor host billionaire mogul magnate developer executive founder owner chief ceo
chairman lawmaker legislator politician activist adviser advisor aide economist scientist
researcher professor doctor physician nurse teacher student veteran officer soldier agent
attorney prosecutor judge justice senator congressman congresswoman governor mayor president
secretary minister candidate contender challenger incumbent frontrunner front-runner rival
opponent republican democrat libertarian independent leader head manager coach player pastor
pope bishop priest victim witness survivor resident citizen voter supporter critic friend
neighbor neighbour relative colleague partner""".split())

# endings of nouns for people that no list can hold ("the investor", "the socialist", "the historian")
_PERSON_SUFFIXES = ("ist", "or", "ian")


def is_person_noun(lemma: str) -> bool:
    """A noun that names one person: one of :data:`PERSON_NOUNS`, or a noun of an agent's ending."""
    return lemma in PERSON_NOUNS or len(lemma) > 5 and lemma.endswith(_PERSON_SUFFIXES)


def can_speak(lemma: str) -> bool:
    """Whether a noun names someone or something that speaks: a person, an organisation, a
    document, or an unnamed source ("officials")."""
    return is_person_noun(lemma) or lemma in ORGANIZATION_NOUNS or lemma in DOCUMENT_SPEAKER_NOUNS \
        or lemma in ANONYMOUS_HEADS


# honorifics, compared without their full stop ("Mr." and "Mr" alike: see is_honorific)
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "madam"})
MALE_HONORIFICS = frozenset({"mr", "sir"})
HONORIFICS = FEMALE_HONORIFICS | MALE_HONORIFICS | frozenset(
    "mx dr prof rev sen rep gov gen lt col sgt st".split())


def is_honorific(word: str) -> bool:
    """'Mr.', 'mr' and 'MR' are honorifics; 'Mrs.' too."""
    return word.lower().rstrip(".") in HONORIFICS


def is_courtesy_title(word: str) -> bool:
    """An honorific that says nothing of office ("Mr.", "Dr."), unlike "Sen." or "Gov."."""
    word = word.lower().rstrip(".")
    return word in HONORIFICS and word not in TITLE_WORDS


def honorific_gender(word: str) -> str | None:
    """'f' for 'Ms.', 'Mrs' …, 'm' for 'Mr.', 'Sir', else None."""
    word = word.lower().rstrip(".")
    return "f" if word in FEMALE_HONORIFICS else "m" if word in MALE_HONORIFICS else None


# pronouns, by what a careful reader learns from them
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
# nouns that tell a person's gender as a pronoun does ("the New York businessman", "his wife")
NOUN_GENDER = {**dict.fromkeys("""man businessman husband father son brother king prince congressman chairman
spokesman actor nephew uncle grandfather boyfriend""".split(), "m"),
               **dict.fromkeys("""woman businesswoman wife mother daughter sister queen princess congresswoman
chairwoman spokeswoman actress lady niece aunt grandmother girlfriend""".split(), "f")}
# organisation nouns that a country, state or city (the tagger's GPE) is described by
PLACE_NOUNS = frozenset("state country nation city town county government republic kingdom".split())
# a country's organs, named by the country's adjective ("the Russian government", "the French
# foreign ministry")
STATE_BODY_NOUNS = frozenset("government ministry department embassy military army navy regime".split())
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which", "that"})
PERSON_PRONOUNS = frozenset({"i", "you", "he", "she", "we", "they", "who"})
# subjects that never name a source ("it is expected that ...", "there were claims")
NON_SOURCE_WORDS = frozenset({"it", "there", "this", "that", "what"})

# what follows a dateline's place ("WASHINGTON -- ...", "PARIS — ...")
DATELINE_DASHES = frozenset({"--", "—", "–", "-"})
# quotation marks: double and single, as the pairing reads them; backticks too where
# wire copy writes ``quotes''
DOUBLE_QUOTE_MARKS = frozenset("“”„«»\"″")
SINGLE_QUOTE_MARKS = frozenset("‘’'‚‹›")
QUOTE_MARKS = DOUBLE_QUOTE_MARKS | SINGLE_QUOTE_MARKS
QUOTE_CHARS = QUOTE_MARKS | {"`"}


FIRST_NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "first_names.tsv"


@functools.lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    table: dict[str, str] = {}
    with FIRST_NAMES_FILE.open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                name, _, gender = line.rstrip("\n").partition("\t")
                table[name] = gender
    return table


def first_name_gender(word: str) -> str | None:
    """'f' or 'm' for a first name that mostly one gender bears (nomquamgender's name data,
    ``scripts/make_first_names.py``), else None ("Kim", "Jordan", or not a first name)."""
    return _first_names().get(word.casefold().replace("’", "'"))


# ---------------------------------------------------------------- circumstances (when, to whom, where)

# occasions of "other" kind that are events people attend ("after the day-long meeting"), not
# documents ("after Britain's decision")
GATHERING_NOUNS = frozenset("""meeting meetings summit session luncheon dinner breakfast gathering convention ceremony
visit trip""".split())
# nouns of an occasion or channel of saying, by the setting kind they make ("in a statement",
# "at a rally", "on Twitter"); the kinds are schema.SETTING_KINDS
SETTING_NOUNS: dict[str, str] = {
    **dict.fromkeys("interview interviews q&a podcast".split(), "interview"),
    **dict.fromkeys("speech speeches address remarks remark keynote sermon lecture".split(), "speech"),
    **dict.fromkeys("statement statements release communique announcement website".split(), "statement"),
    **dict.fromkeys("conference briefing briefings presser call".split(), "press conference"),
    **dict.fromkeys("hearing hearings testimony deposition questioning".split(), "hearing"),
    **dict.fromkeys("debate debates forum".split(), "debate"),
    **dict.fromkeys("rally rallies event events campaign stop".split(), "rally"),
    **dict.fromkeys("twitter tweet tweets facebook instagram tiktok truth post posts x youtube "
                    "reddit threads bluesky linkedin snapchat".split(), "social media post"),
    **dict.fromkeys("letter letters".split(), "letter"),
    **dict.fromkeys("op-ed oped column editorial essay article blog epistle commentary".split(), "op-ed"),
    **dict.fromkeys("report reports study paper".split(), "report"),
    **dict.fromkeys("show program programme broadcast appearance radio television tv".split(), "broadcast"),
    **dict.fromkeys(GATHERING_NOUNS, "other"),
    **dict.fromkeys("email emails memo note filing filings book documents court poll complaint ad ruling rulings "
                    "decision brief motion lawsuit suit submission".split(), "other"),
}
# the prepositions that introduce an occasion ("in a statement", "during the debate")
SETTING_PREPOSITIONS = frozenset("in at on during from via through over before after under".split())
# cue verbs that name their own channel ("tweeted", "testified")
CHANNEL_VERBS: dict[str, str] = {"tweet": "social media post", "testify": "hearing", "blog": "social media post"}
# verbs whose object is the one spoken to ("told reporters", "assured allies")
ADDRESSING_VERBS = frozenset("""tell inform assure reassure warn remind brief notify advise ask
caution urge encourage implore beg""".split())
# of those, the verbs whose object may be a thing ("urged an end to", "warned of"): their object
# is the one addressed only when it names someone
THING_OBJECT_VERBS = frozenset({"urge", "encourage", "ask", "warn", "caution", "advise", "beg"})
# verbs whose "to" phrase is the one spoken to ("said to reporters", "wrote to Congress")
TO_ADDRESSEE_VERBS = frozenset("""say write explain speak talk announce complain reveal admit
declare confess describe report repeat insist stress emphasize emphasise signal""".split())
# prepositions that name the audience after an occasion noun ("an interview with CNN",
# "a speech before the group", "a letter to Congress")
AUDIENCE_PREPOSITIONS = frozenset({"with", "before", "to"})
# verbs of answering: their object or "to" phrase is whom the statement responds to
RESPONDING_VERBS = frozenset("""respond reply retort rebut counter answer react agree disagree
reject dismiss contradict refute""".split())
# verbs that answer only with a particle ("fired back", "hit back", "lashed out")
PHRASAL_RESPONDING_VERBS = frozenset("fire hit push shoot snap lash".split())
RESPONDING_PARTICLES = frozenset({"back", "out"})
# participles of speaking whose phrases carry the occasion ("Speaking to reporters on Tuesday, ...")
SPEAKING_PARTICIPLES = frozenset({"speak", "talk", "address", "appear", "write", "testify", "respond",
                                  "reply", "answer", "interview"})
# words of a reporting period, not of a time of saying ("sales in the third quarter")
PERIOD_WORDS = frozenset({"quarter", "quarters", "fiscal", "half", "season", "semester", "term"})
# time words that say when without a named day ("yesterday", "earlier", "last week")
TIME_WORDS = frozenset("""yesterday today tonight week weekend month year morning afternoon evening
night anniversary eve""".split())
# verbs of a speaking occasion that is not itself a statement ("Trump spoke Friday at a rally")
OCCASION_VERBS = frozenset({"speak", "talk", "appear", "testify", "campaign", "rally", "gather", "convene"})
# verbs that make or send out what is said: "made the comments during ..." refers back to it,
# "issued a statement" / "unleashed a series of tweets" is the occasion
REMARK_VERBS = frozenset("""make deliver give offer issue release unleash send post file publish write pen
put fire launch air run""".split())
REMARK_NOUNS = frozenset({"comment", "remark", "statement", "pledge", "speech", "claim", "point",
                          "announcement", "case", "argument", "promise", "vow"})
# someone's words that a statement may take up and answer ("Clinton mocked Trump's complaint",
# "will address Trump's comments")
ANSWERED_NOUNS = REMARK_NOUNS | frozenset({"tweet", "complaint", "accusation", "assertion", "attack", "charge",
                                           "criticism", "suggestion", "allegation", "insult", "question"})
# verbs that bring up someone's words without answering them ("cited Trump's comments")
CITING_VERBS = frozenset({"cite", "reference", "mention", "quote", "recall", "repeat", "invoke", "note", "read"})
# adverbs of a habit, not an occasion ("he often says"; "repeatedly" is often within one speech)
FREQUENCY_ADVERBS = frozenset({"often", "always", "frequently", "routinely", "regularly", "usually", "sometimes",
                               "never"})
# participles that date an occasion ("an article published Wednesday", "a speech given Monday")
OCCASION_PARTICIPLES = frozenset({"publish", "release", "post", "air", "record", "give", "deliver", "hold",
                                  "broadcast", "issue", "tape", "conduct"})
# verbs of siding with someone, in what is said ("that he agrees with Trump's view")
AGREEING_VERBS = frozenset({"agree", "disagree", "side"})
# words that open a letter, not a speaker's turn ("DEAR ABBY: My husband ...")
SALUTATIONS = frozenset({"dear", "to", "re", "attn"})
