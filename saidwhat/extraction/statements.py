"""All statements of a parsed article: cue readings, "according to", quotes, the headline.

Four sources of candidates, most specific first:
1. the headline ("X Says: ...", "X: ...") and a transcript's turns ("PENCE: Well, ...");
2. cue frames from the dependency parse ("X said (that) ...", "..., X said",
   "X believes ...", "X responded, saying ..."), decided by the rules or the learned model
   (a :data:`~.rules.FrameFinder`), then "according to X, ..." and a cue set off by commas
   ("The bridge, X said, will open") where no frame read the word;
3. quotes with a cue nearby that the parse did not connect.
Overlaps are resolved so each character belongs to at most one statement's content,
as in PolNeAR (its annotations are univocal); the writer's words to the reader and repeats
(:mod:`.voice`), and readings that report no words or credit no one (:mod:`.acts`), are left
out. A statement whose cue has no subject of its own inherits one (:func:`inherit_source`):
a speaker lost to the parse is a speaker no resolver can find.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span, Token

from .acts import acts_of_saying
from .headline import headline_frames
from .lexicon import PERSON_PRONOUNS, QUOTE_CHARS, SALUTATIONS, SPEECH_VERBS, SURVEY_NOUNS, can_speak
from .quotes import Quote, QuoteIndex
from .readings import cue_spans, cue_tokens, find_subject
from .rules import FrameFinder, rule_frames
from .spans import Candidate, CharSpan, SpanSet, sentence_of, source_range, source_span, token_span
from .voice import without_repeats, without_writers_voice

_WORD = re.compile(r"\w+")
# the most words a quoted title has ("“Keeping Up with the Kardashians”")
_TITLE_WORDS = 8
#: a cue in the sentence after a quote counts this close to it ("he asks", "the former mayor said")
_CUE_AFTER_TOKENS = 6


def according_to_frames(doc: Doc) -> list[Candidate]:
    """'According to X, ...' and '..., according to X.'"""
    out: list[Candidate] = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) or \
            next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        phrase_first, phrase_last = tok.i, max(to.right_edge.i, pobj.right_edge.i)
        sent = sentence_of(tok)
        first, last = sent.start, sent.end - 1
        content = []
        before = token_span(doc, first, phrase_first - 1)
        after = token_span(doc, phrase_last + 1, last)
        content = [s for s in (before, after) if s]
        if not content:
            continue
        out.append(Candidate(
            kind="according_to", content=content, cue=[(tok.idx, to.idx + len(to.text))],
            source=token_span(doc, *source_range(pobj)), source_head=pobj, confidence=0.85,
            anchor=tok.idx, cue_lemma="according to"))
    return out


def parenthetical_frames(doc: Doc) -> list[Candidate]:
    """'The museum, Mr. Bush said, celebrated ...': a speech cue set off by commas inside the
    sentence it reports. The parser hangs the cue off the reported verb, after which no
    complement frame and no fallback reads it; the content is the sentence on both sides."""
    out: list[Candidate] = []
    for tok in doc:
        if tok.dep_ != "parataxis" or tok.head.i <= tok.i or tok.lemma_.lower() not in SPEECH_VERBS:
            continue
        first, last = tok.left_edge.i, tok.right_edge.i
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or doc[first].text != "," or doc[last].text != ",":
            continue
        sent = sentence_of(tok)
        head = tok.head
        before = token_span(doc, max(head.left_edge.i, sent.start), first - 1)
        after = token_span(doc, last + 1, min(head.right_edge.i, sent.end - 1))
        if before is None or after is None:
            continue
        out.append(Candidate(
            kind="indirect", content=[before, after], cue=cue_spans(cue_tokens(tok)),
            source=source_span(doc, subject), source_head=subject, confidence=0.8,
            anchor=tok.idx, cue_lemma=tok.lemma_.lower()))
    return out


# a transcript's turn: "PENCE: Well, look, ...", "JAKE TAPPER: ..." at the start of a paragraph
_TRANSCRIPT_TURN = re.compile(
    r"^(?P<lead>[\"“'‘]?)(?P<name>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2})(?P<colon>:)[ \t]+\S", re.MULTILINE)


def transcript_frames(doc: Doc, headline: CharSpan | None) -> list[Candidate]:
    """Turns of an interview transcript: each paragraph opened by a speaker's name in capitals
    and a colon is that speaker's words (PolNeAR's cue is the colon). Capitals and a colon also
    open page furniture ("SEE MORE: ...", "SOURCE: ...") and advice columns ("DEAR ABBY: ..."),
    so a transcript is one where some turn's name is a person's the article gives elsewhere
    ("PENCE" for Mike Pence); its turns are then those of that name and of any name that opens
    two turns or more ("WALLACE", the host)."""
    text = doc.text
    turns = [m for m in _TRANSCRIPT_TURN.finditer(text)
             if (headline is None or m.start() >= headline[1]) and len(m.group("name")) >= 3
             and m.group("name").split()[0].lower() not in SALUTATIONS]  # "DEAR ABBY:" opens a letter
    if not turns:
        return []
    people = {t.lower_ for ent in doc.ents if ent.label_ == "PERSON" for t in ent if not t.is_upper}
    known = {m.group("name") for m in turns if m.group("name").split()[-1].lower() in people}
    if not known:
        return []
    count = Counter(m.group("name") for m in turns)
    out = []
    for m in turns:
        if m.group("name") not in known and count[m.group("name")] < 2:
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        content = doc.char_span(m.end("colon"), end, alignment_mode="contract")
        label = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
        if content is None or not len(content) or label is None or not len(label):
            continue
        span = token_span(doc, content.start, content.end - 1)
        if span is None:
            continue
        out.append(Candidate(kind="direct", content=[span], cue=[(m.start("colon"), m.end("colon"))],
                             source=(m.start("name"), m.end("name")), source_head=label[-1], confidence=0.9,
                             anchor=m.start("colon"), cue_lemma=":", extra={"turn": True}))
    return out


def _speech_cue_near(doc: Doc, quotes: QuoteIndex, group: list[Quote]) -> Token | None:
    """A speech verb outside the quote, in the sentences the quote starts or ends in."""
    first_tok = doc.char_span(group[0].start, group[0].end, alignment_mode="expand")
    last_tok = doc.char_span(group[-1].start, group[-1].end, alignment_mode="expand")
    if first_tok is None or last_tok is None:
        return None
    sents = [sentence_of(first_tok[0]), sentence_of(last_tok[-1])]
    if sents[0].start > 0:
        prev = sentence_of(doc[sents[0].start - 1])
        if _ends_with_colon(prev):  # the previous sentence counts only when it introduces the quote
            sents.insert(0, prev)
    words = [t for sent in sents for t in sent] + _cue_after(doc, last_tok[-1])
    best, best_dist = None, 10 ** 9
    for t in words:
        if t.lemma_.lower() not in SPEECH_VERBS or t.pos_ not in ("VERB", "AUX"):
            continue
        if quotes.at(t.idx) is not None:
            continue
        dist = min(abs(t.idx - group[0].start), abs(t.idx - group[-1].end))
        if dist < best_dist:
            best, best_dist = t, dist
    return best


def _cue_after(doc: Doc, closing: Token) -> list[Token]:
    """'“… our country?” he asks.': where the parser ended the sentence with the quote, the
    root of the next sentence when it comes within :data:`_CUE_AFTER_TOKENS` words of the quote,
    after its subject, and ends a clause ("he asks.", "Graham asked, …")."""
    after = sentence_of(closing).end
    if after >= len(doc) or not all(t.is_punct or t.is_space for t in doc[closing.i + 1:after]):
        return []
    root = sentence_of(doc[after]).root
    if root.i - after >= _CUE_AFTER_TOKENS or root.i + 1 >= len(doc) or not doc[root.i + 1].is_punct \
            or not any(c.dep_ == "nsubj" and c.i < root.i for c in root.children):
        return []
    return [root]


def _ends_with_colon(sent: Span) -> bool:
    toks = [t for t in sent if not t.is_space]
    return bool(toks) and toks[-1].text == ":"


def quote_frames(doc: Doc, quotes: QuoteIndex, taken: list[Candidate]) -> list[Candidate]:
    """Direct quotes that no parse frame claimed, attached to the nearest speech cue."""
    text = doc.text
    out: list[Candidate] = []
    covered = SpanSet(s for c in taken for s in c.content)
    by_cue = {c.anchor: c for c in taken if c.quoted}
    earlier = sorted((c for c in taken if c.quoted), key=lambda c: c.end)
    n_seen = 0
    last: Candidate | None = None  # the quoted statement ending last before the current quote
    for group in quotes.groups:
        start, end = group[0].start, group[-1].end
        while n_seen < len(earlier) and earlier[n_seen].end <= start:
            if last is None or earlier[n_seen].end > last.end:
                last = earlier[n_seen]
            n_seen += 1
        if covered.overlaps(start, end):
            continue
        if len(_WORD.findall(text, start, end)) < 3 or _is_title(text[start:end]):
            continue  # scare quotes, titles and nicknames
        spans = [(q.start, q.end) for q in group]
        if last is not None and _continues(text, last, start):
            last.content += spans  # "“A,” he said. “B.”": one utterance, quoted in pieces
            continue
        cue = _speech_cue_near(doc, quotes, group)
        if cue is None:
            continue
        if cue.idx in by_cue:
            last = by_cue[cue.idx]  # "“A,” he said, “B.”" where the parse linked only A
            last.content += spans
            continue
        subject = find_subject(cue)
        if subject is not None and quotes.at(subject.idx) is not None:
            subject = None  # the parse took a word of the quote for the speaker
        last = Candidate(
            kind="direct", content=spans, cue=cue_spans(cue_tokens(cue)),
            source=source_span(doc, subject), source_head=subject, confidence=0.8,
            anchor=cue.idx, cue_lemma=cue.lemma_.lower(), quoted=True)
        out.append(last)
        by_cue[cue.idx] = last
    return out


def _is_title(quoted: str) -> bool:
    """A quoted name of a show, book or film ("“Fox News Sunday,”", "“The Art of the Deal”"):
    every word capitalised but the short ones between, and no sentence end."""
    words = _WORD.findall(quoted)
    return len(words) <= _TITLE_WORDS and words[0][0].isupper() and words[-1][0].isupper() \
        and all(w[0].isupper() or len(w) <= 3 for w in words) and not any(ch in quoted for ch in ".!?")


def _continues(text: str, before: Candidate, start: int) -> bool:
    """Whether a quote at ``start`` goes on from ``before``: same paragraph, only its cue between."""
    gap = text[before.end:start]
    return len(gap) <= 150 and "\n" not in gap and not any(ch in gap for ch in QUOTE_CHARS) \
        and before.end <= before.anchor < start


def extend_to_quotes(cand: Candidate, quotes: QuoteIndex) -> None:
    """Grow content that starts or ends inside a quote to the whole quote (and its continuations)."""
    new: list[CharSpan] = []
    for s, e in cand.content:
        for q in quotes.touching(s, e):
            if q.start < s or q.end > e:
                group = quotes.group_of[q]
                if q.start <= s + 1 or q.end > e:
                    s, e = min(s, q.start), max(e, q.end)
                    for other in group:
                        if other is not q and (other.start, other.end) not in new:
                            new.append((other.start, other.end))
        new.append((s, e))
    merged: list[CharSpan] = []
    for s, e in sorted(set(new)):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    cand.content = merged


def classify_quoting(cand: Candidate, text: str, quotes: QuoteIndex) -> None:
    """direct: content is all quotation; mixed: content holds a partial quote."""
    if cand.kind not in ("indirect", "direct"):
        return
    inside = outside = 0
    for s, e in cand.content:
        qs = quotes.touching(s, e)
        q_chars = sum(max(0, min(e, q.end) - max(s, q.start)) for q in qs)
        inside += q_chars
        outside += sum(1 for ch in text[s:e] if ch.isalnum()) - \
            sum(sum(1 for ch in text[max(s, q.start):min(e, q.end)] if ch.isalnum()) for q in qs)
    if inside and outside <= 6:
        cand.kind = "direct"
        cand.quoted = True
    elif inside:
        cand.kind = "mixed"
        cand.quoted = True


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep one statement per stretch of text: outer frames win over frames nested in their content."""
    cands = sorted(cands, key=lambda c: (c.start, -(c.end - c.start), -c.confidence))
    kept: list[Candidate] = []
    contents, cues = SpanSet(), SpanSet()
    for c in cands:
        # nested inside an earlier statement's content, or the same content twice
        if contents.overlaps(c.start, c.end) or any(contents.overlaps(s, e) for s, e in c.cue) \
                or any(cues.overlaps(s, e) for s, e in c.content):
            continue
        kept.append(c)
        for s, e in c.content:
            contents.add(s, e)
        for s, e in c.cue:
            cues.add(s, e)
    return sorted(kept, key=lambda c: c.anchor)


def find_candidates(doc: Doc, headline: CharSpan | None = None,
                    quotes: QuoteIndex | None = None, frames: FrameFinder = rule_frames,
                    writer_named: bool = False) -> list[Candidate]:
    """All statements of a parsed article; ``frames`` decides which words are cues;
    ``writer_named``: the article names its writer, whose "I" is then someone (:mod:`.voice`)."""
    text = doc.text  # a property that rebuilds the string: read it once
    quotes = quotes or QuoteIndex(text)
    heads = headline_frames(doc, headline)
    turns = transcript_frames(doc, headline)
    body = frames(doc, headline, quotes)
    read = {c.anchor for c in body}
    body += [c for c in according_to_frames(doc) + parenthetical_frames(doc)
             if c.anchor not in read and (headline is None or c.anchor >= headline[1])]
    # a cue inside a quotation belongs to the quoted speaker's words, not the article's
    body = [c for c in body if not any(quotes.in_closed_quote(s) for s, _ in c.cue)]
    body = acts_of_saying(doc, without_writers_voice(doc, body, quotes, writer_named))
    for c in body:
        extend_to_quotes(c, quotes)
        classify_quoting(c, text, quotes)
    if turns:  # a transcript's turns are their speakers' words, whatever else the parse reads in them
        said = SpanSet((t.source[0], t.end) for t in turns)
        body = [c for c in body if not any(said.overlaps(s, e) for s, e in c.content + c.cue)]
    body = resolve_overlaps(heads + turns + body)
    body += without_writers_voice(doc, quote_frames(doc, quotes, body), quotes, writer_named)  # "“…,” I said."
    for c in body:
        if c.source is None and c.kind != "headline":
            inherit_source(doc, c, quotes)
        elif c.source_head is not None and c.kind != "headline":
            survey_source(doc, c)
    return without_repeats(sorted(body, key=lambda c: c.anchor), text)


def survey_source(doc: Doc, cand: Candidate) -> None:
    """'In a New York Times/CBS News survey released last Thursday, 79 percent of Democrats said
    ...': a share of those asked speaks through the survey, which is the source."""
    head = cand.source_head
    if not (head.like_num or head.lemma_ in ("percent", "%") or any(c.like_num for c in head.children)):
        return
    verb = head.head
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "according") and prep.i < head.i:
            survey = next((o for o in prep.subtree if o.dep_ == "pobj" and o.lemma_ in SURVEY_NOUNS), None)
            if survey is not None:
                cand.source, cand.source_head = source_span(doc, survey), survey
                return


def inherit_source(doc: Doc, cand: Candidate, quotes: QuoteIndex) -> None:
    """A statement whose cue has no subject of its own takes the subject of the verb its cue
    hangs from ("Trump made conflicting statements about ...", "He went on to rebut ..."):
    climbing verbs and prepositions only (not through another noun), never from a passive cue,
    and only a subject that can speak (a name, a personal pronoun, a person or an
    organisation), outside the statement's content and outside quotations."""
    cue = doc.char_span(*cand.cue[0], alignment_mode="expand") if cand.cue else None
    node = cue.root if cue is not None and len(cue) else None
    if node is None or any(c.dep_ == "auxpass" for c in node.children):
        return  # "it was revealed that ...": no one is said to speak
    if node.tag_ in ("VBD", "VBZ", "VBP") and not any(c.dep_.startswith("nsubj") for c in node.children):
        _clause_subject(doc, cand, node, quotes)
        return
    for _ in range(3):
        if node.head.i == node.i or node.dep_ in ("ccomp", "relcl", "parataxis"):
            return
        node = node.head
        if node.pos_ in ("NOUN", "PROPN", "PRON"):
            return
        subject = next((c for c in node.children if c.dep_ == "nsubj"), None) if node.pos_ in ("VERB", "AUX") else None
        if subject is not None:
            span = source_span(doc, subject)
            if span is not None and _may_speak(subject) and quotes.at(span[0]) is None \
                    and not any(s <= span[0] < e or span[0] <= s < span[1] for s, e in cand.content):
                cand.source, cand.source_head = span, subject
            return


def _clause_subject(doc: Doc, cand: Candidate, verb: Token, quotes: QuoteIndex) -> None:
    """A finite cue verb the parser left without a subject ("Texas, leading a coalition of 13
    states, asked ...", "'...,' Mr. Daniloff, now 81, said"): the first name or personal
    pronoun of its clause, after any content before the cue, outside prepositional phrases
    and dates; a possessive stands for its noun ("Paul Ryan's office")."""
    sent = sentence_of(verb)
    start = max([sent.start] + [t.i + 1 for t in sent if t.i < verb.i and any(s <= t.idx < e for s, e in cand.content)])
    for tok in doc[start:verb.i]:
        if tok.dep_ in ("pobj", "npadvmod") or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL") \
                or quotes.at(tok.idx) is not None:
            continue
        name = tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        if name or tok.pos_ == "PRON" and tok.lower_ in PERSON_PRONOUNS:
            head = tok
            while head.dep_ in ("compound", "poss") and head.head.i < verb.i:
                head = head.head
            span = source_span(doc, head)
            if span is not None and span[1] <= verb.idx and _may_speak(tok):
                cand.source, cand.source_head = span, head
            return


def _may_speak(tok: Token) -> bool:
    """A name, a personal pronoun, or a noun for someone who speaks; not a dateline
    ("PHILADELPHIA, July 29 (UPI) --") nor a sentence's capitalised first word."""
    if tok.pos_ == "PROPN":  # a name the tagger knows, or a capital that is not just the sentence's first
        dateline = tok.text.isupper() and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == ","
        return not dateline and (tok.ent_type_ != "" or not tok.is_sent_start
                                 or any(t.text == tok.text and not t.is_sent_start and t.dep_ != "compound"
                                        for t in tok.doc))
    if tok.pos_ == "PRON":
        return tok.lower_ in PERSON_PRONOUNS and tok.lower_ != "you"  # "you": the reader
    return can_speak(tok.lemma_.casefold())
