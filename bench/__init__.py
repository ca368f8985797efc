"""Benchmarks of the API at scale: the harness, the peers it is compared with, and results.

`python -m bench run` (see the README) builds a synthetic corpus, starts each target
against one PostgreSQL server and measures the same nine requests on each.
"""
