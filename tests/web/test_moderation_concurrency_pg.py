"""Two sales managers deciding on the same order at the same moment, on PostgreSQL with real
parallel requests: exactly one decision is taken, the other gets 409 and leaves no trace — one
approval, one picking task, the stock reserved once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared.config import Settings
from dealerhub.web.app import create_app
from tests.carts.builders import balance, make_world
from tests.web.conftest import add_user, log_in, page_token
from tests.web.test_moderation import make_order, order_reservations, order_row, tasks_of, version_on

pytestmark = pytest.mark.postgresql
D = Decimal


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_managers_at_once_one_decision_wins(pg_core_db, second):
    w = make_world(pg_core_db)
    order_id = make_order(pg_core_db, w, (w.piece, "4"))
    app = create_app(Settings(core_database_url=pg_core_db.url, secret_key="test-secret-key"))
    for login in ("first", "second"):
        add_user(pg_core_db, login, "sales_manager")
    with TestClient(app, follow_redirects=False) as one, TestClient(app, follow_redirects=False) as two:
        log_in(one, "first")
        log_in(two, "second")
        seen = version_on(one, order_id)
        assert version_on(two, order_id) == seen
        forms = [
            (one, "approve", {"csrf_token": page_token(one), "version": seen}),
            (two, second, {"csrf_token": page_token(two), "version": seen, "reason": "out of season"}),
        ]
        barrier = threading.Barrier(2)

        def decide(entry):
            client, action, data = entry
            barrier.wait()
            return action, client.post(f"/backoffice/moderation/{order_id}/{action}", data=data).status_code

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = sorted(pool.map(decide, forms), key=lambda r: r[1])
    assert [status for _, status in results] == [303, 409]
    won = results[0][0]
    with pg_core_db.session() as s:
        decisions = s.scalar(
            select(func.count()).select_from(AuditRecord).where(
                AuditRecord.entity_type == "customer_order", AuditRecord.entity_id == order_id,
                AuditRecord.action.in_(("approve", "reject")),
            )
        )
    assert decisions == 1
    if won == "approve":
        assert order_row(pg_core_db, order_id)[0] == "approved"
        assert tasks_of(pg_core_db, order_id) == [("draft", [(w.piece, D(4))])]
        assert order_reservations(pg_core_db, order_id) == [(w.piece, D(4))]
        assert balance(pg_core_db, w.piece, w.main) == (D(10), D(4))
    else:
        assert order_row(pg_core_db, order_id)[0] == "cancelled"
        assert tasks_of(pg_core_db, order_id) == []
        assert balance(pg_core_db, w.piece, w.main) == (D(10), D(0))
