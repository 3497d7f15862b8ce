"""Cue lexicon: the words through which news attributes content to a source.

Lemmas, grouped by what they signal. Speech cues make `indirect`/`direct`
statements; cognition cues make `belief` statements (PolNeAR counts beliefs,
intentions and knowledge as attributions).
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

# offices and ranks that the tagger sometimes folds into a name ("Mayor Ana Ruiz")
ROLE_WORDS = frozenset("""
mayor president senator governor minister secretary chancellor judge justice general chairman
chairwoman chair director chief king queen prince princess pope bishop ambassador representative
congressman congresswoman councilman councilwoman councillor premier sheriff commissioner
professor coach captain lieutenant sergeant officer pastor rabbi imam former vice deputy acting
prime foreign defense defence finance interior health attorney speaker leader spokesman
spokeswoman spokesperson
""".split())
