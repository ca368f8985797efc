"""PostGraphile 4: an off-the-shelf GraphQL API generated from the same PostgreSQL schema.

PostGraphile (https://www.graphile.org/postgraphile/) reads the database's tables,
foreign keys and unique constraints and serves them as GraphQL; each GraphQL request is
compiled into one SQL statement per root field, nested relations included (as
json_agg subqueries). It is the "no application code" peer of this project's API. It
runs from `bench/postgraphile/` (package.json and package-lock.json pin postgraphile
4.14.1 and postgraphile-plugin-connection-filter 2.3.0, the standard filter plugin for
v4; the plugin's relation filters are turned on by the server plugin
`bench/postgraphile/filter-relations.js`, since the CLI has no flag for them).

Every request is a POST to /graphql with a JSON body `{"query", "variables"}`, and every
list selects what this project's list items carry: slug, title, summary, type, location,
the date (start, end, precision, words, anchor), status, updated_at, participants (actor
slug and name, role), conflicts (slug, name) and citations (excerpt, offsets, source
slug, title and address). Only published events and statements are read (the filter
`status: {equalTo: "published"}`; PostGraphile itself would serve drafts too). Lists are
ordered by date_start then id (undated rows last, as PostgreSQL sorts NULLs last
ascending); this project's API also puts finer precision first within a start date,
which PostGraphile cannot express without a computed column.

How each query id is answered, and where it is not quite the same question:

- Q1, Q2: `allEventsEvents` filtered through the participants relation
  (`eventsEventparticipantsByEventId: {some: {actorId: ...}}`); Q1 adds the overlap
  test date_end >= date_after and date_start <= date_before.
- Q3: the first page, no filter but the status.
- Q4: a Relay cursor request (`after:`). `requests()` obtains a real cursor by calling
  the running server once (`offset: deep_offset - 1, first: 1`, its endCursor), so the
  measured request is the cursor request, not an OFFSET scan. PostGraphile 4 turns the
  cursor into `date_start > $d OR (date_start = $d AND id > $i)`; see the caveat on
  NULL dates below.
- Q5: actors whose name contains the fragment, case-insensitive (`includesInsensitive`,
  i.e. ILIKE '%...%'), ordered by slug. This project's API also searches aliases and
  ignores accents (unaccent); the filter plugin has no array substring operator and no
  unaccent, so PostGraphile searches the name only, accents significant.
- Q6: NOT full-text search. PostGraphile 4 has none built in (it would need a plugin
  and a tsvector column or function in the database). The closest the filter plugin
  offers is a case-insensitive substring match (ILIKE '%word%'), used like
  websearch_to_tsquery's plain words: every word must occur in the title or summary, or
  every word in one cited excerpt. There is no stemming ("negotiations" does not find
  "negotiating", though "talk" finds "talks" as a substring), no stop words, no
  ranking, and no quoted phrases, OR or -negation (quotes are dropped; words are taken
  literally). Substring matches cannot use an index: every published row is scanned.
  Results are in date order, as this project's API's default ordering for `q`.
- Q7: one published event by slug (`allEventsEvents(condition: {slug, status})`, served
  by the unique index on slug) with its participants, conflicts and citations.
- Q8: PostGraphile cannot merge two tables into one ordered stream. The closest honest
  equivalent is one GraphQL request with two root fields: the actor's first 50 published
  events (as a participant) and its first 50 published statements (as the speaker or an
  actor spoken about, as this project's timeline counts them), each ordered by date; the
  client would merge the two lists and keep 50. That is two SQL statements, like this
  project's timeline, but the merge and the cursor into the merged stream are missing.
- Q9: there is no CSV in PostGraphile: the export is the first 10,000 published events
  as JSON (`first: 10000`), with the fields of the timeline's CSV columns (slug, date,
  title, summary, type, location, participants' slugs and roles, conflict slugs, cited
  excerpts and source addresses). Events only: statements would be a second list the
  client merges, as in Q8.

Caveats for a fair comparison:

- PostGraphile exposes every table of the schema (auth_user included) and runs as the
  connecting role; a real deployment would use a restricted role, row-level security
  for "published only", and smart tags. None of that changes these queries' SQL much.
- PostGraphile 4's cursor condition on a nullable order column is not NULL-aware
  (`date_start > $d OR (date_start = $d AND id > $i)`; graphile/graphile-engine#502,
  fixed only in v5): after a dated cursor row the undated rows are never reached, and a
  cursor on an undated row yields an empty page. So Q4 answers the same question only
  while rows deep_offset .. deep_offset + page_size - 1 of the date order are dated.
  When the cursor row itself is undated, `requests()` leaves Q4 out (with a warning)
  rather than measure an empty page; when the page merely runs into the undated tail,
  PostGraphile returns fewer rows than this project's API, which the harness should
  check (count the nodes).
- Every connection selects `pageInfo {hasNextPage endCursor}` (the counterpart of the
  API's `next` link); PostGraphile computes hasNextPage with a second, EXISTS subquery
  over the same filter. No `totalCount` is asked for (the API does not count either).
- One Node process (the CLI's default) with a pool of POOL_SIZE connections; gunicorn
  runs several worker processes. `--cluster-workers N` would use more CPUs.
"""

import json
import shutil
import subprocess
import urllib.request
import warnings
from pathlib import Path

from bench.params import BenchParams, Request

NAME = "PostGraphile 4"

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "postgraphile"
CLI = PACKAGE_DIR / "node_modules" / "postgraphile" / "cli.js"
SERVER_PLUGIN = PACKAGE_DIR / "filter-relations.js"
# One connection per concurrent request at the benchmark's concurrency of 8.
POOL_SIZE = 8
GRAPHQL_PATH = "/graphql"
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def install() -> None:
    """`npm ci` in bench/postgraphile when its node_modules is missing (the lockfile pins every version)."""
    if (PACKAGE_DIR / "node_modules").is_dir():
        return
    npm = shutil.which("npm") or "npm"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PACKAGE_DIR, check=True)


def server_command(port: int, database_url: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment that start PostGraphile on 127.0.0.1:`port`, production-like.

    No GraphiQL, no schema watching, no query log, no mutations (the benchmark only
    reads); relay connections only. The connection string goes in DATABASE_URL rather
    than argv, so it does not show in process listings.
    """
    node = shutil.which("node") or "node"
    argv = [
        node,
        str(CLI),
        # Server plugins must be the first option.
        "--plugins",
        str(SERVER_PLUGIN),
        "--schema",
        "public",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--max-pool-size",
        str(POOL_SIZE),
        "--append-plugins",
        "postgraphile-plugin-connection-filter",
        "--simple-collections",
        "omit",
        "--legacy-relations",
        "omit",
        "--disable-default-mutations",
        "--disable-graphiql",
        "--disable-query-log",
    ]
    env = {"DATABASE_URL": database_url, "NODE_ENV": "production"}
    return argv, env


# -- GraphQL documents ---------------------------------------------------------------

PUBLISHED = 'status: {equalTo: "published"}'
BY_DATE = "orderBy: [DATE_START_ASC, ID_ASC]"

DATE_FIELDS = "dateStart dateEnd datePrecision dateText dateAnchor"
CITATIONS = """nodes {
      excerpt startOffset endOffset
      source: eventsSourceBySourceId { slug title url }
    }"""

EVENT_ITEM = f"""
fragment EventItem on EventsEvent {{
  slug title summary type location {DATE_FIELDS} status updatedAt
  participants: eventsEventparticipantsByEventId(orderBy: [ROLE_ASC, ACTOR_ID_ASC]) {{
    nodes {{ role actor: eventsActorByActorId {{ slug name }} }}
  }}
  conflicts: eventsEventConflictsByEventId(orderBy: [CONFLICT_ID_ASC]) {{
    nodes {{ conflict: eventsConflictByConflictId {{ slug name }} }}
  }}
  citations: eventsCitationsByEventId(orderBy: [SOURCE_ID_ASC, START_OFFSET_ASC, ID_ASC]) {{
    {CITATIONS}
  }}
}}
"""

STATEMENT_ITEM = f"""
fragment StatementItem on EventsStatement {{
  slug kind text {DATE_FIELDS} status updatedAt
  speaker: eventsActorBySpeakerId {{ slug name }}
  occasion: eventsEventByOccasionId {{ slug title }}
  about: eventsStatementAboutsByStatementId(orderBy: [ACTOR_ID_ASC]) {{
    nodes {{ actor: eventsActorByActorId {{ slug name }} }}
  }}
  conflicts: eventsStatementConflictsByStatementId(orderBy: [CONFLICT_ID_ASC]) {{
    nodes {{ conflict: eventsConflictByConflictId {{ slug name }} }}
  }}
  citations: eventsCitationsByStatementId(orderBy: [SOURCE_ID_ASC, START_OFFSET_ASC, ID_ASC]) {{
    {CITATIONS}
  }}
}}
"""

ACTOR_ITEM = f"""
fragment ActorItem on EventsActor {{
  slug name kind description aliases wikidataQid updatedAt
  affiliation: eventsActorByAffiliationId {{ slug name }}
  citations: eventsCitationsByActorId(orderBy: [SOURCE_ID_ASC, START_OFFSET_ASC, ID_ASC]) {{
    {CITATIONS}
  }}
}}
"""

# The timeline CSV's columns (kind, slug, dates, title, text, type, actors, conflicts,
# location, citations, source_urls) for events.
EXPORT_ITEM = f"""
fragment ExportItem on EventsEvent {{
  slug title summary type location {DATE_FIELDS}
  participants: eventsEventparticipantsByEventId(orderBy: [ROLE_ASC, ACTOR_ID_ASC]) {{
    nodes {{ role actor: eventsActorByActorId {{ slug }} }}
  }}
  conflicts: eventsEventConflictsByEventId(orderBy: [CONFLICT_ID_ASC]) {{
    nodes {{ conflict: eventsConflictByConflictId {{ slug }} }}
  }}
  citations: eventsCitationsByEventId(orderBy: [SOURCE_ID_ASC, START_OFFSET_ASC, ID_ASC]) {{
    nodes {{ excerpt source: eventsSourceBySourceId {{ url }} }}
  }}
}}
"""

PAGE_INFO = "pageInfo { hasNextPage endCursor }"
OF_ACTOR = "eventsEventparticipantsByEventId: {some: {actorId: {equalTo: $actor}}}"


def _event_page(name: str, variables: str, filters: str, extra_args: str = "") -> str:
    """A query for one page of published events in date order, `filters` added to the status."""
    return f"""query {name}({variables}) {{
  allEventsEvents(first: $first{extra_args}, {BY_DATE}, filter: {{{PUBLISHED}{filters}}}) {{
    {PAGE_INFO}
    nodes {{ ...EventItem }}
  }}
}}
{EVENT_ITEM}"""


Q1 = _event_page(
    "Q1",
    "$actor: BigInt!, $dateAfter: Date!, $dateBefore: Date!, $first: Int!",
    f", dateEnd: {{greaterThanOrEqualTo: $dateAfter}}, dateStart: {{lessThanOrEqualTo: $dateBefore}}, {OF_ACTOR}",
)
Q2 = _event_page("Q2", "$actor: BigInt!, $first: Int!", f", {OF_ACTOR}")
Q3 = _event_page("Q3", "$first: Int!", "")
Q4 = _event_page("Q4", "$first: Int!, $after: Cursor!", "", extra_args=", after: $after")
# Preparation only (not measured): the cursor of the row just before the deep page.
Q4_CURSOR = f"""query Q4Cursor($offset: Int!) {{
  allEventsEvents(first: 1, offset: $offset, {BY_DATE}, filter: {{{PUBLISHED}}}) {{
    pageInfo {{ endCursor }}
    nodes {{ id dateStart }}
  }}
}}"""

Q5 = f"""query Q5($fragment: String!, $first: Int!) {{
  allEventsActors(first: $first, orderBy: [SLUG_ASC], filter: {{name: {{includesInsensitive: $fragment}}}}) {{
    {PAGE_INFO}
    nodes {{ ...ActorItem }}
  }}
}}
{ACTOR_ITEM}"""

Q7 = f"""query Q7($slug: String!) {{
  allEventsEvents(first: 1, condition: {{slug: $slug, status: "published"}}) {{
    nodes {{ ...EventItem }}
  }}
}}
{EVENT_ITEM}"""

Q8 = f"""query Q8($actor: BigInt!, $first: Int!) {{
  events: allEventsEvents(first: $first, {BY_DATE}, filter: {{{PUBLISHED}, {OF_ACTOR}}}) {{
    {PAGE_INFO}
    nodes {{ ...EventItem }}
  }}
  statements: allEventsStatements(
    first: $first
    {BY_DATE}
    filter: {{
      {PUBLISHED}
      or: [
        {{speakerId: {{equalTo: $actor}}}}
        {{eventsStatementAboutsByStatementId: {{some: {{actorId: {{equalTo: $actor}}}}}}}}
      ]
    }}
  ) {{
    {PAGE_INFO}
    nodes {{ ...StatementItem }}
  }}
}}
{EVENT_ITEM}
{STATEMENT_ITEM}"""

Q9 = f"""query Q9($first: Int!) {{
  allEventsEvents(first: $first, {BY_DATE}, filter: {{{PUBLISHED}}}) {{
    nodes {{ ...ExportItem }}
  }}
}}
{EXPORT_ITEM}"""


def search_words(text: str) -> list[str]:
    """The words of a websearch-style query, taken literally (quotes dropped; no OR, no -negation)."""
    words = [word.strip('"') for word in text.split()]
    return [word for word in words if word]


def search_query(words: list[str]) -> str:
    """Q6 for these words: every word in the title or summary, or every word in one cited excerpt.

    A case-insensitive substring match (ILIKE), not stemmed full-text search: see the
    module docstring.
    """
    if not words:
        raise ValueError("Q6 needs at least one search word")
    names = [f"w{i}" for i in range(len(words))]
    in_text = ", ".join(
        f"{{or: [{{title: {{includesInsensitive: ${n}}}}}, {{summary: {{includesInsensitive: ${n}}}}}]}}"
        for n in names
    )
    in_excerpt = ", ".join(f"{{excerpt: {{includesInsensitive: ${n}}}}}" for n in names)
    variables = ", ".join(f"${n}: String!" for n in names)
    matches = f"or: [{{and: [{in_text}]}}, {{eventsCitationsByEventId: {{some: {{and: [{in_excerpt}]}}}}}}]"
    return _event_page("Q6", f"{variables}, $first: Int!", f", {matches}")


def _post(query: str, variables: dict) -> Request:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return Request(path=GRAPHQL_PATH, method="POST", body=body, headers=dict(HEADERS))


def _call(base_url: str, query: str, variables: dict) -> dict:
    """POST a query to the running server and return its `data`; raise on GraphQL errors."""
    request = urllib.request.Request(
        base_url.rstrip("/") + GRAPHQL_PATH,
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers=HEADERS,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if answer.get("errors"):
        raise RuntimeError(f"PostGraphile answered with errors: {answer['errors']}")
    return answer["data"]


def deep_cursor(base_url: str, params: BenchParams) -> str | None:
    """The cursor of the published event just before the deep page (row deep_offset - 1 in date order).

    None when that row is undated: PostGraphile 4 cannot page past such a cursor (see
    the module docstring).
    """
    data = _call(base_url, Q4_CURSOR, {"offset": params.deep_offset - 1})["allEventsEvents"]
    cursor = data["pageInfo"]["endCursor"]
    if cursor is None:
        raise RuntimeError(f"fewer than {params.deep_offset} published events: no cursor for Q4")
    if data["nodes"][0]["dateStart"] is None:
        return None
    return cursor


def requests(base_url: str, params: BenchParams) -> dict[str, Request]:
    """The POST /graphql request for each query id; calls the server once for Q4's cursor."""
    first = params.page_size
    words = search_words(params.search_words)
    cursor = deep_cursor(base_url, params)
    chosen = {
        "Q1": _post(
            Q1,
            {
                "actor": str(params.frequent_actor_id),
                "dateAfter": params.date_after,
                "dateBefore": params.date_before,
                "first": first,
            },
        ),
        "Q2": _post(Q2, {"actor": str(params.rare_actor_id), "first": first}),
        "Q3": _post(Q3, {"first": first}),
        "Q4": _post(Q4, {"first": first, "after": cursor}) if cursor else None,
        "Q5": _post(Q5, {"fragment": params.name_fragment, "first": first}),
        "Q6": _post(
            search_query(words),
            {**{f"w{i}": word for i, word in enumerate(words)}, "first": first},
        ),
        "Q7": _post(Q7, {"slug": params.detail_event_slug}),
        "Q8": _post(Q8, {"actor": str(params.timeline_actor_id), "first": first}),
        "Q9": _post(Q9, {"first": params.export_rows}),
    }
    if cursor is None:
        warnings.warn(
            f"PostGraphile: published event {params.deep_offset - 1} in date order is undated; "
            "its cursor would give an empty page, so Q4 is left out",
            stacklevel=2,
        )
    return {query_id: request for query_id, request in chosen.items() if request is not None}
