"""What a user notices beyond the features: no request leaves the site, accessibility,
the keyboard, a phone-sized screen, and the page without JavaScript."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).parent.parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/?actor=russia&date_after=2017-02-27&date_before=2017-03-05",
    "/?actor=haftar",
    "/?histogram=year&kind=statement",
    "/events/moscow-talks-russia-serraj-2017-03-02/",
    "/statements/peskov-no-movement-2017-03-03/",
    "/actors/russia/",
    "/conflicts/syrian-civil-war/",
    "/sources/bloomberg-2017-03-03-russia-urges-trump/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_site(new_page, offsite_requests, path):
    page = new_page()
    page.goto(path)
    page.wait_for_load_state("networkidle")

    assert list(offsite_requests) == []


def test_the_guard_catches_an_offsite_request(new_page, offsite_requests):
    page = new_page()
    page.goto("/")
    page.evaluate("() => { const i = new Image(); i.src = 'https://example.org/pixel.png'; }")
    page.wait_for_timeout(300)

    assert list(offsite_requests) == ["https://example.org/pixel.png"]
    offsite_requests.clear()  # seen: the fixture's own check would fail this test otherwise


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violations(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))

    found = page.evaluate("async () => (await axe.run(document)).violations")

    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1)


def test_the_filters_work_from_the_keyboard(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    search = page.get_by_label("Search")
    search.focus()
    page.keyboard.type("cease-fire")
    # On to the event types, ticking one with the space bar.
    while not page.evaluate(
        "document.activeElement.value === 'ceasefire' && document.activeElement.type === 'checkbox'"
    ):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Ceasefire")).to_be_checked()
    page.keyboard.press("Enter")  # submits the form

    page.wait_for_url(re.compile(r"/\?q=cease-fire&type=ceasefire$"))
    expect(page.locator(".summary-line")).to_contain_text("1 item")
    expect(page.locator("ol.items h3")).to_have_text(["Russia and Turkey broker a cease-fire in Syria"])
    # Facet links are reachable and followed from the keyboard too.
    facet_link = page.locator(".facet li.selected a").first
    facet_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^((?!type=).)*$"))


def test_usable_on_a_phone_sized_screen(new_page):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto("/")

    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The filters start folded so the items come first; a tap unfolds them.
    panel = page.locator("#filters-panel")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_label("Search")).not_to_be_visible()
    page.get_by_text("Filters and facets").tap()
    expect(page.get_by_label("Search")).to_be_visible()
    # Text is readable and targets are large enough to tap.
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.item .summary, .item p')).fontSize)"
    )
    assert size >= 14
    button = page.get_by_role("button", name="Apply filters").bounding_box()
    assert button["height"] >= 40 and button["width"] <= 390
    for path in PAGES[4:]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_the_page_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    expect(page.locator(".summary-line")).to_contain_text("23 items")
    expect(page.locator("#visual-timeline")).to_contain_text("The visual timeline needs JavaScript")

    page.get_by_label("Add an actor").fill("russia")
    page.get_by_role("checkbox", name="Events").check()
    page.get_by_role("button", name="Apply filters").click()

    # The empty fields the form sends are dropped from the address, the rest applied.
    page.wait_for_url(re.compile(r"/\?actor=russia&kind=event$"))
    expect(page.locator(".summary-line")).to_contain_text("5 items")
    page.locator(".histogram-bars li a").last.click()
    expect(page.locator(".summary-line")).to_contain_text("2 items")
