"""The dealer's claims: the list with their status, a new claim from a shipped line (the order page
links each line of its posted sales here), the claim with its photos, its history and its
conversation with the manager (a reply goes there). Owners and buyers (cabinet.orders)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import claims
from dealerhub.core.attachments import AttachmentRefused, load_attachment
from dealerhub.core.audit.service import list_for
from dealerhub.core.cabinet.deps import NOT_FOUND, Buyer, Dealer, ObjectNotFound
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.carts.queries import item_facts, item_names
from dealerhub.core.claims.submit import MAX_PHOTOS
from dealerhub.core.conversations import Viewer, post_message, thread
from dealerhub.web.conversation_mail import after_commit, news_mails, notification_mails
from dealerhub.web.deps import Form, ReadSession, WriteSession, request_language
from dealerhub.web.downloads import attachment_response
from dealerhub.web.forms import FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
NEW_TEMPLATE = "cabinet/claims/new.html"
PHOTO_BYTES_MAX = 20 * 1024 * 1024  # read at most this of an upload; the attachments' own limit refuses less

CLAIM_STATUSES = {
    "submitted": N_("submitted"),
    "in_review": N_("in review"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "resolved": N_("resolved"),
}
CLAIM_KINDS = {
    "warranty": N_("warranty"),
    "damage": N_("damage"),
    "shortage": N_("shortage"),
    "wrong_item": N_("wrong item"),
}
RESOLUTIONS = {"credit": N_("credit"), "replacement": N_("replacement"), "repair": N_("repair")}
LABELS = {"claim_statuses": CLAIM_STATUSES, "claim_kinds": CLAIM_KINDS, "resolutions": RESOLUTIONS}


@router.get("/claims")
@scoped()
def claim_list(request: Request, dealer: Buyer, s: ReadSession) -> Response:
    rows = claims.list_dealer_claims(s, dealer.partner_id)
    ids = [c.item_id for c in rows]
    return render(
        request, "cabinet/claims/list.html",
        {**LABELS, "claims": rows, "facts": item_facts(s, ids), "names": item_names(s, ids, request_language(request))},
    )


def _line_context(request: Request, s: Session, dealer: Dealer, sale_line_id: int) -> dict[str, Any]:
    line = claims.shipped_line(s, sale_line_id, partner_id=dealer.partner_id)
    return {
        **LABELS,
        "line": line,
        "left": max(line.quantity - line.claimed, 0),
        "machine": line.item_kind == "machine",
        "fact": item_facts(s, [line.item_id])[line.item_id],
        "name": item_names(s, [line.item_id], request_language(request)).get(line.item_id, ""),
        "max_photos": MAX_PHOTOS,
    }


@router.get("/claims/new/{sale_line_id}")
@scoped(sale_line_id="sale_line")
def claim_form(request: Request, sale_line_id: int, dealer: Buyer, s: ReadSession) -> Response:
    context = _line_context(request, s, dealer, sale_line_id)
    context["values"] = {"kind": "warranty", "quantity": "1"}
    return render(request, NEW_TEMPLATE, context)


@router.post("/claims/new/{sale_line_id}")
@scoped(sale_line_id="sale_line")
def claim_submit(request: Request, sale_line_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    claims.shipped_line(s, sale_line_id, partner_id=dealer.partner_id)  # another dealer's line: 404 first
    reader = FormReader(form)
    photos = [
        claims.Photo(upload.filename, upload.file.read(PHOTO_BYTES_MAX + 1))
        for upload in form.getlist("photos")
        if getattr(upload, "filename", "")
    ]
    data = claims.ClaimInput(
        sale_line_id=sale_line_id, kind=reader.text("kind") or "", quantity=reader.text("quantity") or "",
        description=reader.text("description") or "", serial_number=reader.text("serial_number"),
        machine_hours=reader.text("machine_hours"), photos=photos,
    )
    try:
        with s.begin_nested():
            claim = claims.submit_claim(s, data, partner_id=dealer.partner_id, user_id=dealer.user_id)
    except (claims.InvalidClaim, AttachmentRefused) as refused:
        field = refused.details.get("field", "photos") if isinstance(refused, claims.InvalidClaim) else "photos"
        s.expire_all()
        context = _line_context(request, s, dealer, sale_line_id)
        context.update(values=reader.values, errors={field: refused.message})
        raise FormRejected(NEW_TEMPLATE, context) from None
    return RedirectResponse(
        f"/cabinet/claims/{claim.id}?notice=created", status_code=303,
        background=after_commit(request, news_mails(request, s, claim.conversation_id, None)),
    )


@router.get("/claims/{claim_id}")
@scoped(claim_id="claim")
def claim_page(request: Request, claim_id: int, dealer: Buyer, s: ReadSession) -> Response:
    claim = claims.get_claim(s, claim_id, partner_id=dealer.partner_id)
    line = claims.shipped_line(s, claim.sale_line_id, posted_only=False)
    viewer = Viewer(dealer.user_id, dealer.partner_id, dealer.role)
    return render(
        request, "cabinet/claims/claim.html",
        {
            **LABELS,
            "claim": claim,
            "line": line,
            "fact": item_facts(s, [claim.item_id])[claim.item_id],
            "name": item_names(s, [claim.item_id], request_language(request)).get(claim.item_id, ""),
            "history": [r for r in list_for(s, "claim", claim.id) if r.to_status],
            "messages": thread(s, claim.conversation_id, viewer),
            "photo_ids": {p.attachment_id for p in claim.photos},
        },
    )


@router.get("/claims/{claim_id}/photos/{photo_id}")
@scoped(claim_id="claim", photo_id="claim_photo")
def claim_photo(request: Request, claim_id: int, photo_id: int, dealer: Buyer, s: ReadSession) -> Response:
    claim = claims.get_claim(s, claim_id, partner_id=dealer.partner_id)
    if photo_id not in {p.attachment_id for p in claim.photos}:
        raise ObjectNotFound(NOT_FOUND, object="photo", object_id=photo_id)
    return attachment_response(load_attachment(s, photo_id, partner_id=dealer.partner_id))


@router.post("/claims/{claim_id}/message")
@scoped(claim_id="claim")
def claim_message(request: Request, claim_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    claim = claims.get_claim(s, claim_id, partner_id=dealer.partner_id)
    message = post_message(s, claim.conversation_id, author_user_id=dealer.user_id, body=FormReader(form).text("body") or "")
    return RedirectResponse(
        f"/cabinet/claims/{claim_id}#conversation", status_code=303,
        background=after_commit(request, notification_mails(request, s, message.id)),
    )
