"""States of the world as news copy names them: name, other spellings, demonym, capital.

Read from the `countryinfo` package's data (bundled in its wheel, nothing downloaded), with
a small overlay for what wire copy says and that data lacks or spells otherwise ("U.S.",
"Britain", Kosovo, "Kyiv"). Intake uses it to tell a state from other capitalised words,
to read "Russian Foreign Minister" as an affiliation to Russia, to name a state proposal the
way it is commonly written, and to recognise place names for event locations.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    name: str
    spellings: tuple[str, ...]  # other names that mean the state ("Great Britain", "U.S.")
    demonyms: tuple[str, ...]  # adjectives ("Russian"); "Iranian-backed" is matched by its first part
    capitals: tuple[str, ...]


# Names wire copy uses that the data lacks or spells otherwise; states it lacks.
_OVERLAY: dict[str, dict[str, tuple[str, ...]]] = {
    "United States": {"spellings": ("U.S.", "US", "USA", "U.S.A.", "America"), "capitals": ("Washington",)},
    "United Kingdom": {"spellings": ("Britain", "UK", "U.K."), "demonyms": ("British",)},
    "United Arab Emirates": {"spellings": ("UAE", "U.A.E.", "Emirates"), "demonyms": ("Emirati",)},
    "Ukraine": {"capitals": ("Kyiv", "Kiev")},
    "North Korea": {"spellings": ("DPRK",)},
    "Myanmar": {"spellings": ("Burma",)},
    "Czech Republic": {"spellings": ("Czechia",)},
    "Republic of Macedonia": {"spellings": ("North Macedonia",)},
    "Democratic Republic of the Congo": {"spellings": ("DRC", "DR Congo")},
    "Palestine": {"spellings": ("Palestinian territories",)},
    "Kosovo": {"demonyms": ("Kosovar", "Kosovan"), "capitals": ("Pristina", "Prishtina")},
    "Vietnam": {"spellings": ("Viet Nam",)},
    "Turkey": {"spellings": ("Türkiye",)},
}
# Entries of the data that duplicate or shadow a better one, or are not states.
_SKIP = {"Burma", "Palestine, State of", "Serbia and Montenegro", "Holy See (Vatican City State)"}
# Territories below this population are left out: their names and demonyms ("Jersey",
# "Guernsey", "Chad" is kept) collide with ordinary words far more often than they are news.
_MIN_POPULATION = 250_000


@functools.cache
def countries() -> tuple[Country, ...]:
    from countryinfo._cache import load_countries  # the package's own cached reader

    loaded: dict[str, Country] = {}
    for info in load_countries()["countries"].values():
        name = info.get("name") or ""
        if not name or name in _SKIP or (info.get("population") or 0) < _MIN_POPULATION:
            continue
        spellings = tuple(
            s
            for s in info.get("altSpellings") or ()
            if s != name and s.isascii() and len(s) > 3 and "," not in s and not s.isupper()
        )
        if name.startswith("The "):
            spellings += (name[4:],)
        demonym = info.get("demonym") or ""
        demonyms = tuple(d.strip() for d in demonym.split("/") if d.strip())
        capital = info.get("capital") or ""
        loaded[name] = Country(
            name=name, spellings=spellings, demonyms=demonyms, capitals=(capital,) if capital else ()
        )
    loaded.setdefault("Kosovo", Country(name="Kosovo", spellings=(), demonyms=(), capitals=()))
    for name, extra in _OVERLAY.items():
        base = loaded.get(name)
        if base is None:
            continue
        loaded[name] = Country(
            name=name,
            spellings=_merge(base.spellings, extra.get("spellings", ())),
            demonyms=_merge(base.demonyms, extra.get("demonyms", ())),
            capitals=_merge(base.capitals, extra.get("capitals", ())),
        )
    return tuple(sorted(loaded.values(), key=lambda c: c.name))


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


@functools.cache
def country_by_word() -> dict[str, tuple[Country, str]]:
    """Each name, spelling, demonym and capital (as written) -> (country, which: "name",
    "demonym" or "capital"). A demonym shared by two states ("Congolese") keeps the first."""
    table: dict[str, tuple[Country, str]] = {}
    for country in countries():
        for word in (country.name, *country.spellings):
            table.setdefault(word, (country, "name"))
        for word in country.demonyms:
            table.setdefault(word, (country, "demonym"))
    for country in countries():
        for word in country.capitals:
            table.setdefault(word, (country, "capital"))
    return table
