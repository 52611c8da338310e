"""Conversations on SQLite and PostgreSQL: who sees what, unread counts per user, files, whom a
message is mailed to, and nothing written when a message is refused."""

from __future__ import annotations

import pytest

from dealerhub.core.attachments import AttachmentRefused, store_attachment
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.conversations import (
    Conversation,
    ConversationNotFound,
    InvalidMessage,
    Viewer,
    conversation_rows,
    get_conversation,
    mark_read,
    post_message,
    recipients_of,
    start_conversation,
    thread,
    unread_count,
)
from dealerhub.shared.config import get_settings
from dealerhub.shared.db import Database
from tests.conversations.builders import World, build_world, counts, jpeg


@pytest.fixture
def world(core_db: Database) -> World:
    return build_world(core_db)


def dealer(w: World, user_id: int, partner_id: int | None = None, role: str = "buyer") -> Viewer:
    return Viewer(user_id, partner_id or w.a, role)


def staff(user_id: int, role: str = "sales_manager") -> Viewer:
    return Viewer(user_id, None, role)


def unread(db: Database, viewer: Viewer) -> int:
    with db.session() as s:
        return unread_count(s, viewer)


def test_unread_counts_are_per_user_and_per_side(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        talk = start_conversation(
            s,
            partner_id=w.a,
            kind="general",
            subject="  Delivery   dates ",
            author_user_id=w.a_buyer,
            body="When does the pump come?",
        )
        talk_id = talk.id
        assert talk.subject == "Delivery dates"
    buyer, owner = dealer(w, w.a_buyer), dealer(w, w.a_owner, role="owner")
    manager, other, admin = staff(w.manager), staff(w.other_manager), staff(w.admin, "administrator")
    b_owner = dealer(w, w.b_owner, w.b, "owner")
    # The dealer's own message is unread for no one of the dealer; the manager and the admin see it.
    assert [unread(core_db, v) for v in (buyer, owner, manager, other, admin, b_owner)] == [0, 0, 1, 0, 1, 0]

    with core_db.transaction() as s:
        post_message(s, talk_id, author_user_id=w.manager, body="On Monday.")
        post_message(s, talk_id, author_user_id=w.manager, body="Tracking number follows.")
    # Posting marks the author's read up to their message: the manager has read everything.
    assert [unread(core_db, v) for v in (buyer, owner, manager, other, admin, b_owner)] == [2, 2, 0, 0, 1, 0]

    with core_db.transaction() as s:
        mark_read(s, talk_id, w.a_buyer)
        mark_read(s, talk_id, w.a_buyer)  # again: nothing changes
        mark_read(s, talk_id, w.a_owner, up_to_message_id=talk_id and _first_staff_message(s, talk_id))
    assert [unread(core_db, v) for v in (buyer, owner, manager)] == [0, 1, 0]
    with core_db.transaction() as s:  # a mark never goes back
        mark_read(s, talk_id, w.a_buyer, up_to_message_id=1)
    assert unread(core_db, buyer) == 0

    with core_db.session() as s:
        for stranger in (other, b_owner):
            with pytest.raises(ConversationNotFound):
                get_conversation(s, talk_id, stranger)
        assert get_conversation(s, talk_id, admin).id == talk_id
        messages = thread(s, talk_id, owner)
        assert [(m.side, m.body, m.author_name, m.unread) for m in messages] == [
            ("dealer", "When does the pump come?", "Alpha Buyer", False),
            ("staff", "On Monday.", "Anna Manager", False),
            ("staff", "Tracking number follows.", "Anna Manager", True),
        ]


def _first_staff_message(s, talk_id: int) -> int:
    from sqlalchemy import select

    from dealerhub.core.conversations import ConversationMessage as M

    return s.scalar(
        select(M.id).where(M.conversation_id == talk_id, M.side == "staff").order_by(M.id).limit(1)
    )


def test_inbox_lists_unread_first_and_only_the_viewers_dealers(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        first = start_conversation(
            s,
            partner_id=w.a,
            kind="order",
            subject="Order question",
            author_user_id=w.a_owner,
            body="Can you split it?",
            customer_order_id=w.a_order,
        ).id
        second = start_conversation(
            s,
            partner_id=w.a,
            kind="general",
            subject="Price list",
            author_user_id=w.a_buyer,
            body="New prices?",
        ).id
        post_message(s, first, author_user_id=w.manager, body="Yes.")  # first: read by the manager
        beta = start_conversation(
            s, partner_id=w.b, kind="general", subject="Beta asks", author_user_id=w.b_owner, body="Hello"
        ).id
    with core_db.session() as s:
        total, rows = conversation_rows(s, staff(w.manager))
        assert total == 2
        assert [(r.id, r.partner_name, r.messages, r.unread) for r in rows] == [
            (second, "Alpha", 1, 1),
            (first, "Alpha", 2, 0),
        ]
        order_row = rows[1]
        assert (order_row.kind, order_row.customer_order_id, order_row.order_number is not None) == (
            "order",
            w.a_order,
            True,
        )
        total, rows = conversation_rows(s, staff(w.admin, "administrator"))
        assert total == 3 and {r.id for r in rows} == {first, second, beta}
        # the admin has read none of them; the latest message first
        assert [(r.id, r.unread) for r in rows] == [(beta, 1), (first, 1), (second, 1)]
        total, rows = conversation_rows(s, dealer(w, w.a_owner, role="owner"))
        assert [(r.id, r.unread) for r in rows] == [(first, 1), (second, 0)]
        assert conversation_rows(s, dealer(w, w.b_owner, w.b, "owner"))[0] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"body": "   "},
        {"subject": ""},
        {"kind": "complaint"},
        {"kind": "order"},  # names no order
        {"kind": "order", "customer_order_id": "b_order"},  # another dealer's order
        {"kind": "general", "customer_order_id": "a_order"},
        {"author_user_id": "b_owner"},  # a user of another dealer
        {"partner_id": 0},
        {"body": "x" * 10_001},
    ],
)
def test_a_refused_conversation_writes_nothing(core_db, world, change) -> None:
    w = world
    args = {
        "partner_id": w.a,
        "kind": "general",
        "subject": "Question",
        "author_user_id": w.a_buyer,
        "body": "Hi",
        "customer_order_id": None,
    }
    args.update({k: getattr(w, v) if isinstance(v, str) and hasattr(w, v) else v for k, v in change.items()})
    before = counts(core_db)
    with pytest.raises(InvalidMessage), core_db.transaction() as s:
        start_conversation(s, **args)
    assert counts(core_db) == before


def test_messages_carry_the_dealers_files_only(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        photo = store_attachment(
            s, filename="leak.jpg", data=jpeg(), partner_id=w.a, uploaded_by=w.a_buyer
        ).id
        act = store_attachment(
            s, filename="act.pdf", data=b"%PDF-1.7\n", partner_id=w.a, uploaded_by=w.a_buyer
        ).id
        betas = store_attachment(s, filename="b.jpg", data=jpeg(), partner_id=w.b, uploaded_by=w.b_owner).id
        talk = start_conversation(
            s,
            partner_id=w.a,
            kind="general",
            subject="Leak",
            author_user_id=w.a_buyer,
            body="See the photos",
            attachment_ids=[photo, act],
        ).id
        spare = store_attachment(
            s, filename="more.jpg", data=jpeg(), partner_id=w.a, uploaded_by=w.a_buyer
        ).id
    for refused in ([betas], [photo], [spare, spare]):  # another dealer's file, a file already sent, twice
        before = counts(core_db)
        with pytest.raises(InvalidMessage), core_db.transaction() as s:
            post_message(s, talk, author_user_id=w.a_buyer, body="and this", attachment_ids=refused)
        assert counts(core_db) == before
    with core_db.session() as s:
        (first,) = thread(s, talk, staff(w.manager))
        assert [(f.filename, f.content_type) for f in first.files] == [
            ("leak.jpg", "image/jpeg"),
            ("act.pdf", "application/pdf"),
        ]


def test_a_too_large_file_leaves_no_message(core_db, world, monkeypatch) -> None:
    w = world
    with core_db.transaction() as s:
        talk = start_conversation(
            s, partner_id=w.a, kind="general", subject="Big", author_user_id=w.a_buyer, body="A video follows"
        ).id
    before = counts(core_db)
    monkeypatch.setenv("DEALERHUB_ATTACHMENT_MAX_BYTES", "100")
    get_settings.cache_clear()
    try:
        with pytest.raises(AttachmentRefused), core_db.transaction() as s:
            message = post_message(s, talk, author_user_id=w.a_buyer, body="here")
            store_attachment(s, filename="big.txt", data=b"x" * 101, partner_id=w.a, uploaded_by=w.a_buyer)
            assert message.id  # the message was written in this transaction and goes with it
    finally:
        monkeypatch.delenv("DEALERHUB_ATTACHMENT_MAX_BYTES")
        get_settings.cache_clear()
    assert counts(core_db) == before


def test_another_dealers_user_cannot_post_and_is_told_not_found(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        talk = start_conversation(
            s, partner_id=w.a, kind="general", subject="S", author_user_id=w.a_buyer, body="B"
        ).id
    before = counts(core_db)
    with pytest.raises(ConversationNotFound), core_db.transaction() as s:
        post_message(s, talk, author_user_id=w.b_owner, body="let me in")
    with pytest.raises(ConversationNotFound), core_db.transaction() as s:
        post_message(s, 10_000, author_user_id=w.a_buyer, body="nowhere")
    assert counts(core_db) == before


def test_start_is_audited_with_its_kind_and_order(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        talk = start_conversation(
            s,
            partner_id=w.a,
            kind="claim",
            subject="Broken seal",
            author_user_id=w.a_owner,
            body="Leaks",
            customer_order_id=w.a_order,
        )
        assert isinstance(talk, Conversation) and talk.id
        talk_id = talk.id
    with core_db.session() as s:
        from sqlalchemy import select

        record = s.scalar(select(AuditRecord).where(AuditRecord.entity_type == "conversation"))
        assert (record.entity_id, record.action, record.user_id) == (talk_id, "start", w.a_owner)
        assert record.details == {"partner_id": w.a, "kind": "claim", "customer_order_id": w.a_order}


def test_recipients_of_a_new_message(core_db, world) -> None:
    w = world
    with core_db.transaction() as s:
        talk = start_conversation(
            s, partner_id=w.a, kind="general", subject="S", author_user_id=w.a_buyer, body="1"
        )
        first = _last(s, talk.id)
        reply = post_message(s, talk.id, author_user_id=w.manager, body="2").id
        by_staff = start_conversation(
            s, partner_id=w.a, kind="general", subject="News", author_user_id=w.manager, body="3"
        )
        news = _last(s, by_staff.id)
    with core_db.session() as s:
        assert [(r.user_id, r.side) for r in recipients_of(s, first)] == [(w.manager, "staff")]
        # the manager's answer: to the dealer's users who took part (the buyer), not the owner
        assert [r.user_id for r in recipients_of(s, reply)] == [w.a_buyer]
        # a conversation the staff started: all the dealer's active users with an e-mail
        assert [r.user_id for r in recipients_of(s, news)] == [w.a_owner, w.a_buyer]
    with core_db.transaction() as s:  # no manager in the agreement: the administrators get it
        from sqlalchemy import update

        from dealerhub.core.pricing.models import DealerAgreement

        s.execute(
            update(DealerAgreement).where(DealerAgreement.partner_id == w.a).values(personal_manager_id=None)
        )
    with core_db.session() as s:
        assert [(r.user_id, r.email) for r in recipients_of(s, first)] == [
            (w.admin, "root-admin@mail.example")
        ]


def _last(s, talk_id: int) -> int:
    from sqlalchemy import func, select

    from dealerhub.core.conversations import ConversationMessage as M

    return s.scalar(select(func.max(M.id)).where(M.conversation_id == talk_id))
