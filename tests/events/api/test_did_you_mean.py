"""An unknown slug in a filter is a 400 that names the closest records: "Did you mean khalifa-haftar?"."""

import pytest

from events import selectors
from events.models import Actor, Conflict

API = "/api/v1"


def not_a_choice(value: str, suggestion: str = "") -> str:
    message = f"Select a valid choice. {value} is not one of the available choices."
    return f"{message} Did you mean {suggestion}?" if suggestion else message


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        ("haftar", ["khalifa-haftar"]),  # a word of the name
        ("HAFTAR", ["khalifa-haftar"]),
        ("russsia", ["russia"]),  # a typo in the slug
        ("kremlin", ["russia"]),  # an alias
        ("sarraj", ["fayez-al-serraj"]),
        ("trump", ["donald-trump", "trump-administration"]),
        ("united-state", ["united-states"]),
        ("nobody", []),
        ("atlantis", []),
    ],
)
def test_closest_actors(seeded, typed, closest):
    assert selectors.closest_slugs(Actor, typed) == closest


def test_closest_conflicts(seeded):
    assert selectors.closest_slugs(Conflict, "syria") == ["syrian-civil-war"]
    assert selectors.closest_slugs(Conflict, "libya") == ["libyan-crisis"]


@pytest.mark.parametrize("endpoint", ["events", "timeline"])
def test_an_unknown_actor_is_a_400_naming_the_closest(api, seeded, endpoint):
    response = api.get(f"{API}/{endpoint}/", {"actor": ["russia", "haftar"]})

    assert response.status_code == 400
    assert response.json() == {"actor": [not_a_choice("haftar", "khalifa-haftar")]}


def test_each_parameter_gets_its_own_suggestions(api, seeded):
    # Django's field reports one unknown value per parameter (whichever it meets first).
    response = api.get(f"{API}/timeline/", {"actor": ["russia", "trump"], "conflict": "syria"})

    assert response.status_code == 400
    assert response.json() == {
        "actor": [not_a_choice("trump", "donald-trump or trump-administration")],
        "conflict": [not_a_choice("syria", "syrian-civil-war")],
    }


def test_statements_suggest_speakers(api, seeded):
    response = api.get(f"{API}/statements/", {"speaker": "peskov"})

    assert response.json() == {"speaker": [not_a_choice("peskov", "dmitry-peskov")]}


def test_nothing_close_is_the_plain_message(api, seeded):
    response = api.get(f"{API}/events/", {"actor": "atlantis"})

    assert response.json() == {"actor": [not_a_choice("atlantis")]}
