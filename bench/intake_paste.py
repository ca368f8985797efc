"""Time "Add an article" as an editor meets it: from the POST of the pasted text to the review
page with its proposals, against a running server (the README's figure).

    python -m bench.intake_paste http://127.0.0.1:8000 USERNAME PASSWORD [ARTICLE_FOLDER] [--runs N]

Logs in through the admin's login form, then for each run: fetches "Add an article" (for
its CSRF token), posts the article of ARTICLE_FOLDER (default: the 1,809-word BBC article of
tests/fixtures/articles/long/) with a title made unique per run (the text must be too, so
each run adds a line of its own at the end: same length and work), follows the redirect and
reads the whole review page. Prints each run's seconds, then the median. Each run adds a
source: point it at a development database, never production.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

import requests

DEFAULT = (
    Path(__file__).resolve().parents[1]
    / "tests/fixtures/articles/long/bbc-2026-02-22-zelensky-putin-ww3-interview"
)


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = (args.folder / "article.txt").read_text(encoding="utf-8")
    meta = json.loads((args.folder / "source.json").read_text(encoding="utf-8"))
    session = requests.Session()
    login = f"{args.base}/admin/login/"
    token = _csrf(session, login)
    session.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "username": args.username,
            "password": args.password,
            "next": "/admin/",
        },
        headers={"Referer": login},
    ).raise_for_status()
    add = f"{args.base}/admin/events/source/add-article/"
    times = []
    stamp = time.time_ns()
    for run in range(args.runs):
        token = _csrf(session, add)
        data = {
            "csrfmiddlewaretoken": token,
            # a browser sends a pasted text's line breaks as CRLF
            "text": (text + f"\n[timing run {stamp}-{run}]").replace("\n", "\r\n"),
            "title": f"{meta['title']} (timing run {stamp}-{run})",
            "publisher": meta["publisher"],
            "url": meta["url"],
            "published_on": meta["published_on"],
            "language": meta["language"],
            "contributors": "\r\n".join(meta["contributors"]),
            "furniture": "",
        }
        started = time.perf_counter()
        page = session.post(add, data=data, headers={"Referer": add})
        seconds = time.perf_counter() - started
        page.raise_for_status()
        if "/review/" not in page.url or "<mark" not in page.text:
            raise SystemExit(f"run {run}: no review page ({page.url})")
        times.append(seconds)
        listed = page.text.count('<tr id="proposal-')
        print(f"run {run + 1}: {seconds:.2f} s ({listed} proposals listed)")
    print(f"median {statistics.median(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
