"""`manage.py ingest_article ARTICLE.txt --metadata SOURCE.json`, end to end on real articles."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.models import IntakeProposal, Source
from tests.events.intake.ingest_helpers import LONG, SEED, counts


def ingest(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_article", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_long_article_from_the_shell(seeded):
    out, err = ingest(LONG / "article.txt", "--metadata", LONG / "source.json")
    source = Source.objects.get(publisher="BBC News")
    assert out == (
        "added source bbc-news-2026-02-22-resilient-zelensky-tells-bbc-putin-has-started-ww3-and-must-be-stopped "
        "(BBC News, 2026-02-22)\n"
        "proposed: 10 new actors, 22 statements (6 quotes, 16 paraphrases), 25 events; 4 lines of page furniture\n"
        f"review them in the admin: /admin/events/source/{source.pk}/review/\n"
    )
    assert err == (
        "warning: unknown metadata key 'found_in' ignored (the keys are: file, title, publisher, url, "
        "published_on, language, contributors, not_article_body)\n"
    )
    assert IntakeProposal.objects.filter(source=source, state="pending").count() == 57
    assert source.text == (LONG / "article.txt").read_text(encoding="utf-8")


def test_the_same_article_again_exits_non_zero_naming_the_source(seeded):
    with pytest.raises(CommandError) as caught:
        ingest(SEED / "article.txt", "--metadata", SEED / "source.json")
    assert str(caught.value) == (
        "nothing added: text: this text is already the source 'bloomberg-2017-03-03-russia-urges-trump' "
        "(Bloomberg, 2017-03-03: 'Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks'); "
        "nothing was written"
    )


def test_bad_metadata_exits_non_zero_and_writes_nothing(seeded, tmp_path):
    metadata = json.loads((LONG / "source.json").read_text(encoding="utf-8"))
    metadata["language"] = "xx"
    del metadata["published_on"]
    path = tmp_path / "source.json"
    path.write_text(json.dumps(metadata), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as caught:
        ingest(LONG / "article.txt", "--metadata", path)
    assert str(caught.value) == (
        "nothing added: published_on: a publication date is required (YYYY-MM-DD); "
        "language: 'xx' is not a known BCP 47 language tag (e.g. en, en-GB, fr, uk)"
    )
    assert counts() == before


def test_unreadable_files_are_named(seeded, tmp_path):
    with pytest.raises(
        CommandError, match=r"^nothing added: cannot read .*missing\.txt: No such file or directory$"
    ):
        ingest(tmp_path / "missing.txt", "--metadata", LONG / "source.json")
    broken = tmp_path / "source.json"
    broken.write_text('{"title": ', encoding="utf-8")
    with pytest.raises(CommandError, match=r"^nothing added: .*source\.json is not JSON: Expecting value"):
        ingest(LONG / "article.txt", "--metadata", broken)


def test_the_command_exits_1_from_a_shell(seeded, tmp_path):
    """As an operator runs it: the exit status says it failed."""
    from django.core.management import ManagementUtility

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    utility = ManagementUtility(
        ["manage.py", "ingest_article", str(empty), "--metadata", str(LONG / "source.json")]
    )
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code == 1
