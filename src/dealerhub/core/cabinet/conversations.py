"""Writing to the personal manager: the company's conversations (unread first), a conversation's
thread with the reply form (files too), a new conversation (general or about one of the dealer's
orders), the files of the messages and the manager's photo. Every role of the company writes;
only the roles that see orders may name one."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.attachments import AttachmentRefused, load_attachment
from dealerhub.core.cabinet.deps import NOT_FOUND, CurrentDealer, Dealer, ObjectNotFound
from dealerhub.core.cabinet.matrix import scoped, shared
from dealerhub.core.conversations import (
    ConversationView,
    InvalidMessage,
    Viewer,
    conversation_file,
    conversation_rows,
    get_conversation,
    last_message_id,
    mark_read,
    start_conversation,
    thread,
)
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.web.conversation_mail import after_commit, notification_mails
from dealerhub.web.deps import Form, OptionalInt, ReadSession, WriteSession
from dealerhub.web.downloads import attachment_response
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.message_files import post_reply, store_message_files
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
LIST_TEMPLATE = "cabinet/conversations/list.html"
NEW_TEMPLATE = "cabinet/conversations/new.html"
PAGE_TEMPLATE = "cabinet/conversations/conversation.html"
KIND_LABELS = {"general": N_("general"), "order": N_("about an order"), "claim": N_("about a claim")}


def viewer_of(dealer: Dealer) -> Viewer:
    return Viewer(dealer.user_id, dealer.partner_id, dealer.role)


@router.get("/conversations")
@scoped()
def conversations(
    request: Request, dealer: CurrentDealer, s: ReadSession, page: int | None = None
) -> Response:
    paging = Paging.start(page)
    total, rows = conversation_rows(s, viewer_of(dealer), limit=paging.size, offset=paging.offset)
    return render(
        request, LIST_TEMPLATE, {"rows": rows, "paging": paging.with_total(total), "kind_labels": KIND_LABELS}
    )


def _orders(s: Session, dealer: Dealer) -> list[tuple[int, str]]:
    """The dealer's latest orders to name in a new conversation (none for a role that sees no orders)."""
    if not dealer.can("cabinet.orders"):
        return []
    rows = s.execute(
        select(CustomerOrder.id, CustomerOrder.number)
        .where(CustomerOrder.partner_id == dealer.partner_id)
        .order_by(CustomerOrder.id.desc())
        .limit(200)
    )
    return [(r.id, r.number) for r in rows]


def _new_context(s: Session, dealer: Dealer) -> dict[str, Any]:
    return {"orders": _orders(s, dealer), "order_number": None}


@router.get("/conversations/new")
@scoped()
def new_conversation(
    request: Request, dealer: CurrentDealer, s: ReadSession, order_id: OptionalInt = None
) -> Response:
    context = _new_context(s, dealer)
    values: dict[str, Any] = {}
    if order_id is not None:  # "write about this order" from the order's page
        number = dict(context["orders"]).get(order_id)
        if number is None:
            raise ObjectNotFound(NOT_FOUND, object="order", object_id=order_id)
        values = {"order_id": str(order_id)}
        context["order_number"] = number  # the template offers "Order <number>" as the subject
    return render(request, NEW_TEMPLATE, {**context, "values": values})


@router.post("/conversations")
@scoped()
def create_conversation(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    subject = reader.text("subject", required=True, max_length=200)
    body = reader.text("body", required=True, max_length=10_000)
    order_id = reader.integer("order_id")
    context = _new_context(s, dealer)
    if order_id is not None and order_id not in dict(context["orders"]):
        reader.errors["order_id"] = N_("Choose one of your orders.")
    if not reader.ok:
        raise reader.rejected(NEW_TEMPLATE, context)
    try:
        files = store_message_files(s, form, partner_id=dealer.partner_id, user_id=dealer.user_id)
        conversation = start_conversation(
            s,
            partner_id=dealer.partner_id,
            kind="order" if order_id is not None else "general",
            subject=subject or "",
            author_user_id=dealer.user_id,
            body=body or "",
            customer_order_id=order_id,
            attachment_ids=files,
        )
    except AttachmentRefused as error:
        raise reader.refused(NEW_TEMPLATE, context, error, default_field="files") from None
    except InvalidMessage as error:
        raise reader.refused(NEW_TEMPLATE, context, error) from None
    first = last_message_id(s, conversation.id)
    return RedirectResponse(
        f"/cabinet/conversations/{conversation.id}?notice=sent",
        status_code=303,
        background=after_commit(request, notification_mails(request, s, first)),
    )


def _page_context(s: Session, dealer: Dealer, conversation_id: int) -> dict[str, Any]:
    conversation = get_conversation(s, conversation_id, viewer_of(dealer))
    order_number = (
        s.scalar(select(CustomerOrder.number).where(CustomerOrder.id == conversation.customer_order_id))
        if conversation.customer_order_id
        else None
    )
    return {
        "conversation": ConversationView.of(conversation),
        "messages": thread(s, conversation_id, viewer_of(dealer)),
        "order_number": order_number,
        "order_link": dealer.can("cabinet.orders"),
        "kind_labels": KIND_LABELS,
    }


@router.get("/conversations/{conversation_id}")
@scoped(conversation_id="conversation")
def conversation_page(
    request: Request, conversation_id: int, dealer: CurrentDealer, s: WriteSession
) -> Response:
    """The thread; opening it marks it read for this user (the navigation's counter drops now)."""
    context = _page_context(s, dealer, conversation_id)
    newly_read = sum(1 for m in context["messages"] if m.unread)
    if context["messages"]:
        mark_read(s, conversation_id, dealer.user_id, context["messages"][-1].id)
    request.state.dealer = dataclasses.replace(dealer, unread=max(dealer.unread - newly_read, 0))
    return render(request, PAGE_TEMPLATE, context)


@router.post("/conversations/{conversation_id}/messages")
@scoped(conversation_id="conversation")
def reply(
    request: Request, conversation_id: int, dealer: CurrentDealer, form: Form, s: WriteSession
) -> Response:
    context = _page_context(s, dealer, conversation_id)  # 404 for another dealer's
    return post_reply(
        request, s, form, FormReader(form), template=PAGE_TEMPLATE, context=context, conversation_id=conversation_id,
        partner_id=dealer.partner_id, user_id=dealer.user_id, page=f"/cabinet/conversations/{conversation_id}",
    )


@router.get("/conversations/{conversation_id}/files/{attachment_id}")
@scoped(conversation_id="conversation", attachment_id="conversation_file")
def message_file(conversation_id: int, attachment_id: int, dealer: CurrentDealer, s: ReadSession) -> Response:
    return attachment_response(conversation_file(s, conversation_id, attachment_id, viewer_of(dealer)))


@router.get("/manager/photo/{attachment_id}")
@scoped(attachment_id=shared("manager_photo"))
def manager_photo(attachment_id: int, dealer: CurrentDealer, s: ReadSession) -> Response:
    """The photo of the dealer's own personal manager; the id in the path changes with a new photo
    (the browser keeps a photo for an hour). Any other id is not found."""
    if dealer.manager is None or dealer.manager.photo_attachment_id != attachment_id:
        raise ObjectNotFound(NOT_FOUND, object="photo", object_id=attachment_id)
    return attachment_response(load_attachment(s, attachment_id))
