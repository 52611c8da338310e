"""The bonus ledger from posted sales: tier boundaries, the period boundary, brand and group
filters, participants, a reversed sale of a closed period, and idempotency; on SQLite and
PostgreSQL (core_db)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dealerhub.core import bonus, sales
from dealerhub.core.catalog.models import Item, Unit
from dealerhub.shared import clock
from tests.bonus.builders import counts, entries, make_world, sell, turnover_program, utc

D = Decimal
Q1 = date(2026, 1, 1)


def _reconcile_all(core_db, w, **choice):
    with core_db.transaction() as s:
        return len(bonus.reconcile(s, [w.partner_id, w.other_partner_id], choice=bonus.PeriodChoice(**choice)))


@pytest.mark.parametrize(("quantity", "accrued"), [("9.99", None), ("10", "30.00"), ("19.99", "59.97"), ("20", "100.00")])
def test_tier_boundaries_exactly_at_and_just_below(core_db, quantity, accrued):
    w = make_world(core_db)
    with core_db.transaction() as s:  # A sold in hundredths, so 9.99 x 100.00 = 999.00 can be sold
        unit = s.get(Unit, s.get(Item, w.items["A"]).unit_id)
        unit.precision = 2
    turnover_program(core_db, targets=[bonus.TargetInput("brand", w.brand_id)])
    sell(core_db, w, utc(2026, 2, 10, 12), {"A": quantity})
    clock.freeze(utc(2026, 4, 1, 8))
    _reconcile_all(core_db, w)

    turnover = D(quantity) * D("100.00")
    expected = [] if accrued is None else [("accrual", D(accrued), Q1, turnover, D(3 if turnover < 2000 else 5), None, "reconciliation")]
    assert entries(core_db, w.partner_id) == expected


def test_nothing_accrues_before_the_period_closes_and_the_boundary_is_midnight_utc(core_db):
    w = make_world(core_db)
    turnover_program(core_db)  # everything counts
    sell(core_db, w, utc(2026, 3, 31, 23, 59, 59), {"A": "10"})  # the last second of Q1: 1000.00
    sell(core_db, w, utc(2026, 4, 1, 0, 0, 0), {"B": "8"})  # the first of Q2: 2000.00
    clock.freeze(utc(2026, 3, 31, 23, 59, 59))
    assert _reconcile_all(core_db, w) == 0  # Q1 is still running

    clock.freeze(utc(2026, 4, 1, 0, 0, 1))
    assert _reconcile_all(core_db, w) == 1
    assert entries(core_db, w.partner_id) == [("accrual", D("30.00"), Q1, D("1000.00"), D("3"), None, "reconciliation")]
    assert _reconcile_all(core_db, w) == 0  # idempotent: the ledger already agrees

    clock.freeze(utc(2026, 7, 1, 6))
    assert _reconcile_all(core_db, w, kind="quarter", period=bonus.parse_period("2026-Q2")[1]) == 1
    assert entries(core_db, w.partner_id)[-1] == (
        "accrual", D("100.00"), date(2026, 4, 1), D("2000.00"), D("5"), None, "reconciliation",
    )
    assert _reconcile_all(core_db, w) == 0


def test_brand_and_group_filters_count_only_their_items(core_db):
    w = make_world(core_db)
    by_brand = turnover_program(core_db, code="BRAND", targets=[bonus.TargetInput("brand", w.brand_id)])
    by_group = turnover_program(core_db, code="GROUP", targets=[bonus.TargetInput("group", w.root_group_id)])
    everything = turnover_program(core_db, code="ALL")
    sell(core_db, w, utc(2026, 2, 1, 9), {"A": "12", "B": "4", "C": "25"})  # 1200.00 + 1000.00 + 1000.00
    clock.freeze(utc(2026, 4, 2))
    with core_db.session() as s:
        programs = {p.code: p for p in bonus.list_programs(s)}
        q1 = bonus.parse_period("2026-Q1")[1]
        # A is the brand's; A and B sit in a subgroup of the root group; C is elsewhere
        assert bonus.turnover(s, programs["BRAND"], [w.partner_id], q1) == {w.partner_id: D("1200.00")}
        assert bonus.turnover(s, programs["GROUP"], [w.partner_id], q1) == {w.partner_id: D("2200.00")}
        assert bonus.turnover(s, programs["ALL"], [w.partner_id], q1) == {w.partner_id: D("3200.00")}
    _reconcile_all(core_db, w)
    with core_db.session() as s:
        assert bonus.balances(s, w.partner_id) == {by_brand: D("36.00"), by_group: D("110.00"), everything: D("160.00")}


def test_only_participants_of_a_program_for_chosen_dealers_accrue(core_db):
    w = make_world(core_db)
    turnover_program(core_db, all_partners=False, partner_ids=[w.other_partner_id])
    sell(core_db, w, utc(2026, 2, 1, 9), {"A": "10"})
    sell(core_db, w, utc(2026, 2, 2, 9), {"A": "20"}, partner_id=w.other_partner_id)
    clock.freeze(utc(2026, 4, 2))
    _reconcile_all(core_db, w)
    assert entries(core_db, w.partner_id) == []
    assert [e[:2] for e in entries(core_db, w.other_partner_id)] == [("accrual", D("100.00"))]


def test_a_sale_of_a_closed_period_unposted_and_posted_again_corrects_the_ledger(core_db):
    w = make_world(core_db)
    program = turnover_program(core_db)
    first = sell(core_db, w, utc(2026, 2, 1, 9), {"A": "15"})  # 1500.00
    second = sell(core_db, w, utc(2026, 3, 1, 9), {"C": "15"})  # 600.00: Q1 is 2100.00 -> 5 %
    clock.freeze(utc(2026, 4, 5))
    _reconcile_all(core_db, w)
    assert [e[:2] for e in entries(core_db, w.partner_id)] == [("accrual", D("105.00"))]

    with core_db.transaction() as s:  # in Q2, the March sale is reversed: the hook corrects Q1
        number = sales.unpost_sale(s, second, user_id=w.manager_id).number
    assert entries(core_db, w.partner_id)[1] == (
        "accrual_correction", D("-60.00"), Q1, D("1500.00"), D("3"), None, number,
    )  # 1500.00 x 3 % = 45.00: 105.00 - 60.00
    with core_db.session() as s:
        assert bonus.balances(s, w.partner_id) == {program: D("45.00")}
    assert _reconcile_all(core_db, w) == 0  # the CLI's reconciliation agrees: nothing to write

    with core_db.transaction() as s:
        sales.post_sale(s, second, user_id=w.manager_id)
    assert [e[:2] for e in entries(core_db, w.partner_id)] == [
        ("accrual", D("105.00")), ("accrual_correction", D("-60.00")), ("accrual_correction", D("60.00")),
    ]
    assert first  # the February sale stayed posted throughout


def test_a_sale_of_the_running_period_writes_nothing(core_db):
    w = make_world(core_db)
    turnover_program(core_db)
    before = counts(core_db)
    sell(core_db, w, utc(2026, 5, 1, 9), {"A": "30"})
    assert counts(core_db)["bonus_entries"] == before["bonus_entries"] == 0


def test_an_inactive_program_or_a_period_outside_its_validity_accrues_nothing(core_db):
    w = make_world(core_db)
    turnover_program(core_db, code="LATER", valid_from=date(2026, 2, 15))  # counts from Feb 15th
    turnover_program(core_db, code="OFF", is_active=False)
    sell(core_db, w, utc(2026, 2, 14, 9), {"A": "10"})
    sell(core_db, w, utc(2026, 2, 15, 0), {"C": "25"})
    clock.freeze(utc(2026, 4, 2))
    _reconcile_all(core_db, w)
    assert [e[:4] for e in entries(core_db, w.partner_id)] == [("accrual", D("30.00"), Q1, D("1000.00"))]
