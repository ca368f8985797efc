"""Full-text search that finds what people type: compounds joined or hyphenated, any accents, any case.

A text is indexed as its words (PostgreSQL's English configuration: stems, no stop words)
plus, for each hyphenated compound, the compound joined into one word: "cease-fire" is
indexed as `cease-fir`, `ceas`, `fire` and `ceasefir`. Accents are removed first, on both
sides (`events_search_text`, migration 0012), and the parser lower-cases everything.

A query (`?q=`, web-search syntax: plain words are ANDed, `"a phrase"`, `or`, `-word`)
is rewritten before PostgreSQL reads it (`tsquery_text`):

- a hyphenated word is searched as its joined form: "cease-fire" looks for `ceasefir`,
  which every text writing "ceasefire" or "cease-fire" holds, so the two searches find
  exactly the same items;
- two plain words side by side may also be one word joined: "cease fire" is
  `(ceas & fire) | ceasefir`, which finds those items too (and, as any two-word search,
  texts holding both words apart);
- a quoted phrase is matched as written, word for word, and `-word` excludes.

What is not found: a text writing the compound as two separate words ("to cease fire")
is found by "cease fire" but not by "ceasefire" or "cease-fire": splitting a word into two
would need a dictionary of where words may be split.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery
from django.db.models import Func, TextField, Value

# Hyphen-minus, the Unicode hyphen and the non-breaking hyphen join a compound; dashes do not.
HYPHENS = "-\u2010\u2011"
_COMPOUND = re.compile(rf"^\w+(?:[{HYPHENS}]\w+)+$")
_WORD = re.compile(r"^\w+$")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Joining every adjacent pair of a long query would make a query of quadratic size.
MAX_JOINED_WORDS = 8


def search_text(expression) -> Func:
    """A text column as the search indexes it: accents removed, hyphenated compounds also joined."""
    return Func(expression, function="events_search_text", output_field=TextField())


def _operand(text: str) -> str:
    """`text` as one quoted tsquery operand; PostgreSQL's parser splits it into words itself."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _term(word: str) -> str:
    """One word of the query: a hyphenated compound is its joined form."""
    if _COMPOUND.match(word):
        return _operand(re.sub(f"[{HYPHENS}]", "", word))
    return _operand(word)


def _conjunction(words: list[str]) -> str:
    """Words ANDed, or, for each pair side by side, the pair joined into one word."""
    plain = " & ".join(_term(word) for word in words)
    if len(words) < 2 or len(words) > MAX_JOINED_WORDS:
        return plain
    alternatives = [plain]
    for i in range(len(words) - 1):
        left, right = words[i], words[i + 1]
        if _WORD.match(left) and _WORD.match(right):
            joined = [*words[:i], left + right, *words[i + 2 :]]
            alternatives.append(" & ".join(_term(word) for word in joined))
    if len(alternatives) == 1:
        return plain
    return "(" + " | ".join(f"({alternative})" for alternative in alternatives) + ")"


def tsquery_text(query: str) -> str:
    """`query` in web-search syntax, rewritten as to_tsquery() text (see the module docstring).

    Returns "" when the query holds no searchable word.
    """
    groups: list[list[str]] = [[]]  # OR of groups; each group an AND of parts
    words: list[str] = []  # the current run of plain words, joined pairwise

    def close_run() -> None:
        if words:
            groups[-1].append(_conjunction(words))
            words.clear()

    negate_next = False
    for match in _TOKEN.finditer(query):
        minus, phrase, token = match.groups()
        if phrase is not None:
            close_run()
            if phrase.strip():
                groups[-1].append(("!" if negate_next or minus else "") + _operand(phrase))
            negate_next = False
            continue
        if token.lower() == "or" and (groups[-1] or words):
            close_run()
            groups.append([])
            continue
        if token == "-":
            negate_next = True
            continue
        if token.startswith("-"):
            close_run()
            groups[-1].append("!" + _term(token[1:]))
            continue
        if negate_next:
            close_run()
            groups[-1].append("!" + _term(token))
            negate_next = False
            continue
        words.append(token)
    close_run()
    parts = [" & ".join(group) for group in groups if group]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return " | ".join(f"({part})" for part in parts)


def search_query(query: str, config: str) -> SearchQuery:
    """The tsquery of `query`, accents removed as the indexed texts' are.

    `events_unaccent` is IMMUTABLE (migration 0015), so PostgreSQL computes the tsquery
    once, when it plans the query, not again for each row it filters.
    """
    unaccented = Func(Value(tsquery_text(query)), function="events_unaccent", output_field=TextField())
    return SearchQuery(unaccented, config=config, search_type="raw")
