"""`python -m bench.ab`: this API against another checkout of it, interleaved, to compare two versions.

`./dev bench` measures one version at a time. On a shared machine the same code measures
up to 25% apart on p50, and 45% on throughput, from one run to the next, so two runs an
hour apart cannot show a difference of a few percent. Here both versions run at once,
each against its own corpus (built by its own code), and the load alternates between
them in short rounds (A B, then B A, ...): whatever the machine does during a round falls
on both. What is compared is each round's ratio, after / before, and the median of those
ratios is reported with their range.

Each version is served as `./dev bench` serves it (`bench.targets.ours`: gunicorn with
its gunicorn.conf.py, two workers, DEBUG off), with the same requests (`bench.params`),
loaded by wrk with one client (p50) and eight (requests per second). Both must answer
every request 200 with the same number of bytes, or the comparison stops: it would not
be comparing the same answer.

    python -m bench.ab --before-dir ../before --before-data ../before/.bench/pgdata --label L

The before checkout needs its own virtualenv (`.venv`) and corpus (`./dev bench` there
builds it). Results go to bench/results/DATE-LABEL.{json,md}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import ROOT, database_name, django_env
from bench.params import QUERIES
from bench.postgres import BenchServer
from bench.run import (
    _fetch,
    _free_port,
    _statements_per_request,
    _wait_ready,
    _wrk,
    choose_params,
    commit,
    machine,
)
from bench.targets import ours

COMPARED = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8")


class Side:
    """One version: its checkout, its PostgreSQL server and corpus, and its gunicorn."""

    def __init__(self, name: str, checkout: Path, data_dir: Path, database: str):
        self.name, self.checkout, self.database = name, checkout.resolve(), database
        self.server = BenchServer(data_dir)
        self.process: subprocess.Popen | None = None
        self.base_url = ""

    def start(self) -> None:
        self.server.start()
        port = _free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        argv, env = ours.server_command(
            port,
            self.server.url(self.database),
            self.checkout,
            str(self.checkout / ".venv" / "bin" / "python"),
        )
        self.process = subprocess.Popen(
            argv, env=env, cwd=self.checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_ready(self.process, self.base_url)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.server.stop()


def _ratio_summary(ratios: list[float]) -> dict:
    return {
        "median": round(statistics.median(ratios), 4),
        "min": round(min(ratios), 4),
        "max": round(max(ratios), 4),
    }


def counts(side: Side, paths: dict[str, str]) -> dict[str, dict]:
    """{query: bench.request_counts' counts}, taken in the side's own checkout and virtualenv."""
    result = subprocess.run(
        [
            str(side.checkout / ".venv" / "bin" / "python"),
            str(ROOT / "bench" / "request_counts.py"),
            *paths.values(),
        ],
        env=django_env(side.server.url(side.database)),
        cwd=side.checkout,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"{side.name}: request_counts failed: {result.stderr[-2000:]}")
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"path"')]
    return dict(zip(paths, rows, strict=True))


def compare(
    after: Side,
    before: Side,
    *,
    queries: list[str],
    rounds: int,
    seconds: int,
    concurrencies: list[int],
    log,
) -> dict:
    """Per query: counts on both sides, then per concurrency each round's p50 and req/s on both, and their ratios."""
    params = choose_params(after.server, after.database, export_rows=10_000)
    other = choose_params(before.server, before.database, export_rows=10_000)
    if other != params:
        differ = {
            key: (value, getattr(other, key))
            for key, value in params.__dict__.items()
            if getattr(other, key) != value
        }
        raise SystemExit(f"the two corpora differ: their benchmark parameters (after, before) {differ}")
    requests = {side.name: ours.requests(side.base_url, params) for side in (after, before)}
    counted = {
        side.name: counts(side, {query: requests[side.name][query].path for query in queries})
        for side in (after, before)
    }
    results: dict[str, dict] = {}
    for query in queries:
        row: dict = {"description": QUERIES[query]}
        for side in (after, before):
            request = requests[side.name][query]
            status, body, _ = _fetch(side.base_url, request)
            if status != 200:
                raise SystemExit(f"{side.name} answered {query} with HTTP {status}: {body[:300]!r}")
            row[f"{side.name}_bytes"] = len(body)
            row[f"{side.name}_sql_per_request"] = _statements_per_request(
                side.server, side.database, side.base_url, request
            )
        if row["after_bytes"] != row["before_bytes"]:
            raise SystemExit(
                f"{query}: after answers {row['after_bytes']} bytes, before {row['before_bytes']}"
            )
        row["counts"] = {side: counted[side][query] for side in ("after", "before")}
        log(f"{query} counts: {row['counts']}")
        for concurrency in concurrencies if rounds else []:
            for side in (after, before):  # warm both, not measured
                _wrk(side.base_url, requests[side.name][query], concurrency, 1)
            cells: dict[str, list[dict]] = {"after": [], "before": []}
            for number in range(rounds):
                order = (after, before) if number % 2 == 0 else (before, after)
                for side in order:
                    stats = _wrk(side.base_url, requests[side.name][query], concurrency, seconds)
                    if stats["errors"] or stats["non2xx"]:
                        raise SystemExit(f"{side.name} {query} c{concurrency}: {stats}")
                    cells[side.name].append({"p50_us": stats["p50_us"], "rps": stats["rps"]})
            p50 = [a["p50_us"] / b["p50_us"] for a, b in zip(cells["after"], cells["before"], strict=True)]
            rps = [a["rps"] / b["rps"] for a, b in zip(cells["after"], cells["before"], strict=True)]
            row[f"c{concurrency}"] = {
                "rounds": cells,
                "after_p50_ms": round(statistics.median(c["p50_us"] for c in cells["after"]) / 1000, 2),
                "before_p50_ms": round(statistics.median(c["p50_us"] for c in cells["before"]) / 1000, 2),
                "after_rps": round(statistics.median(c["rps"] for c in cells["after"]), 1),
                "before_rps": round(statistics.median(c["rps"] for c in cells["before"]), 1),
                "p50_ratio": _ratio_summary(p50),
                "rps_ratio": _ratio_summary(rps),
            }
            cell = row[f"c{concurrency}"]
            log(
                f"{query} c{concurrency}: p50 {cell['before_p50_ms']} -> {cell['after_p50_ms']} ms "
                f"(ratio {cell['p50_ratio']['median']}), {cell['before_rps']} -> {cell['after_rps']} req/s "
                f"(ratio {cell['rps_ratio']['median']})"
            )
        results[query] = row
    return {"params": params.__dict__, "queries": results}


def _percent(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f}%"


def markdown(report: dict) -> str:
    lines = [
        f"# This API, before and after, interleaved ({report['label']})",
        "",
        f"- When: {report['started']}; after: commit {report['after_commit']}; before: commit {report['before_commit']}",
        f"- Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores",
        f"- {report['rounds']} rounds of {report['seconds']} s per side, per query and concurrency, alternating "
        "A B / B A; each version on its own corpus, both running at once (`python -m bench.ab`)",
        "- Ratio: after / before of one round, median of the rounds [lowest, highest]; p50 lower is better, "
        "req/s higher is better",
        "",
        "| Query | SQL/req before → after | p50 c1 before → after (ms) | p50 c1 ratio | req/s c8 before → after "
        "| req/s c8 ratio |",
        "|---|---|---|---|---|---|",
    ]
    timed = [(query, row) for query, row in report["queries"].items() if "c1" in row]
    for query, row in timed:
        one, eight = row["c1"], row["c8"]
        lines.append(
            f"| {query} {row['description']} | {row['before_sql_per_request']:g} → {row['after_sql_per_request']:g} "
            f"| {one['before_p50_ms']} → {one['after_p50_ms']} "
            f"| {_percent(one['p50_ratio']['median'])} [{_percent(one['p50_ratio']['min'])}, "
            f"{_percent(one['p50_ratio']['max'])}] "
            f"| {eight['before_rps']} → {eight['after_rps']} "
            f"| {_percent(eight['rps_ratio']['median'])} [{_percent(eight['rps_ratio']['min'])}, "
            f"{_percent(eight['rps_ratio']['max'])}] |"
        )
    lines += [
        "",
        "Counts, which do not depend on the machine's speed (`bench/request_counts.py`): Python function "
        "calls per request (cProfile), and over the request's SQL statements the shared buffers their plans "
        "touched and the least of five planning times.",
        "",
        "| Query | Python calls before → after | buffers before → after | planning ms before → after |",
        "|---|---|---|---|",
    ]
    for query, row in report["queries"].items():
        after, before = row["counts"]["after"], row["counts"]["before"]

        def total(side: dict, key: str) -> float:
            return round(sum(statement[key] for statement in side["statements"]), 2)

        lines.append(
            f"| {query} | {before['calls']:,.0f} → {after['calls']:,.0f} "
            f"({_percent(after['calls'] / before['calls'])}) "
            f"| {total(before, 'buffers'):,.0f} → {total(after, 'buffers'):,.0f} "
            f"| {total(before, 'planning_ms')} → {total(after, 'planning_ms')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before-dir", type=Path, required=True, help="the other checkout, with its own .venv"
    )
    parser.add_argument(
        "--before-data", type=Path, required=True, help="its benchmark PostgreSQL data folder"
    )
    parser.add_argument(
        "--after-dir",
        type=Path,
        default=ROOT,
        help="the version compared against --before-dir (this checkout)",
    )
    parser.add_argument("--after-data", type=Path, default=ROOT / ".bench" / "pgdata")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8, help="0: the counts only, no timing")
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration of one side's round")
    parser.add_argument("--queries", default=",".join(COMPARED), help="comma-separated, of Q1 to Q8")
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    queries = [query.strip() for query in args.queries.split(",") if query.strip()]
    if unknown := sorted(set(queries) - set(COMPARED)):
        parser.error(f"--queries: unknown {', '.join(unknown)}; choose from {', '.join(COMPARED)}")

    def log(message: str) -> None:
        print(f"{datetime.datetime.now():%H:%M:%S} {message}", file=sys.stderr, flush=True)

    database = database_name(args.events, args.seed)
    after = Side("after", args.after_dir, args.after_data, database)
    before = Side("before", args.before_dir, args.before_data, database)
    report = {
        "label": args.label,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "after_commit": commit(args.after_dir),
        "before_commit": commit(args.before_dir),
        "machine": machine(),
        "rounds": args.rounds,
        "seconds": args.seconds,
    }
    try:
        for side in (after, before):
            side.start()
            log(f"{side.name}: {side.checkout} serving at {side.base_url}")
        time.sleep(2)
        report.update(
            compare(
                after,
                before,
                queries=queries,
                rounds=args.rounds,
                seconds=args.seconds,
                concurrencies=[1, 8],
                log=log,
            )
        )
    finally:
        for side in (after, before):
            side.stop()
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{datetime.date.today().isoformat()}-{args.label}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    log(f"wrote {stem}.json and {stem}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
