"""Page furniture, one rule at a time, on lines copied from real pages.

Sources (tests/fixtures/articles/ holds each page): Reuters 2014-06-10 and 2014-08-26
(reuters.com), The Iran Project's copy of Reuters 2014-10-16 (theiranproject.com), AP
2019-02-08 as printed by The Western Journal (westernjournal.com), TASS 2023-12-08
(tass.com/world/1717847), ANSA 2024-06-26 (ansa.it), Bloomberg 2017-03-03 (the seed
article). URLs in each folder's source.json.
"""

from pathlib import Path

import pytest

from events.intake.furniture import find_furniture
from events.intake.text import split_lines

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


def _rules(text, **kwargs):
    return [(text[f.start : f.end], f.rule) for f in find_furniture(split_lines(text), **kwargs)]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("June 10, 2014 / 11:56 AM / 3 years ago", "page_date"),
        ("Reuters Staff", "byline"),
        ("By AP Reports", "byline"),
        ("Redazione Ansa", "byline"),
        ("1 Min Read", "read_time"),
        ("Reporting by Nidal al-Mughrabi; Editing by Jeffrey Heller", "credit_line"),
        ("— With assistance by Stepan Kravchenko", "credit_line"),
        ("Published at 5:57pm", "page_stamp"),
        ("Modified February 8, 2019 at 6:01pm", "page_stamp"),
        ("#World News", "section_tag"),
        ("Read more on the site →", "link_text"),
        ("Leggi l'articolo completo su", "link_text"),
        ("LEARN MORE", "link_text"),
        ("The Iran Project is not responsible for the content of quoted articles.", "disclaimer"),
        ("Before it's here, it's on the Bloomberg Terminal.", "disclaimer"),
        ("• U.S. seen reluctant as Russia seeks anti-terrorism alliance", "bullet"),
        (
            "Azerbaijani Central Bank Governor and Energy Minister will also visit Washington",
            "no_sentence_end",
        ),
        ("Needs U.S.", "crosshead"),
        (
            "Palestinians watch the funeral of two Hamas militants, who were killed by an Israeli air strike, "
            "during their funeral in Gaza City August 26, 2014. REUTERS/Suhaib Salem",
            "photo_credit",
        ),
    ],
)
def test_each_rule_on_a_real_line(line, rule):
    assert _rules(line) == [(line, rule)]


def test_the_headline_is_furniture_by_the_title_and_when_printed_twice():
    text = (
        "Yemen talks make no progress without Houthis, minister says\n#World News\n\n"
        "Yemen talks make no progress without Houthis, minister says\n"
    )
    assert [rule for _, rule in _rules(text)] == ["headline", "section_tag", "headline"]
    assert _rules(
        "Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
        title="Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks",
    ) == [("Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks", "headline")]


def test_editor_lines_are_furniture_whatever_they_say():
    line = "The Syrian Catastrophe Explained"
    assert _rules(line, editor_lines=[line]) == [(line, "editor")]


def test_body_paragraphs_are_not_furniture():
    text = (
        "GAZA (Reuters) - Israel and the Palestinians have reached a Gaza ceasefire deal and an official "
        "announcement will be made in Egypt, where the agreement was mediated, a Gaza-based Hamas spokesman "
        "said on Tuesday.\n\n"
        "“An agreement has been reached between the two sides and we are awaiting the announcement from "
        "Cairo to determine the zero hour for implementation,” said the spokesman, Sami Abu Zuhri.\n"
    )
    assert _rules(text) == []


def test_a_credit_inside_the_last_body_line():
    # the whole last paragraph of Reuters 2014-06-10, as printed
    text = (
        (FIXTURES / "reuters-2014-06-10-russia-urges-immediate-ceasefire" / "article.txt")
        .read_text()
        .splitlines()[-1]
    )
    assert text.startswith("“We are convinced")
    assert _rules(text) == [
        (
            "(Reporting by Gabriela Baczynska; Writing by Steve Gutterman, editing by Elizabeth Piper)",
            "inline_credit",
        )
    ]


def test_a_standfirst_only_between_the_headline_and_the_body():
    # Politico 2020-03-05 (the development set): a short sentence under the headline
    text = (FIXTURES / "politico-2020-03-05-russia-turkey-idlib-ceasefire" / "article.txt").read_text()
    assert ("Putin and Erdoğan make announcement after Moscow talks.", "standfirst") in _rules(text)
    # AP, 2019-03-12 (https://www.insider.com/the-latest-longest-round-of-afghan-peace-talks-concludes-2019-3):
    # a repeated "Advertisement" line in the body is no headline to stand under
    body = (
        'U.S. peace envoy Zalmay Khalilzad tweeted Tuesday night that "conditions for peace have improved."\n\n'
        "Advertisement\n\n"
        'The Taliban in a statement said "the conditions for #peace have improved."\n\n'
        'Khalilzad said the two sides made two "draft agreements" on troop withdrawal and "counterterrorism '
        "assurances.\" He said he'd travel to Washington and consult with others.\n\nAdvertisement\n"
    )
    assert [rule for _, rule in _rules(body)] == ["headline", "headline"]
