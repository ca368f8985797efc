"""Events: the clauses of the body that report something happening or scheduled.

A clause is proposed as an event when it holds a trigger word of the project's event
types (talks, negotiation_round, ceasefire, agreement, military_action,
military_intervention, territorial_change, interview, election, other); the rule is named
after the trigger's type (`trigger_talks`, ...). Words inside quote marks are someone's
speech, not the article's report, and trigger nothing. Clauses are cut at semicolons, dashes
and the conjunctions that open a new clause ("after", "as", "while", "where", "when",
"following", ", saying", ", who"), so "Lavrov told a news conference after meeting his
German and Polish counterparts" gives two events, the news conference and the meeting.

Each event gets:
- participants: the actors the clause names (not inside quotes), with a role where the
  clause gives one: the subject of "hosted" is the host and its object the guest;
  "brokered by"/"mediated by"/"X-brokered"/"UN-led"/"facilitated by" give brokers and
  mediators; "against X", "on X", "into X" after an attack word give a target; "backed by" a
  backer; in an interview the speaker is the interviewee and "told Reuters" the
  interviewer; otherwise "party" for talks, agreements, ceasefires and fighting,
  "participant" for the rest;
- a location: "in/at <Place>" in the clause (a capitalised place that is not an actor
  other than a state, or "the Austrian capital"), else "";
- the conflict: a known conflict named in the sentence, or whose name holds a state the
  sentence names ("Syrian civil war" for a sentence naming Syria, lower confidence);
- the date phrase of the clause itself; a phrase dating the reporting verb ("said on
  Tuesday") does not date the event; none: "not stated".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from events.intake.actors import ActorFindings, normalise
from events.intake.known import Known
from events.intake.places import country_by_word
from events.intake.proposals import (
    ActorRef,
    DateProposal,
    EventProposal,
    Participant,
    ProposedDate,
)
from events.intake.text import Dateline, Quotation, Sentence

# Trigger words per type, most specific first; the first type a clause matches wins.
TRIGGERS: list[tuple[str, str]] = [
    ("ceasefire", r"cease-?fires?|truces?|armistice"),
    (
        "negotiation_round",
        r"rounds? of (?:\w+ )?(?:talks|negotiations|meetings|consultations)|negotiations|peace talks|peace process|dialogue",
    ),
    (
        "interview",
        r"(?:in|during|gave) an interview|interviewed|told (?:Reuters|the Associated Press|AP|AFP|TASS|Interfax|RIA|CNN|the BBC|Al Jazeera|reporters|journalists|a newspaper)",
    ),
    (
        "agreement",
        r"agreements?|agreed|deals?|accords?|treaty|treaties|signed|signing|memorandum|pact|release of (?:[\w-]+ ){0,6}(?:detainees|prisoners|hostages)|prisoner (?:swap|exchange)",
    ),
    (
        "military_intervention",
        r"(?:military )?intervention|invasion|invaded|deployed troops|sent (?:[\w,]+ ){0,3}(?:troops|soldiers|forces)|deployment of (?:\w+ )?troops",
    ),
    (
        "territorial_change",
        r"captured|seized|recaptured|retook|took control|taken control|annex(?:ed|ation)|lost control|swath of territory|foothold|holdout|withdr(?:ew|awn|awal) from|fell to",
    ),
    (
        "military_action",
        r"air ?strikes?|airstrikes?|strikes?|attack(?:s|ed)?|shelling|shelled|bombing|bombed|killed|firing rockets|fired (?:\w+ )?(?:rockets|missiles|shells)|rockets?|missiles?|offensive|clashes|clashed|raids?|assault|ambush(?:ed)?|drone strikes?|fighting|battle|displaced|wars?|hostilities",
    ),
    ("election", r"elections?|elected|referendum|polls|ballot|voted|presidential vote|inaugurat(?:ed|ion)"),
    (
        "talks",
        r"talks|meeting|meetings|met|meet|meets|summit|visit(?:s|ed|ing)?|hosted|hosting|hosts|host|phone call|telephone call|call(?:ed)? (?:with|between)|spoke by (?:telephone|phone)|speak by (?:telephone|phone)|consultations|discussed|conversation",
    ),
    (
        "other",
        r"(?:push|bid|efforts?|initiative|drive|plan|aims?|attempt|seeks?|trying) to (?:end|resolve|settle|broker|stop|halt|reach|secure|revive|advance|keep)|deadline|target date|speaking (?:at|to|during)|peacekeeping (?:operation|mission|force)s?|news conference|press conference|briefing|announcement|announced|sanctions|protests?|resign(?:ed|ation)|appointed",
    ),
]
_TRIGGER = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in TRIGGERS]
_DEFAULT_ROLE = {
    "talks": "party",
    "negotiation_round": "party",
    "ceasefire": "party",
    "agreement": "party",
    "military_action": "party",
    "military_intervention": "party",
    "territorial_change": "party",
    "interview": "participant",
    "election": "participant",
    "other": "participant",
}
# Clause breaks: punctuation, and words that open a subordinate or new clause.
_BREAK = re.compile(
    r";|\s[–—]\s|,\s(?=(?:saying|who|which|where|while|as|but|and|although|though|after|when|putting|even)\b)"
    r"|\s(?=(?:after|as|while|where|when|following|because|before|since|until|but)\s)",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|added|stated|announced|reported|tweeted)\b(?:\s+(?:on|late|early)?\s*)?$",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"\b(?:in|at)\s+(?P<place>(?:the\s+)?(?:[A-Z][\w’'\-.]+(?:\s+(?:of\s+)?[A-Z][\w’'\-.]+){0,3}|[a-z]+\s+(?:[A-Z][\w]+\s+)?capital|[A-Z][\w]+\s+capital(?:\s+of\s+[A-Z][\w]+)?))"
)
_NOT_PLACES = re.compile(
    r"^(?:the\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"\d)",
)


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    sentence: Sentence


def find_events(
    text: str,
    *,
    doc: Doc,
    sentences: Sequence[Sentence],
    quotations: Sequence[Quotation],
    findings: ActorFindings,
    dates: Sequence[DateProposal],
    anchor,
    known: Known,
    dateline: Dateline | None,
) -> list[EventProposal]:
    quoted = [(q.outer_start, q.outer_end) for q in quotations]
    events: list[EventProposal] = []
    for sentence in sentences:
        start = sentence.start
        if dateline is not None and start < dateline.end <= sentence.end:
            start = dateline.end
        # words inside a quotation that opens the sentence are speech; a partial quote
        # embedded in the article's own sentence ("welcomed “the release of ...”") reports
        ignored = [(a, b) for a, b in quoted if a <= start + 1 or not (sentence.start < a < sentence.end)]
        for clause in _clauses(text, start, sentence.end, sentence, quoted):
            for piece in _split_on_and(text, clause, ignored):
                kind, trigger = _trigger(text, piece, ignored)
                if kind is None:
                    continue
                events.append(_event(text, piece, kind, trigger, findings, dates, anchor, known, ignored))
    return events


def _clauses(text: str, start: int, end: int, sentence: Sentence, quoted) -> list[_Clause]:
    cuts = [start]
    for match in _BREAK.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in quoted):
            continue
        if match.start() - cuts[-1] < 12:  # too short to be a clause of its own
            continue
        cuts.append(match.end())
    cuts.append(end)
    clauses = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a] in " ,":
            a += 1
        while b > a and text[b - 1] in " ,.;":
            b -= 1
        if b - a >= 8:
            clauses.append(_Clause(a, b, sentence))
    return clauses


def _split_on_and(text: str, clause: _Clause, quoted) -> list[_Clause]:
    """A clause reporting two things of different types ("... reached a ceasefire deal and
    an official announcement will be made ...", "... sent thousands of troops to Idlib, a
    rebel stronghold, to halt a regime advance that has displaced ...") is cut at the last
    " and " or comma between their triggers."""
    found = []
    for kind, pattern in _TRIGGER:
        for match in pattern.finditer(text, clause.start, clause.end):
            if not any(a <= match.start() < b for a, b in quoted):
                found.append((match.start(), match.end(), kind))
    found.sort()
    for (_, a_end, a_kind), (b_start, _, b_kind) in zip(found, found[1:], strict=False):
        if a_kind == b_kind:
            continue
        cuts = [
            m
            for m in re.finditer(r",\s|\s(?:and|but)\s", text[a_end:b_start])
            if not any(q <= a_end + m.start() < r for q, r in quoted)
            and not _joins_names(text, a_end + m.start(), a_end + m.end())
        ]
        if not cuts:
            continue
        cut = a_end + cuts[-1].start()
        resume = a_end + cuts[-1].end()
        if cut - clause.start < 15 or clause.end - resume < 15:
            continue
        left = _Clause(clause.start, cut, clause.sentence)
        right = _Clause(resume, clause.end, clause.sentence)
        return [left, *_split_on_and(text, right, quoted)]
    return [clause]


def _joins_names(text: str, start: int, end: int) -> bool:
    """ "Armenia and Azerbaijan": an "and" between two names joins them, it opens no clause."""
    before = re.search(r"([\w’'.-]+)\s*$", text[:start])
    after = re.match(r"\s*([\w’'.-]+)", text[end:])
    return bool(before and after and before.group(1)[:1].isupper() and after.group(1)[:1].isupper())


def _trigger(text: str, clause: _Clause, quoted) -> tuple[str | None, tuple[int, int] | None]:
    for kind, pattern in _TRIGGER:
        for match in pattern.finditer(text, clause.start, clause.end):
            if any(a <= match.start() < b for a, b in quoted):
                continue
            return kind, match.span()
    return None, None


def _event(
    text: str,
    clause: _Clause,
    kind: str,
    trigger: tuple[int, int] | None,
    findings: ActorFindings,
    dates: Sequence[DateProposal],
    anchor,
    known: Known,
    quoted,
) -> EventProposal:
    participants = _participants(text, clause, kind, trigger, findings, quoted)
    location, location_span = _location(text, clause, findings, trigger)
    date = _clause_date(text, clause, dates, anchor)
    conflicts = _conflicts(clause, findings, known)
    excerpt = text[clause.start : clause.end]
    confidence = (
        0.6 + (0.1 if participants else 0) + (0.1 if date.stated else 0) - (0.2 if kind == "other" else 0)
    )
    return EventProposal(
        type=kind,
        title=excerpt if len(excerpt) <= 200 else excerpt[:199].rstrip() + "…",
        participants=tuple(participants),
        location=location,
        location_start=location_span[0] if location_span else None,
        location_end=location_span[1] if location_span else None,
        conflicts=conflicts,
        date=date,
        start=clause.start,
        end=clause.end,
        excerpt=excerpt,
        rule=f"trigger_{kind}",
        confidence=round(min(confidence, 0.9), 2),
    )


def _participants(text, clause, kind, trigger, findings: ActorFindings, quoted) -> list[Participant]:
    mentions = [
        m
        for m in findings.mentions_between(clause.start, clause.end)
        if not any(a <= m.start < b for a, b in quoted)
    ]
    result: dict[str, Participant] = {}
    default = _DEFAULT_ROLE[kind]
    for m in mentions:
        role, rule = _role(text, m.start, m.end, clause, kind, trigger)
        if m.actor.slug not in result or result[m.actor.slug].role in ("party", "participant"):
            result[m.actor.slug] = Participant(
                actor=m.actor, role=role or default, rule=rule or "named_in_clause"
            )
    return list(result.values())


def _role(text: str, start: int, end: int, clause: _Clause, kind: str, trigger) -> tuple[str, str]:
    before = text[max(clause.start, start - 40) : start].lower()
    after = text[end : min(clause.end, end + 30)].lower()
    if re.search(
        r"(?:brokered|mediated|facilitated|sponsored|hosted)(?:\s+[\w’'-]+){0,4}?\s+by\s+(?:the\s+)?(?:[\w’'.-]+\s+and\s+(?:the\s+)?)?$",
        before,
    ) or re.match(r"-(?:brokered|mediated|led|sponsored)\b", after):
        return ("broker" if "broker" in before + after else "mediator"), "brokered_by"
    if re.match(r"-backed\b", after) or re.search(r"backed by (?:the )?$", before):
        return "backer", "backed_by"
    if re.match(
        r"\s+(?:is |was |has |had |will )?(?:hosted|hosting|hosts|host|will host)\b", after
    ) or re.match(r"\s+(?:is |was )?hosting\b", after):
        return "host", "subject_of_host"
    if re.search(r"\b(?:hosted|hosting|hosts|host|welcomed|received)\s+(?:[\w’'-]+,?\s+){0,4}$", before):
        return "guest", "object_of_host"
    if kind == "military_action" and re.search(
        r"\b(?:against|on|into|at|targeting|in)\s+(?:the\s+)?$", before
    ):
        return "target", "attack_on"
    if kind == "interview":
        if re.search(r"\btold\s+(?:the\s+)?$", before):
            return "interviewer", "told_outlet"
        return "interviewee", "interview_speaker"
    if re.search(r"\bvisit(?:s|ed|ing)?\s+(?:to\s+)?(?:the\s+)?$", before):
        return "host", "visit_to"
    return "", ""


def _location(
    text: str, clause: _Clause, findings: ActorFindings, trigger: tuple[int, int] | None = None
) -> tuple[str, tuple[int, int] | None]:
    """The place of the clause: the first after its trigger, else the first in the clause,
    else the first in the rest of its sentence ("talks on Thursday in Moscow" for "It hosted
    his rival ...")."""
    after = trigger[1] if trigger else clause.start
    for start, end in (
        (after, clause.end),
        (clause.start, clause.end),
        (clause.sentence.start, clause.sentence.end),
    ):
        found = _place_in(text, start, end, findings)
        if found[1] is not None:
            return found
    return "", None


def _place_in(text: str, start: int, end: int, findings: ActorFindings) -> tuple[str, tuple[int, int] | None]:
    places = country_by_word()
    for match in _PLACE.finditer(text, start, end):
        words = match.group("place")
        if _NOT_PLACES.match(words):
            continue
        place_start, place_end = match.span("place")
        mentions = findings.mentions_between(place_start, place_end)
        non_state = [m for m in mentions if findings.kind_of(m.actor) not in ("state", "")]
        if non_state and not any(w in places for w in words.split()):
            continue
        if " capital" in words or words.split()[-1] in places or words.split()[0] in places or not mentions:
            return words, (place_start, place_end)
    return "", None


def _clause_date(text: str, clause: _Clause, dates: Sequence[DateProposal], anchor) -> ProposedDate:
    for phrase in dates:
        if clause.start <= phrase.start and phrase.end <= clause.end:
            if _REPORTING.search(text[clause.start : phrase.start]):
                continue  # "said on Tuesday" dates the saying, not the event
            if phrase.date_start is None:
                return ProposedDate(
                    words=phrase.excerpt,
                    start=None,
                    end=None,
                    precision="unknown",
                    anchor=anchor,
                    start_offset=phrase.start,
                    end_offset=phrase.end,
                    rule="clause_date_unresolved",
                )
            return ProposedDate(
                words=phrase.excerpt,
                start=phrase.date_start,
                end=phrase.date_end,
                precision=phrase.precision,
                anchor=anchor,
                start_offset=phrase.start,
                end_offset=phrase.end,
                rule="clause_date",
            )
    return ProposedDate.not_stated(anchor)


def _conflicts(clause: _Clause, findings: ActorFindings, known: Known) -> tuple[str, ...]:
    sentence = clause.sentence
    named = [c.slug for c in findings.conflicts if sentence.start <= c.start < sentence.end]
    if named:
        return tuple(dict.fromkeys(named))
    states = {
        normalise(m.actor.name)
        for m in findings.mentions_between(clause.start, clause.end)
        if findings.kind_of(m.actor) == "state"
    }
    matched = []
    places = country_by_word()
    for conflict in known.conflicts:
        for word in conflict.name.split():
            country = places.get(word)
            if country is not None and normalise(country[0].name) in states:
                matched.append(conflict.slug)
                break
    return tuple(matched)


def participant_refs(event: EventProposal) -> tuple[ActorRef, ...]:
    return tuple(p.actor for p in event.participants)
