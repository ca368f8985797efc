"""Events: triggers, clauses, roles, places and dates, on real sentences.

Quoted verbatim from the development set (tests/fixtures/articles/, URLs in each
source.json): Bloomberg 2017-03-03 (the seed article), Reuters 2014-06-10, Reuters
2014-08-26, TASS 2023-12-08, Reuters 2014-10-16 via theiranproject.com.
"""

from datetime import date
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def _events(result):
    return [(e.type, e.excerpt) for e in result.events]


def _roles(event):
    return sorted((p.actor.name, p.role) for p in event.participants)


def test_host_and_guest_and_the_place(run):
    text = "It hosted his rival, Prime Minister Fayez al-Serraj, who’s recognized by the United Nations, for talks on Thursday in Moscow as it seeks to broker a solution."
    result = run(text)
    assert [(e.type, e.excerpt, e.location) for e in result.events] == [
        ("talks", "It hosted his rival, Prime Minister Fayez al-Serraj", "Moscow"),
        ("talks", "who’s recognized by the United Nations, for talks on Thursday in Moscow", "Moscow"),
        ("other", "as it seeks to broker a solution", "Moscow"),
    ]
    assert _roles(result.events[0]) == [("Fayez al-Serraj", "guest")]


def test_a_broker_and_the_conflict_by_its_state(run):
    text = "A cease-fire brokered in December by Russia and Turkey, a key rebel backer, is holding shakily."
    (event,) = run(text).events
    assert event.type == "ceasefire"
    assert _roles(event) == [("Russia", "broker"), ("Turkey", "broker")]
    assert event.conflicts == ()


def test_two_events_in_one_sentence(run):
    text = (FIXTURES / "reuters-2014-06-10-russia-urges-immediate-ceasefire" / "article.txt").read_text()
    events = _events(run(text, date(2014, 6, 10)))
    assert ("talks", "after meeting his German and Polish counterparts") in events
    assert any(kind == "other" and "Lavrov told a news conference" in excerpt for kind, excerpt in events)


def test_a_clause_reporting_two_things_is_cut_between_them(run):
    text = "GAZA (Reuters) - Israel and the Palestinians have reached a Gaza ceasefire deal and an official announcement will be made in Egypt, where the agreement was mediated, a Gaza-based Hamas spokesman said on Tuesday."
    events = _events(run(text, date(2014, 8, 26)))
    assert events[:2] == [
        ("ceasefire", "Israel and the Palestinians have reached a Gaza ceasefire deal"),
        ("other", "an official announcement will be made in Egypt"),
    ]


def test_a_target_of_an_attack(run):
    text = "A spokesman for the Palestinian Popular Resistance Committees, a group that like Hamas has been firing rockets into Israel, said an Egyptian announcement could be made within two hours."
    attack = next(e for e in run(text, date(2014, 8, 26)).events if e.type == "military_action")
    assert ("Israel", "target") in _roles(attack)


def test_an_embedded_partial_quote_reports_an_event(run):
    text = 'Meanwhile, US Department of State Spokesperson Matthew Miller welcomed "the announcement by Armenia and Azerbaijan of the release of two Azerbaijani and thirty-two Armenian detainees."'
    assert [kind for kind, _ in _events(run(text, date(2023, 12, 8)))] == ["agreement"]


def test_a_whole_quote_is_speech_not_an_event_report(run):
    text = "“We would like to see an active U.S. role” in Syria, Russian Deputy Foreign Minister Gennady Gatilov said in an interview in Geneva."
    events = run(text).events
    assert [(e.type, e.location) for e in events] == [("interview", "Geneva")]


def test_the_date_of_the_clause_not_of_the_reporting_verb(run):
    pytest.importorskip("events.intake.dates")
    text = (FIXTURES / "reuters-2014-10-16-iran-progress-nuclear-talks" / "article.txt").read_text()
    result = run(text, date(2014, 10, 16), dates=True)
    meeting = next(e for e in result.events if e.excerpt.startswith("after a meeting on Wednesday"))
    assert (meeting.date.words, meeting.date.start, meeting.date.precision) == (
        "on Wednesday",
        date(2014, 10, 15),
        "day",
    )
    gaza = run(
        "GAZA (Reuters) - Israel and the Palestinians have reached a Gaza ceasefire deal and an official announcement will be made in Egypt, where the agreement was mediated, a Gaza-based Hamas spokesman said on Tuesday.",
        date(2014, 8, 26),
        dates=True,
    )
    assert gaza.events[0].date.words == "not stated"
