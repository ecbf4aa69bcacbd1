"""Pages of a list, for the API (`?page=&limit=`, the next page in a `Link` header) and the screens.

A list of open episodes grows with the region (8 000 gave an 8 MB answer); a page is bounded.
`page` and `limit` come from a URL, so they are read as ASCII digits within bounds, never with
`int()` on the raw text (which takes "٣", " 3" and "3_0"), and a wrong one names its parameter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_PAGE = 100_000
_NUMBER = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    limit: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.limit


def _bounded(raw: str | None, field: str, *, default: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not _NUMBER.fullmatch(raw) or not 1 <= int(raw) <= high:
        raise ValidationError({field: f"A whole number from 1 to {high}, written with 0-9."})
    return int(raw)


def page_of(*, page: str | None, limit: str | None, default_limit: int = DEFAULT_LIMIT) -> Page:
    """The page a request asks for; ValidationError naming `page` or `limit` when it is wrong."""
    return Page(
        number=_bounded(page, "page", default=1, high=MAX_PAGE),
        limit=_bounded(limit, "limit", default=default_limit, high=MAX_LIMIT),
    )


@dataclass(frozen=True)
class Paged:
    """Where a page sits in the whole list."""

    page: Page
    total: int
    # The list's other parameters (its filters), kept in the links to the other pages.
    keep: tuple[tuple[str, str], ...] = ()

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page.limit))

    @property
    def has_next(self) -> bool:
        return self.page.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page.number > 1

    def query(self, number: int) -> str:
        """The query string of another page of the same list (same limit)."""
        return "?" + urlencode([*self.keep, ("page", number), ("limit", self.page.limit)])

    @property
    def next_query(self) -> str | None:
        return self.query(self.page.number + 1) if self.has_next else None

    @property
    def previous_query(self) -> str | None:
        return self.query(self.page.number - 1) if self.has_previous else None

    def link_header(self, path: str) -> str:
        """RFC 8288 links to the neighbouring pages, as the API answers them."""
        links = [
            f'<{path}{query}>; rel="{rel}"'
            for query, rel in [(self.next_query, "next"), (self.previous_query, "prev")]
            if query is not None
        ]
        return ", ".join(links)


def paged_headers(response: HttpResponse, paged: Paged, path: str) -> None:
    """`X-Total-Count` and `Link`, as every paged list of the API answers them."""
    response["X-Total-Count"] = str(paged.total)
    if links := paged.link_header(path):
        response["Link"] = links


def page_back(
    items: QuerySet[Any],
    *,
    at: str,
    before: int | None,
    limit: int,
    read: Callable[[QuerySet[Any]], list[Any]] = list,
) -> tuple[list[Any], int | None]:
    """The latest `limit` of `items` by their time `at` (then id), oldest first, or the `limit`
    before the item `before`; and the `before` of the page of older ones (None: none are
    older). An index walk from the end: the cost is the page's, whatever the history. `read`
    makes the page's rows (model objects by default)."""
    if before is not None:
        cursor = items.filter(pk=before).values(at).first()
        if cursor is None:
            return [], None
        items = items.filter(
            Q(**{f"{at}__lt": cursor[at]}) | Q(**{at: cursor[at], "pk__lt": before})
        )
    page = read(items.order_by(f"-{at}", "-id")[: limit + 1])
    older = page[limit - 1].pk if len(page) > limit else None
    return page[:limit][::-1], older
