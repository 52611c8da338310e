"""Paging of long lists: page numbers from the query string, offsets for the queries."""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 50


@dataclass(frozen=True)
class Paging:
    number: int
    size: int
    total: int

    @classmethod
    def start(cls, page: int | None, size: int = PAGE_SIZE) -> Paging:
        """Before counting: the requested page (1 when absent or below 1)."""
        return cls(max(page or 1, 1), size, 0)

    def with_total(self, total: int) -> Paging:
        return Paging(self.number, self.size, total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max((self.total + self.size - 1) // self.size, 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_row(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.offset + self.size, self.total)
