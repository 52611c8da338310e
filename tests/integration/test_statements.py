"""Hot-path statements (shared/statements.py) and the fused document statements built on them:
exact values both ways, list parameters, batches, errors as SQLAlchemy's, and the status change
whose audit row is written only when the document moved."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Column, Index, MetaData, String, Table, exc, select

from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.documents.lifecycle import move_status
from dealerhub.core.documents.models import DocumentCounter
from dealerhub.core.documents.numbering import next_number
from dealerhub.core.sales import order_rows
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared.statements import (
    Prepared,
    batch,
    column_types,
    in_list,
    insert_of,
    pairs_in,
    row_lists,
    unnest_rows,
)
from dealerhub.shared.types import BigId, Qty, UTCDateTime
from tests.integration.sales_builders import create_order, make_world

D = Decimal
AT = datetime(2026, 11, 28, 9, 30, 15, 123456, tzinfo=UTC)

_meta = MetaData()
_t = Table(
    "statements_probe",
    _meta,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("a", BigId),
    Column("b", BigId),
    Column("qty", Qty()),
    Column("at", UTCDateTime),
    Column("note", String(20), unique=True),
    Index("ix_statements_probe_a_b", "a", "b"),
)
_INSERT = Prepared(insert_of(_t, "a", "b", "qty", "at", "note"))
_INSERT_RETURNING = Prepared(insert_of(_t, "a", "b", "qty", "at", "note").returning(_t.c.id, _t.c.qty))
_BY_IDS = Prepared(select(_t.c.note, _t.c.qty, _t.c.at).where(in_list(_t.c.id, "ids")).order_by(_t.c.id))
_BY_PAIRS = Prepared(select(_t.c.note).where(pairs_in(_t.c.a, _t.c.b, "pairs")).order_by(_t.c.note))


@pytest.fixture
def probe(core_db):
    _meta.create_all(core_db.engine)
    try:
        yield core_db
    finally:
        _meta.drop_all(core_db.engine)


def _row(n: int, a: int, b: int, qty: str) -> dict:
    return {"a": a, "b": b, "qty": D(qty), "at": AT, "note": f"n{n}"}


def test_values_go_in_and_come_back_exact_and_list_parameters_select_what_they_name(probe):
    with probe.transaction() as s:
        conn = s.connection()
        assert _INSERT.many(conn, [_row(1, 1, 1, "1.5"), _row(2, 1, 2, "0.001"), _row(3, 2, 1, "7")]) == 3
        row = _INSERT_RETURNING.one(conn, _row(4, 2, 2, "12345.678"))
        assert row.qty == D("12345.678")
    with probe.session() as s:
        conn = s.connection()
        assert _BY_IDS.rows(conn, {"ids": [1, 2]}) == [("n1", D("1.500"), AT), ("n2", D("0.001"), AT)]
        assert _BY_IDS.rows(conn, {"ids": {4}}) == [("n4", D("12345.678"), AT)]
        assert _BY_IDS.rows(conn, {"ids": []}) == []
        assert [r.note for r in _BY_PAIRS.rows(conn, {"pairs": [(1, 2), (2, 1), (9, 9)]})] == ["n2", "n3"]
        assert _BY_IDS.one(conn, {"ids": [99]}) is None


def test_a_value_the_column_cannot_hold_is_refused_before_the_database(probe):
    with probe.transaction() as s, pytest.raises(ValueError, match="more than 3 decimal places"):
        _INSERT.rowcount(s.connection(), _row(1, 1, 1, "1.0001"))
    with pytest.raises(TypeError, match="floats"), probe.transaction() as s:
        _INSERT.rowcount(s.connection(), {**_row(1, 1, 1, "1"), "qty": 1.5})


def test_database_errors_are_sqlalchemys_and_the_transaction_keeps_nothing(probe):
    with pytest.raises(exc.IntegrityError), probe.transaction() as s:
        _INSERT.rowcount(s.connection(), _row(1, 1, 1, "1"))
        _INSERT.rowcount(s.connection(), _row(1, 1, 1, "2"))  # the same note twice
    with pytest.raises(exc.IntegrityError), probe.transaction() as s, batch(s.connection()) as b:
        b.send(_INSERT, _row(1, 1, 1, "1"))
        b.send(_INSERT, _row(1, 1, 1, "2"))
    with probe.session() as s:
        assert _BY_IDS.rows(s.connection(), {"ids": [1, 2, 3]}) == []


def test_a_batch_gives_each_statement_its_own_result_afterwards(probe):
    with probe.transaction() as s:
        conn = s.connection()
        with batch(conn) as b:
            many = b.send_many(_INSERT, [_row(1, 1, 1, "1"), _row(2, 1, 2, "2")])
            one = b.send(_INSERT_RETURNING, _row(3, 3, 3, "3"))
            found = b.send(_BY_PAIRS, {"pairs": [(1, 2), (3, 3)]})
        assert many.rowcount == 2
        assert [r.qty for r in one.rows] == [D(3)]
        assert [r.note for r in found.rows] == ["n2", "n3"]


def test_a_status_change_writes_its_audit_row_only_when_the_document_moved(core_db):
    w = make_world(core_db)
    order_id = create_order(core_db, w, ("1",))
    table = CustomerOrder.__table__
    with core_db.transaction() as s:
        refused = move_status(
            s, table, "customer_order", order_id, ("approved",), "closed",
            from_status="approved", user_id=w.manager_id, action="close",
        )  # fmt: skip
        assert refused is None
        at = move_status(
            s, table, "customer_order", order_id, ("draft",), "submitted",
            from_status="draft", user_id=w.manager_id, action="submit", details={"why": D("1.5")},
        )  # fmt: skip
    with core_db.session() as s:
        order = s.get(CustomerOrder, order_id)
        assert (order.status, order.updated_at) == ("submitted", at)
        rows = s.execute(
            select(AuditRecord.occurred_at, AuditRecord.user_id, AuditRecord.action, AuditRecord.from_status,
                   AuditRecord.to_status, AuditRecord.details)
            .where(AuditRecord.entity_type == "customer_order", AuditRecord.entity_id == order_id)
            .order_by(AuditRecord.id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows][1:] == [(at, w.manager_id, "submit", "draft", "submitted", {"why": "1.5"})]
    assert [r.action for r in rows] == ["create", "submit"]


@pytest.mark.parametrize("last", [41, 999_999])
def test_an_order_is_numbered_as_every_document_is(core_db, last):
    w = make_world(core_db)
    year = _number(core_db, create_order(core_db, w, ("1",))).split("-")[1]
    with core_db.transaction() as s:
        s.execute(
            DocumentCounter.__table__.update()
            .where(DocumentCounter.doc_type == order_rows.ORDER)
            .values(last_value=last)
        )
    assert _number(core_db, create_order(core_db, w, ("1",))) == f"CO-{year}-{last + 1:06d}"
    with core_db.transaction() as s:
        assert next_number(s, order_rows.ORDER, "CO") == f"CO-{year}-{last + 2:06d}"


def _number(db, order_id: int) -> str:
    with db.session() as s:
        return s.get(CustomerOrder, order_id).number


def test_list_parameters_are_looked_up_in_an_index_not_scanned(probe):
    """`= ANY(array)` on PostgreSQL; on SQLite the IN must not become `(...) = 1`, which no index serves."""
    with probe.session() as s:
        conn = s.connection()
        by_ids, by_pairs = _BY_IDS._for(conn).sql, _BY_PAIRS._for(conn).sql
        assert "= 1" not in by_ids and "= 1" not in by_pairs
        if probe.dialect != "sqlite":
            return
        for sql, param in ((by_ids, "[1, 2]"), (by_pairs, "[[1, 2]]")):
            plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (param,))]
            assert any(step.startswith("SEARCH statements_probe USING") for step in plan), plan
            assert not any(step.startswith("SCAN statements_probe") for step in plan), plan


def test_rows_given_as_one_array_per_column_arrive_exact(probe):
    """PostgreSQL's unnest_rows(): every value through its column type, sent as the array's text
    form (quotes, backslashes, NULLs, times and scaled decimals included)."""
    if probe.dialect != "postgresql":
        return
    columns = ("a", "b", "qty", "at", "note")
    insert = Prepared(_t.insert().from_select(list(columns), select(*unnest_rows(column_types(_t, *columns)).c)))
    rows = [
        {"a": 1, "b": None, "qty": D("1.5"), "at": AT, "note": 'say "hi"'},
        {"a": 2, "b": 7, "qty": D("0.001"), "at": None, "note": "back\\slash, {comma}"},
        {"a": 3, "b": 8, "qty": D(-2), "at": AT, "note": "NULL"},
    ]
    with probe.transaction() as s:
        assert insert.rowcount(s.connection(), row_lists(rows, *columns)) == 3
        with pytest.raises(ValueError, match="more than 3 decimal places"):
            insert.rowcount(s.connection(), row_lists([{**rows[0], "qty": D("0.0001")}], *columns))
    with probe.session() as s:
        found = s.execute(select(*(_t.c[c] for c in columns)).order_by(_t.c.a)).all()
        assert [tuple(r) for r in found] == [tuple(row[c] for c in columns) for row in rows]
        assert [r.note for r in _BY_IDS.rows(s.connection(), {"ids": {2, 3}})] == ["back\\slash, {comma}", "NULL"]
