"""A document's progress (exchange_document_progress) moves up to the highest place done and never
down; its row is made by its first done message. The upsert of PostgreSQL, SQLite and MariaDB and
the portable path (SQL Server) leave the same rows; two completions of one new document at once
both succeed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from dealerhub.exchange import sequence
from dealerhub.exchange.models import document_progress
from dealerhub.shared.db import Database


def progress(db: Database) -> dict:
    with db.session() as s:
        return {
            (r.sender, r.document_type, r.document_number): r.last_done_seq
            for r in s.execute(select(document_progress))
        }


A, B, C = ("core", "picking_task", "PT-1"), ("core", "picking_task", "PT-2"), ("wms", "receipt", "PT-1")


@pytest.mark.parametrize(
    "advance", [sequence.advance, sequence._advance_portably], ids=["upsert", "portable"]
)
def test_progress_moves_up_only_and_rows_are_made_on_first_use(exchange_db: Database, advance) -> None:
    with exchange_db.transaction() as s:
        advance(s, {A: 1, B: 3})
    assert progress(exchange_db) == {A: 1, B: 3}
    with exchange_db.transaction() as s:
        advance(s, {A: 2, B: 2, C: 1})  # B: a lower place done late never moves it back
    assert progress(exchange_db) == {A: 2, B: 3, C: 1}
    with exchange_db.transaction() as s:
        advance(s, {})
    assert progress(exchange_db) == {A: 2, B: 3, C: 1}


def test_two_completions_of_one_new_document_at_once_both_succeed(server_exchange_db: Database) -> None:
    db = server_exchange_db
    barrier, errors = threading.Barrier(2), []

    def complete(seq: int) -> None:
        try:
            with db.transaction() as s:
                s.execute(select(1))  # both transactions open before either writes
                barrier.wait()
                sequence.advance(s, {A: seq})
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=complete, args=(seq,)) for seq in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert progress(db) == {A: 2}
