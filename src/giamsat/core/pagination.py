"""The API's default pagination: django-ninja's limit/offset with bounded numbers.

Unbounded ``limit``/``offset`` let a client ask for 10^30 rows, which the databases reject with
a server error (SQLite: "datatype mismatch") instead of a clean 422. Set as
``NINJA_PAGINATION_CLASS`` so every ``@paginate`` of every app gets it; endpoints paged by
page number use ``BoundedPageNumberPagination``.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PageNumberPagination

MAX_LIMIT = 500
MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs) -> None:
        super().__init__(max_limit=max_limit, **kwargs)


MAX_PAGE = 10**6


class BoundedPageNumberPagination(PageNumberPagination):
    """Page numbers with the same bounds (a page beyond 10^6 is a 422, not an OFFSET overflow)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_LIMIT)

    def __init__(self, page_size: int = 50, max_page_size: int = MAX_LIMIT, **kwargs) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
