"""Statements: direct quotes with their speakers, and reported speech as paraphrases.

A quotation (`events.intake.text.Quotation`) becomes a quote when someone is said to have
spoken it. Its speaker comes from the first of these that applies (the rule is recorded):

- `attribution_after`: the reporting clause right after the closing mark: "“...,” he said",
  "“...,” said the spokesman, Sami Abu Zuhri", "“...,” Lavrov told a news conference".
- `attribution_before`: a reporting clause ending in a colon or comma right before the
  opening mark: "Trump added: “...”", "the minister said: “We have 48 hours.”".
- `attribution_in_sentence`: a partial quote inside a sentence whose reporting clause is
  elsewhere in it: first one before the quote ("Peskov said Friday there has been “no
  movement”", "Miller welcomed “...”"), else one after it ("Russia “strongly believes”
  that ..., Gatilov said").
- `quote_continued`: a quote without a reporting clause of its own takes the speaker of the
  quote it continues: the previous quote of its paragraph ("“...,” he said. “There was
  progress ...”") or, over a paragraph break, the quote the paragraph reopens;
  `quote_next_paragraph`: a paragraph that is all quote, right after a paragraph that
  ended quoting someone or reporting what a person said, goes on quoting them (lower
  confidence).
- Quoted words with no reporting clause anywhere near are scare quotes or titles, and are
  not proposed.

Who the words of a reporting clause name:
- "he" or "she": the last person named in subject position or last quoted (`pronoun`);
  a person named after "with", "to", "and" ... is not a subject, so "Zarif spoke after a
  meeting with Kerry and Ashton. “...,” he said" is Zarif.
- an actor mention ending the clause's noun phrase: "Kremlin spokesman Dmitry Peskov",
  "the US Department of State" (`named`);
- an unnamed title bound to a person named later ("a Gaza-based Hamas spokesman",
  `unnamed_title`, see `events.intake.actors`);
- a definite description: "the minister", "The president" -> the last person whose title
  has that word; "the statement" -> the last speaker (`description`).

Reported speech ("X said (that) ...", "..., X said", "according to X", "X told reporters
...") is a paraphrase when the reported words are not all inside quote marks; its excerpt
is the sentence without its closing full stop and dateline. Verbs of stance count too
("urged", "called for", "welcomed", "suggested", "branded"), and a participle reports its
sentence's subject ("Russia has backed Haftar, saying ...") or whoever is cited ("cited
President Tayyip Erdoğan as saying"). A paraphrase whose speaker no rule names ("Western
officials say ...") is still proposed, with no speaker and a low confidence, for the
editor to attribute; a quote in that case is not (see above). A time between the speaker
and the verb ("Turkey on Sunday said") is not part of who spoke, and dates the statement.

The date of a statement is the date phrase of its reporting clause ("said Friday",
`reporting_clause`); when that clause has none, the date the article gives the same
speaker's remarks in another reporting clause (`speaker_dated_elsewhere`, lower
confidence); otherwise "not stated".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from events.intake.actors import TITLE_HEADS, TITLE_MODIFIERS, ActorFindings, normalise
from events.intake.proposals import (
    ActorRef,
    DateProposal,
    ProposedDate,
    StatementProposal,
)
from events.intake.text import Quotation, Sentence

# Verbs that report speech, and verbs that only do so with quoted words after them.
SAY_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|wrote|writes|tweeted|tweets|asked|asks|"
    "replied|responded|insisted|stressed|noted|warned|declared|explained|continued|concluded|"
    "argued|announced|remarked|commented|recalled|acknowledged|admitted|complained|cautioned|"
    "emphasized|emphasised|underlined|reiterated|posted|insists|stresses|notes|warns|declares|"
    "explains|argues|announces|affirmed|affirms|asserted|asserts|confirmed|confirms|denied|denies"
)
# Verbs of stance that report what someone holds or asks: paraphrases, and quotes when
# quoted words follow ("welcomed “the announcement ...”").
STANCE_VERBS = (
    "called for|calls for|calling for|urging|urged|urges|welcomed|welcomes|commended|commends|"
    "praised|praises|criticized|criticised|condemned|condemns|accused|accuses|suggested|suggests|"
    "indicated|indicates|vowed|vows|pledged|promised|hailed|slammed|denounced|branded|brands|"
    "saying|adding"
)
QUOTE_VERBS = STANCE_VERBS + "|" + SAY_VERBS + "|called|calls|described|describes|dubbed|termed"
_AUX = r"(?:(?:has|had|have|’s|'s|also|previously|repeatedly|later|then|earlier|again|once|further|however|reportedly|would|will|was|were|often|always|never|long|just|now|recently|publicly|privately|already|since|had|once)\s+)*"
_SAY = re.compile(rf"\b(?P<verb>{QUOTE_VERBS})\b", re.IGNORECASE)
_STANCE = set(STANCE_VERBS.split("|"))  # "welcomed “the announcement ...”" reports a stance too
_PARAPHRASE_VERBS = set(SAY_VERBS.split("|")) | set(STANCE_VERBS.split("|")) | {"according to"}
# Words before a verb-looking word that make it a noun ("the two states", "member states").
_NOUN_BEFORE = {
    "the",
    "two",
    "three",
    "four",
    "both",
    "all",
    "these",
    "those",
    "member",
    "several",
    "many",
    "some",
    "other",
    "its",
    "their",
    "of",
}
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:on|late|early|late on|early on|also|again)\s+)*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday|tonight|this week|last week|earlier this week|this month|last month)\b.*$"
)
# "The Taliban in a statement said", "Suhail Shaheen in a tweet says": how they spoke is no
# part of who spoke.
_TRAILING_CHANNEL = re.compile(
    r"\s+(?:in|on|via|through|during|at)\s+(?:a|an|the|its|his|her|their)?\s*\S.*$"
)
# Participles whose subject is the sentence's ("Russia has backed Haftar, saying he must ...").
_PARTICIPLES = {"saying", "adding"}
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_PRONOUNS = {"he", "she"}
# Verbs that name as often as they quote: with one or two quoted words they give a label.
_NAMING_VERBS = {"called", "calls", "dubbed", "termed", "branded", "brands", "described", "describes"}
# Verbs that report speech only when what follows is not their plain object ("added
# impetus"): a comma, "that", a quote mark, a colon, a date or the end of the sentence.
_OBJECT_VERBS = {"added", "adds", "called", "calls", "noted", "notes", "posted", "continued", "concluded"}
_SPEECH_AFTER = re.compile(
    r"\s*(?:[,.:;“\"]|$|that\b|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|in a statement|later\b)"
)
_DEFINITE = re.compile(r"^(?:the|this|that)\s+(?P<words>[\w’'\- ]+)$", re.IGNORECASE)
# Heads of rank an epithet may use for the article's protagonist.
_EPITHET_HEADS = {
    "head",
    "chief",
    "leader",
    "president",
    "minister",
    "premier",
    "chancellor",
    "secretary",
    "envoy",
    "king",
    "emir",
    "diplomat",
}
# What kind of actor a description's head word names ("the militant group" -> an armed group).
_HEAD_KINDS = {
    "group": ("armed_group", "organisation"),
    "movement": ("armed_group", "organisation"),
    "militants": ("armed_group",),
    "insurgents": ("armed_group",),
    "rebels": ("armed_group",),
    "militia": ("armed_group",),
    "ministry": ("government_body",),
    "department": ("government_body",),
    "office": ("government_body",),
    "agency": ("organisation", "government_body"),
    "government": ("government_body", "state"),
    "administration": ("government_body",),
    "army": ("government_body", "armed_group"),
    "military": ("government_body",),
    "council": ("organisation", "international_organisation"),
    "committee": ("organisation",),
    "party": ("organisation",),
}
_ORG_HEADS = {
    "ministry",
    "department",
    "office",
    "statement",
    "government",
    "agency",
    "embassy",
    "kremlin",
    "administration",
    "council",
    "committee",
    "army",
    "military",
    "group",
    "movement",
    "party",
}
# A subject phrase ends where the clause before it does.
_CLAUSE_START = re.compile(
    r"(?:[,;:—–(]|\b(?:that|and|but|while|as|which|who|whom|though|although|because|when|since|so|then|if)\b|[”\"])\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Attribution:
    """A reporting clause: the verb, the words naming the speaker, and which side of the
    reported words it sits on ("before": "X said ...", "after": "..., X said")."""

    verb_start: int
    verb_end: int
    speaker_start: int
    speaker_end: int
    side: str
    verb: str

    @property
    def start(self) -> int:
        return min(self.verb_start, self.speaker_start)

    @property
    def end(self) -> int:
        return max(self.verb_end, self.speaker_end)


@dataclass(frozen=True)
class _Speaker:
    ref: ActorRef | None
    start: int | None
    end: int | None
    rule: str
    confidence: float


def find_statements(
    text: str,
    *,
    sentences: Sequence[Sentence],
    quotations: Sequence[Quotation],
    findings: ActorFindings,
    dates: Sequence[DateProposal],
    anchor,
    dateline_end: int | None = None,
) -> list[StatementProposal]:
    reader = _Reader(text, sentences, quotations, findings, dates, anchor)
    statements: list[StatementProposal] = []
    for sentence in sentences:
        statements.extend(reader.sentence_statements(sentence, dateline_end))
    return reader.finish(statements)


class _Reader:
    def __init__(self, text, sentences, quotations, findings, dates, anchor) -> None:
        self.text = text
        self.sentences = list(sentences)
        self.quotations = sorted(quotations, key=lambda q: q.start)
        self.findings = findings
        self.dates = list(dates)
        self.anchor = anchor
        self.speakers: list[tuple[int, ActorRef]] = []  # (position, speaker) in reading order
        self.quote_speaker: dict[int, _Speaker] = {}  # quotation start -> its speaker
        self.paraphrase_verbs: list[tuple[Attribution, ActorRef | None]] = []

    # ---- per sentence

    def sentence_statements(self, sentence: Sentence, dateline_end: int | None) -> list[StatementProposal]:
        quotes = [q for q in self.quotations if sentence.start <= q.start < sentence.end]
        attributions = self.attributions(sentence, quotes)
        result: list[StatementProposal] = []
        for quote in quotes:
            attribution, rule = self.attribution_for(quote, sentence, attributions)
            if (
                attribution is not None
                and attribution.verb in _NAMING_VERBS
                and len(self.text[quote.start : quote.end].split()) < 3
            ):
                continue  # "a line of towns Ukraine calls “fortress cities”": a name, not a quote
            if attribution is not None:
                speaker = self.speaker(attribution, quote.open_mark)
                speaker = _Speaker(speaker.ref, speaker.start, speaker.end, rule, speaker.confidence)
            else:
                speaker = self.continued_speaker(quote)
                if speaker is None and self._in_chain(quote):
                    # a paragraph of a quote over paragraph breaks: its speaker is named in a
                    # later paragraph of the same quote (see `finish`)
                    speaker = _Speaker(None, None, None, "quote_continued", 0.6)
                elif speaker is None:
                    continue
            if speaker.ref is None and speaker.rule != "quote_continued":
                # quoted words nobody can be found to have said: a title, a scare quote or
                # a speaker the rules cannot name; not proposed as a quote
                continue
            self.quote_speaker[quote.start] = speaker
            if speaker.ref is not None:
                self.speakers.append((quote.start, speaker.ref))
            excerpt_start = min(quote.outer_start, attribution.start) if attribution else quote.outer_start
            excerpt_end = max(quote.outer_end, attribution.end) if attribution else quote.outer_end
            if (
                attribution is not None
                and attribution.start > quote.outer_end + 3
                and rule != "attribution_after"
            ):
                excerpt_start, excerpt_end = quote.outer_start, quote.outer_end
            if attribution is not None and rule == "attribution_in_sentence":
                excerpt_start, excerpt_end = quote.outer_start, quote.outer_end
            result.append(
                StatementProposal(
                    kind="quote",
                    words=self.text[quote.start : quote.end],
                    words_start=quote.start,
                    words_end=quote.end,
                    speaker=speaker.ref,
                    speaker_start=speaker.start,
                    speaker_end=speaker.end,
                    date=self.reporting_date(attribution),
                    about=self.about(quote.start, quote.end, speaker.ref),
                    conflicts=self.conflicts(sentence.start, sentence.end),
                    start=excerpt_start,
                    end=excerpt_end,
                    excerpt=self.text[excerpt_start:excerpt_end],
                    rule=speaker.rule,
                    confidence=round(speaker.confidence * (0.9 if speaker.ref is not None else 0.3), 2),
                )
            )
        paraphrase = self.paraphrase(sentence, quotes, attributions, dateline_end)
        if paraphrase is not None:
            result.append(paraphrase)
        return result

    def attributions(self, sentence: Sentence, quotes: Sequence[Quotation]) -> list[Attribution]:
        """Reporting clauses of the sentence, outside its quotations."""
        text = self.text
        inside = [(q.outer_start, q.outer_end) for q in quotes]

        def quoted(position: int) -> bool:
            return any(a <= position < b for a, b in inside)

        found: list[Attribution] = []
        for match in _SAY.finditer(text, sentence.start, sentence.end):
            if quoted(match.start()):
                continue
            verb = match.group("verb").lower()
            before = text[sentence.start : match.start()]
            previous_word = re.search(r"([\w’']+)\W*$", before)
            if not match.group("verb")[:1].islower() or (
                previous_word is not None and previous_word.group(1).lower() in _NOUN_BEFORE
            ):
                continue  # "the United States", "the two states'": nouns, not verbs
            if verb in _PARTICIPLES:
                subject = self._sentence_subject(sentence, match.start(), quotes)
                cited = re.search(r"([^,;]{1,80})\s+as\s*$", before)
                if cited:
                    # "cited President Tayyip Erdoğan as saying": the one cited speaks
                    named = self.findings.mentions_between(
                        sentence.start + cited.start(1), sentence.start + cited.end(1)
                    )
                    if named:
                        subject = (named[-1].start, named[-1].end)
                if subject is not None:
                    found.append(
                        Attribution(match.start(), match.end(), subject[0], subject[1], "after", verb)
                    )
                continue
            if verb in _OBJECT_VERBS and not _SPEECH_AFTER.match(text, match.end(), sentence.end):
                continue  # "have added impetus", "called for talks": not reporting speech
            # inverted: "“...,” said the spokesman, Sami Abu Zuhri" / ", said X"
            if re.search(r"[,”\"]\s*$", before) and verb in SAY_VERBS.split("|"):
                speaker_start = match.end()
                while speaker_start < sentence.end and text[speaker_start].isspace():
                    speaker_start += 1
                speaker_end = self._inverted_speaker_end(speaker_start, sentence.end)
                if speaker_end > speaker_start and self._names_someone(speaker_start, speaker_end):
                    found.append(
                        Attribution(match.start(), match.end(), speaker_start, speaker_end, "after", verb)
                    )
                    continue
            # "X said", "X has also branded": the subject is the words before the verb,
            # back to the start of its clause
            head = re.search(rf"{_AUX}$", before, re.IGNORECASE)
            subject_end = sentence.start + (head.start() if head else len(before))
            while subject_end > sentence.start and text[subject_end - 1].isspace():
                subject_end -= 1
            subject_start = self._clause_start(sentence.start, subject_end, quotes)
            if subject_end <= subject_start:
                continue
            words = text[subject_start:subject_end]
            if len(words.split()) > 16 or not words.strip():
                continue
            side = self._side(subject_start, match.end(), sentence, quotes)
            found.append(Attribution(match.start(), match.end(), subject_start, subject_end, side, verb))
        for match in _ACCORDING.finditer(text, sentence.start, sentence.end):
            if quoted(match.start()):
                continue
            speaker_start = match.end() + 1
            speaker_end = self._inverted_speaker_end(speaker_start, sentence.end)
            if speaker_end > speaker_start:
                found.append(
                    Attribution(
                        match.start(), match.end(), speaker_start, speaker_end, "after", "according to"
                    )
                )
        return found

    def _sentence_subject(
        self, sentence: Sentence, limit: int, quotes: Sequence[Quotation]
    ) -> tuple[int, int] | None:
        """The first actor named in subject position in the sentence before `limit`: whose
        words a participle ("..., saying ...") reports."""
        quoted = [(q.outer_start, q.outer_end) for q in quotes]
        for mention in self.findings.mentions_between(sentence.start, limit):
            if any(a <= mention.start < b for a, b in quoted) or mention.rule.endswith("demonym"):
                continue  # an adjective ("Turkish broadcaster") is no subject
            if self._subject_like(mention.start):
                return mention.start, mention.end
        return None

    def _side(
        self, subject_start: int, verb_end: int, sentence: Sentence, quotes: Sequence[Quotation]
    ) -> str:
        """ "after" for a trailing attribution ("..., Gatilov said on Friday."), "before" for
        one that opens what it reports ("Peskov said Friday there has been ...", "the
        minister said: “...”")."""
        rest = self.text[verb_end : sentence.end]
        if re.match(r"\s*[:“\"]", rest):
            return "before"
        cut = re.search(r"[“\"]", rest)
        tail = rest[: cut.start()] if cut else rest
        preceded = self.text[sentence.start : subject_start].rstrip()
        short_tail = len(re.findall(r"[A-Za-z]+", tail)) <= 10 or re.match(r"\s*[^,.;:“\"]{0,40}[,.;]", rest)
        if preceded and preceded[-1] in ',”"' and short_tail:
            return "after"
        return "before"

    def _clause_start(self, floor: int, end: int, quotes: Sequence[Quotation]) -> int:
        """Where the subject of a verb at `end` starts: after the last clause break before it
        (a comma, a closing quote mark, "that", "and"), and never inside a quotation."""
        start = floor
        for q in quotes:
            if q.outer_end <= end:
                start = max(start, q.outer_end)
        segment = self.text[start:end]
        appositive = re.fullmatch(r"\s*([^,]{2,80}),\s*[^,]{2,100},\s*", segment)
        if appositive and self.findings.mentions_between(
            start + appositive.start(1), start + appositive.end(1)
        ):
            return start + appositive.start(1)
        last = None
        for match in _CLAUSE_START.finditer(segment):
            last = match
        if last is not None:
            # an appositive ("A spokesman for X, a group that ..., said") keeps the head
            candidate = start + last.end()
            head = self.text[start:end]
            if last.group().strip() == "," and head.count(",") >= 2 and re.match(r"\s*(?:A|An|The)\b", head):
                # back to before the appositive
                pieces = head.split(",")
                return start + len(pieces[0]) - len(pieces[0].lstrip()) if pieces[0].strip() else candidate
            start = candidate
        # a dateline or an introductory phrase ("On Thursday,") already cut by the comma
        while start < end and self.text[start].isspace():
            start += 1
        return start

    def _inverted_speaker_end(self, start: int, limit: int) -> int:
        """End of the speaker words after an inverted verb: up to the next comma, full stop
        or quote mark; a name in apposition ("the spokesman, Sami Abu Zuhri") is kept."""
        text = self.text
        match = re.compile(r"[,.;:“”\"(]|\s—|\s–").search(text, start, limit)
        end = match.start() if match else limit
        if match and text[match.start()] == ",":
            rest = re.match(
                r",\s*([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,3})\s*(?:[,.;]|$)", text[match.start() : limit]
            )
            if rest and self._person_at(match.start() + rest.start(1), match.start() + rest.end(1)):
                end = match.start() + rest.end(1)
        while end > start and text[end - 1].isspace():
            end -= 1
        return end

    def _names_someone(self, start: int, end: int) -> bool:
        """Whether the words after an inverted verb name a speaker ("the spokesman, Sami Abu
        Zuhri", "Irina Zvyagelskaya, a senior fellow ...") rather than begin what was said
        ("said Sunday that his government ...")."""
        words = self.text[start:end]
        if len(words.split()) > 14 or re.search(r"\bthat\b", words):
            return False
        if self.findings.mentions_between(start, end):
            return True
        first = words.split()[0].lower() if words.split() else ""
        return first in ("the", "a", "an", "he", "she", "his", "her") or first in TITLE_HEADS

    def _person_at(self, start: int, end: int) -> bool:
        return any(
            m.start >= start and m.end <= end and self.findings.kind_of(m.actor) == "person"
            for m in self.findings.mentions
        )

    def attribution_for(
        self, quote: Quotation, sentence: Sentence, attributions: Sequence[Attribution]
    ) -> tuple[Attribution | None, str]:
        text = self.text
        if not attributions:
            return None, ""
        words = text[quote.start : quote.end].rstrip()
        for a in attributions:
            gap = text[quote.outer_end : a.start]
            if a.start >= quote.outer_end and re.fullmatch(r"\s*[,.]?\s*", gap):
                return a, "attribution_after"
        for a in attributions:
            gap = text[a.end : quote.outer_start]
            if a.end <= quote.outer_start and re.fullmatch(r"\s*[:,]?\s*", gap) and a.side == "before":
                return a, "attribution_before"
        del words
        before = [a for a in attributions if a.end <= quote.outer_start and a.side == "before"]
        if before:
            return before[-1], "attribution_in_sentence"
        after = [a for a in attributions if a.start >= quote.outer_end]
        if after:
            return after[0], "attribution_in_sentence"
        earlier = [a for a in attributions if a.end <= quote.outer_start]
        if earlier:
            return earlier[-1], "attribution_in_sentence"
        return None, ""

    def continued_speaker(self, quote: Quotation) -> _Speaker | None:
        previous = [q for q in self.quotations if q.start < quote.start]
        if previous:
            last = previous[-1]
            same_paragraph = last.paragraph == quote.paragraph
            reopened = (
                last.continues and last.paragraph + 1 <= quote.paragraph and self._opens_paragraph(quote)
            )
            if (same_paragraph or reopened) and last.start in self.quote_speaker:
                before = self.quote_speaker[last.start]
                return _Speaker(
                    before.ref, before.start, before.end, "quote_continued", before.confidence * 0.9
                )
            # wire copy goes on quoting its speaker in a paragraph that is all quote: “...”
            next_paragraph = (
                last.paragraph + 1 == quote.paragraph or self._paragraphs_between(last, quote) == 0
            )
            if next_paragraph and self._whole_paragraph(quote) and last.start in self.quote_speaker:
                before = self.quote_speaker[last.start]
                return _Speaker(
                    before.ref, before.start, before.end, "quote_next_paragraph", before.confidence * 0.7
                )
        if self._whole_paragraph(quote):
            # a paragraph all quote after a paragraph reporting what someone said: theirs
            speaker = self._previous_paragraph_speaker(quote.open_mark)
            if speaker is not None:
                return _Speaker(speaker, None, None, "quote_next_paragraph", 0.5)
        return None

    def _previous_paragraph_speaker(self, position: int) -> ActorRef | None:
        here = self.sentences[self._sentence_index(position)].paragraph
        earlier = [s.paragraph for s in self.sentences if s.paragraph < here]
        if not earlier:
            return None
        previous = max(earlier)
        spans = [(s.start, s.end) for s in self.sentences if s.paragraph == previous]
        inside = [(p, r) for p, r in self.speakers if any(a <= p < b for a, b in spans)]
        people = [(p, r) for p, r in inside if self.findings.kind_of(r) == "person"]
        return max(people, key=lambda c: c[0])[1] if people else None

    def _in_chain(self, quote: Quotation) -> bool:
        """Whether the quote continues into the next paragraph or was reopened there."""
        if quote.continues:
            return True
        earlier = [q for q in self.quotations if q.start < quote.start]
        return bool(earlier) and earlier[-1].continues and self._opens_paragraph(quote)

    def _paragraphs_between(self, last: Quotation, quote: Quotation) -> int:
        """Body text between two quotations' paragraphs (0 when nothing but the break)."""
        between = self.text[last.outer_end : quote.outer_start]
        line_end = between.find("\n")
        rest = between[line_end:] if line_end >= 0 else ""
        return 0 if line_end >= 0 and not rest.strip() else 1

    def _whole_paragraph(self, quote: Quotation) -> bool:
        line_start = self.text.rfind("\n", 0, quote.open_mark) + 1
        line_end = self.text.find("\n", quote.outer_end)
        line_end = len(self.text) if line_end < 0 else line_end
        return (
            not self.text[line_start : quote.open_mark].strip()
            and not self.text[quote.outer_end : line_end].strip()
        )

    def _opens_paragraph(self, quote: Quotation) -> bool:
        line_start = self.text.rfind("\n", 0, quote.open_mark) + 1
        return not self.text[line_start : quote.open_mark].strip()

    # ---- speakers

    def speaker(self, attribution: Attribution, position: int) -> _Speaker:
        start, end = attribution.speaker_start, attribution.speaker_end
        words = self.text[start:end].strip()
        core_end = end
        if "," in words and attribution.side == "before":
            core_end = start + words.index(",")
        core = self.text[start:core_end].strip()
        # "Turkey on Sunday said", "Lavrov late on Friday said": the time is no part of who
        timed = _TRAILING_TIME.search(core) or _TRAILING_CHANNEL.search(core)
        if timed:
            core_end = (
                start
                + len(self.text[start:core_end])
                - len(self.text[start:core_end].lstrip())
                + timed.start()
            )
            core = core[: timed.start()].strip()
        lowered = core.lower()
        if lowered == "it":
            # "the Hamas movement issued a statement in which it said": the body or state
            # last named in the sentence (or the last one quoted)
            ref = self.salient_body(start)
            return _Speaker(ref, start, end, "pronoun", 0.6 if ref else 0.2)
        if lowered in _PRONOUNS:
            ref = self.salient_person(start)
            return _Speaker(ref, start, end, "pronoun", 0.8 if ref else 0.2)
        # an actor named at the end of the phrase (its head), or as the whole of it
        mentions = self.findings.mentions_between(start, end)
        if mentions:
            ending = [m for m in mentions if m.end >= core_end - 1 and m.end <= core_end] or [
                m for m in mentions if m.end >= end - 1
            ]
            people = [m for m in mentions if self.findings.kind_of(m.actor) == "person"]
            if ending:
                pick = max(ending, key=lambda m: m.end - m.start)
                if self.findings.kind_of(pick.actor) != "person" and people and _head_is_person_title(core):
                    pick = people[-1]
                return _Speaker(pick.actor, start, end, "named", 0.9)
            if people and not _starts_with_unnamed(core):
                return _Speaker(people[-1].actor, start, end, "named", 0.7)
        for unnamed in self.findings.unnamed:
            if start <= unnamed.start < core_end + 1 or unnamed.start <= start < unnamed.end:
                if unnamed.bound is not None:
                    return _Speaker(unnamed.bound, start, end, "unnamed_title", 0.7)
                return _Speaker(None, start, end, "unnamed_title", 0.2)
        definite = _DEFINITE.match(core)
        if definite:
            words = definite.group("words").split(" of ")[0].split()
            head = words[-1].lower() if words else ""
            if head in _ORG_HEADS and head != "statement":
                ref = self.actor_named_with(head, start) or self.actor_of_kind(
                    _HEAD_KINDS.get(head, ()), start
                )
                if ref is not None:
                    return _Speaker(ref, start, end, "description", 0.65)
            if head == "statement" or head in _ORG_HEADS:
                ref = self.last_speaker(start, organisation=head != "statement")
                return _Speaker(ref, start, end, "description", 0.6 if ref else 0.2)
            if head in TITLE_HEADS:
                ref = self.person_titled(head, start)
                if ref is not None:
                    return _Speaker(ref, start, end, "description", 0.7)
                # an epithet of rank ("the head of European diplomacy", "the Russian leader")
                # for nobody titled so: the person the article is about, its first-named
                # person. "The official" or "the spokesman" alone is an unnamed source.
                words_all = definite.group("words").split()
                if head in _EPITHET_HEADS and len(words_all) > 1:
                    ref = self.first_person(start)
                    return _Speaker(ref, start, end, "epithet", 0.4 if ref else 0.2)
                return _Speaker(None, start, end, "description", 0.2)
            return _Speaker(None, start, end, "description", 0.2)
        return _Speaker(None, start, end, "unresolved", 0.1)

    def salient_person(self, position: int) -> ActorRef | None:
        """Whom "he" or "she" at `position` means: a person named in subject position earlier
        in the same sentence; else the last person quoted or reported in the three sentences
        before (wire copy's "he said" continues its last speaker); else the last person
        named in subject position or quoted anywhere before."""
        here = self._sentence_index(position)
        quoted = [(q.outer_start, q.outer_end) for q in self.quotations]
        subjects: list[tuple[int, ActorRef]] = []
        for mention in self.findings.mentions:
            if mention.start >= position or self.findings.kind_of(mention.actor) != "person":
                continue
            if any(a <= mention.start < b for a, b in quoted):
                continue
            if self._subject_like(mention.start):
                subjects.append((mention.start, mention.actor))
        same_sentence = [c for c in subjects if self._sentence_index(c[0]) == here]
        if same_sentence:
            return max(same_sentence, key=lambda c: c[0])[1]
        speakers = [(p, r) for p, r in self.speakers if p < position and self.findings.kind_of(r) == "person"]
        recent = [c for c in speakers if here - self._sentence_index(c[0]) <= 3]
        if recent:
            return max(recent, key=lambda c: c[0])[1]
        candidates = subjects + speakers
        if not candidates:
            return None
        return max(candidates, key=lambda c: c[0])[1]

    def salient_body(self, position: int) -> ActorRef | None:
        """Whom "it" at `position` means: the organisation, body or state last named before it
        in the same sentence, else the last one reported as speaking in the three sentences
        before."""
        here = self._sentence_index(position)
        sentence = self.sentences[here]
        named = [
            m
            for m in self.findings.mentions_between(sentence.start, position)
            if self.findings.kind_of(m.actor) not in ("person", "") and not m.rule.endswith("demonym")
        ]
        if named:
            return named[-1].actor
        recent = [
            (p, r)
            for p, r in self.speakers
            if p < position and self.findings.kind_of(r) != "person" and here - self._sentence_index(p) <= 3
        ]
        return max(recent, key=lambda c: c[0])[1] if recent else None

    def _sentence_index(self, position: int) -> int:
        starts = [s.start for s in self.sentences]
        return max(bisect.bisect_right(starts, position) - 1, 0)

    def _subject_like(self, start: int) -> bool:
        """Whether the phrase holding the mention at `start` is not after a preposition or
        "and" (a title before the name is skipped)."""
        text = self.text
        i = start
        # walk back over the title words and names before the mention
        while True:
            match = re.search(r"([\w’'.\-]+)\s*$", text[max(0, i - 60) : i])
            if not match:
                break
            word = match.group(1)
            if (
                word[:1].isupper()
                or word.lower() in TITLE_HEADS
                or word.lower() in TITLE_MODIFIERS
                or word in ("’s", "'s")
            ):
                i = i - len(match.group(0))
                continue
            break
        match = re.search(r"([\w’']+)\W*$", text[max(0, i - 30) : i])
        previous = match.group(1).lower() if match else ""
        return previous not in {
            "with",
            "by",
            "to",
            "for",
            "of",
            "against",
            "from",
            "at",
            "in",
            "on",
            "about",
            "between",
            "among",
            "and",
            "including",
            "or",
            "like",
            "than",
            "via",
            "toward",
            "towards",
            "under",
            "over",
            "met",
            "meet",
            "meeting",
            "called",
            "urged",
            "hosted",
        }

    def actor_named_with(self, head: str, position: int) -> ActorRef | None:
        """The actor last named before `position` whose name holds `head` ("the ministry"
        -> "Russian Foreign Ministry")."""
        best = None
        for mention in self.findings.mentions:
            if mention.start < position and head in normalise(mention.actor.name).split():
                best = mention.actor
        return best

    def actor_of_kind(self, kinds: tuple[str, ...], position: int) -> ActorRef | None:
        """The actor of one of `kinds` last named before `position`."""
        best = None
        for mention in self.findings.mentions:
            kind = self.findings.kind_of(mention.actor)
            if mention.start < position and kind in kinds and not mention.rule.endswith("demonym"):
                best = mention.actor
        return best

    def first_person(self, position: int) -> ActorRef | None:
        for mention in self.findings.mentions:
            if mention.start < position and self.findings.kind_of(mention.actor) == "person":
                return mention.actor
        return None

    def person_titled(self, head: str, position: int) -> ActorRef | None:
        """The person last named before `position` whose title holds `head` ("minister")."""
        best: tuple[int, ActorRef] | None = None
        for mention in self.findings.mentions:
            if mention.start >= position:
                continue
            profile = self.findings.profiles.get(mention.actor.slug)
            if profile is None or profile.kind != "person":
                continue
            if head in normalise(profile.description).split():
                if best is None or mention.start > best[0]:
                    best = (mention.start, mention.actor)
        return best[1] if best else None

    def last_speaker(self, position: int, *, organisation: bool) -> ActorRef | None:
        candidates = [(p, r) for p, r in self.speakers if p < position]
        if organisation:
            candidates = [
                (p, r) for p, r in candidates if self.findings.kind_of(r) not in ("person",)
            ] or candidates
        return candidates[-1][1] if candidates else None

    # ---- paraphrases

    def paraphrase(
        self,
        sentence: Sentence,
        quotes: Sequence[Quotation],
        attributions: Sequence[Attribution],
        dateline_end: int | None,
    ) -> StatementProposal | None:
        said = [a for a in attributions if a.verb in _PARAPHRASE_VERBS]
        if not said:
            return None
        for attribution in said:
            # whoever a reporting clause names has spoken, paraphrase or not: "he said" later
            # may continue them
            who = self.speaker(attribution, attribution.start)
            if who.ref is not None and all(p != attribution.start for p, _ in self.speakers):
                self.speakers.append((attribution.start, who.ref))
        start, end = sentence.start, sentence.end
        if dateline_end is not None and start < dateline_end <= end:
            start = dateline_end
        while end > start and self.text[end - 1] in ".!?":
            end -= 1
        # the reported words outside quote marks and the attribution itself
        chosen = said[0] if said[0].side == "before" else said[-1]
        # a stance's quoted object ("welcomed “the announcement ...”") is what it reports
        spans = [] if chosen.verb in _STANCE else [(q.outer_start, q.outer_end) for q in quotes]
        for quote in quotes:
            attribution, rule = self.attribution_for(quote, sentence, attributions)
            if (
                attribution == chosen
                and rule in ("attribution_after", "attribution_before")
                and chosen.verb not in _STANCE
            ):
                # the sentence frames a quote; it reports more only in a clause of its own
                # ("“...,” Adebahr said adding that this would be ...")
                rest = self.text[max(chosen.end, quote.outer_end) : end]
                if not re.search(r"\b(?:adding|saying|that)\b", rest):
                    return None
        spans.append((chosen.start, chosen.end))
        free = [self.text[a:b] for a, b in _gaps(start, end, spans)]
        if sum(len(re.findall(r"[A-Za-z]{2,}", piece)) for piece in free) < 5:
            return None
        speaker = self.speaker(chosen, chosen.start)
        if speaker.ref is not None:
            self.paraphrase_verbs.append((chosen, speaker.ref))
            self.speakers.append((chosen.start, speaker.ref))
        return StatementProposal(
            kind="paraphrase",
            words=self.text[start:end],
            words_start=start,
            words_end=end,
            speaker=speaker.ref,
            speaker_start=speaker.start,
            speaker_end=speaker.end,
            date=self.reporting_date(chosen),
            about=self.about(start, end, speaker.ref),
            conflicts=self.conflicts(start, end),
            start=start,
            end=end,
            excerpt=self.text[start:end],
            rule=f"reported_speech_{chosen.side}"
            if speaker.ref is not None
            else "reported_speech_unknown_speaker",
            confidence=round(0.8 * speaker.confidence, 2) if speaker.ref is not None else 0.15,
        )

    # ---- dates, subjects

    def reporting_date(self, attribution: Attribution | None) -> ProposedDate:
        """The date phrase next to the reporting verb ("said Friday", "said on Tuesday")."""
        if attribution is None:
            return ProposedDate.not_stated(self.anchor)
        for phrase in self.dates:
            near_verb = attribution.verb_end <= phrase.start <= attribution.verb_end + 4
            before_verb = attribution.speaker_start <= phrase.start and phrase.end <= attribution.verb_start
            if (near_verb or before_verb) and phrase.date_start is not None:
                return _date_of(phrase, "reporting_clause", self.anchor)
        return ProposedDate.not_stated(self.anchor)

    def about(self, start: int, end: int, speaker: ActorRef | None) -> tuple[ActorRef, ...]:
        seen: dict[str, ActorRef] = {}
        for mention in self.findings.mentions_between(start, end):
            if speaker is None or mention.actor.slug != speaker.slug:
                seen.setdefault(mention.actor.slug, mention.actor)
        return tuple(seen.values())

    def conflicts(self, start: int, end: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.slug for c in self.findings.conflicts if start <= c.start < end))

    # ---- after the last sentence

    def finish(self, statements: list[StatementProposal]) -> list[StatementProposal]:
        """Quotes over paragraph breaks take the speaker their chain names; undated
        statements take the date of the same speaker's dated reporting clause."""
        by_start = {s.words_start: i for i, s in enumerate(statements) if s.kind == "quote"}
        chain: list[Quotation] = []
        for quote in self.quotations:
            chain.append(quote)
            if quote.continues:
                continue
            speakers = [statements[by_start[q.start]] for q in chain if q.start in by_start]
            named = [s for s in speakers if s.speaker is not None and s.rule != "quote_continued"]
            if named and len(chain) > 1:
                for q in chain:
                    i = by_start.get(q.start)
                    if i is not None and statements[i].speaker is None:
                        statements[i] = _replace(
                            statements[i], speaker=named[-1].speaker, rule="quote_continued", confidence=0.6
                        )
            chain = []
        # a chain that never named its speaker is not proposed (see sentence_statements)
        statements = [s for s in statements if not (s.kind == "quote" and s.speaker is None)]
        dated: dict[str, ProposedDate] = {}
        for s in statements:
            if s.speaker is not None and s.date.stated and s.speaker.slug not in dated:
                dated[s.speaker.slug] = s.date
        for i, s in enumerate(statements):
            if s.speaker is not None and not s.date.stated and s.speaker.slug in dated:
                d = dated[s.speaker.slug]
                statements[i] = _replace(
                    s,
                    date=ProposedDate(
                        words=d.words,
                        start=d.start,
                        end=d.end,
                        precision=d.precision,
                        anchor=d.anchor,
                        start_offset=d.start_offset,
                        end_offset=d.end_offset,
                        rule="speaker_dated_elsewhere",
                    ),
                )
        return statements


def _replace(statement: StatementProposal, **changes) -> StatementProposal:
    return StatementProposal(**{**statement.__dict__, **changes})


def _date_of(phrase: DateProposal, rule: str, anchor) -> ProposedDate:
    return ProposedDate(
        words=phrase.excerpt,
        start=phrase.date_start,
        end=phrase.date_end,
        precision=phrase.precision,
        anchor=anchor,
        start_offset=phrase.start,
        end_offset=phrase.end,
        rule=rule,
    )


def _gaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    gaps, position = [], start
    for a, b in sorted(spans):
        if a > position:
            gaps.append((position, min(a, end)))
        position = max(position, b)
    if position < end:
        gaps.append((position, end))
    return gaps


def _head_is_person_title(core: str) -> bool:
    last = core.split()[-1].lower() if core.split() else ""
    return last in TITLE_HEADS


def _starts_with_unnamed(core: str) -> bool:
    return bool(
        re.match(
            r"(?:a|an|one|another|two|three|some|several|sources|officials|diplomats)\b", core, re.IGNORECASE
        )
    )
