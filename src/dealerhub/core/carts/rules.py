"""Pure rules of the carts: names, quantities as dealers type them, pasted quick-order text, the
expiry of a reservation and the fingerprint of a reviewed cart. No I/O."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from dealerhub.core.carts.errors import InvalidCartInput
from dealerhub.shared.texts import T

NAME_MAX = 100
QTY_PLACES = 3  # what the registers store (shared.types.Qty)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def clean_name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidCartInput(T("a cart needs a name"))
    if len(cleaned) > NAME_MAX:
        raise InvalidCartInput(T("a cart name is at most %(max)s characters", max=NAME_MAX))
    return cleaned


def looks_like_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip().replace("\u00a0", "").replace(" ", "")))


def parse_quantity(text: str | Decimal | int) -> Decimal:
    """A quantity as typed: "2", "1,5", "0.250"; raises InvalidCartInput for anything else."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if not _NUMBER.match(raw):
            raise InvalidCartInput(T("quantity «%(quantity)s» is not a number", quantity=str(text).strip()), quantity=str(text))
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise InvalidCartInput(T("quantity «%(quantity)s» is not a number", quantity=str(text))) from exc
    if not value.is_finite():
        raise InvalidCartInput(T("quantity «%(quantity)s» is not a number", quantity=str(text)))
    return value


def quantity_problem(quantity: Decimal, precision: int, unit: str) -> str | None:
    """Why `quantity` can't be in a cart line of an item measured in `unit` (with `precision`
    decimal places: 0 for pieces), or None."""
    if quantity <= 0:
        return T("quantity must be positive, got %(quantity)s", quantity=show(quantity))
    places = min(precision, QTY_PLACES)
    if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            return T("%(quantity)s %(unit)s: this item is sold in whole %(unit)s only", quantity=show(quantity), unit=unit)
        return T("%(quantity)s %(unit)s: at most %(places)s decimal places", quantity=show(quantity), unit=unit, places=places)
    return None


def show(quantity: Decimal) -> str:
    """4, 1.5 (not 4.000)."""
    text = format(Decimal(quantity).normalize(), "f")
    return text


@dataclass(frozen=True)
class PastedLine:
    """One line of a quick order: where it was, the article as written and the quantity text."""

    row: int
    article: str
    quantity: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    text: str
    problem: str


def split_pasted(text: str) -> tuple[list[PastedLine], list[RowProblem]]:
    """Lines "article quantity", separated by a tab, ';' or spaces (then the last word is the
    quantity, so an article may contain spaces: "6I 2503 4" is 4 of 6I-2503). A first line whose
    quantity is not a number is taken for a header and skipped, unless it has a digit (articles do,
    headers don't: a line is never dropped unsaid)."""
    lines: list[PastedLine] = []
    problems: list[RowProblem] = []
    for row, raw in enumerate((text or "").splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if "\t" in stripped or ";" in stripped:
            cells = [c.strip() for c in re.split(r"[\t;]", stripped)]
            cells = [c for c in cells if c]
        else:
            parts = stripped.rsplit(None, 1)
            cells = parts if len(parts) == 2 else [stripped]
        entry = cells_to_line(row, cells, first=not lines and not problems)
        if isinstance(entry, PastedLine):
            lines.append(entry)
        elif entry is not None:
            problems.append(entry)
    return lines, problems


def cells_to_line(row: int, cells: list[str], *, first: bool) -> PastedLine | RowProblem | None:
    """A row of a pasted text or of a file: the article in the first non-empty cell, the quantity
    in the next one. None for a blank row or a header."""
    cells = [c.strip() for c in cells if c is not None and str(c).strip()]
    if not cells:
        return None
    if len(cells) < 2:
        return RowProblem(row, " ".join(cells), T("no quantity: write the article, then the quantity"))
    article, quantity = cells[0], cells[1]
    if not looks_like_number(quantity):
        if first and not any(ch.isdigit() for ch in article + quantity):
            return None  # a header ("Article; Quantity"); "6I-2503 two" is a line with a bad quantity
        return RowProblem(row, f"{article} {quantity}", T("quantity «%(quantity)s» is not a number", quantity=quantity))
    return PastedLine(row, article, quantity)


def reservation_expiry(now: datetime, hours: int, agreement_ends: date | None) -> datetime:
    """A reservation lasts the agreement's reservation lifetime, and never past the agreement."""
    until = now + timedelta(hours=hours)
    if agreement_ends is not None:
        until = min(until, datetime.combine(agreement_ends + timedelta(days=1), time(0), tzinfo=UTC))
    return until


def fingerprint(version: int, seen: object) -> str:
    """What the dealer reviewed: the cart's version and a digest of the figures shown."""
    digest = hashlib.sha256(json.dumps(seen, sort_keys=True, default=_plain).encode()).hexdigest()[:32]
    return f"{version}-{digest}"


def _plain(value: object) -> str:
    """1 and 1.000 are the same figure."""
    return show(value) if isinstance(value, Decimal) else str(value)


def fingerprint_version(value: str) -> int | None:
    head = (value or "").split("-", 1)[0]
    return int(head) if head.isdigit() else None
