"""The manager's inbox: the conversations of the dealers whose agreement names them as personal
manager (an administrator: every dealer's), unread first; a conversation's page to answer with
files. Opening a conversation marks it read for the user."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.conversations import (
    ConversationView,
    Viewer,
    conversation_file,
    conversation_rows,
    get_conversation,
    mark_read,
    thread,
    unread_count,
)
from dealerhub.core.partners.models import Partner
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.web.deps import Form, OptionalInt, ReadSession, WriteSession, get_db, require
from dealerhub.web.downloads import attachment_response
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.message_files import post_reply
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
Answering = Annotated[SessionUser, Depends(require("conversations.answer"))]
INBOX_TEMPLATE = "backoffice/conversations/inbox.html"
PAGE_TEMPLATE = "backoffice/conversations/conversation.html"
KIND_LABELS = {"general": N_("general"), "order": N_("about an order"), "claim": N_("about a claim")}


def viewer_of(user: SessionUser) -> Viewer:
    return Viewer(user.user_id, None, user.role)


def staff_unread(request: Request, user: SessionUser | None) -> int | None:
    """The back office navigation's counter: messages of the user's dealers they haven't read
    (None for a role that answers no dealers: no entry at all)."""
    if user is None or not can(user.role, "conversations.answer"):
        return None
    cached = getattr(request.state, "staff_unread", None)
    if cached is None:
        with get_db(request).session() as s:
            cached = unread_count(s, viewer_of(user))
        request.state.staff_unread = cached
    return cached


@router.get("/conversations")
def inbox(
    request: Request, user: Answering, s: ReadSession, dealer: OptionalInt = None, page: OptionalInt = None
) -> Response:
    paging = Paging.start(page)
    total, rows = conversation_rows(
        s, viewer_of(user), limit=paging.size, offset=paging.offset, partner_id=dealer
    )
    dealers = [
        (r.id, r.name)
        for r in s.execute(select(Partner.id, Partner.name).where(Partner.is_dealer).order_by(Partner.name))
    ]
    return render(
        request,
        INBOX_TEMPLATE,
        {
            "rows": rows,
            "paging": paging.with_total(total),
            "kind_labels": KIND_LABELS,
            "dealers": dealers,
            "values": {"dealer": str(dealer or "")},
            "sees_all": user.role == "administrator",
        },
    )


def _page_context(s: Session, user: SessionUser, conversation_id: int) -> dict[str, Any]:
    conversation = get_conversation(s, conversation_id, viewer_of(user))
    order_number = (
        s.scalar(select(CustomerOrder.number).where(CustomerOrder.id == conversation.customer_order_id))
        if conversation.customer_order_id
        else None
    )
    return {
        "conversation": ConversationView.of(conversation),
        "dealer_name": s.scalar(select(Partner.name).where(Partner.id == conversation.partner_id)),
        "messages": thread(s, conversation_id, viewer_of(user)),
        "order_number": order_number,
        "kind_labels": KIND_LABELS,
    }


@router.get("/conversations/{conversation_id}")
def conversation_page(request: Request, conversation_id: int, user: Answering, s: WriteSession) -> Response:
    context = _page_context(s, user, conversation_id)
    newly_read = sum(1 for m in context["messages"] if m.unread)
    if context["messages"]:
        mark_read(s, conversation_id, user.user_id, context["messages"][-1].id)
    unread_before = staff_unread(request, user) or 0
    request.state.staff_unread = max(unread_before - newly_read, 0)
    return render(request, PAGE_TEMPLATE, context)


@router.post("/conversations/{conversation_id}/messages")
def answer(request: Request, conversation_id: int, user: Answering, form: Form, s: WriteSession) -> Response:
    context = _page_context(s, user, conversation_id)
    return post_reply(
        request, s, form, FormReader(form), template=PAGE_TEMPLATE, context=context, conversation_id=conversation_id,
        partner_id=context["conversation"].partner_id, user_id=user.user_id,
        page=f"/backoffice/conversations/{conversation_id}",
    )


@router.get("/conversations/{conversation_id}/files/{attachment_id}")
def message_file(conversation_id: int, attachment_id: int, user: Answering, s: ReadSession) -> Response:
    return attachment_response(conversation_file(s, conversation_id, attachment_id, viewer_of(user)))
