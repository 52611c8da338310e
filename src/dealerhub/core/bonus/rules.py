"""The bonus arithmetic as pure functions: periods, tiers, the accrual of a period, the dealer's
status, the cap on an order and the spreading of bonus over an order's lines. No I/O here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from itertools import pairwise

from dealerhub.core.pricing.rules import HUNDRED, KOPECK, ZERO, line_amount, round_money
from dealerhub.shared.texts import T

_MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive

    def label(self, kind: str) -> str:
        if kind == "year":
            return f"{self.start.year}"
        if kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"


def period_of(kind: str, day: date) -> Period:
    """The calendar month, quarter or year holding `day`."""
    months = _MONTHS_IN[kind]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return Period(start, _add_months(start, months) - timedelta(days=1))


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """The periods from the one holding `first` to the one holding `last`, in order."""
    periods: list[Period] = []
    period = period_of(kind, first)
    while period.start <= last:
        periods.append(period)
        period = period_of(kind, period.end + timedelta(days=1))
    return periods


def parse_period(text: str) -> tuple[str, Period]:
    """"2026" (a year), "2026-Q3" (a quarter) or "2026-07" (a month) -> (kind, period)."""
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", text):
        return "year", period_of("year", date(int(m[1]), 1, 1))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return "quarter", period_of("quarter", date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(m[2]) <= 12:
        return "month", period_of("month", date(int(m[1]), int(m[2]), 1))
    raise ValueError(f"period {text!r}: write 2026, 2026-Q3 or 2026-07")


def _add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    return date(day.year + total // 12, total % 12 + 1, 1)


@dataclass(frozen=True)
class Tier:
    threshold: Decimal  # turnover from which the tier holds, inclusive
    percent: Decimal


def tier_percent(tiers: Iterable[Tier], turnover: Decimal) -> Decimal:
    """The percent of the highest tier whose threshold the turnover reaches (0 below the first)."""
    reached = [t for t in tiers if turnover >= t.threshold]
    return max(reached, key=lambda t: t.threshold).percent if reached else ZERO


def accrual(tiers: Iterable[Tier], turnover: Decimal) -> tuple[Decimal, Decimal]:
    """(percent, bonus) for a closed period: the reached tier's percent of the whole turnover, to
    kopecks half up."""
    percent = tier_percent(tiers, turnover)
    return percent, round_money(turnover * percent / HUNDRED)


@dataclass(frozen=True)
class TierStatus:
    turnover: Decimal
    percent: Decimal  # the tier reached now (0: none yet)
    next_threshold: Decimal | None  # None: the top tier is reached
    next_percent: Decimal | None
    missing: Decimal | None  # buy this much more to reach next_percent
    bonus_now: Decimal  # what the period would bring if it closed now


def tier_status(tiers: Sequence[Tier], turnover: Decimal) -> TierStatus:
    percent, bonus = accrual(tiers, turnover)
    ahead = sorted((t for t in tiers if t.threshold > turnover), key=lambda t: t.threshold)
    nxt = ahead[0] if ahead else None
    return TierStatus(
        turnover=turnover,
        percent=percent,
        next_threshold=nxt.threshold if nxt else None,
        next_percent=nxt.percent if nxt else None,
        missing=nxt.threshold - turnover if nxt else None,
        bonus_now=bonus,
    )


def tiers_problem(tiers: Sequence[Tier]) -> str | None:
    """Why these tiers can't be a program's, or None."""
    if not tiers:
        return T("a turnover program needs at least one tier")
    thresholds = [t.threshold for t in tiers]
    if len(set(thresholds)) != len(thresholds):
        return T("two tiers have the same threshold")
    for t in tiers:
        if t.threshold < 0 or t.threshold != round_money(t.threshold):
            return T("threshold %(threshold)s must be non-negative, in kopecks at most", threshold=t.threshold)
        if not ZERO < t.percent <= HUNDRED or t.percent != t.percent.quantize(KOPECK):
            return T("tier percent %(percent)s must be above 0, at most 100, with 2 decimal places at most", percent=t.percent)
    ordered = sorted(tiers, key=lambda t: t.threshold)
    if any(b.percent <= a.percent for a, b in pairwise(ordered)):
        return T("a higher threshold must give a higher percent")
    return None


def order_cap(total: Decimal, cap_percent: Decimal) -> Decimal:
    """The most bonus an order of `total` may take: cap_percent of it, kopecks rounded down."""
    return (total * cap_percent / HUNDRED).quantize(KOPECK, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class LineToLower:
    line_no: int
    quantity: Decimal
    price: Decimal


def spread(amount: Decimal, lines: Sequence[LineToLower]) -> dict[int, Decimal]:
    """How much to lower each line's unit price (line_no -> kopecks per unit) so that the order's
    total drops by `amount`, shared in proportion to the lines' amounts.

    The drop of a line is its amount at the old price minus its amount at the new one (each
    rounded as order lines are). Shares are rounded down, then the rest is added in whole kopecks
    per unit, lines with the smallest quantity first, as far as it doesn't overshoot. The total drop never exceeds `amount`; it
    is exactly `amount` whenever a line's quantity lets the last kopecks fall on it (any line of
    quantity 1 does), else short of it by less than a kopeck per unit of the smallest line."""
    amounts = {ln.line_no: line_amount(ln.quantity, ln.price) for ln in lines}
    total = sum(amounts.values(), ZERO)
    if amount <= 0 or total <= 0:
        return {}
    units: dict[int, Decimal] = {}
    for ln in lines:
        share = amount * amounts[ln.line_no] / total
        units[ln.line_no] = min((share / ln.quantity).quantize(KOPECK, rounding=ROUND_DOWN), ln.price)
    left = amount - sum(drop(ln, units[ln.line_no]) for ln in lines)
    for ln in sorted(lines, key=lambda x: (x.quantity, x.line_no)):
        if left <= 0:
            break
        # at least a kopeck is tried: with a fractional quantity it may move the rounded amount
        # by no more than what is left
        room = ln.price - units[ln.line_no]
        extra = min(max((left / ln.quantity).quantize(KOPECK, rounding=ROUND_DOWN), KOPECK), room)
        before = drop(ln, units[ln.line_no])
        while extra > 0 and drop(ln, units[ln.line_no] + extra) - before > left:
            extra -= KOPECK
        if extra > 0:
            units[ln.line_no] += extra
            left -= drop(ln, units[ln.line_no]) - before
    return {no: unit for no, unit in units.items() if unit > 0}


def drop(line: LineToLower, unit: Decimal) -> Decimal:
    """How much a line's amount falls when its unit price is lowered by `unit`."""
    return line_amount(line.quantity, line.price) - line_amount(line.quantity, line.price - unit)


def bonus_of_line(quantity: Decimal, price: Decimal, unit: Decimal) -> Decimal:
    """The bonus inside an order line priced `price` after lowering by `unit`, for `quantity`."""
    return line_amount(quantity, price + unit) - line_amount(quantity, price)
