"""What a conversation and a message must be: pure checks, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from dealerhub.core.conversations.errors import InvalidMessage
from dealerhub.core.conversations.models import KINDS
from dealerhub.shared.texts import T

MAX_BODY = 10_000
MAX_SUBJECT = 200
MAX_FILES = 10


def clean_body(body: str | None) -> str:
    """The message's text without surrounding blank space; refused when empty or too long."""
    text = (body or "").strip()
    if not text:
        raise InvalidMessage(T("a message needs a text"))
    if len(text) > MAX_BODY:
        raise InvalidMessage(
            T("a message is at most %(limit)s characters (%(count)s given)", limit=MAX_BODY, count=len(text)), limit=MAX_BODY
        )
    return text


def clean_subject(subject: str | None) -> str:
    text = " ".join((subject or "").split())
    if not text:
        raise InvalidMessage(T("a conversation needs a subject"))
    if len(text) > MAX_SUBJECT:
        raise InvalidMessage(T("a subject is at most %(limit)s characters", limit=MAX_SUBJECT), limit=MAX_SUBJECT)
    return text


def check_kind(kind: str, customer_order_id: int | None) -> None:
    if kind not in KINDS:
        raise InvalidMessage(T("unknown kind of conversation '%(kind)s'", kind=kind), kind=kind)
    if kind == "order" and customer_order_id is None:
        raise InvalidMessage(T("a conversation about an order names the order"))
    if kind == "general" and customer_order_id is not None:
        raise InvalidMessage(T("a general conversation names no order"))


def check_files(attachment_ids: Sequence[int]) -> list[int]:
    ids = list(attachment_ids)
    if len(set(ids)) != len(ids):
        raise InvalidMessage(T("the same file is attached twice"))
    if len(ids) > MAX_FILES:
        raise InvalidMessage(T("at most %(limit)s files per message", limit=MAX_FILES), limit=MAX_FILES)
    return ids


def side_of(user_partner_id: int | None) -> str:
    """A dealer's user writes on the dealer's side, a staff member (no partner) on the staff's."""
    return "staff" if user_partner_id is None else "dealer"
