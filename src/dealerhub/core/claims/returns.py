"""What a claim's customer return does to the claim, in the return's own transaction: posting it
(the goods came back, the dealer is credited by the return's posting) resolves an approved credit
claim, unposting it takes that back (approved again); cancelling it sends an approved claim back
to review, to be decided again. Registered with the sales area (sales.on_customer_return_posted /
_unposted / _cancelled) when this package is imported."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.claims import notes
from dealerhub.core.claims.models import Claim
from dealerhub.core.claims.rules import allowed_from, target_of
from dealerhub.core.documents import change_status
from dealerhub.core.sales.models import CustomerReturn
from dealerhub.core.sales.rules import show


def claims_of_return(s: Session, return_id: int) -> list[Claim]:
    return list(s.scalars(select(Claim).where(Claim.customer_return_id == return_id).order_by(Claim.id)))


def return_posted(s: Session, doc: CustomerReturn, user_id: int | None) -> None:
    for claim in claims_of_return(s, doc.id):
        lines = [line for line in doc.lines if line.sale_line_id == claim.sale_line_id]
        returned = sum((line.quantity for line in lines), Decimal(0))
        author = user_id if user_id is not None else claim.reviewer_id
        if claim.status not in allowed_from("resolve") or claim.resolution != "credit":
            if author is not None:
                notes.note(s, claim, user_id=author, text=notes.say("return_posted", number=doc.number, back=show(returned)))
            continue
        credited = sum((line.amount for line in lines), Decimal("0.00"))
        change_status(
            s, claim, allowed_from("resolve"), target_of("resolve"), user_id=user_id, action="resolve",
            resolution="credit", customer_return=doc.number, returned=show(returned), credited=str(credited),
        )
        claim.resolution_note = notes.say("credited", number=doc.number, back=show(returned), credited=credited)
        s.flush()
        if author is not None:
            notes.note(s, claim, user_id=author, text=notes.say("resolved_credit", note=claim.resolution_note))


def return_unposted(s: Session, doc: CustomerReturn, user_id: int | None) -> None:
    for claim in claims_of_return(s, doc.id):
        if claim.status not in allowed_from("unresolve") or claim.resolution != "credit":
            continue
        change_status(
            s, claim, allowed_from("unresolve"), target_of("unresolve"), user_id=user_id, action="unresolve",
            customer_return=doc.number, cause="customer return unposted",
        )
        claim.resolution_note = None
        s.flush()
        author = user_id if user_id is not None else claim.reviewer_id
        if author is not None:
            notes.note(s, claim, user_id=author,
                       text=notes.say("unposted", number=doc.number))


def return_cancelled(s: Session, doc: CustomerReturn, user_id: int | None) -> None:
    for claim in claims_of_return(s, doc.id):
        if claim.status not in allowed_from("reopen"):
            continue
        change_status(
            s, claim, allowed_from("reopen"), target_of("reopen"), user_id=user_id, action="reopen",
            customer_return=doc.number, cause="customer return cancelled",
        )
        claim.customer_return_id, claim.resolution = None, None
        s.flush()
        author = user_id if user_id is not None else claim.reviewer_id
        if author is not None:
            notes.note(s, claim, user_id=author,
                       text=notes.say("cancelled", number=doc.number))
