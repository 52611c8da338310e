"""Demo time: everything happens at fixed moments relative to one anchor, never at the wall clock,
so a seed gives the same data (dates, document numbers) whenever it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from dealerhub.shared import clock

# The demo's "today": the last document of the history is dated shortly before it.
ANCHOR = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
OPENING_DAYS_BEFORE = 150  # the opening balances
HISTORY_DAYS = 120  # orders, receipts and sales spread over this many days before the anchor


def at(days_before: float, *, hour: int = 0, minute: int = 0) -> datetime:
    return ANCHOR - timedelta(days=days_before) + timedelta(hours=hour, minutes=minute)


def day(days_before: int) -> date:
    return at(days_before).date()


def set_time(moment: datetime) -> None:
    """Let the use cases see `moment` as now (documents take their dates from the clock)."""
    clock.freeze(moment)


class Progress(Protocol):
    """What the seed reports while it works (the CLI draws a progress bar from it)."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class NoProgress:
    def phase(self, name: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass
