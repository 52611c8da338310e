"""`dealerhub bonus accrue` against a real migrated database: accrues closed periods, a second run
writes nothing, --period narrows it, a bad period is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.bonus.builders import entries, make_world, sell, turnover_program, utc

D = Decimal


@pytest.fixture
def core(migrated_cli):
    database = Database(migrated_cli.env["DEALERHUB_CORE_DATABASE_URL"])
    yield database
    database.dispose()


def test_accrue_reconciles_every_dealer_once(migrated_cli, core):
    w = make_world(core)
    turnover_program(core, code="Q")
    turnover_program(core, code="M", period="month")
    sell(core, w, utc(2026, 2, 10, 9), {"A": "10"})  # 1000.00 in February, Q1
    sell(core, w, utc(2026, 4, 10, 9), {"A": "20"}, partner_id=w.other_partner_id)  # Q2, running
    clock.freeze(utc(2026, 4, 15, 3))

    narrowed = migrated_cli("bonus", "accrue", "--period", "2026-01")
    assert narrowed.exit_code == 0, narrowed.output
    assert "2 dealers reconciled, 0 ledger entries written" in narrowed.output  # nothing sold in January

    first = migrated_cli("bonus", "accrue")
    assert first.exit_code == 0
    assert "2 dealers reconciled, 2 ledger entries written" in first.output
    assert [e[:4] for e in entries(core, w.partner_id)] == [
        ("accrual", D("30.00"), utc(2026, 1, 1).date(), D("1000.00")),  # the quarter
        ("accrual", D("30.00"), utc(2026, 2, 1).date(), D("1000.00")),  # February
    ]
    assert entries(core, w.other_partner_id) == []  # April isn't closed
    again = migrated_cli("bonus", "accrue")
    assert "2 dealers reconciled, 0 ledger entries written" in again.output


def test_a_bad_period_is_refused(migrated_cli):
    result = migrated_cli("bonus", "accrue", "--period", "2026-Q5")
    assert result.exit_code == 2
    assert "period '2026-Q5': write 2026, 2026-Q3 or 2026-07" in result.output
