"""The TimelineJS export renders in a real browser with TimelineJS, data shown as text, never as markup.

The export escapes every field TimelineJS renders as HTML (`events.api.renderers`), so
the document is safe whatever renders it. Here TimelineJS 3.9.11 (vendored in
tests/explore/vendor/timelinejs) renders an export whose every text field holds
`<img src=x onerror=...>`: the words appear on screen as written, and no image or
script from the data reaches the page.
"""

import json
from pathlib import Path

from rest_framework.test import APIClient

from tests.events.api.test_timeline import markup_everywhere  # noqa: F401 (the fixture)

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "timelinejs"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS export</title>
<link rel="stylesheet" href="/tljs/timeline.css"><script src="/tljs/timeline.js"></script></head>
<body><div id="timeline" style="width: 1000px; height: 600px"></div>
<script>
  window.hacked = false;
  window.timeline = new TL.Timeline("timeline", %s, {font: null, start_at_slide: 1, hash_bookmark: false});
</script></body></html>
"""


def test_an_export_holding_markup_renders_it_as_text(markup_everywhere, new_page, served):  # noqa: F811
    response = APIClient().get("/api/v1/timeline/", {"format": "timelinejs", "source": "markup-source"})
    assert response.status_code == 200
    document = json.loads(response.content)
    # The markup would set this flag if any of it ran; TimelineJS must show it as words.
    for slide in document["events"]:
        slide["text"]["headline"] = slide["text"]["headline"].replace("alert(1)", "window.hacked=true")
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Routes registered later are tried first: the vendored files, else nothing (fonts, locales).
    page.route(f"{served}/tljs/**", lambda route: route.fulfill(status=404, body=""))
    page.route(f"{served}/tljs/timeline.js", lambda route: route.fulfill(path=VENDOR / "timeline.js"))
    page.route(f"{served}/tljs/timeline.css", lambda route: route.fulfill(path=VENDOR / "timeline.css"))
    page.route(
        f"{served}/export.html",
        lambda route: route.fulfill(content_type="text/html", body=PAGE % json.dumps(document)),
    )

    page.goto(f"{served}/export.html")
    page.wait_for_selector(".tl-slide-content .tl-headline")

    headlines = page.locator(".tl-headline").all_inner_texts()
    # A headline holding markup is shown as the words it is.
    assert "Talks <img src=x onerror=window.hacked=true>" in headlines
    # TimelineJS 3.9 decodes the group and the date labels into text, then sets them as
    # HTML: the export gives it labels whose brackets are guillemets, shown as written.
    assert page.locator(".tl-timegroup-message").all_inner_texts() == [
        "War \u2039img src=x onerror=alert(1)\u203a"
    ]
    assert page.locator("img").count() == 0
    assert page.evaluate("window.hacked") is False
    assert dialogs == []
