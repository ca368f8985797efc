"""Page-number pagination, in its own module: DRF imports the pagination class named in
settings while the views module is still loading, so it cannot live there."""

from rest_framework.pagination import PageNumberPagination


class NaivePagination(PageNumberPagination):
    """`?page=N&page_size=M`: OFFSET/LIMIT with a COUNT of the whole list on every page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 10_000
