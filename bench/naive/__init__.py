"""The naive DRF build the benchmark compares against: a typical first-cut API over the same models.

Plain nested ModelSerializers with no select_related/prefetch_related (so every list
page runs N+1 queries), page-number pagination with its COUNT, django-filter
`filterset_fields` and DRF's SearchFilter (icontains). It lives under bench/ only and is
served by its own settings module (`bench.naive.settings`) at /naive/api/; the real
project never imports it.
"""
