"""The rules of claims as pure functions: kinds, the workflow's legal moves, which resolution fits
which kind, how much of a shipped line may still be claimed, a machine's serial number and hours."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from dealerhub.shared.texts import T, Text

ZERO = Decimal(0)

KINDS = ("warranty", "damage", "shortage", "wrong_item")
STATUSES = ("submitted", "in_review", "approved", "rejected", "resolved")
RESOLUTIONS = ("credit", "replacement", "repair")

# action -> (the statuses it may start from, the status it leads to). Nothing else moves a claim.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "take": (("submitted",), "in_review"),
    "approve": (("in_review",), "approved"),
    "reject": (("in_review",), "rejected"),
    "resolve": (("approved",), "resolved"),
    # The customer return of an approved claim was cancelled: the claim is decided again.
    "reopen": (("approved",), "in_review"),
    # The customer return that resolved a credit claim was unposted: the claim waits for it again.
    "unresolve": (("resolved",), "approved"),
}

# Claims that still count against their sale line (a rejected one gives its quantity back).
COUNTING = ("submitted", "in_review", "approved", "resolved")

# The item kind whose units are machines: their claims name the machine (serial number, hours).
MACHINE_KIND = "machine"

# A serial number (VIN-like): 5..30 Latin letters and digits, dashes and slashes inside, a digit in it.
_SERIAL = re.compile(r"^[A-Z0-9](?:[A-Z0-9\-/]{3,28})[A-Z0-9]$")
MAX_HOURS = Decimal(1_000_000)


def allowed_from(action: str) -> tuple[str, ...]:
    return TRANSITIONS[action][0]


def target_of(action: str) -> str:
    return TRANSITIONS[action][1]


def claimable(shipped: Decimal, claimed: Decimal) -> Decimal:
    """What of a shipped line may still be claimed: shipped minus what counting claims hold."""
    return max(ZERO, shipped - claimed)


def normalize_serial(raw: str | None) -> str:
    return re.sub(r"\s+", "", raw or "").upper()


def serial_problem(serial: str) -> Text | None:
    """Why `serial` (normalized) is not a serial number, or None."""
    if not serial:
        return T("a machine's claim needs its serial number")
    if not _SERIAL.match(serial) or not any(ch.isdigit() for ch in serial):
        return T(
            "'%(serial)s' is not a serial number: 5 to 30 Latin letters and digits "
            "(dashes and slashes inside), at least one digit",
            serial=serial,
        )
    return None


def hours_problem(raw: str | Decimal | None) -> tuple[Decimal | None, Text | None]:
    """The machine hours as a Decimal (tenths at most, 0 <= h < 1 000 000), or why not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, T("a machine's claim needs its machine hours")
    try:
        hours = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None, T("machine hours '%(hours)s' are not a number", hours=str(raw).strip())
    if not hours.is_finite() or hours < 0 or hours >= MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        return None, T("machine hours %(hours)s must be from 0 to 999999.9, in tenths at most", hours=raw)
    return hours, None


def resolution_problem(kind: str, resolution: str, goods_back: bool) -> Text | None:
    """Why this resolution (with or without the goods coming back) doesn't fit a claim of `kind`.

    Credit is given by posting the customer return (the dealer is credited for what came back),
    so a credit always takes the goods back. A shortage has no goods to take back or repair: it is
    resolved by shipping the missing goods (replacement)."""
    if resolution not in RESOLUTIONS:
        return T("'%(resolution)s' is not a resolution: choose credit, replacement or repair", resolution=resolution)
    if kind == "shortage":
        if resolution != "replacement":
            return T("a shortage is resolved by shipping the missing goods (replacement)")
        if goods_back:
            return T("a shortage has no goods to take back")
    if resolution == "credit" and not goods_back:
        return T("a credit is given for goods that come back: take the goods back")
    return None
