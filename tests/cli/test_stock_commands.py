"""`dealerhub stock check | rebuild | expire-reservations` against a real migrated database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from dealerhub.core import stock
from dealerhub.core.stock.models import Reservation, ReservationMove, StockBalance
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal


@pytest.fixture
def core(migrated_cli):
    database = Database(migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"])
    yield database
    database.dispose()


def _stocked(core, qty="10"):
    with core.transaction() as s:
        it, wh = f.item(s), f.warehouse(s)
        f.put_stock(s, it, wh, qty)
        return it.id, wh.id


def _balances(core):
    with core.session() as s:
        return s.execute(
            select(
                StockBalance.item_id, StockBalance.warehouse_id, StockBalance.on_hand, StockBalance.reserved
            )
        ).all()


def test_check_passes_when_balances_agree_with_moves(migrated_cli, core):
    _stocked(core)

    result = migrated_cli("stock", "check")

    assert result.exit_code == 0
    assert "balances agree with the moves" in result.output


def test_check_fails_with_a_table_of_differences(migrated_cli, core):
    item_id, wh_id = _stocked(core, "10")
    other_item, _ = _stocked(core, "4")
    with core.transaction() as s:  # damage the derived state behind the ledger's back
        s.execute(StockBalance.__table__.update().where(StockBalance.item_id == item_id).values(on_hand=D(7)))
        s.execute(StockBalance.__table__.delete().where(StockBalance.item_id == other_item))

    result = migrated_cli("stock", "check")

    assert result.exit_code == 1
    assert "2 balances disagree with the moves" in result.output
    row = next(line for line in result.output.splitlines() if f"│ {item_id} " in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        str(item_id),
        str(wh_id),
        "7.000",
        "10.000",
        "0.000",
        "0",
    ]
    assert "dealerhub stock rebuild" in result.output


def test_rebuild_restores_balances_from_the_moves(migrated_cli, core):
    item_id, wh_id = _stocked(core, "10")
    with core.transaction() as s:
        s.execute(StockBalance.__table__.update().values(on_hand=D(1)))

    result = migrated_cli("stock", "rebuild")

    assert result.exit_code == 0
    assert "rebuilt 1 balance rows" in result.output
    assert _balances(core) == [(item_id, wh_id, D(10), D(0))]
    assert migrated_cli("stock", "check").exit_code == 0


def test_expire_reservations_releases_only_those_whose_time_is_up(migrated_cli, core):
    item_id, wh_id = _stocked(core, "10")
    with core.transaction() as s:
        for holder, hours in ((1, -1), (2, -2), (3, 5)):
            stock.reserve(
                s,
                item_id=item_id,
                warehouse_id=wh_id,
                quantity=D(2),
                holder=stock.Holder("cart", holder),
                doc=stock.DocRef("cart", holder),
                expires_at=clock.now() + timedelta(hours=hours),
            )

    result = migrated_cli("stock", "expire-reservations")

    assert result.exit_code == 0
    assert "released 2 expired reservations" in result.output
    assert _balances(core) == [(item_id, wh_id, D(10), D(2))]
    with core.session() as s:
        left = s.execute(
            select(Reservation.holder_id, Reservation.quantity).order_by(Reservation.holder_id)
        ).all()
        reasons = s.execute(select(ReservationMove.reason).order_by(ReservationMove.id)).scalars().all()
    assert left == [(1, D(0)), (2, D(0)), (3, D(2))]
    assert reasons == ["reserve", "reserve", "reserve", "expire", "expire"]
    assert migrated_cli("stock", "expire-reservations").output.strip() == "released 0 expired reservations"


def test_check_on_an_empty_database(migrated_cli, core):
    with core.transaction() as s:
        s.execute(
            insert(StockBalance).values(
                item_id=f.item(s).id, warehouse_id=f.warehouse(s).id, on_hand=0, reserved=0
            )
        )

    assert migrated_cli("stock", "check").exit_code == 0  # a zero row says the same as no moves
