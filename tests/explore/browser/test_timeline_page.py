"""The timeline page in a real browser: each feature checked by what is on screen.

The seed article's 23 items (9 events, 14 statements; see tests/events/api/test_facets.py).
"""

import re

from playwright.sync_api import expect

MOSCOW_TALKS = "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow"
RUSSIA_FIRST_WEEK_OF_MARCH = [
    "UN-led peace negotiations on Syria",
    MOSCOW_TALKS,
    "Dmitry Peskov said, in substance",
]


def _summary(page) -> str:
    return page.locator(".summary-line").inner_text()


def test_filtering_to_what_russia_did_or_said_in_the_first_week_of_march_2017(page):
    page.goto("/")
    expect(page.locator(".summary-line")).to_contain_text("23 items")

    # The actor, by name through the autocomplete (aliases shown), chosen from the keyboard.
    actor = page.get_by_role("combobox", name=re.compile("Add an actor"))
    actor.fill("kreml")
    option = page.get_by_role("option").first
    expect(option).to_contain_text("Russia")
    expect(option).to_contain_text("the Kremlin")
    actor.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    actor.press("Enter")
    page.wait_for_url(re.compile(r"actor=russia"))
    expect(page.locator(".summary-line")).to_contain_text("15 items")
    expect(page.locator(".filters .chosen")).to_have_text("Russia")

    # The first week of March, by the date fields.
    page.get_by_label("From", exact=True).fill("2017-02-27")
    page.get_by_label("To", exact=True).fill("2017-03-05")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"date_before=2017-03-05"))

    expect(page.locator(".summary-line")).to_contain_text("3 items")
    expect(page.locator(".summary-line")).to_contain_text(
        "actor Russia; 2017-02-27 to 2017-03-05 (overlapping)"
    )
    expect(page.locator("ol.items h3")).to_have_text(RUSSIA_FIRST_WEEK_OF_MARCH)
    # Dates in words, participants with their roles, the speaker's words.
    expect(page.locator("ol.items .when time")).to_have_text(
        ["week of 27 Feb 2017", "Thu 2 Mar 2017", "Fri 3 Mar 2017"]
    )
    talks = page.locator("article", has_text=MOSCOW_TALKS)
    expect(talks.locator(".participants")).to_have_text(
        "Participants: Fayez al-Serraj (guest), Russia (host)"
    )
    expect(page.locator("article.item-statement .paraphrase")).to_contain_text('There has been "no movement"')
    # The same parameters as the API's, one for one.
    assert page.url.endswith("/?actor=russia&date_after=2017-02-27&date_before=2017-03-05")


def test_an_unknown_actor_names_the_closest_and_links_to_it(page):
    page.goto("/?actor=haftar")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("haftar is not one of the available choices. Did you mean khalifa-haftar?")
    alert.get_by_role("link", name="khalifa-haftar").click()

    expect(page.locator(".summary-line")).to_contain_text("2 items")
    expect(page.locator(".filters .chosen")).to_have_text("Khalifa Haftar")


def test_facets_toggle_their_filter(page):
    page.goto("/")
    conflict = page.locator(".facet", has=page.get_by_role("heading", name="Conflict"))
    expect(conflict.locator("li")).to_have_text(
        [re.compile(r"Syrian civil war\s+14"), re.compile(r"Libyan crisis\s+9")]
    )

    conflict.get_by_role("link", name="Libyan crisis").click()

    expect(page.locator(".summary-line")).to_contain_text("9 items")
    selected = page.locator(".facet li.selected")
    expect(selected).to_have_text(re.compile(r"Remove filter: Libyan crisis\s+9"))
    kind = page.locator(".facet", has=page.get_by_role("heading", name="Kind"))
    expect(kind.locator("li")).to_have_text([re.compile(r"Statements\s+5"), re.compile(r"Events\s+4")])

    selected.get_by_role("link").click()
    expect(page.locator(".summary-line")).to_contain_text("23 items")


def test_the_histogram_keeps_empty_months_shows_coarse_dates_apart_and_narrows_on_click(page):
    page.goto("/")
    bars = page.locator(".histogram-bars li a")

    expect(bars).to_have_count(4)  # Dec 2016, Jan and Feb 2017 (empty), Mar 2017
    expect(bars.nth(0)).to_have_attribute("aria-label", "Dec 2016: 2 items (2 known only to the month)")
    expect(bars.nth(1)).to_have_attribute("aria-label", "Jan 2017: 0 items")
    expect(bars.nth(3)).to_have_attribute(
        "aria-label", "Mar 2017: 3 items (2 known to the day, 1 known to the week)"
    )
    expect(bars.nth(0).locator(".segment.month")).to_have_count(1)
    expect(bars.nth(0).locator(".segment.exact")).to_have_count(0)
    expect(page.locator(".histogram .legend")).to_contain_text("known only to the month")
    expect(page.locator(".histogram .legend")).to_contain_text("18 items with no date are not shown")

    bars.nth(3).click()

    page.wait_for_url(re.compile(r"date_after=2017-03-01&date_before=2017-03-31"))
    expect(page.locator(".summary-line")).to_contain_text("3 items")


def test_the_visual_timeline_draws_days_as_points_and_months_as_spans(page):
    page.goto("/?date_after=2016-12-01&date_before=2017-03-31")
    timeline = page.locator("#visual-timeline")
    expect(timeline).to_have_attribute("data-ready", "true")

    points = timeline.locator(".vis-item.vis-point")
    spans = timeline.locator(".vis-item.vis-range")
    expect(points).to_have_count(2)  # the Moscow talks and Peskov's words, each known to the day
    expect(spans).to_have_count(3)  # two items of December 2016 and the week of 27 February
    expect(timeline.get_by_text(MOSCOW_TALKS)).to_be_visible()
    # A span is as wide as its month: December's two items are as wide as each other,
    # and wider than the week.
    december = [spans.nth(i).bounding_box()["width"] for i in range(3)]
    assert abs(december[0] - december[1]) < 1 and december[2] < december[0], december

    timeline.get_by_text(MOSCOW_TALKS).click()
    page.wait_for_url(re.compile(r"/events/moscow-talks-russia-serraj-2017-03-02/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(MOSCOW_TALKS)


def test_paging_by_cursor(page):
    page.goto("/?page_size=5")
    titles = page.locator("ol.items h3")
    expect(titles).to_have_count(5)
    first = titles.all_inner_texts()

    page.get_by_role("link", name="Later items").click()
    expect(titles).to_have_count(5)
    second = titles.all_inner_texts()
    assert not set(first) & set(second)

    page.get_by_role("link", name="Earlier items").click()
    expect(titles).to_have_text(first)


def test_exports_and_citation_are_of_exactly_this_view(page, served):
    page.goto("/?actor=russia&page_size=5")

    exports = page.locator(".exports")
    expect(exports.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/api/v1/timeline/?actor=russia&format=csv"
    )
    expect(exports.get_by_role("link", name="NDJSON")).to_have_attribute(
        "href", "/api/v1/timeline/?actor=russia&format=ndjson"
    )
    expect(exports.get_by_role("link", name="JSON", exact=True)).to_have_attribute(
        "href", "/api/v1/timeline/?actor=russia&page_size=5"
    )
    citation = page.locator("#cite-text").inner_text()
    assert citation.startswith("Event timeline: actor Russia. 5 items shown of 15. ")
    assert f"{served}/?actor=russia&page_size=5 (retrieved " in citation
    version = re.search(r"data version (sha256:[0-9a-f]{16})", citation).group(1)
    expect(page.locator("#cite-bibtex")).to_contain_text(f"data version {version}")
    expect(page.locator("#cite-bibtex")).to_contain_text(
        f"howpublished = {{\\url{{{served}/?actor=russia&page_size=5}}}}"
    )

    # The same URL, the same items, the same version.
    page.reload()
    assert version in page.locator("#cite-text").inner_text()


def test_the_source_page_marks_every_cited_passage(page):
    page.goto("/?actor=russia&date_after=2017-03-02&date_before=2017-03-02")
    talks = page.locator("article", has_text=MOSCOW_TALKS)

    talks.locator("a.passage").click()

    page.wait_for_url(re.compile(r"/sources/bloomberg-2017-03-03-russia-urges-trump/#passage-\d+-\d+$"))
    anchor = page.url.split("#")[1]
    mark = page.locator(f"#{anchor} + mark")
    expect(mark).to_have_text(re.compile(r"^It hosted his rival, Prime Minister Fayez al-Serraj"))
    expect(mark).to_be_in_viewport()
    # The passage links to the record it supports.
    link = page.get_by_role("link", name=re.compile(r"^event: Russia hosts Libyan Prime Minister"))
    expect(link).to_have_attribute("href", "/events/moscow-talks-russia-serraj-2017-03-02/")
    # Every distinct cited passage of the seed records (35) has its anchor and its mark.
    expect(page.locator("dl.facts")).to_contain_text("35, marked in the text")
    expect(page.locator(".article-text .anchor")).to_have_count(35)
    # Page furniture is shown apart, greyed in the text and listed on its own.
    expect(page.locator(".furniture-line").first).to_have_text("The Syrian Catastrophe Explained")
    expect(page.locator("aside.furniture li")).to_have_text(
        [
            "The Syrian Catastrophe Explained",
            "Libya, 5 Years After Qaddafi, Still Caught in Chaos: QuickTake",
            "Before it's here, it's on the Bloomberg Terminal.",
            "LEARN MORE",
        ]
    )


def test_record_pages_list_what_links_to_them(page):
    page.goto("/actors/russia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia")
    expect(page.locator("dl.facts")).to_contain_text("the Kremlin")
    expect(page.locator("#own-timeline-title")).to_have_text("Their timeline")
    expect(
        page.locator("section", has=page.locator("#own-timeline-title")).locator("ol.items > li")
    ).to_have_count(15)

    page.goto("/actors/dmitry-peskov/")
    expect(page.locator("dl.facts")).to_contain_text("Affiliation")
    page.get_by_role("link", name="Russia", exact=True).first.click()
    page.wait_for_url(re.compile(r"/actors/russia/$"))

    page.goto("/conflicts/libyan-crisis/")
    expect(page.locator("#own-timeline-title")).to_have_text("Its timeline")
    expect(
        page.locator("section", has=page.locator("#own-timeline-title")).locator("ol.items > li")
    ).to_have_count(9)
