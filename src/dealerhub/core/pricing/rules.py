"""Price resolution as pure functions: which price is valid on a date, which discount of an
agreement applies to an item, money rounding and VAT included in a price. No I/O here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dealerhub.shared.texts import T, Text

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Most specific first: an item discount beats its group's, a group's beats the brand's, and so on.
SCOPE_PRECEDENCE = ("item", "group", "brand", "all")
SCOPE_NAMES: dict[str, Text] = {"item": T("item"), "group": T("group"), "brand": T("brand"), "all": T("all items")}


def round_money(value: Decimal) -> Decimal:
    """To kopecks, half up (0.005 -> 0.01), as invoices round."""
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def has_places(value: Decimal, places: int) -> bool:
    """True if `value` needs no more than `places` decimal places."""
    value = Decimal(value)
    return value == value.quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class PricePeriod:
    price: Decimal
    valid_from: date
    valid_to: date | None = None  # inclusive; None = open-ended

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


def price_on(periods: Iterable[PricePeriod], on: date) -> Decimal | None:
    """The price valid on `on`: of the periods covering the date, the one that started latest."""
    valid = [p for p in periods if p.covers(on)]
    return max(valid, key=lambda p: p.valid_from).price if valid else None


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Do two inclusive date ranges (None = open-ended) share at least one day?"""
    a_ends_before_b = a_to is not None and a_to < b_from
    b_ends_before_a = b_to is not None and b_to < a_from
    return not (a_ends_before_b or b_ends_before_a)


@dataclass(frozen=True)
class DiscountRule:
    """One discount of an agreement. `target_id` is the item, group or brand id (None for "all")."""

    scope: str
    percent: Decimal
    target_id: int | None = None


@dataclass(frozen=True)
class ItemPlace:
    """Where an item sits for discounts: its groups from its own up to the root, and its brand."""

    item_id: int
    group_path: tuple[int, ...]
    brand_id: int | None = None


def _rank(rule: DiscountRule, place: ItemPlace) -> tuple[int, int] | None:
    """How specific `rule` is for `place` (lower wins); None if it doesn't apply."""
    if rule.scope == "item":
        return (0, 0) if rule.target_id == place.item_id else None
    if rule.scope == "group":
        if rule.target_id in place.group_path:
            return (1, place.group_path.index(rule.target_id))  # the nearest ancestor wins
        return None
    if rule.scope == "brand":
        return (2, 0) if place.brand_id is not None and rule.target_id == place.brand_id else None
    if rule.scope == "all":
        return (3, 0)
    raise ValueError(f"unknown discount scope {rule.scope!r}")


def applicable_discount(rules: Iterable[DiscountRule], place: ItemPlace) -> Decimal:
    """The percent of the most specific rule that applies (0 if none does).

    A more specific rule wins even when it is smaller, so a 0 % item discount exempts an item
    from its group's discount."""
    ranked = [(rank, rule.percent) for rule in rules if (rank := _rank(rule, place)) is not None]
    if not ranked:
        return ZERO
    best = min(rank for rank, _ in ranked)
    return max(percent for rank, percent in ranked if rank == best)


def apply_discount(base: Decimal, percent: Decimal) -> Decimal:
    return round_money(base * (HUNDRED - percent) / HUNDRED)


@dataclass(frozen=True)
class PersonalPrice:
    """A dealer's price for one item: the price type's price, the discount and what they pay."""

    base_price: Decimal
    price: Decimal
    discount_percent: Decimal


def program_discount(rules: Iterable[DiscountRule], place: ItemPlace) -> Decimal:
    """The largest percent of the program discounts (bonus programs: discounts and promotions in
    force for the dealer) that apply to the item; 0 if none does."""
    return max((rule.percent for rule in rules if _rank(rule, place) is not None), default=ZERO)


def personal_price_of(
    periods: Iterable[PricePeriod],
    rules: Iterable[DiscountRule],
    place: ItemPlace,
    on: date,
    program_rules: Iterable[DiscountRule] = (),
) -> PersonalPrice | None:
    """The price type's price less one discount: the agreement's (its most specific rule) or a
    program's, whichever is larger. Discounts never add up (docs/cabinet.md, "Bonus programs")."""
    base = price_on(periods, on)
    if base is None:
        return None
    percent = max(applicable_discount(rules, place), program_discount(program_rules, place))
    return PersonalPrice(base_price=base, price=apply_discount(base, percent), discount_percent=percent)


def line_amount(quantity: Decimal, price: Decimal) -> Decimal:
    return round_money(quantity * price)


def vat_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The VAT inside an amount that includes it: amount * rate / (100 + rate), to kopecks."""
    return round_money(amount * rate / (HUNDRED + rate))


def discount_problem(rule: DiscountRule) -> Text | None:
    """Why a discount can't be part of an agreement, or None if it can."""
    if rule.scope not in SCOPE_PRECEDENCE:
        return T(
            "unknown discount scope %(scope)s; use one of %(scopes)s",
            scope=rule.scope, scopes=", ".join(SCOPE_PRECEDENCE),
        )
    if rule.scope == "all" and rule.target_id is not None:
        return T("a discount on all items takes no target")
    if rule.scope != "all" and rule.target_id is None:
        return T("a discount on a %(scope)s needs its target", scope=scope_name(rule.scope))
    percent = Decimal(rule.percent)
    if not ZERO <= percent <= HUNDRED or not has_places(percent, 2):
        return T(
            "discount %(percent)s must be between 0 and 100 with at most 2 decimal places", percent=rule.percent
        )
    return None


def scope_name(scope: str) -> str:
    """What a discount's scope is called in a sentence (the code itself for an unknown one)."""
    return SCOPE_NAMES.get(scope, scope)


def duplicate_discounts(rules: Iterable[DiscountRule]) -> list[tuple[str, int | None]]:
    """(scope, target) pairs that appear more than once: an agreement has one discount per target."""
    seen: set[tuple[str, int | None]] = set()
    duplicates = []
    for rule in rules:
        key = (rule.scope, rule.target_id)
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    return duplicates


def group_path(parents: dict[int, int | None], group_id: int | None) -> tuple[int, ...]:
    """The group and its ancestors up to the root (a loop in the data stops the walk)."""
    path: list[int] = []
    while group_id is not None and group_id not in path:
        path.append(group_id)
        group_id = parents.get(group_id)
    return tuple(path)
