"""Reading conversations: unread counts per user, the lists of both faces, a thread, whom a new
message is mailed to. A viewer is a dealer's user (their company's conversations) or a staff
member (the conversations of the dealers they are personal manager of; an administrator: all)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, undefer

from dealerhub.core.accounts.models import User
from dealerhub.core.accounts.roles import ADMINISTRATOR
from dealerhub.core.attachments.models import Attachment
from dealerhub.core.conversations.errors import ConversationNotFound
from dealerhub.core.conversations.models import (
    Conversation,
    ConversationMessage,
    ConversationRead,
    MessageAttachment,
)
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.models import DealerAgreement
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared import clock
from dealerhub.shared.texts import T

C, M, R = Conversation, ConversationMessage, ConversationRead


@dataclass(frozen=True)
class Viewer:
    """Who reads: a dealer's user (partner_id set) or a staff member (role decides the scope)."""

    user_id: int
    partner_id: int | None
    role: str

    @property
    def side(self) -> str:
        return "staff" if self.partner_id is None else "dealer"

    @property
    def other_side(self) -> str:
        return "dealer" if self.partner_id is None else "staff"


def manager_id_of(partner_id: Any, on: date) -> Any:
    """The personal manager named by the dealer's agreement in force on `on` (a scalar subquery,
    correlated when `partner_id` is an outer column). The agreement is pricing's
    get_agreement_for(): active, valid on the day, the latest started; written at one level here
    so that it correlates inside the counts of both faces."""
    a = aliased(DealerAgreement, name="managing")
    return (
        select(a.personal_manager_id)
        .where(
            a.partner_id == partner_id,
            a.is_active.is_(True),
            a.valid_from <= on,
            or_(a.valid_to.is_(None), a.valid_to >= on),
        )
        .order_by(a.valid_from.desc(), a.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def managed_partners(manager_id: int, on: date) -> Select[tuple[int]]:
    """The dealers whose agreement in force on `on` names this personal manager. Uncorrelated, so
    the database reads it once per statement, not once per conversation or message."""
    a, b = aliased(DealerAgreement, name="managed"), aliased(DealerAgreement, name="later")
    in_force = and_(b.is_active.is_(True), b.valid_from <= on, or_(b.valid_to.is_(None), b.valid_to >= on))
    return select(a.partner_id).where(
        a.personal_manager_id == manager_id,
        a.id
        == select(b.id)
        .where(b.partner_id == a.partner_id, in_force)
        .order_by(b.valid_from.desc(), b.id.desc())
        .limit(1)
        .scalar_subquery(),
    )


def in_scope(viewer: Viewer, on: date | None = None) -> ColumnElement[bool]:
    """The conversations the viewer may see."""
    if viewer.partner_id is not None:
        return C.partner_id == viewer.partner_id
    if viewer.role == ADMINISTRATOR:
        return C.id.is_not(None)
    return C.partner_id.in_(managed_partners(viewer.user_id, on or clock.today()))


def unread_filter(viewer: Viewer) -> ColumnElement[bool]:
    """Messages of the other side the viewer has not seen (with conversations and reads joined)."""
    return and_(M.side == viewer.other_side, M.id > func.coalesce(R.last_read_message_id, 0))


def _has_unread(viewer: Viewer) -> ColumnElement[bool]:
    """The conversation has news for the viewer: the other side's last message is after the mark
    (conversations and the viewer's reads joined). Decided per conversation, before any message
    is read: most conversations are read, and their messages are never counted."""
    last = C.last_staff_message_id if viewer.side == "dealer" else C.last_dealer_message_id
    return func.coalesce(last, 0) > func.coalesce(R.last_read_message_id, 0)


def _reads(viewer: Viewer) -> ColumnElement[bool]:
    return and_(R.conversation_id == C.id, R.user_id == viewer.user_id)


def unread_count_query(viewer: Viewer, on: date | None = None) -> Select[tuple[int]]:
    """How many messages the viewer has not read, in all the conversations they see."""
    return (
        select(func.count(M.id))
        .select_from(C)
        .outerjoin(R, _reads(viewer))
        .join(M, M.conversation_id == C.id)
        .where(in_scope(viewer, on), _has_unread(viewer), unread_filter(viewer))
    )


def unread_count(s: Session, viewer: Viewer) -> int:
    return s.scalar(unread_count_query(viewer)) or 0


@dataclass(frozen=True)
class ConversationRow:
    id: int
    partner_id: int
    partner_name: str
    kind: str
    subject: str
    customer_order_id: int | None
    order_number: str | None
    last_message_at: datetime
    messages: int
    unread: int


def conversation_rows(
    s: Session, viewer: Viewer, *, limit: int = 50, offset: int = 0, partner_id: int | None = None
) -> tuple[int, list[ConversationRow]]:
    """(how many, one page): the unread ones first, then the latest message first. The page is
    chosen from the conversations alone; messages are counted for its rows only."""
    where = [in_scope(viewer)]
    if partner_id is not None:
        where.append(C.partner_id == partner_id)
    total = s.scalar(select(func.count(C.id)).where(*where)) or 0
    has_unread = _has_unread(viewer)
    page = s.execute(
        select(C, Partner.name, CustomerOrder.number)
        .join(Partner, Partner.id == C.partner_id)
        .outerjoin(R, _reads(viewer))
        .outerjoin(CustomerOrder, CustomerOrder.id == C.customer_order_id)
        .where(*where)
        .order_by(has_unread.desc(), C.last_message_at.desc(), C.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    ids = [c.id for c, _name, _number in page]
    counts = (
        {
            cid: (messages, unread or 0)
            for cid, messages, unread in s.execute(
                select(
                    M.conversation_id, func.count(M.id), func.sum(case((unread_filter(viewer), 1), else_=0))
                )
                .select_from(M)
                .outerjoin(R, and_(R.conversation_id == M.conversation_id, R.user_id == viewer.user_id))
                .where(M.conversation_id.in_(ids))
                .group_by(M.conversation_id)
            )
        }
        if ids
        else {}
    )
    return total, [
        ConversationRow(
            c.id,
            c.partner_id,
            name,
            c.kind,
            c.subject,
            c.customer_order_id,
            number,
            c.last_message_at,
            *counts.get(c.id, (0, 0)),
        )
        for c, name, number in page
    ]


def get_conversation(s: Session, conversation_id: int, viewer: Viewer) -> Conversation:
    """The conversation if the viewer may see it, else ConversationNotFound (also another dealer's)."""
    found = s.scalar(select(C).where(C.id == conversation_id, in_scope(viewer)))
    if found is None:
        raise ConversationNotFound(
            T("the conversation was not found"), conversation_id=conversation_id
        )
    return found


@dataclass(frozen=True)
class ConversationView:
    """A conversation as plain data (a rejected form is rendered after its transaction rolled back)."""

    id: int
    partner_id: int
    kind: str
    subject: str
    customer_order_id: int | None

    @classmethod
    def of(cls, c: Conversation) -> ConversationView:
        return cls(c.id, c.partner_id, c.kind, c.subject, c.customer_order_id)


def last_message_id(s: Session, conversation_id: int) -> int | None:
    return s.scalar(select(func.max(M.id)).where(M.conversation_id == conversation_id))


@dataclass(frozen=True)
class FileView:
    id: int
    filename: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True)
class MessageView:
    id: int
    author_name: str
    side: str
    body: str
    created_at: datetime
    files: tuple[FileView, ...]
    unread: bool


def thread(s: Session, conversation_id: int, viewer: Viewer) -> list[MessageView]:
    """The messages in order with their authors and files; `unread`: new to the viewer."""
    mark = (
        s.scalar(
            select(R.last_read_message_id).where(
                R.conversation_id == conversation_id, R.user_id == viewer.user_id
            )
        )
        or 0
    )
    messages = s.execute(
        select(M, User.full_name)
        .join(User, User.id == M.author_id)
        .where(M.conversation_id == conversation_id)
        .order_by(M.id)
    ).all()
    files: defaultdict[int, list[FileView]] = defaultdict(list)
    for message_id, a in s.execute(
        select(MessageAttachment.message_id, Attachment)
        .join(Attachment, Attachment.id == MessageAttachment.attachment_id)
        .join(M, M.id == MessageAttachment.message_id)
        .where(M.conversation_id == conversation_id)
        .order_by(Attachment.id)
    ):
        files[message_id].append(FileView(a.id, a.filename, a.content_type, a.size_bytes))
    return [
        MessageView(
            m.id,
            name,
            m.side,
            m.body,
            m.created_at,
            tuple(files[m.id]),
            m.side == viewer.other_side and m.id > mark,
        )
        for m, name in messages
    ]


def conversation_file(s: Session, conversation_id: int, attachment_id: int, viewer: Viewer) -> Attachment:
    """A file of a message of this conversation, with its bytes, if the viewer sees the
    conversation; else ConversationNotFound (another dealer's file, or one of another conversation)."""
    found = s.scalar(
        select(Attachment)
        .join(MessageAttachment, MessageAttachment.attachment_id == Attachment.id)
        .join(M, M.id == MessageAttachment.message_id)
        .join(C, C.id == M.conversation_id)
        .where(Attachment.id == attachment_id, C.id == conversation_id, in_scope(viewer))
        .options(undefer(Attachment.data))
    )
    if found is None:
        raise ConversationNotFound(T("the file was not found"), attachment_id=attachment_id)
    return found


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    full_name: str
    language: str
    side: str  # the side the recipient reads on: "dealer" (cabinet) or "staff" (back office)


def recipients_of(s: Session, message_id: int, on: date | None = None) -> list[Recipient]:
    """Whom a new message is mailed to. A dealer's message: the dealer's personal manager (no
    manager: the administrators). A staff message: the dealer's users who took part in the
    conversation (none yet: all the dealer's active users). Never the author; only those with an
    e-mail and an active account (a manager without them: the administrators instead)."""
    message = s.get(M, message_id)
    if message is None:
        return []
    conversation = s.get(C, message.conversation_id)
    assert conversation is not None
    active = and_(User.is_active, User.email.is_not(None), User.id != message.author_id)
    if message.side == "dealer":
        manager = s.scalar(select(manager_id_of(conversation.partner_id, on or clock.today())))
        users = s.scalars(select(User).where(User.id == manager, active)).all() if manager is not None else []
        if not users:  # no manager, or one who left or has no e-mail: the administrators
            admins = and_(User.partner_id.is_(None), User.role == ADMINISTRATOR, active)
            users = s.scalars(select(User).where(admins).order_by(User.id)).all()
        side = "staff"
    else:
        dealer_side = and_(User.partner_id == conversation.partner_id, active)
        took_part = select(M.author_id).where(M.conversation_id == conversation.id, M.side == "dealer")
        users = s.scalars(
            select(User)
            .where(dealer_side, or_(User.id.in_(took_part), User.id == conversation.started_by))
            .order_by(User.id)
        ).all()
        if not users:
            users = s.scalars(select(User).where(dealer_side).order_by(User.id)).all()
        side = "dealer"
    return [Recipient(u.id, u.email or "", u.full_name, u.language, side) for u in users]
