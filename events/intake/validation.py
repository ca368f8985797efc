"""What an article must be to be taken in: its text, and its metadata in the `seeds/source.json` format.

Both doors (the admin's "Add an article" and `manage.py ingest_article`) hand what they were
given to `events.intake.store.article_ingest`, which checks it here first; each problem is
named with the field it concerns, and nothing is written while any remains.

- The text: not empty, not binary, UTF-8 (when it arrives as bytes), at most
  `MAX_ARTICLE_BYTES`. Line endings become "\\n": a browser sends a pasted text's line breaks
  as "\\r\\n" whatever the clipboard held, so without this the same article would be two
  different texts (and checksums) through the two doors.
- The metadata: title, publisher, publication date (not in the future) and a BCP 47 language
  tag are required; URL, contributors and furniture lines (`not_article_body`) are optional.
  Keys the format does not have are reported as warnings and ignored: the file is shared with
  other tools (the development set's `found_in`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import langcodes
from django.utils import timezone
from rest_framework import serializers

from events.seeding.format import SourceMetadata, flatten_errors

# 1 MB, in bytes of UTF-8: far above any news article (the 1,809-word one is 11 kB), low
# enough that a pasted book or a wrong file is refused before the pipeline reads it.
MAX_ARTICLE_BYTES = 1_000_000

# C0 controls other than tab, line feed, form feed and carriage return (which text files
# hold), and lone surrogates: binary data, not text.
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff]")


class IntakeError(ValueError):
    """The input cannot be taken in. `problems` pairs each problem with the field it concerns
    ("text", "title", "published_on", ... or "source" for a duplicate); the message lists them."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))


def article_text(raw: str | bytes) -> str:
    """The article's text, checked (see the module docstring); raises IntakeError("text", ...)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_ARTICLE_BYTES:
            raise _text_error(_too_big(len(raw)))
        nul = raw.find(b"\x00")
        if nul != -1:
            raise _text_error(f"the article is binary data, not text (a NUL byte at offset {nul})")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _text_error(
                f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start} is not UTF-8)"
            ) from None
        # A byte-order mark says how the file is encoded; it is no part of the article.
        text = text.removeprefix("\ufeff")
    else:
        text = raw
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_ARTICLE_BYTES:
            raise _text_error(_too_big(size))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _text_error("the article is empty")
    control = _BINARY.search(text)
    if control:
        raise _text_error(
            f"the article is binary data, not text (control character U+{ord(control.group()):04X} "
            f"at offset {control.start()})"
        )
    return text


def _too_big(size: int) -> str:
    return f"the article is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes (1 MB)"


def _text_error(message: str) -> IntakeError:
    return IntakeError([("text", message)])


def language_tag_problem(tag: str) -> str | None:
    """Why `tag` is not a BCP 47 language tag the IANA registry knows (langcodes), or None."""
    if not langcodes.tag_is_valid(tag):
        return f"{tag!r} is not a known BCP 47 language tag (e.g. en, en-GB, fr, uk)"
    return None


class ArticleMetadataInput(SourceMetadata):
    """The `seeds/source.json` fields, as intake takes them: `file` is optional (the command is
    given the text's path; the admin has the text itself)."""

    file = serializers.CharField(required=False, default="")
    published_on = serializers.DateField(
        error_messages={
            "required": "a publication date is required (YYYY-MM-DD)",
            "invalid": "not a date: give it as YYYY-MM-DD",
        }
    )
    title = serializers.CharField(max_length=500, error_messages={"required": "a title is required"})
    publisher = serializers.CharField(max_length=200, error_messages={"required": "a publisher is required"})
    language = serializers.CharField(
        max_length=16, error_messages={"required": "a language is required (a BCP 47 tag, e.g. en)"}
    )

    def validate_published_on(self, value: datetime.date) -> datetime.date:
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError(
                f"{value.isoformat()} is in the future (today is {today.isoformat()})"
            )
        return value

    def validate_language(self, value: str) -> str:
        problem = language_tag_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        # The registry's own spelling: "EN-gb" and "en_GB" are stored as "en-GB", "eng" as "en".
        return langcodes.standardize_tag(value)


@dataclass(frozen=True)
class ValidMetadata:
    """Checked metadata, ready for a Source."""

    title: str
    publisher: str
    url: str
    published_on: datetime.date
    language: str
    contributors: tuple[str, ...]
    not_article_body: tuple[str, ...]


def article_metadata(raw: Mapping[str, Any]) -> tuple[ValidMetadata, list[str]]:
    """The metadata checked, and the warnings (unknown keys, ignored); raises IntakeError naming
    every field with a problem. A key given as null or "" counts as missing."""
    if not isinstance(raw, Mapping):
        raise IntakeError(
            [("metadata", "the metadata must be a JSON object (the format of seeds/source.json)")]
        )
    known = list(ArticleMetadataInput().fields)
    warnings = [
        f"unknown metadata key {key!r} ignored (the keys are: {', '.join(known)})"
        for key in raw
        if key not in known
    ]
    given = {key: value for key, value in raw.items() if key in known and value not in (None, "")}
    form = ArticleMetadataInput(data=given)
    if not form.is_valid():
        problems = []
        for line in flatten_errors(form.errors):
            field, _, message = line.partition(": ")
            problems.append((field.split("[")[0], message))
        raise IntakeError(problems)
    data = form.validated_data
    return (
        ValidMetadata(
            title=data["title"],
            publisher=data["publisher"],
            url=data["url"],
            published_on=data["published_on"],
            language=data["language"],
            contributors=tuple(name.strip() for name in data["contributors"] if name.strip()),
            not_article_body=tuple(line.strip() for line in data["not_article_body"] if line.strip()),
        ),
        warnings,
    )
