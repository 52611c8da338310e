"""Claims in the back office: the queue (what waits first: submitted, in review, approved), a claim
with its line, photos, audit trail and conversation, and the staff's decisions: take it for
review, approve it with a resolution (credit takes the goods back through a customer return sent
to the WMS; replacement and repair may), reject it with a reason, resolve a replacement (a
zero-price order goes to moderation) or a repair (a note). For administrators and sales managers
(sales.documents). A refused decision shows the claim again as it is, the reason on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import claims, sales
from dealerhub.core.accounts import SessionUser
from dealerhub.core.attachments import load_attachment
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.conversations import Viewer, last_message_id, post_message, thread
from dealerhub.shared.errors import DomainError, NotFound
from dealerhub.shared.texts import T
from dealerhub.web.conversation_mail import after_commit, news_mails
from dealerhub.web.deps import Form, OptionalInt, ReadSession, WriteSession, require
from dealerhub.web.downloads import attachment_response
from dealerhub.web.errors import answer_for
from dealerhub.web.forms import FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
Staff = Annotated[SessionUser, Depends(require("sales.documents"))]
PAGE = "/claims"
CLAIM_TEMPLATE = "backoffice/claims/claim.html"

KINDS = {"warranty": N_("warranty"), "damage": N_("damage"), "shortage": N_("shortage"), "wrong_item": N_("wrong item")}
RESOLUTIONS = {"credit": N_("credit"), "replacement": N_("replacement"), "repair": N_("repair")}
DONE = {
    "take": N_("You have taken the claim for review."),
    "approve": N_("The claim is approved."),
    "reject": N_("The claim is rejected; the dealer reads your reason."),
    "resolve": N_("The claim is resolved."),
    "message": N_("The message is sent."),
}
LABELS = {**dc.STATUS_CONTEXT, "kinds": KINDS, "resolutions": RESOLUTIONS}


@dataclass(frozen=True)
class DocLink:
    id: int
    number: str
    status: str


@dataclass(frozen=True)
class PhotoView:
    attachment_id: int
    position: int


@dataclass(frozen=True)
class ClaimView:
    """The claim as the page shows it: plain data, so that a refusal can show the page after the
    request's transaction was rolled back (ORM objects are expired then)."""

    id: int
    number: str
    status: str
    partner_id: int
    kind: str
    quantity: Decimal
    serial_number: str | None
    machine_hours: Decimal | None
    description: str
    resolution: str | None
    resolution_note: str | None
    rejection_reason: str | None
    photos: tuple[PhotoView, ...]

    @classmethod
    def of(cls, c: claims.Claim) -> ClaimView:
        return cls(
            c.id, c.number, c.status, c.partner_id, c.kind, c.quantity, c.serial_number, c.machine_hours,
            c.description, c.resolution, c.resolution_note, c.rejection_reason,
            tuple(PhotoView(p.attachment_id, p.position) for p in c.photos),
        )


def _link(doc: Any) -> DocLink | None:
    return DocLink(doc.id, doc.number, doc.status) if doc is not None else None


def _path(claim_id: int) -> str:
    return f"{dc.PREFIX}{PAGE}/{claim_id}"


@router.get(PAGE)
def queue(request: Request, _user: Staff, s: ReadSession, page: OptionalInt = None, status: str | None = None) -> Response:
    paging = Paging.start(page)
    rows, total = claims.claims_queue(s, status=status, limit=paging.size, offset=paging.offset)
    context = {
        **LABELS,
        "rows": rows,
        "paging": paging.with_total(total),
        "status": status if status in claims.STATUSES else "",
        "statuses": claims.STATUSES,
        "items": dr.item_labels(s, (r.claim.item_id for r in rows), lang_of(request)),
    }
    return render(request, "backoffice/claims/queue.html", context)


def claim_context(s: Session, claim_id: int, user: SessionUser, lang: str) -> dict[str, Any]:
    """Everything the claim page shows, read afresh."""
    claim = claims.get_claim(s, claim_id)
    line = claims.shipped_line(s, claim.sale_line_id, posted_only=False)
    people = dr.user_names(s, [claim.author_id, claim.reviewer_id])
    customer_return = sales.get_customer_return(s, claim.customer_return_id) if claim.customer_return_id else None
    replacement = sales.get_customer_order(s, claim.replacement_order_id) if claim.replacement_order_id else None
    return {
        **LABELS,
        "claim": ClaimView.of(claim),
        "line": line,
        "item": dr.item_labels(s, [claim.item_id], lang)[claim.item_id],
        "dealer_name": dr.partner_names(s, [claim.partner_id]).get(claim.partner_id, ""),
        "author": people.get(claim.author_id or 0),
        "reviewer": people.get(claim.reviewer_id or 0),
        "customer_return": _link(customer_return),
        "replacement": _link(replacement),
        "warehouses": sorted(dr.warehouse_names(s).items(), key=lambda w: w[1]),
        "audit": dr.audit_table(s, "claim", claim.id),
        "messages": thread(s, claim.conversation_id, Viewer(user.user_id, None, user.role)),
        "photo_ids": {p.attachment_id for p in claim.photos},
        "refusal": None,
        "done": None,
    }


@router.get(PAGE + "/{claim_id:int}")
def claim_page(request: Request, claim_id: int, user: Staff, s: ReadSession, done: str | None = None) -> Response:
    context = claim_context(s, claim_id, user, lang_of(request))
    if done in DONE:
        context["notice"] = DONE[done]
    return render(request, CLAIM_TEMPLATE, context)


@router.get(PAGE + "/{claim_id:int}/photos/{photo_id:int}")
def claim_photo(claim_id: int, photo_id: int, _user: Staff, s: ReadSession) -> Response:
    claim = claims.get_claim(s, claim_id)
    if photo_id not in {p.attachment_id for p in claim.photos}:
        raise claims.ClaimNotFound(T("claim %(number)s has no such photo", number=claim.number), photo_id=photo_id)
    return attachment_response(load_attachment(s, photo_id))


def _decide(
    request: Request, s: Session, user: SessionUser, claim_id: int, decision: Callable[[], object], done: str
) -> RedirectResponse:
    """Run a decision; refused: rolled back, the claim shown again as it is now, the reason on top.
    Done: the note it wrote in the claim's conversation is mailed to the dealer after the commit."""
    conversation_id = claims.get_claim(s, claim_id).conversation_id
    before = last_message_id(s, conversation_id)
    try:
        with s.begin_nested():
            decision()
    except NotFound:
        raise
    except DomainError as error:
        s.expire_all()
        answer = answer_for(error)
        context = claim_context(s, claim_id, user, lang_of(request))
        context["refusal"] = dc.Refusal(answer.title, error.message)
        raise FormRejected(CLAIM_TEMPLATE, context, status_code=answer.status) from None
    return RedirectResponse(
        f"{_path(claim_id)}?done={done}", status_code=303,
        background=after_commit(request, news_mails(request, s, conversation_id, before)),
    )


@router.post(PAGE + "/{claim_id:int}/take")
def take(request: Request, claim_id: int, user: Staff, s: WriteSession) -> Response:
    return _decide(request, s, user, claim_id, lambda: claims.take_claim(s, claim_id, user_id=user.user_id), "take")


@router.post(PAGE + "/{claim_id:int}/approve")
def approve(request: Request, claim_id: int, user: Staff, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    return _decide(request, s, user, claim_id, lambda: claims.approve_claim(
        s, claim_id, user_id=user.user_id, resolution=reader.text("resolution") or "",
        goods_back=reader.text("goods_back") == "on", warehouse_id=reader.integer("warehouse_id"),
        note=reader.text("note"),
    ), "approve")


@router.post(PAGE + "/{claim_id:int}/reject")
def reject(request: Request, claim_id: int, user: Staff, form: Form, s: WriteSession) -> Response:
    reason = FormReader(form).text("reason") or ""
    return _decide(
        request, s, user, claim_id, lambda: claims.reject_claim(s, claim_id, user_id=user.user_id, reason=reason),
        "reject",
    )


@router.post(PAGE + "/{claim_id:int}/resolve")
def resolve(request: Request, claim_id: int, user: Staff, form: Form, s: WriteSession) -> Response:
    note = FormReader(form).text("note")
    return _decide(
        request, s, user, claim_id, lambda: claims.resolve_claim(s, claim_id, user_id=user.user_id, note=note),
        "resolve",
    )


@router.post(PAGE + "/{claim_id:int}/message")
def message(request: Request, claim_id: int, user: Staff, form: Form, s: WriteSession) -> Response:
    body = FormReader(form).text("body") or ""
    claim = claims.get_claim(s, claim_id)
    return _decide(
        request, s, user, claim_id,
        lambda: post_message(s, claim.conversation_id, author_user_id=user.user_id, body=body), "message",
    )
