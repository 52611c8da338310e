"""Two requests of one user marking the same conversation read for the first time at once (two
tabs): both succeed, one mark row stays, at the later message (PostgreSQL, real concurrency)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from dealerhub.core.conversations import ConversationRead, mark_read, post_message, start_conversation
from tests.conversations.builders import build_world

pytestmark = pytest.mark.postgresql


def test_two_first_marks_at_once_leave_one_row(pg_core_db, monkeypatch) -> None:
    from dealerhub.core.conversations import service

    w = build_world(pg_core_db)
    moves: list[str] = []
    real_move = service._move_mark

    def noted_move(*args):
        moves.append(threading.current_thread().name)
        return real_move(*args)

    monkeypatch.setattr(service, "_move_mark", noted_move)
    with pg_core_db.transaction() as s:
        talk = start_conversation(
            s, partner_id=w.a, kind="general", subject="S", author_user_id=w.a_buyer, body="1"
        )
        first = post_message(s, talk.id, author_user_id=w.manager, body="2").id
        second = post_message(s, talk.id, author_user_id=w.manager, body="3").id
        talk_id = talk.id
    inserted, errors = threading.Event(), []

    def late_tab() -> None:
        try:
            inserted.wait(10)
            with pg_core_db.transaction() as s:  # blocks on the first tab's uncommitted row
                mark_read(s, talk_id, w.a_owner, first)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    other = threading.Thread(target=late_tab, name="late-tab")
    other.start()
    with pg_core_db.transaction() as s:
        mark_read(s, talk_id, w.a_owner, second)
        inserted.set()
        time.sleep(0.5)  # the other tab's insert now waits on this row
    other.join(20)
    assert errors == [] and not other.is_alive()
    with pg_core_db.session() as s:
        marks = s.execute(
            select(ConversationRead.user_id, ConversationRead.last_read_message_id).where(
                ConversationRead.user_id == w.a_owner
            )
        ).all()
    assert marks == [(w.a_owner, second)]  # the older mark did not move it back
    # the late tab found no row, its insert hit the first tab's, it moved the mark instead
    assert moves.count("late-tab") == 2
