"""Who the article names: mentions linked to known actors, and new-actor proposals.

Known actors (plain data, `events.intake.known`) are found with spaCy's PhraseMatcher:
names and aliases with lower-case letters match ignoring case and accents ("Vucic" finds
"Vučić"); acronyms and short aliases ("U.S.", "UN") match exactly, so "us" is not the
United States. A known state is also found by its demonym and other spellings from
`events.intake.places` ("Russian" -> Russia) and, as a metonym, by its capital when that is
not a place something happens in ("Baku and Yerevan's efforts", but not "talks in Moscow").
A leading "the" of an alias is optional ("Kremlin-linked" names "the Kremlin").

Everything else named becomes a new-actor proposal, by these rules (each mention records
its rule):

- `state`: a state of the gazetteer by name, spelling or demonym ("Polish" -> Poland).
- `listed_organisation`: international organisations, news agencies and armed groups that
  wire copy names without a title (the `_LISTED` table).
- `title_name`: a title, then a name: "Russian Foreign Minister Sergei Lavrov" -> name
  "Sergei Lavrov", description "Russian Foreign Minister", affiliation Russia (the actor the
  description names, nearest the title: "US Department of State Spokesperson" -> the
  department). Also "The EU High Representative, Josep Borrell".
- `appositive`: a name, then ", a/the <description with a title>": "Stephen Biegun, the U.S.
  special representative for North Korea"; and "the spokesman, Sami Abu Zuhri".
- `speaker_name`: two to four capitalised words as the subject or object of a reporting verb
  ("Mohammad Javad Zarif spoke", "said Irina Zvyagelskaya").
- `organisation_name`: capitalised words around an organisation word ("Department of State",
  "Popular Resistance Committees"), a leading demonym read as affiliation.
- `acronym`: an unknown all-capitals word of three to six letters ("IRIB"), a guessed
  organisation (low confidence).

Later mentions link back: a person's surname (or any longer part of the name: "Chairman
Kim" -> Kim Jong Un) -> `surname`; an organisation's name without its leading words ("the
Department of State" -> US Department of State) -> `name_suffix`. An unnamed title in the
lead ("Iran's foreign minister said ...") is bound to the person the next paragraphs
introduce with the same kind of title or none (`unnamed_title`).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from events.excerpts import fold
from events.intake.known import Known
from events.intake.places import country_by_word
from events.intake.proposals import ActorMention, ActorRef, NewActorProposal
from events.intake.text import blank_english

# --------------------------------------------------------------------------- vocabularies

# Words that make a title ("Foreign Minister", "spokesman"), lower-cased.
TITLE_HEADS = frozenset(
    """president minister secretary spokesman spokeswoman spokesperson leader chief envoy
    ambassador governor commander general chancellor king queen prince emir sheikh ayatollah
    senator representative chairman chairwoman chair director head negotiator mediator adviser
    advisor official mayor premier colonel lieutenant admiral pope patriarch imam fellow analyst
    professor commissioner coordinator diplomat counterpart lawmaker legislator prosecutor judge
    officer spokesmen officials ministers secretary-general undersecretary under-secretary
    gen. lt. col. sen. rep. gov. dr. mr. mrs. ms. maj. adm. capt. sgt. prof. chairman
    vice-president deputy commissar ombudsman rapporteur""".split()
)
# Lower-case words that may sit inside a title ("European Union foreign policy chief").
TITLE_MODIFIERS = frozenset(
    """foreign policy deputy former senior top special acting defence defense interior finance
    state vice assistant chief prime military eastern western northern southern national security
    affairs press high first new then outgoing incoming powerful leading key main general
    economy energy trade justice health chief-of-staff presidential government opposition
    rebel army intelligence nuclear lead peace regional provincial local federal supreme
    executive permanent political de-facto de facto self-proclaimed exiled ousted late""".split()
)
# Capitalised words naming an office in "Secretary of State", "Assistant Secretary for
# European and Eurasian Affairs": they belong to the title, not to the name after it.
OFFICE_WORDS = frozenset(
    """State Defense Defence Foreign Affairs Interior Justice Commerce Energy Treasury Homeland
    Security Finance Economy Trade Health Education Agriculture European Eurasian Asian African
    Middle East Near Political Arms Control International Relations Cooperation Development
    Emergency Situations Internal External Public Diplomacy Information Culture Labour Labor
    Transport Environment Veterans Staff Joint Chiefs Navy Army Air Force Operations Human
    Rights Refugees Peacekeeping Disarmament Counterterrorism Iran Syria Yemen Libya Ukraine
    Afghanistan Iraq Korea North South Western Central Europe Asia Africa America Americas
    Pacific Gulf and the for of""".split()
)
ORG_WORDS = {
    # word -> kind guessed for an organisation whose name holds it
    "Ministry": "government_body",
    "Department": "government_body",
    "Office": "government_body",
    "Government": "government_body",
    "Administration": "government_body",
    "Parliament": "government_body",
    "Assembly": "government_body",
    "Senate": "government_body",
    "Congress": "government_body",
    "Cabinet": "government_body",
    "Duma": "government_body",
    "Knesset": "government_body",
    "Pentagon": "government_body",
    "Service": "government_body",
    "Guard": "government_body",
    "Forces": "government_body",
    "Army": "government_body",
    "Navy": "government_body",
    "Police": "government_body",
    "Court": "government_body",
    "Commission": "organisation",
    "Council": "organisation",
    "Committee": "organisation",
    "Committees": "armed_group",
    "Brigade": "armed_group",
    "Brigades": "armed_group",
    "Militia": "armed_group",
    "Front": "armed_group",
    "Movement": "organisation",
    "Party": "organisation",
    "Agency": "organisation",
    "Academy": "organisation",
    "Institute": "organisation",
    "University": "organisation",
    "Bank": "organisation",
    "Union": "organisation",
    "Organization": "organisation",
    "Organisation": "organisation",
    "Association": "organisation",
    "Foundation": "organisation",
    "Centre": "organisation",
    "Center": "organisation",
    "Group": "organisation",
    "Corporation": "organisation",
    "Company": "organisation",
    "News": "organisation",
    "Television": "organisation",
    "Radio": "organisation",
    "Network": "organisation",
}
# Actors wire copy names bare, with their kind. International organisations, news
# agencies and armed groups that appear in conflict coverage; kept short on purpose.
_LISTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "United Nations": ("international_organisation", ("UN", "U.N.", "the United Nations")),
    "European Union": ("international_organisation", ("EU", "E.U.", "the European Union")),
    "NATO": ("international_organisation", ("North Atlantic Treaty Organization", "Nato")),
    "OSCE": ("international_organisation", ("Organization for Security and Co-operation in Europe",)),
    "African Union": ("international_organisation", ("AU",)),
    "Arab League": ("international_organisation", ("the Arab League",)),
    "International Atomic Energy Agency": ("international_organisation", ("IAEA",)),
    "UN Security Council": ("international_organisation", ("U.N. Security Council", "Security Council")),
    "International Committee of the Red Cross": ("international_organisation", ("ICRC", "Red Cross")),
    "International Monetary Fund": ("international_organisation", ("IMF",)),
    "World Health Organization": ("international_organisation", ("WHO",)),
    "Reuters": ("organisation", ()),
    "Associated Press": ("organisation", ("the Associated Press", "AP")),
    "Agence France-Presse": ("organisation", ("AFP",)),
    "TASS": ("organisation", ()),
    "Interfax": ("organisation", ()),
    "RIA Novosti": ("organisation", ()),
    "Xinhua": ("organisation", ()),
    "IRNA": ("organisation", ()),
    "IRIB": ("organisation", ()),
    "Anadolu": ("organisation", ("Anadolu Agency",)),
    "Yonhap": ("organisation", ()),
    "KCNA": ("organisation", ()),
    "UNIAN": ("organisation", ()),
    "Ukrinform": ("organisation", ()),
    "Al Jazeera": ("organisation", ()),
    "BBC": ("organisation", ()),
    "CNN": ("organisation", ()),
    "Hamas": ("armed_group", ()),
    "Hezbollah": ("armed_group", ()),
    "Taliban": ("armed_group", ("the Taliban",)),
    "Houthis": ("armed_group", ("Houthi", "the Houthis", "Houthi rebels")),
    "al Qaeda": ("armed_group", ("al-Qaeda", "al-Qaida", "Al Qaeda", "Al-Qaeda")),
    "al-Shabaab": ("armed_group", ("al Shabaab", "Al-Shabaab")),
    "Boko Haram": ("armed_group", ()),
    "Islamic State": ("armed_group", ("ISIS", "ISIL", "Daesh", "IS")),
    "Hayat Tahrir al-Sham": ("armed_group", ("HTS",)),
    "Kurdistan Workers' Party": ("armed_group", ("PKK",)),
    "Wagner Group": ("armed_group", ("Wagner",)),
}
# Verbs that mark their subject or object as someone speaking or acting.
REPORTING_VERBS = frozenset(
    """said says say told tells added adds spoke speaks stated states announced announces noted
    warned warns urged urges wrote writes tweeted tweets insisted insists stressed stresses argued
    argues explained declared declares confirmed confirms denied denies accused accuses asked
    replied responded welcomed welcomes commended commends called calls claimed claims
    acknowledged acknowledges suggested suggests believes believed hopes hoped expects expected
    met meets visited visits signed signs hosted hosts""".split()
)
# Verbs after which one capitalised word is taken for a person's name ("Makeyev said").
_SINGLE_NAME_VERBS = frozenset(
    """said says told added adds stressed noted underlined affirmed insisted warned argued
    announced confirmed denied emphasized emphasised urged welcomed wrote tweeted replied
    asked explained declared""".split()
)
_PREPOSITIONS = frozenset(
    "with by to for of against from at in on about between among after before under over "
    "including and".split()
)
_NAME_JOINERS = frozenset("al el bin ibn de van von der da du la le ben bint".split())
_MONTHS_WEEKDAYS = frozenset(
    """January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday""".split()
)
_NOT_NAMES = frozenset(
    """I We You He She They It This That These Those There Here Today Tomorrow Yesterday Asked
    Meanwhile However Besides Also But And Or If When While Although Though After Before As
    Since Despite Still Yet Earlier Later Now Then Instead Our Their His Her Its My Your Western
    Eastern Northern Southern God Internet Twitter Facebook Telegram""".split()
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Profile:
    """What the pipeline knows of an actor while reading: its reference, kind and
    description (a title, "" when none), and where it was first named."""

    ref: ActorRef
    kind: str
    description: str
    affiliation: ActorRef | None = None


@dataclass(frozen=True)
class UnnamedTitle:
    """A title naming someone without a name ("Iran's foreign minister", "a Gaza-based Hamas
    spokesman"); `bound` is the person it turned out to be, when the article names them."""

    start: int
    end: int
    head: str
    affiliation: ActorRef | None
    bound: ActorRef | None


@dataclass(frozen=True)
class ConflictMention:
    start: int
    end: int
    slug: str


@dataclass
class ActorFindings:
    mentions: list[ActorMention] = field(default_factory=list)
    new_actors: list[NewActorProposal] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)
    unnamed: list[UnnamedTitle] = field(default_factory=list)
    conflicts: list[ConflictMention] = field(default_factory=list)

    def mentions_between(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def kind_of(self, ref: ActorRef) -> str:
        profile = self.profiles.get(ref.slug)
        return profile.kind if profile else ""


# --------------------------------------------------------------------------- matching


def normalise(words: str) -> str:
    """Lower case, no accents, straight quote marks: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", fold(words))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def set_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = normalise(token.text)
    return doc


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-") or "actor"


@dataclass(frozen=True)
class _Entry:
    """What a matcher label stands for."""

    kind: str  # "known", "country", "listed", "conflict"
    key: str  # known slug / country name / listed name / conflict slug
    form: str  # "name", "demonym", "capital"


class _Matchers:
    """PhraseMatchers for one set of known actors and conflicts, built once and reused."""

    def __init__(self, known: Known) -> None:
        nlp = blank_english()
        self.by_norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self.by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, _Entry] = {}
        self.known = {actor.slug: actor for actor in known.actors}
        taken: set[str] = set()  # normalised forms already claimed by a known actor
        countries = country_by_word()
        known_country: dict[str, str] = {}  # country name -> known slug
        for actor in known.actors:
            forms = self._forms(actor.name, actor.aliases)
            for form in forms:
                self._add(form, _Entry("known", actor.slug, "name"))
                taken.add(normalise(form))
            if actor.kind == "state":
                for form in forms:
                    if form in countries:
                        known_country[countries[form][0].name] = actor.slug
        for word, (country, which) in countries.items():
            if normalise(word) in taken:
                continue
            slug = known_country.get(country.name)
            entry = _Entry("known", slug, which) if slug else _Entry("country", country.name, which)
            self._add(word, entry, exact=True)
            taken.add(normalise(word))
        for name, (_, aliases) in _LISTED.items():
            for form in (name, *aliases):
                if normalise(form) not in taken:
                    self._add(form, _Entry("listed", name, "name"), exact=form.isupper() or len(form) <= 4)
        for conflict in known.conflicts:
            for form in (conflict.name, *conflict.aliases):
                self._add(form, _Entry("conflict", conflict.slug, "name"))

    @staticmethod
    def _forms(name: str, aliases: Sequence[str]) -> list[str]:
        forms: list[str] = []
        for form in (name, *aliases):
            form = form.strip()
            if not form:
                continue
            forms.append(form)
            if form.lower().startswith("the ") and form[4:5].isupper():
                forms.append(form[4:])
        return list(dict.fromkeys(forms))

    def _add(self, form: str, entry: _Entry, *, exact: bool = False) -> None:
        label = f"{entry.kind}|{entry.key}|{entry.form}"
        self.entries[label] = entry
        nlp = blank_english()
        pattern = nlp.make_doc(form)
        # Case matters for acronyms and short names ("US" is not "us"); otherwise case and
        # accents are ignored.
        if exact or form.isupper() or len(form) <= 3 or "." in form.replace(". ", ""):
            self.by_orth.add(label, [pattern])
        else:
            self.by_norm.add(label, [set_norms(pattern)])


@functools.lru_cache(maxsize=8)
def matchers_for(known: Known) -> _Matchers:
    return _Matchers(known)


# --------------------------------------------------------------------------- the step


def find_actors(
    doc: Doc,
    *,
    body: Sequence[tuple[int, int]],
    known: Known,
    paragraph_starts: Sequence[int] = (),
) -> ActorFindings:
    """Mentions and new actors in the `body` regions of `doc` (a Doc of the whole text)."""
    matchers = matchers_for(known)
    set_norms(doc)
    in_body = _body_test(body)
    findings = ActorFindings()
    builder = _Builder(doc, findings, matchers)

    spans = [
        Span(doc, start, end, label=label)
        for matcher in (matchers.by_norm, matchers.by_orth)
        for label, start, end in ((doc.vocab.strings[m], s, e) for m, s, e in matcher(doc))
    ]
    spans = [s for s in filter_spans(spans) if in_body(s.start_char) and in_body(s.end_char - 1)]
    covered: set[int] = set()
    for span in spans:
        entry = matchers.entries[span.label_]
        if entry.kind == "conflict":
            findings.conflicts.append(ConflictMention(span.start_char, span.end_char, entry.key))
            continue
        if entry.form == "capital" and _is_place_use(doc, span):
            continue
        covered.update(range(span.start, span.end))
        builder.matched(span, entry)

    _find_people_and_organisations(doc, in_body, covered, builder)
    builder.link_later_mentions(in_body, covered)
    builder.bind_unnamed(paragraph_starts)
    findings.mentions.sort(key=lambda m: (m.start, -m.end))
    return findings


def _body_test(body: Sequence[tuple[int, int]]):
    """A test of whether an offset lies in the body (regions sorted, found by bisection)."""
    ordered = sorted(body)
    starts = [start for start, _ in ordered]

    def inside(position: int) -> bool:
        k = bisect.bisect_right(starts, position) - 1
        return k >= 0 and position < ordered[k][1]

    return inside


def _is_place_use(doc: Doc, span: Span) -> bool:
    """ "in Moscow", "to Baku", "visit to Washington": a place, not the government there."""
    previous = doc[span.start - 1].lower_ if span.start > 0 else ""
    return previous in {
        "in",
        "at",
        "to",
        "near",
        "outside",
        "into",
        "inside",
        "across",
        "of",
        "via",
        "toward",
        "towards",
    }


class _Builder:
    """Collects mentions and new actors, deduplicating new actors by normalised name."""

    def __init__(self, doc: Doc, findings: ActorFindings, matchers: _Matchers) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string from its tokens: read it once
        self.findings = findings
        self.matchers = matchers
        self.new_by_key: dict[str, int] = {}
        for actor in matchers.known.values():
            ref = ActorRef(slug=actor.slug, name=actor.name, new=False)
            findings.profiles[actor.slug] = Profile(
                ref=ref,
                kind=actor.kind,
                description=actor.description,
                affiliation=self._known_ref(actor.affiliation),
            )

    def _known_ref(self, slug: str | None) -> ActorRef | None:
        if slug and slug in self.matchers.known:
            return ActorRef(slug=slug, name=self.matchers.known[slug].name)
        return None

    # ---- mentions

    def mention(self, start: int, end: int, ref: ActorRef, rule: str, confidence: float) -> None:
        text = self.text
        self.findings.mentions.append(
            ActorMention(
                start=start, end=end, excerpt=text[start:end], actor=ref, rule=rule, confidence=confidence
            )
        )

    def matched(self, span: Span, entry: _Entry) -> None:
        if entry.kind == "known":
            actor = self.matchers.known[entry.key]
            ref = ActorRef(slug=actor.slug, name=actor.name)
            rule = {"name": "known_name", "demonym": "known_demonym", "capital": "known_capital"}[entry.form]
            confidence = {"name": 0.95, "demonym": 0.8, "capital": 0.6}[entry.form]
            self.mention(span.start_char, span.end_char, ref, rule, confidence)
            return
        if entry.kind == "country":
            ref = self.new_actor(
                name=entry.key,
                kind="state",
                description="",
                affiliation=None,
                span=(span.start_char, span.end_char),
                rule="state",
                confidence=0.85 if entry.form == "name" else 0.7,
            )
            rule = {"name": "state", "demonym": "state_demonym", "capital": "state_capital"}[entry.form]
            self.mention(span.start_char, span.end_char, ref, rule, 0.85 if entry.form == "name" else 0.65)
            return
        kind = _LISTED[entry.key][0]
        ref = self.new_actor(
            name=entry.key,
            kind=kind,
            description="",
            affiliation=None,
            span=(span.start_char, span.end_char),
            rule="listed_organisation",
            confidence=0.85,
        )
        self.mention(span.start_char, span.end_char, ref, "listed_organisation", 0.85)

    # ---- new actors

    def new_actor(
        self,
        *,
        name: str,
        kind: str,
        description: str,
        affiliation: ActorRef | None,
        span: tuple[int, int],
        rule: str,
        confidence: float,
    ) -> ActorRef:
        key = normalise(name)
        if key in self.new_by_key:
            index = self.new_by_key[key]
            existing = self.findings.new_actors[index]
            if (description and not existing.description) or (affiliation and not existing.affiliation):
                self.findings.new_actors[index] = NewActorProposal(
                    **{
                        **existing.__dict__,
                        "description": existing.description or description,
                        "affiliation": existing.affiliation or affiliation,
                    }
                )
                self._profile(self.findings.new_actors[index])
            existing = self.findings.new_actors[index]
            return ActorRef(slug=existing.slug, name=existing.name, new=True)
        slug = slugify(name)
        taken = {a.slug for a in self.findings.new_actors} | set(self.matchers.known)
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        start, end = span
        proposal = NewActorProposal(
            slug=slug,
            name=name,
            kind=kind,
            description=description,
            affiliation=affiliation,
            start=start,
            end=end,
            excerpt=self.text[start:end],
            rule=rule,
            confidence=confidence,
        )
        self.new_by_key[key] = len(self.findings.new_actors)
        self.findings.new_actors.append(proposal)
        self._profile(proposal)
        return ActorRef(slug=slug, name=name, new=True)

    def _profile(self, proposal: NewActorProposal) -> None:
        self.findings.profiles[proposal.slug] = Profile(
            ref=ActorRef(slug=proposal.slug, name=proposal.name, new=True),
            kind=proposal.kind,
            description=proposal.description,
            affiliation=proposal.affiliation,
        )

    def refs_by_kind(self, kind: str) -> list[ActorRef]:
        return [p.ref for p in self.findings.profiles.values() if p.kind == kind]

    def affiliation_within(self, start: int, end: int) -> ActorRef | None:
        """The actor named inside a description, nearest its end (its title)."""
        inside = [m for m in self.findings.mentions if start <= m.start and m.end <= end]
        if not inside:
            return None
        inside.sort(key=lambda m: (m.end, m.end - m.start))
        return inside[-1].actor

    # ---- second pass

    def link_later_mentions(self, in_body, covered: set[int]) -> None:
        """Surnames of people and shortened names of organisations proposed or known."""
        doc = self.doc
        people: dict[str, ActorRef] = {}
        for profile in self.findings.profiles.values():
            if profile.kind != "person":
                continue
            words = re.split(r"\s+", profile.ref.name)
            parts = [p for p in words if len(p) >= 3 and p[0].isupper()]
            for part in parts:
                people.setdefault(part, profile.ref)
            if parts:
                people[parts[-1]] = profile.ref  # the surname wins over a shared given name
            # "el-Sisi" is "Sisi" too, "al-Serraj" "Serraj"
            particle = re.match(r"(?i)(?:al|el|ad|as|an|ash|at|az)-(\w{3,})$", words[-1]) if words else None
            if particle:
                people[particle.group(1)[0].upper() + particle.group(1)[1:]] = profile.ref
        organisations = [
            p.ref
            for p in self.findings.profiles.values()
            if p.kind not in ("person", "state") and " " in p.ref.name
        ]
        first_seen: dict[str, int] = {}
        for m in self.findings.mentions:
            first_seen[m.actor.slug] = min(m.start, first_seen.get(m.actor.slug, m.start))
        i = 0
        while i < len(doc):
            token = doc[i]
            if i in covered or not in_body(token.idx) or not token.text[:1].isupper():
                i += 1
                continue
            ref = people.get(token.text)
            if (
                ref is not None
                and token.idx > first_seen.get(ref.slug, 10**9) - 1
                and not _in_longer_name(doc, i, covered)
            ):
                self.mention(token.idx, token.idx + len(token.text), ref, "surname", 0.8)
                covered.add(i)
                i += 1
                continue
            matched = False
            for ref in organisations:
                words = ref.name.split()
                for cut in range(1, len(words)):
                    tail = words[cut:]
                    if len(tail) < 2 or tail[0][0].islower():
                        continue
                    if [t.text for t in doc[i : i + len(tail)]] == tail and not any(
                        j in covered for j in range(i, i + len(tail))
                    ):
                        end_token = doc[i + len(tail) - 1]
                        self.mention(token.idx, end_token.idx + len(end_token.text), ref, "name_suffix", 0.7)
                        covered.update(range(i, i + len(tail)))
                        i += len(tail)
                        matched = True
                        break
                if matched:
                    break
            if not matched:
                i += 1

    def bind_unnamed(self, paragraph_starts: Sequence[int]) -> None:
        """An unnamed title ("Iran's foreign minister") is bound to the next person named
        after it without a title of their own or with the same head word, within the next
        three paragraphs: wire copy names a little later whom the lead described."""
        bound: list[UnnamedTitle] = []
        people = [
            (m.start, m.actor)
            for m in self.findings.mentions
            if self.findings.profiles.get(m.actor.slug)
            and self.findings.profiles[m.actor.slug].kind == "person"
        ]
        for unnamed in self.findings.unnamed:
            limit = _paragraph_limit(paragraph_starts, unnamed.end, 3)
            match = None
            for start, ref in sorted(people):
                if start <= unnamed.end or start >= limit:
                    continue
                profile = self.findings.profiles[ref.slug]
                head = profile.description.split()[-1].lower() if profile.description else ""
                if not profile.description or head == unnamed.head:
                    match = ref
                    break
            bound.append(UnnamedTitle(unnamed.start, unnamed.end, unnamed.head, unnamed.affiliation, match))
            if match is not None and match.new:
                index = next(i for i, a in enumerate(self.findings.new_actors) if a.slug == match.slug)
                actor = self.findings.new_actors[index]
                if not actor.description:
                    description = _strip_article(self.text[unnamed.start : unnamed.end])
                    self.findings.new_actors[index] = NewActorProposal(
                        **{
                            **actor.__dict__,
                            "description": description,
                            "affiliation": actor.affiliation or unnamed.affiliation,
                        }
                    )
                    self._profile(self.findings.new_actors[index])
        self.findings.unnamed = bound


def _paragraph_limit(paragraph_starts: Sequence[int], position: int, count: int) -> int:
    later = [p for p in paragraph_starts if p > position]
    return later[count - 1] if len(later) >= count else 10**12


def _in_longer_name(doc: Doc, i: int, covered: set[int]) -> bool:
    """A surname inside another full name ("Kim Jong Un" vs a "Kim" elsewhere) is not a link."""
    before = doc[i - 1] if i > 0 else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    return any(
        t is not None and _name_token(t) and t.i not in covered and t.text not in _NOT_NAMES
        for t in (before, after)
    ) and not (before is not None and before.lower_.rstrip(".") in TITLE_HEADS)


def _strip_article(words: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", words.strip(), flags=re.IGNORECASE)


# --------------------------------------------------------------------------- names and titles


def _name_token(token: Token) -> bool:
    text = token.text
    if not text[:1].isupper() or text in _MONTHS_WEEKDAYS or text in _NOT_NAMES:
        return False
    if text.lower().rstrip(".") in TITLE_HEADS or text in ORG_WORDS:
        return False
    return any(c.islower() for c in text) or (len(text) == 2 and text.endswith("."))


def _is_title_word(token: Token) -> bool:
    return token.lower_ in TITLE_HEADS or token.lower_.rstrip(".") + "." in TITLE_HEADS


def _name_run(doc: Doc, i: int, covered: set[int], limit: int = 4) -> int:
    """End (exclusive) of the person's name starting at token i, or i when none: capitalised
    words, "al-", "bin" and hyphens between them; at most `limit` words."""
    j, words = i, 0
    while j < len(doc) and words < limit:
        token = doc[j]
        if j in covered:
            break
        if _name_token(token):
            words += 1
            j += 1
            # hyphenated parts and joiners: "al-Serraj", "Frank-Walter", "bin Salman"
            while (
                j + 1 < len(doc)
                and doc[j].text == "-"
                and not doc[j - 1].whitespace_
                and not doc[j].whitespace_
                and doc[j + 1].text[:1].isupper()
            ):
                j += 2
            continue
        if (
            token.lower_ in _NAME_JOINERS
            and j + 1 < len(doc)
            and (doc[j + 1].text == "-" or _name_token(doc[j + 1]))
            and words > 0
            or token.lower_ in _NAME_JOINERS
            and j + 2 < len(doc)
            and doc[j + 1].text == "-"
            and not token.whitespace_
        ):
            j += 1
            if doc[j].text == "-":
                j += 1
            continue
        break
    return j if words else i


def _description_start(
    doc: Doc, head: int, sentence_start: int, covered_known: set[int], covered_names: set[int] = frozenset()
) -> int:
    """First token of the title ending at `head`: capitalised words, title words, "’s", "of"
    and "for" inside it; never a determiner."""
    i = head
    while i - 1 >= sentence_start:
        token = doc[i - 1]
        text = token.text
        if token.lower_ in ("the", "a", "an", "his", "her", "its", "their", "our", "whose"):
            break
        if text in ("’s", "'s"):
            i -= 1
            continue
        if text == "-" and not token.whitespace_ and i - 2 >= sentence_start and not doc[i - 2].whitespace_:
            i -= 1
            continue
        if token.lower_ in ("of", "for") and i - 2 >= sentence_start and doc[i - 2].text[:1].isupper():
            i -= 1
            continue
        if i - 1 in covered_names:
            break
        if token.lower_ in TITLE_MODIFIERS or _is_title_word(token):
            i -= 1
            continue
        if (
            text[:1].isupper()
            and text not in _NOT_NAMES
            and not token.is_punct
            and text not in _MONTHS_WEEKDAYS
        ):
            if _stopword(token) and (i - 1) not in covered_known:
                break
            i -= 1
            continue
        if (
            token.lower_.endswith("-based")
            or token.lower_.endswith("-backed")
            or token.lower_ in ("based", "backed", "linked")
        ):
            i -= 1
            continue
        break
    # a description does not start with connectors
    while i < head and doc[i].lower_ in ("of", "for", "and", "-", "’s", "'s"):
        i += 1
    return i


def _office_end(doc: Doc, i: int) -> int:
    """Past "of State", "for European and Eurasian Affairs", "of Foreign Affairs of Ukraine"
    after a title head."""
    states = country_by_word()
    while i < len(doc) and doc[i].lower_ in ("of", "for") and i + 1 < len(doc):
        following = doc[i + 1]
        if following.text in states and i + 2 < len(doc) and doc[i + 2].text[:1].isupper():
            i += 2  # "... of Ukraine Dmytro Kuleba": the state is part of the title
            continue
        if following.text not in OFFICE_WORDS:
            break
        j = i + 1
        while j < len(doc) and doc[j].text in OFFICE_WORDS and doc[j].lower_ not in ("of", "for"):
            j += 1
            if (
                j < len(doc)
                and doc[j].lower_ in ("and", "the")
                and j + 1 < len(doc)
                and doc[j + 1].text in OFFICE_WORDS
            ):
                j += 1
        i = j
    return i


def _find_people_and_organisations(doc: Doc, in_body, covered: set[int], builder: _Builder) -> None:
    text = builder.text
    sentence_start = 0
    known_covered = set(covered)
    names_covered: set[int] = set()
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.text in (".", "!", "?") or "\n" in token.text or "\n" in token.whitespace_:
            sentence_start = i + 1
        if not in_body(token.idx) or i in covered:
            i += 1
            continue

        # ---- a title, then a name ("Russian Foreign Minister Sergei Lavrov")
        if _is_title_word(token):
            # the head is the last title word of a run ("Prime Minister", "Deputy Foreign Minister")
            head = i
            while (
                head + 1 < len(doc)
                and (_is_title_word(doc[head + 1]) or doc[head + 1].lower_ in TITLE_MODIFIERS)
                and head + 1 not in covered
            ):
                head += 1
            if not _is_title_word(doc[head]):
                head = i
            after = _office_end(doc, head + 1)
            comma_name = after < len(doc) and doc[after].text == ","
            name_at = after + 1 if comma_name else after
            name_end = _name_run(doc, name_at, covered)
            single_ok = doc[head].text[:1].isupper() or doc[head].lower_.endswith(".")
            if name_end > name_at and (name_end - name_at >= 2 or single_ok or comma_name):
                if comma_name and not (
                    name_end < len(doc) and doc[name_end].text in (",", ".", ";") or name_end >= len(doc)
                ):
                    name_end = name_at  # "the minister, Russia ..." is not an apposition
            if name_end > name_at and (name_end - name_at >= 2 or single_ok):
                start = _description_start(doc, i, sentence_start, known_covered, names_covered)
                description = (
                    text[doc[start].idx : doc[after - 1].idx + len(doc[after - 1].text)]
                    if after > start
                    else ""
                )
                description = _strip_article(description)
                affiliation = builder.affiliation_within(
                    doc[start].idx, doc[after - 1].idx + len(doc[after - 1].text)
                )
                name = _span_text(doc, name_at, name_end)
                existing = _existing_person(builder, name)
                span = (doc[start].idx, _end_char(doc, name_end))
                if existing is not None:
                    builder.mention(doc[name_at].idx, _end_char(doc, name_end), existing, "surname", 0.8)
                else:
                    ref = builder.new_actor(
                        name=name,
                        kind="person",
                        description=description,
                        affiliation=affiliation,
                        span=span,
                        rule="title_name",
                        confidence=0.85 if name_end - name_at >= 2 else 0.6,
                    )
                    builder.mention(doc[name_at].idx, _end_char(doc, name_end), ref, "title_name", 0.85)
                covered.update(range(name_at, name_end))
                names_covered.update(range(name_at, name_end))
                i = name_end
                continue
            # a title alone: an unnamed person ("Iran’s foreign minister", "a Hamas spokesman")
            start = _description_start(doc, i, sentence_start, known_covered)
            words = text[doc[start].idx : _end_char(doc, head + 1)]
            determiner = doc[start - 1].lower_ if start > 0 else ""
            if start < head or determiner in ("a", "an"):
                affiliation = builder.affiliation_within(doc[start].idx, _end_char(doc, head + 1))
                if affiliation is not None or determiner in ("a", "an"):
                    begin = doc[start - 1].idx if determiner in ("a", "an") else doc[start].idx
                    builder.findings.unnamed.append(
                        UnnamedTitle(begin, _end_char(doc, head + 1), doc[head].lower_, affiliation, None)
                    )
            del words
            i = head + 1
            continue

        # ---- "Russia's Foreign Ministry": a state's body, named with the state's adjective
        if token.text in ("’s", "'s") and i > 0 and i + 1 < len(doc) and in_body(doc[i + 1].idx):
            owner = [m for m in builder.findings.mentions if m.end == token.idx]
            org_end, org_kind = _organisation_run(doc, i + 1, covered)
            if owner and org_end > i + 1 and builder.findings.profiles[owner[0].actor.slug].kind == "state":
                state = owner[0].actor
                demonym = _demonym(state.name)
                rest = _span_text(doc, i + 1, org_end)
                name = f"{demonym} {rest}" if demonym else f"{state.name} {rest}"
                ref = _existing_by_name(builder, name) or builder.new_actor(
                    name=name,
                    kind=org_kind,
                    description="",
                    affiliation=state,
                    span=(owner[0].start, _end_char(doc, org_end)),
                    rule="state_body",
                    confidence=0.6,
                )
                builder.mention(owner[0].start, _end_char(doc, org_end), ref, "state_body", 0.6)
                covered.update(range(i + 1, org_end))
                i = org_end
                continue

        # ---- organisations: capitalised words around an organisation word
        if token.text[:1].isupper() and not _stopword(token) or token.text in ORG_WORDS:
            org_end, org_kind = _organisation_run(doc, i, covered)
            if org_end > i:
                start = i
                # a state's name right before belongs to the name ("US Department of State")
                if (
                    i > 0
                    and i - 1 in covered
                    and not doc[i - 1].whitespace_ == ""
                    and doc[i - 1].text in ("US", "U.S.", "UN", "U.N.", "EU", "UK")
                ):
                    i = start = i - 1
                # a leading demonym or state is an affiliation, not the name ("Palestinian
                # Popular Resistance Committees"); "US Department of State" keeps its "US".
                lead = [m for m in builder.findings.mentions if m.start == doc[i].idx]
                affiliation = lead[0].actor if lead else None
                if (
                    lead
                    and builder.findings.profiles[lead[0].actor.slug].kind == "state"
                    and doc[i].text not in ("US", "U.S.", "UN", "U.N.", "EU", "UK")
                ):
                    start = i + 1 if i + 1 < org_end else i
                if (
                    start < org_end
                    and org_end - start >= 1
                    and not (org_end - start == 1 and doc[start].text in ORG_WORDS)
                ):
                    name = _span_text(doc, start, org_end)
                    existing = _existing_by_name(builder, name)
                    ref = existing or builder.new_actor(
                        name=name,
                        kind=org_kind,
                        description="",
                        affiliation=affiliation,
                        span=(doc[i].idx, _end_char(doc, org_end)),
                        rule="organisation_name",
                        confidence=0.6,
                    )
                    builder.mention(doc[start].idx, _end_char(doc, org_end), ref, "organisation_name", 0.6)
                    covered.update(range(start, org_end))
                    i = org_end
                    continue

        # ---- a person named beside a reporting verb, or with an apposition
        if _name_token(token) and (i == 0 or not _name_token(doc[i - 1]) or i - 1 in covered):
            end = _name_run(doc, i, covered)
            words = end - i
            office = all(t.text in OFFICE_WORDS or t.text in ORG_WORDS for t in doc[i:end])
            single_speaker = (
                words == 1
                and end < len(doc)
                and doc[end].lower_ in _SINGLE_NAME_VERBS
                and len(token.text) > 3
                and not _is_country_run(doc, i, end)
                and not (i > 0 and doc[i - 1].text in ("’s", "'s"))
            )
            if (2 <= words <= 4 or single_speaker) and not office and not _is_country_run(doc, i, end):
                rule, description, affiliation, span_end = _person_context(doc, i, end, builder)
                if rule:
                    name = _span_text(doc, i, end)
                    existing = _existing_person(builder, name)
                    if existing is not None:
                        builder.mention(token.idx, _end_char(doc, end), existing, "surname", 0.8)
                    else:
                        ref = builder.new_actor(
                            name=name,
                            kind="person",
                            description=description,
                            affiliation=affiliation,
                            span=(token.idx, span_end),
                            rule=rule,
                            confidence=0.7,
                        )
                        builder.mention(token.idx, _end_char(doc, end), ref, rule, 0.7)
                    covered.update(range(i, end))
                    i = end
                    continue

        # ---- an unknown acronym
        if token.is_upper and 3 <= len(token.text) <= 6 and token.text.isalpha() and not token.is_stop:
            ref = builder.new_actor(
                name=token.text,
                kind="organisation",
                description="",
                affiliation=None,
                span=(token.idx, token.idx + len(token.text)),
                rule="acronym",
                confidence=0.4,
            )
            builder.mention(token.idx, token.idx + len(token.text), ref, "acronym", 0.4)
            covered.add(i)
        i += 1


def _demonym(state: str) -> str:
    for word, (country, which) in country_by_word().items():
        if which == "demonym" and (country.name == state or state in country.spellings):
            return word
    return ""


def _stopword(token: Token) -> bool:
    """A stop word, but not an acronym that spells one ("US")."""
    return token.is_stop and not (token.is_upper and len(token.text) > 1)


def _end_char(doc: Doc, end: int) -> int:
    last = doc[end - 1]
    return last.idx + len(last.text)


def _span_text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text


def _existing_person(builder: _Builder, name: str) -> ActorRef | None:
    """A person already known or proposed whose name is this one or contains it as words."""
    key = _name_words(name)
    for profile in builder.findings.profiles.values():
        if profile.kind != "person":
            continue
        words = _name_words(profile.ref.name)
        if key == words or (len(key) < len(words) and _is_sublist(key, words)):
            return profile.ref
    return None


def _name_words(name: str) -> list[str]:
    """A name's words for comparison: normalised, and "el-Sisi" as "sisi"."""
    return [re.sub(r"^(?:al|el|ad|as|an|ash|at|az)-", "", word) for word in normalise(name).split()]


def _existing_by_name(builder: _Builder, name: str) -> ActorRef | None:
    key = normalise(name)
    for profile in builder.findings.profiles.values():
        if normalise(profile.ref.name) == key or normalise(profile.ref.name).endswith(" " + key):
            return profile.ref
    return None


def _is_sublist(part: list[str], whole: list[str]) -> bool:
    return any(whole[k : k + len(part)] == part for k in range(len(whole) - len(part) + 1))


def _is_country_run(doc: Doc, start: int, end: int) -> bool:
    words = country_by_word()
    return any(t.text in words for t in doc[start:end])


def _organisation_run(doc: Doc, i: int, covered: set[int]) -> tuple[int, str]:
    """End of an organisation's name starting at token i and its guessed kind, or (i, "")."""
    j = i
    kind = ""
    last_org = -1
    while j < len(doc):
        token = doc[j]
        if j in covered and j != i:
            # a known name inside ("Russian Academy of Sciences") ends it unless an org word follows
            pass
        if token.text in ORG_WORDS:
            kind = ORG_WORDS[token.text]
            last_org = j
            j += 1
            continue
        if (
            token.text[:1].isupper()
            and not token.is_punct
            and token.text not in _NOT_NAMES
            and token.text not in _MONTHS_WEEKDAYS
            and not _is_title_word(token)
        ):
            if _stopword(token):
                break
            j += 1
            continue
        if (
            token.lower_ in ("of", "for", "and", "the")
            and j + 1 < len(doc)
            and doc[j + 1].text[:1].isupper()
            and j > i
        ):
            if doc[j + 1].text in _MONTHS_WEEKDAYS:
                break
            j += 1
            continue
        if token.text in ("’s", "'s") and j > i and j + 1 < len(doc) and doc[j + 1].text[:1].isupper():
            j += 1
            continue
        break
    if last_org < 0:
        return i, ""
    # the name ends with its last capitalised word after the organisation word, but a
    # trailing connector is dropped
    end = j
    while end > last_org + 1 and doc[end - 1].lower_ in ("of", "for", "and", "the", "’s", "'s"):
        end -= 1
    # words after the organisation word must be its complement ("of State"), not a new name
    if end > last_org + 1 and doc[last_org + 1].lower_ not in ("of", "for"):
        end = last_org + 1
    if any(doc[k].text in ("’s", "'s") for k in range(i, end)):
        return i, ""
    return end, kind


def _person_context(doc: Doc, i: int, end: int, builder: _Builder) -> tuple[str, str, ActorRef | None, int]:
    """Why the capitalised words i..end are a person: a reporting verb before or after, an
    apposition with a title, or "of <state>". Returns (rule, description, affiliation, end char)."""
    end_char = _end_char(doc, end)
    after = doc[end] if end < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    # "Stephen Biegun, the U.S. special representative for North Korea,"
    if (
        after is not None
        and after.text == ","
        and end + 1 < len(doc)
        and doc[end + 1].lower_ in ("a", "the", "an")
    ):
        k = end + 2
        stop = k
        has_title = False
        while (
            stop < len(doc)
            and stop < k + 14
            and doc[stop].text not in (",", ".", ";", "—", "–", "(", "“", '"')
            and "\n" not in doc[stop].whitespace_
        ):
            if _is_title_word(doc[stop]):
                has_title = True
            stop += 1
        if has_title:
            start_char = doc[end + 1].idx
            stop_char = _end_char(doc, stop)
            affiliation = builder.affiliation_within(start_char, stop_char)
            return "appositive", builder.text[start_char:stop_char], affiliation, stop_char
    if after is not None and after.lower_ in _SINGLE_NAME_VERBS:
        return "speaker_name", "", None, end_char
    if after is not None and after.lower_ in REPORTING_VERBS | {
        "spoke",
        "had",
        "has",
        "is",
        "was",
        "will",
        "would",
    }:
        if after.lower_ in REPORTING_VERBS or after.lower_ == "spoke":
            return "speaker_name", "", None, end_char
    if before is not None and before.lower_ in ("said", "says", "told", "added", "according"):
        return "speaker_name", "", None, end_char
    if before is not None and before.lower_ == "to" and i >= 2 and doc[i - 2].lower_ == "according":
        return "speaker_name", "", None, end_char
    if (
        after is not None
        and after.lower_ == "of"
        and end + 1 < len(doc)
        and doc[end + 1].text in country_by_word()
    ):
        country_mentions = [m for m in builder.findings.mentions if m.start == doc[end + 1].idx]
        return "speaker_name", "", country_mentions[0].actor if country_mentions else None, end_char
    return "", "", None, end_char
