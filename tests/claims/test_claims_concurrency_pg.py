"""Claims made at once on PostgreSQL, with real parallel connections: several users of the dealer
claiming the same shipped line never claim more than was shipped (the order's lock serialises
them), and two managers deciding the same claim at once: one wins, the other is refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import claims
from dealerhub.core.claims.models import Claim
from dealerhub.core.documents import DocumentNotInStatus
from dealerhub.core.sales.models import CustomerReturn
from tests import factories as f
from tests.claims.builders import claim_row, dealer_user, sold, submit
from tests.integration.sales_builders import audit

pytestmark = pytest.mark.postgresql
D = Decimal


def test_users_claiming_one_line_at_once_never_claim_more_than_was_shipped(pg_core_db):
    got = sold(pg_core_db, ("4", "2"))
    with pg_core_db.transaction() as s:
        users = [dealer_user(s, got.world.partner_id) for _ in range(8)]
    barrier = threading.Barrier(len(users))

    def claim(user_id: int):
        barrier.wait()
        try:
            with pg_core_db.transaction() as s:
                return claims.submit_claim(
                    s, claims.ClaimInput(got.line_ids[0], "damage", "1", "dent"),
                    partner_id=got.world.partner_id, user_id=user_id,
                ).number
        except claims.ClaimExceedsShipped as refused:
            return refused

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        results = list(pool.map(claim, users))
    made = [r for r in results if isinstance(r, str)]
    assert len(made) == 4 and len(set(made)) == 4
    assert all(isinstance(r, claims.ClaimExceedsShipped) for r in results if not isinstance(r, str))
    with pg_core_db.session() as s:
        assert s.scalar(select(func.sum(Claim.quantity))) == D(4)


def test_two_managers_approving_one_claim_at_once_make_one_return(pg_core_db):
    got = sold(pg_core_db)
    claim_id = submit(pg_core_db, got)
    with pg_core_db.transaction() as s:
        claims.take_claim(s, claim_id, user_id=got.world.manager_id)
        other = f.staff(s).id
    barrier = threading.Barrier(2)

    def approve(user_id: int):
        barrier.wait()
        try:
            with pg_core_db.transaction() as s:
                claims.approve_claim(s, claim_id, user_id=user_id, resolution="credit", goods_back=True)
                return "approved"
        except DocumentNotInStatus as refused:
            return refused

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(approve, (got.world.manager_id, other)))
    assert sorted(type(r).__name__ for r in results) == ["DocumentNotInStatus", "str"]
    with pg_core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(CustomerReturn)) == 1
    assert [a for a, _, _ in audit(pg_core_db, "claim", claim_id)] == ["create", "take", "approve"]
    assert claim_row(pg_core_db, claim_id).customer_return_id is not None
