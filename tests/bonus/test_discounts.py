"""Program discounts and promotions in the dealer's personal price: the larger single discount
wins over the agreement's, validity dates, chosen dealers; the price an order takes. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import bonus, sales
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.pricing import DiscountInput, get_agreement_for, personal_prices, update_agreement
from dealerhub.shared import clock
from tests.bonus.builders import counts, make_world, utc

D = Decimal


def _program(db, **fields):
    data = {"code": "P", "name": "Program", "kind": "discount", "valid_from": date(2026, 1, 1)} | fields
    with db.transaction() as s:
        return bonus.create_program(s, bonus.ProgramInput(**data), user_id=None).id


def _prices(db, w, partner_id=None):
    """item key -> (price, discount percent) today, as carts, orders and the catalog see them."""
    partner_id = partner_id or w.partner_id
    today = clock.today()
    with db.session() as s:
        agreement = get_agreement_for(s, partner_id, today)
        found = personal_prices(s, agreement.id, w.items.values(), today, bonus.discount_rules(s, partner_id, today))
    return {k: (found[i].price, found[i].discount_percent) for k, i in w.items.items()}


def test_the_larger_single_discount_wins_never_the_sum(core_db):
    clock.freeze(utc(2026, 3, 1, 9))
    w = make_world(core_db)
    with core_db.transaction() as s:  # the agreement: 12 % on the sub group, 5 % on everything
        update_agreement(s, w.agreement_id, user_id=None, discounts=[
            DiscountInput("group", D(12), w.sub_group_id), DiscountInput("all", D(5)),
        ])
    _program(core_db, targets=[bonus.TargetInput("brand", w.brand_id, D("10")), bonus.TargetInput("group", w.other_group_id, D("7.5"))])
    assert _prices(core_db, w) == {
        "A": (D("88.00"), D("12")),  # agreement 12 % > the brand's 10 %
        "B": (D("220.00"), D("12")),  # no program discount
        "C": (D("37.00"), D("7.5")),  # the program's 7.5 % > the agreement's 5 %: 40.00 - 3.00
    }


def test_promotion_holds_from_its_first_to_its_last_day(core_db):
    w = make_world(core_db)
    _program(core_db, kind="promotion", valid_from=date(2026, 5, 1), valid_to=date(2026, 5, 10),
             targets=[bonus.TargetInput("item", w.items["B"], D("15"))])
    for day, expected in ((30, "250.00"), (1, "212.50"), (10, "212.50"), (11, "250.00")):
        clock.freeze(utc(2026, 4 if day == 30 else 5, day, 12))
        assert _prices(core_db, w)["B"][0] == D(expected), day


def test_a_program_for_chosen_dealers_or_switched_off_changes_no_one_elses_price(core_db):
    clock.freeze(utc(2026, 3, 1, 9))
    w = make_world(core_db)
    _program(core_db, all_partners=False, partner_ids=[w.other_partner_id], targets=[bonus.TargetInput("brand", w.brand_id, D("20"))])
    _program(core_db, code="OFF", is_active=False, targets=[bonus.TargetInput("brand", w.brand_id, D("50"))])
    assert _prices(core_db, w)["A"] == (D("100.00"), D("0"))
    assert _prices(core_db, w, w.other_partner_id)["A"] == (D("80.00"), D("20"))


def test_an_order_takes_the_promotion_price(core_db):
    clock.freeze(utc(2026, 5, 5, 9))
    w = make_world(core_db)
    _program(core_db, kind="promotion", valid_to=date(2026, 5, 31), targets=[bonus.TargetInput("group", w.root_group_id, D("3.33"))])
    with core_db.transaction() as s:
        order = sales.create_customer_order(
            s, user_id=None, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(w.items["A"], D(3)), sales.OrderLineInput(w.items["C"], D(1))],
        )
        # A sits in a subgroup of the root group: 100.00 - 3.33 %; C is elsewhere: list price
        assert [(ln.price, ln.discount_percent, ln.amount) for ln in order.lines] == [
            (D("96.67"), D("3.33"), D("290.01")), (D("40.00"), D("0"), D("40.00")),
        ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"targets": []}, "a discount or promotion needs at least one brand, group or item"),
        ({"kind": "promotion"}, "a promotion needs an end date"),
        ({"targets": "zero"}, "discount 0 must be above 0, at most 100, with 2 decimal places at most"),
        ({"valid_to": date(2025, 12, 31)}, "a program can't end (2025-12-31) before it starts (2026-01-01)"),
        ({"all_partners": False}, "choose the dealers taking part, or open the program to all"),
        ({"targets": "unknown"}, "unknown brand 999999"),
        ({"kind": "turnover", "period": "week", "targets": []}, "a turnover program needs a period: a month, a quarter or a year"),
        ({"kind": "turnover", "period": "month", "tiers": (bonus.Tier(D(0), D(5)),), "usable_in_orders": True,
          "targets": []},
         "the share of an order payable by bonus (0 %) must be above 0 and at most 100"),
    ],
)
def test_a_bad_program_is_refused_and_nothing_is_written(core_db, fields, message):
    w = make_world(core_db)
    targets = {"zero": [bonus.TargetInput("brand", w.brand_id, D(0))], "unknown": [bonus.TargetInput("brand", 999999, D(5))]}
    if isinstance(fields.get("targets"), str):
        fields = fields | {"targets": targets[fields["targets"]]}
    data = {"code": "BAD", "name": "Bad", "kind": "discount", "valid_from": date(2026, 1, 1),
            "targets": [bonus.TargetInput("brand", w.brand_id, D(5))]} | fields
    before = counts(core_db)
    with pytest.raises(bonus.InvalidProgram) as refused, core_db.transaction() as s:
        bonus.create_program(s, bonus.ProgramInput(**data), user_id=None)
    assert refused.value.message == message
    assert counts(core_db) == before


def test_changing_a_program_is_audited_and_its_code_stays_unique(core_db):
    w = make_world(core_db)
    first = _program(core_db, targets=[bonus.TargetInput("brand", w.brand_id, D(5))])
    _program(core_db, code="OTHER", targets=[bonus.TargetInput("brand", w.brand_id, D(5))])
    with core_db.transaction() as s:
        data = bonus.ProgramInput(code="P", name="Brand week", kind="discount", valid_from=date(2026, 1, 1),
                                  targets=[bonus.TargetInput("brand", w.brand_id, D(6))])
        bonus.update_program(s, first, data, user_id=None)
    with pytest.raises(bonus.ProgramCodeTaken), core_db.transaction() as s:
        bonus.update_program(s, first, bonus.ProgramInput(**{**data.__dict__, "code": "OTHER"}), user_id=None)
    with core_db.session() as s:
        rows = s.execute(
            select(AuditRecord.action, AuditRecord.details).where(
                AuditRecord.entity_type == "bonus_program", AuditRecord.entity_id == first
            ).order_by(AuditRecord.id)
        ).all()
    assert [(a, d.get("fields")) for a, d in rows] == [("create", None), ("update", ["name", "targets"])]
