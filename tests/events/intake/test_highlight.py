"""The review page's article: proposals highlighted in place, on a passage of the seed article."""

from html.parser import HTMLParser

from events.intake.highlight import Highlight, article_html
from tests.conftest import ARTICLE_FILE

# One sentence of the seed article, read from it.
_SEED = ARTICLE_FILE.read_text(encoding="utf-8")
_START = _SEED.index("It hosted his rival")
TEXT = _SEED[_START : _SEED.index("broker a solution.", _START) + len("broker a solution.")]


class _Pieces(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.by_key: dict[str, str] = {}
        self.plain = ""
        self.labels: list[str] = []
        self.in_label = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            self.stack.append(attrs["data-proposal"])
        if tag == "a":
            self.in_label = True

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()
        if tag == "a":
            self.in_label = False

    def handle_data(self, data):
        if self.in_label:
            self.labels.append(data)
            return
        self.plain += data
        for key in self.stack:
            self.by_key[key] = self.by_key.get(key, "") + data


def test_crossing_spans_are_cut_into_well_formed_pieces():
    serraj = TEXT.index("Fayez al-Serraj")
    talks = TEXT.index("for talks on Thursday")
    event = Highlight(0, TEXT.index(" in Moscow"), "event", 1, "E1")
    actor = Highlight(serraj, serraj + len("Fayez al-Serraj"), "actor", 2, "A1")
    crossing = Highlight(talks, TEXT.index(" as it seeks"), "statement", 3, "S1")  # runs past the event's end
    html = article_html(TEXT, [crossing, event, actor])
    parser = _Pieces()
    parser.feed(html)
    assert parser.stack == []  # every <mark> closed
    assert parser.plain == TEXT  # the text, whole, once
    assert parser.by_key == {
        "1": "It hosted his rival, Prime Minister Fayez al-Serraj, who’s recognized by the United Nations, "
        "for talks on Thursday",
        "2": "Fayez al-Serraj",
        "3": "for talks on Thursday in Moscow",
    }
    assert parser.labels == ["E1", "A1", "S1"]
    assert html.count("<mark") == html.count("</mark>")


def test_furniture_is_shown_apart_never_marked():
    furniture = (0, len("It hosted his rival"))
    html = article_html(TEXT, [], [furniture])
    assert html.startswith(
        '<span class="intake-furniture" title="page furniture: not a claim">It hosted his rival</span>'
    )
    assert "<mark" not in html


def test_the_text_is_escaped():
    line = "Before it's here, it's on the Bloomberg Terminal."  # the seed article's furniture
    assert line in _SEED
    assert article_html(line, []) == "Before it&#x27;s here, it&#x27;s on the Bloomberg Terminal."
