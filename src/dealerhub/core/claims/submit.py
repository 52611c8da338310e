"""A dealer's claim against a shipped line: checked whole before anything is written (the caller's
transaction holds the claim, its photos and its audit row together; a refusal leaves nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from dealerhub.core.attachments import store_attachment
from dealerhub.core.claims import notes
from dealerhub.core.claims.errors import ClaimExceedsShipped, InvalidClaim
from dealerhub.core.claims.models import Claim, ClaimPhoto
from dealerhub.core.claims.notes import open_conversation
from dealerhub.core.claims.queries import ShippedLine, shipped_line
from dealerhub.core.claims.rules import (
    KINDS,
    MACHINE_KIND,
    claimable,
    hours_problem,
    normalize_serial,
    serial_problem,
)
from dealerhub.core.documents import new_document
from dealerhub.core.sales.queries import lock_order, unit_precision_of
from dealerhub.core.sales.rules import fits_unit, show
from dealerhub.shared.texts import T

MAX_PHOTOS = 10
DESCRIPTION_MAX = 4000


@dataclass(frozen=True)
class Photo:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ClaimInput:
    sale_line_id: int
    kind: str
    quantity: Decimal | str
    description: str
    serial_number: str | None = None
    machine_hours: Decimal | str | None = None
    photos: Sequence[Photo] = field(default_factory=tuple)


def submit_claim(s: Session, data: ClaimInput, *, partner_id: int, user_id: int) -> Claim:
    """The dealer's claim, submitted. The line must be of a posted sale to this dealer
    (ShippedLineNotFound otherwise, as for a line that doesn't exist); photos are images only.
    `user_id`: the dealer's user; the claim's conversation starts with their description and photos."""
    line = shipped_line(s, data.sale_line_id, partner_id=partner_id)
    lock_order(s, line.customer_order_id)  # claims and returns of one order, one at a time
    line = shipped_line(s, data.sale_line_id, partner_id=partner_id)  # what others claimed meanwhile
    if data.kind not in KINDS:
        raise InvalidClaim(T("'%(kind)s' is not a kind of claim: choose warranty, damage, shortage or wrong item", kind=data.kind), field="kind")
    quantity = _quantity(s, line, data.quantity)
    description = (data.description or "").strip()
    if not description:
        raise InvalidClaim(T("describe what is wrong"), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidClaim(T("the description is longer than %(max)s characters", max=DESCRIPTION_MAX), field="description")
    serial, hours = _machine(line, data)
    if serial is not None and quantity != 1:
        raise InvalidClaim(T("a claim names one machine: its quantity is 1"), field="quantity")
    if len(data.photos) > MAX_PHOTOS:
        raise InvalidClaim(T("at most %(max)s photos", max=MAX_PHOTOS), field="photos")
    kept = [
        store_attachment(
            s, filename=photo.filename, data=photo.data, partner_id=partner_id, uploaded_by=user_id, images_only=True
        ).id
        for photo in data.photos
    ]
    conversation_id = open_conversation(
        s, partner_id=partner_id, subject=notes.say("subject", sale=line.sale_number, line=line.line_no, kind=notes.say(data.kind)),
        body=description, customer_order_id=line.customer_order_id, user_id=user_id, attachment_ids=kept,
    )
    claim = new_document(
        s, Claim, user_id=user_id, status="submitted",
        partner_id=partner_id, sale_id=line.sale_id, sale_line_id=line.sale_line_id, item_id=line.item_id,
        kind=data.kind, quantity=quantity, serial_number=serial, machine_hours=hours, description=description,
        conversation_id=conversation_id,
    )
    claim.photos = [ClaimPhoto(attachment_id=i, position=n) for n, i in enumerate(kept, start=1)]
    s.flush()
    return claim


def _quantity(s: Session, line: ShippedLine, raw: Decimal | str) -> Decimal:
    try:
        quantity = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidClaim(T("quantity '%(quantity)s' is not a number", quantity=str(raw).strip()), field="quantity") from None
    precision = unit_precision_of(s, [line.item_id])[line.item_id]
    if not quantity.is_finite() or quantity <= 0 or not fits_unit(quantity, precision):
        raise InvalidClaim(T("%(quantity)s is not a positive quantity of the item's unit", quantity=raw), field="quantity")
    left = claimable(line.quantity, line.claimed)
    if quantity > left:
        raise ClaimExceedsShipped(
            T(
                "%(quantity)s claimed, but only %(left)s of the %(shipped)s shipped on line %(line)s of %(sale)s "
                "can be (other claims hold the rest)",
                quantity=show(quantity), left=show(left), shipped=show(line.quantity), line=line.line_no,
                sale=line.sale_number,
            ),
            field="quantity",
        )
    return quantity


def _machine(line: ShippedLine, data: ClaimInput) -> tuple[str | None, Decimal | None]:
    """A machine's serial number and hours (sales don't record serials: the format is checked);
    other items have neither."""
    if line.item_kind != MACHINE_KIND:
        if normalize_serial(data.serial_number) or (str(data.machine_hours or "").strip()):
            raise InvalidClaim(T("serial number and machine hours are for machinery only"), field="serial_number")
        return None, None
    serial = normalize_serial(data.serial_number)
    problem = serial_problem(serial)
    if problem:
        raise InvalidClaim(problem, field="serial_number")
    hours, problem = hours_problem(data.machine_hours)
    if problem:
        raise InvalidClaim(problem, field="machine_hours")
    return serial, hours
