"""The systems the benchmark compares, each a module with `requests(base_url, params)`.

`requests` returns {query id: Request} for the query ids of `bench.params.QUERIES` the
target can answer. It may call the running target at `base_url` to prepare (e.g. to
obtain a cursor for the deep page), but those calls are not measured.
"""
