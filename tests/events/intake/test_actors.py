"""Actors: known ones linked, new ones proposed with their titles split off.

Sentences quoted verbatim from the development set (tests/fixtures/articles/, URLs in each
source.json): Reuters 2014-06-10, Reuters 2014-10-16 (via theiranproject.com), TASS
2023-12-08, Reuters 2014-08-26, ANSA 2024-06-26, The Moscow Times 2013-10-28 (colleague's
set), and the seed article (Bloomberg 2017-03-03).
"""

from datetime import date
from pathlib import Path

from events.intake.known import Known, KnownActor

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def _mentions(result):
    return [(m.excerpt, m.actor.name, m.rule) for m in result.mentions]


def _new(result, name):
    return next(a for a in result.new_actors if a.name == name)


def test_known_names_aliases_and_demonyms(run):
    text = "Kremlin spokesman Dmitry Peskov said Friday there has been “no movement” on anti-terrorism cooperation with the U.S. and no substantive contacts about Syria."
    assert _mentions(run(text)) == [
        ("Kremlin", "Russia", "known_name"),
        ("Dmitry Peskov", "Dmitry Peskov", "known_name"),
        ("U.S.", "United States", "known_name"),
        ("Syria", "Syria", "known_name"),
    ]


def test_known_names_ignore_case_and_accents():
    known = Known(actors=(KnownActor(slug="aleksandar-vucic", name="Aleksandar Vucic", kind="person"),))
    from events.intake.propose import ArticleMetadata, propose

    text = "Serbian President Aleksandar Vučić and Kosovo Prime Minister Albin Kurti are also in attendance."
    result = propose(
        text, ArticleMetadata(published_on=date(2024, 6, 26)), known, date_finder=lambda t, anchor: []
    )
    assert ("Aleksandar Vučić", "Aleksandar Vucic", "known_name") in _mentions(result)


def test_title_then_name_is_split(run):
    text = "ST PETERSBURG, Russia, June 10 (Reuters) - Russian Foreign Minister Sergei Lavrov said on Tuesday it was necessary to seek a ceasefire between government forces and separatists in Ukraine, and the start of nationwide talks on the country’s future."
    result = run(text, date(2014, 6, 10))
    lavrov = _new(result, "Sergei Lavrov")
    assert (lavrov.kind, lavrov.description, lavrov.affiliation.slug, lavrov.rule) == (
        "person",
        "Russian Foreign Minister",
        "russia",
        "title_name",
    )
    assert lavrov.excerpt == "Russian Foreign Minister Sergei Lavrov"
    # the dateline's "Russia" is a place of filing, not a mention
    assert ("Russian", "Russia", "known_demonym") in _mentions(result)
    assert [m for m in _mentions(result) if m[0] == "Russia"] == []


def test_offices_in_a_title_and_a_state_named_by_its_adjective(run):
    text = "Mohammad Javad Zarif spoke after a meeting on Wednesday with U.S. Secretary of State John Kerry and European Union foreign policy chief Catherine Ashton that lasted some six hours in the Austrian capital."
    result = run(text, date(2014, 10, 16))
    kerry, ashton = _new(result, "John Kerry"), _new(result, "Catherine Ashton")
    assert (kerry.description, kerry.affiliation.name) == ("U.S. Secretary of State", "United States")
    assert (ashton.description, ashton.affiliation.name) == (
        "European Union foreign policy chief",
        "European Union",
    )
    assert _new(result, "Mohammad Javad Zarif").rule == "speaker_name"


def test_an_organisation_keeps_its_country_and_later_short_names_link_to_it(run):
    text = (
        "WASHINGTON, December 8. /TASS/. A new round of meetings between Azerbaijani Foreign Minister Jeyhun "
        "Bayramov and Armenian Foreign Minister Ararat Mirzoyan will take place in the US capital of Washington "
        "soon, the US Department of State said in a statement.\n\n"
        'On Thursday, US Assistant Secretary for European and Eurasian Affairs James O’Brien "had a positive '
        'and constructive meeting" with Azerbaijani President Ilham Aliyev during his visit to Baku, the '
        "Department of State said.\n\n"
        'Meanwhile, US Department of State Spokesperson Matthew Miller welcomed "the announcement by Armenia '
        'and Azerbaijan of the release of two Azerbaijani and thirty-two Armenian detainees."\n'
    )
    result = run(text, date(2023, 12, 8))
    department = _new(result, "US Department of State")
    assert (department.kind, department.affiliation.name) == ("government_body", "United States")
    assert ("Department of State", "US Department of State", "name_suffix") in _mentions(result) or (
        "Department of State",
        "US Department of State",
        "organisation_name",
    ) in _mentions(result)
    # two ministers joined by "and" keep their own titles
    mirzoyan = _new(result, "Ararat Mirzoyan")
    assert (mirzoyan.description, mirzoyan.affiliation.name) == ("Armenian Foreign Minister", "Armenia")
    assert (
        _new(result, "James O’Brien").description
        == "US Assistant Secretary for European and Eurasian Affairs"
    )
    miller = _new(result, "Matthew Miller")
    assert (miller.description, miller.affiliation.name) == (
        "US Department of State Spokesperson",
        "US Department of State",
    )


def test_a_surname_links_to_the_person_named_before(run):
    text = (FIXTURES / "reuters-2014-06-10-russia-urges-immediate-ceasefire" / "article.txt").read_text()
    mentions = _mentions(run(text, date(2014, 6, 10)))
    assert ("Lavrov", "Sergei Lavrov", "surname") in mentions
    assert ("German", "Germany", "state_demonym") in mentions
    assert ("Polish", "Poland", "state_demonym") in mentions


def test_apposition_after_a_name_and_a_name_after_a_title(run):
    text = (
        "While in Asia, Stephen Biegun, the U.S. special representative for North Korea, is thought to have "
        "discussed specific disarmament steps that Pyongyang could promise at the Vietnam summit and what "
        "corresponding measures the United States is willing to take."
    )
    biegun = _new(run(text, date(2019, 2, 8)), "Stephen Biegun")
    assert (biegun.description, biegun.rule) == (
        "the U.S. special representative for North Korea",
        "appositive",
    )


def test_an_unnamed_title_in_the_lead_binds_to_the_person_named_next(run):
    text = (
        "GAZA (Reuters) - Israel and the Palestinians have reached a Gaza ceasefire deal and an official "
        "announcement will be made in Egypt, where the agreement was mediated, a Gaza-based Hamas spokesman "
        "said on Tuesday.\n\n"
        "“An agreement has been reached between the two sides and we are awaiting the announcement from Cairo "
        "to determine the zero hour for implementation,” said the spokesman, Sami Abu Zuhri.\n"
    )
    result = run(text, date(2014, 8, 26))
    zuhri = _new(result, "Sami Abu Zuhri")
    assert zuhri.kind == "person"
    assert _new(result, "Hamas").kind == "armed_group"
    lead = result.paraphrases[0]
    assert (lead.speaker.name, lead.rule) == ("Sami Abu Zuhri", "reported_speech_after")


def test_a_states_body_is_named_with_the_states_adjective(run):
    text = "Russian Foreign Minister Sergei Lavrov and Leonid Kozhara of Ukraine will meet for talks on various bilateral aspects of the two states' foreign policies, Russia's Foreign Ministry said."
    result = run(text, date(2013, 10, 28))
    ministry = _new(result, "Russian Foreign Ministry")
    assert (ministry.kind, ministry.affiliation.name, ministry.rule) == (
        "government_body",
        "Russia",
        "state_body",
    )
    kozhara = _new(result, "Leonid Kozhara")
    assert kozhara.affiliation.name == "Ukraine"


def test_a_surname_after_an_article_particle(run):
    # Al-Quds 2025, https://alquds.com/en/posts/156165
    text = (
        'Egyptian President Abdel Fattah el-Sisi said Wednesday that his country is "working tirelessly to '
        'consolidate the ceasefire in the Gaza Strip and proceed with its remaining phases," calling on "partners '
        'and friends to mobilize efforts to stop the bloodshed and restore calm and stability to the region."\n'
        'Sisi said, "I reiterate that Egypt will continue to do everything in its power to support the just '
        "Palestinian cause, and to work tirelessly to consolidate the ceasefire (in Gaza) and proceed with "
        'implementing its remaining stages."\n'
    )
    result = run(text, date(2025, 4, 2))
    assert ("Sisi", "Abdel Fattah el-Sisi", "surname") in _mentions(result)
    assert {q.speaker.name for q in result.quotes} == {"Abdel Fattah el-Sisi"}
