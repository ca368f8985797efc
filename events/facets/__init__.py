"""Facets and histograms: how the items of a filtered list spread over actors, conflicts, types and time.

- `summaries`: counts PostgreSQL keeps current for the unfiltered timeline and each
  actor's (the common pages, read in one query);
- `counting`: counts of any filtered list, made by queries on the spot, each facet within
  a time budget;
- `histogram`: the counts by period laid out as buckets in date order;
- `results`: the counts as the API and the pages show them (value, label, count, toggle URL).
"""
