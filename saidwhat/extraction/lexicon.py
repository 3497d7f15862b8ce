"""The lexicon: every word list the extractor and the corpus read, each in one place.

Cue lemmas are grouped by what they signal: speech cues make `indirect`/`direct`
statements; cognition cues make `belief` statements (PolNeAR counts beliefs,
intentions and knowledge as attributions). Then the words of names and mentions
(honorifics, titles, pronouns, anonymous heads, media words) and the quotation marks.
"""
from __future__ import annotations

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

# honorifics, compared without their full stop ("Mr." and "Mr" alike: see is_honorific)
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "madam"})
MALE_HONORIFICS = frozenset({"mr", "sir"})
HONORIFICS = FEMALE_HONORIFICS | MALE_HONORIFICS | frozenset(
    "mx dr prof rev sen rep gov gen lt col sgt st".split())


def is_honorific(word: str) -> bool:
    """'Mr.', 'mr' and 'MR' are honorifics; 'Mrs.' too."""
    return word.lower().rstrip(".") in HONORIFICS


def honorific_gender(word: str) -> str | None:
    """'f' for 'Ms.', 'Mrs' …, 'm' for 'Mr.', 'Sir', else None."""
    word = word.lower().rstrip(".")
    return "f" if word in FEMALE_HONORIFICS else "m" if word in MALE_HONORIFICS else None


# pronouns, by what a careful reader learns from them
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which", "that"})
PERSON_PRONOUNS = frozenset({"i", "you", "he", "she", "we", "they", "who"})
# subjects that never name a source ("it is expected that ...", "there were claims")
NON_SOURCE_WORDS = frozenset({"it", "there", "this", "that", "what"})

# quotation marks: double and single, as the pairing reads them; backticks too where
# wire copy writes ``quotes''
DOUBLE_QUOTE_MARKS = frozenset("“”„«»\"″")
SINGLE_QUOTE_MARKS = frozenset("‘’'‚‹›")
QUOTE_MARKS = DOUBLE_QUOTE_MARKS | SINGLE_QUOTE_MARKS
QUOTE_CHARS = QUOTE_MARKS | {"`"}
