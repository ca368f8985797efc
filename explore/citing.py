""" "Cite this view": a citation of a page of the timeline that pins what it showed.

It names the view (its filters in words), its URL, the day it was retrieved and a data
version: the SHA-256 of the items on the page, as the API serves them (their documents
carry each record's `updated_at`). The same URL gives the same items, in the same order,
while the data is unchanged (cursor pages are stable); any change to an item on the page
changes the version, so a reader can tell whether what they see is what was cited.
"""

from __future__ import annotations

import datetime
import hashlib

SITE_NAME = "Event timeline"


def data_version(documents: list[str]) -> str:
    """ "sha256:" and the first 16 hex digits of the hash of the page's documents, in order."""
    digest = hashlib.sha256()
    for document in documents:
        digest.update(document.encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()[:16]


def view_words(cleaned: dict) -> str:
    """The filters of a view, in words: "actor Russia; 2017-02-27 to 2017-03-05 (overlapping)"."""
    parts = []
    actors = [actor.name for actor in cleaned.get("actor") or []]
    if actors:
        joiner = " and " if cleaned.get("actor_mode") == "all" else " or "
        parts.append("actor " + joiner.join(actors))
    conflicts = [conflict.name for conflict in cleaned.get("conflict") or []]
    if conflicts:
        parts.append("conflict " + " or ".join(conflicts))
    for name in ("type", "kind", "precision"):
        if cleaned.get(name):
            parts.append(f"{name} " + " or ".join(cleaned[name]))
    after, before = cleaned.get("date_after"), cleaned.get("date_before")
    if after or before:
        span = f"{after.isoformat() if after else '…'} to {before.isoformat() if before else '…'}"
        mode = "within" if cleaned.get("date_match") == "within" else "overlapping"
        parts.append(f"{span} ({mode})")
    if cleaned.get("q"):
        parts.append(f"search “{cleaned['q']}”")
    sources = [source.title for source in cleaned.get("source") or []]
    if sources:
        parts.append("citing " + " or ".join(sources))
    return "; ".join(parts) or "everything"


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "{}%&$#_" else ch for ch in text)


def citation(
    *, url: str, cleaned: dict, documents: list[str], total: int | None, today: datetime.date
) -> dict:
    """{"text", "bibtex", "version"}: the citation of one page of the timeline."""
    version = data_version(documents)
    words = view_words(cleaned)
    count = f"{len(documents)} items shown" + (f" of {total}" if total is not None else "")
    retrieved = f"{today.day} {today:%B %Y}"
    text = f"{SITE_NAME}: {words}. {count}. {url} (retrieved {retrieved}; data version {version})."
    key = f"timeline-{today:%Y%m%d}-{version.removeprefix('sha256:')[:8]}"
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{{{SITE_NAME}}}: {_bibtex_escape(words)}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  year = {{{today.year}}},",
            f"  note = {{Retrieved {retrieved}; data version {version}; {_bibtex_escape(count)}}},",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex, "version": version}
