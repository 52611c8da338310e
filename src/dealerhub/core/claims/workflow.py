"""The staff's decisions on a claim: take it for review, approve it (choosing the resolution; with
the goods back a customer return is made, which goes to the WMS as an ASN), reject it with a
reason, resolve it (replacement: a zero-price customer order for the goods; repair: a note).
A credit claim is resolved by posting its customer return (returns.py), never by hand.

Each move is legal only from its statuses (rules.TRANSITIONS): a conditional UPDATE with its audit
row (documents.change_status); anything else is refused and the caller's transaction writes nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.claims import notes
from dealerhub.core.claims.errors import InvalidClaim
from dealerhub.core.claims.models import Claim
from dealerhub.core.claims.queries import get_claim
from dealerhub.core.claims.rules import allowed_from, resolution_problem, target_of
from dealerhub.core.documents import change_status
from dealerhub.core.sales.queries import lock_order
from dealerhub.shared.texts import T

NOTE_MAX = 1000


def take_claim(s: Session, claim_id: int, *, user_id: int) -> Claim:
    claim = _locked(s, claim_id)
    _move(s, claim, "take", user_id=user_id)
    claim.reviewer_id = user_id
    s.flush()
    notes.note(s, claim, user_id=user_id, text=notes.say("taken"))
    return claim


def approve_claim(
    s: Session,
    claim_id: int,
    *,
    user_id: int,
    resolution: str,
    goods_back: bool,
    warehouse_id: int | None = None,
    note: str | None = None,
) -> Claim:
    """Approve with the resolution it will get. Goods back: a customer return of the claimed
    quantity onto `warehouse_id` (the sale's warehouse when not given), announced to the WMS."""
    claim = _locked(s, claim_id)
    problem = resolution_problem(claim.kind, resolution, goods_back)
    if problem:
        raise InvalidClaim(problem, field="resolution")
    note = _note(note, required=False)
    _move(s, claim, "approve", user_id=user_id, resolution=resolution, goods_back=goods_back, note=note)
    if goods_back:
        sale = sales.get_sale(s, claim.sale_id)
        ret = sales.create_customer_return(
            s, claim.sale_id, user_id=user_id, warehouse_id=warehouse_id or sale.warehouse_id,
            reason=notes.say("return_reason", number=claim.number, kind=notes.say(claim.kind)),
            lines={claim.sale_line_id: claim.quantity},
        )
        claim.customer_return_id = ret.id
    claim.resolution, claim.resolution_note, claim.reviewer_id = resolution, note, user_id
    s.flush()
    text = notes.say("approved", resolution=notes.say(resolution))
    if goods_back:
        text += notes.say("goods_back", number=ret.number)
    notes.note(s, claim, user_id=user_id, text=text, extra=note)
    return claim


def reject_claim(s: Session, claim_id: int, *, user_id: int, reason: str) -> Claim:
    claim = _locked(s, claim_id)
    reason = _note(reason, required=True, field="reason")
    _move(s, claim, "reject", user_id=user_id, reason=reason)
    claim.rejection_reason, claim.reviewer_id = reason, user_id
    s.flush()
    notes.note(s, claim, user_id=user_id, text=notes.say("rejected"), extra=notes.say("reason", reason=reason))
    return claim


def resolve_claim(s: Session, claim_id: int, *, user_id: int, note: str | None = None) -> Claim:
    """Resolve an approved replacement or repair claim. Replacement: a customer order of the
    claimed goods at zero price, submitted for moderation (it is picked and shipped like any
    order). Repair: the staff's note says what was done."""
    claim = _locked(s, claim_id)
    if claim.status in allowed_from("resolve") and claim.resolution == "credit":
        raise InvalidClaim(
            T("a credit claim is resolved when its customer return is posted (the dealer is credited then)"),
            field="resolution",
        )
    note = _note(note, required=claim.resolution == "repair")
    details: dict[str, object] = {"resolution": claim.resolution, "note": note}
    order = None
    if claim.status in allowed_from("resolve") and claim.resolution == "replacement":
        order = _replacement_order(s, claim, user_id)
        details["replacement_order"] = order.number
    _move(s, claim, "resolve", user_id=user_id, **details)
    if order is not None:
        claim.replacement_order_id = order.id
    if note:
        claim.resolution_note = note
    s.flush()
    resolution = notes.say(claim.resolution)
    text = (notes.say("resolved_order", resolution=resolution, number=order.number) if order is not None
            else notes.say("resolved", resolution=resolution))
    notes.note(s, claim, user_id=user_id, text=text, extra=note)
    return claim


def _replacement_order(s: Session, claim: Claim, user_id: int):
    sale = sales.get_sale(s, claim.sale_id)
    order = sales.create_customer_order(
        s, user_id=user_id, partner_id=claim.partner_id, contractor_id=sale.contractor_id,
        warehouse_id=sale.warehouse_id, lines=[sales.OrderLineInput(claim.item_id, claim.quantity, Decimal("0.00"))],
        comment=notes.say("replacement_comment", number=claim.number),
    )
    sales.submit_customer_order(s, order.id, user_id=user_id)
    return order


def _locked(s: Session, claim_id: int) -> Claim:
    """The claim, after its sale's order is locked (the lock claims and returns of an order share)."""
    claim = get_claim(s, claim_id)
    lock_order(s, sales.get_sale(s, claim.sale_id).customer_order_id)
    s.refresh(claim)
    return claim


def _move(s: Session, claim: Claim, action: str, *, user_id: int | None, **details: object) -> None:
    change_status(s, claim, allowed_from(action), target_of(action), user_id=user_id, action=action,
                  **{k: v for k, v in details.items() if v is not None})


def _note(text: str | None, *, required: bool, field: str = "note") -> str | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise InvalidClaim(T("write the reason") if field == "reason" else T("write a note"), field=field)
        return None
    if len(text) > NOTE_MAX:
        raise InvalidClaim(T("at most %(max)s characters", max=NOTE_MAX), field=field)
    return text
