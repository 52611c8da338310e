"""Price types, item prices with validity, dealer agreements and personal prices on a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dealerhub.core import pricing
from dealerhub.core.documents import UnknownItem
from dealerhub.core.pricing import DiscountInput, PersonalPrice
from dealerhub.core.pricing.agreements import agreement_terms
from dealerhub.core.pricing.personal import AgreementTerms, prices_under, send_prices
from dealerhub.shared.statements import batch
from tests import factories as f
from tests.integration.sales_builders import audit, nothing_written, snapshot

D = Decimal


def _catalog(core_db):
    """Item in Oil filters < Filters < Spare parts, of a brand; a dealer; a dealer price type."""
    with core_db.transaction() as s:
        parts = f.group(s, name="Spare parts")
        filters = f.group(s, parent=parts, name="Filters")
        oil = f.group(s, parent=filters, name="Oil filters")
        br = f.brand(s)
        it = f.item(s, grp=oil)
        it.brand_id = br.id
        other = f.item(s)
        partner, _ = f.dealer(s)
        pt = pricing.create_price_type(s, user_id=None, code="DEALER", name="Dealer price")
        return {
            "parts": parts.id,
            "filters": filters.id,
            "oil": oil.id,
            "brand": br.id,
            "item": it.id,
            "other": other.id,
            "partner": partner.id,
            "pt": pt.id,
        }


def _set_price(s, c, price, valid_from, valid_to=None):
    """The test item's price of the test price type, valid from .. to."""
    return pricing.set_item_price(
        s,
        user_id=None,
        item_id=c["item"],
        price_type_id=c["pt"],
        price=price,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_price_type_is_created_with_an_audit_row(core_db):
    with core_db.transaction() as s:
        pt = pricing.create_price_type(
            s, user_id=None, code="RRP", name="Retail", currency="CNY", is_base=True
        )
        pt_id = pt.id
    with core_db.session() as s:
        pt = pricing.get_price_type(s, pt_id)
        assert (pt.code, pt.currency, pt.is_base) == ("RRP", "CNY", True)
    assert audit(core_db, "price_type", pt_id) == [("create", None, None)]
    with nothing_written(core_db, pricing.PriceTypeCodeTaken), core_db.transaction() as s:
        pricing.create_price_type(s, user_id=None, code="RRP", name="Again")
    with nothing_written(core_db, pricing.InvalidPrice), core_db.transaction() as s:
        pricing.create_price_type(s, user_id=None, code="EUR", name="Euro", currency="EUR")


def test_prices_by_validity_date(core_db):
    c = _catalog(core_db)
    with core_db.transaction() as s:
        _set_price(s, c, D("100.00"), date(2026, 1, 1), date(2026, 1, 31))
        _set_price(s, c, D("110.50"), date(2026, 2, 1))
    with core_db.session() as s:
        assert pricing.get_price(s, c["item"], c["pt"], date(2025, 12, 31)) is None
        assert pricing.get_price(s, c["item"], c["pt"], date(2026, 1, 1)) == D("100.00")
        assert pricing.get_price(s, c["item"], c["pt"], date(2026, 1, 31)) == D("100.00")
        assert pricing.get_price(s, c["item"], c["pt"], date(2026, 2, 1)) == D("110.50")
        assert pricing.get_price(s, c["other"], c["pt"], date(2026, 2, 1)) is None


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [(date(2026, 1, 31), None), (date(2025, 6, 1), date(2026, 1, 1)), (date(2026, 1, 10), date(2026, 1, 12))],
)
def test_an_overlapping_price_is_refused(core_db, valid_from, valid_to):
    c = _catalog(core_db)
    with core_db.transaction() as s:
        _set_price(s, c, D("100.00"), date(2026, 1, 1), date(2026, 1, 31))
    with nothing_written(core_db, pricing.OverlappingPrice), core_db.transaction() as s:
        pricing.set_item_price(
            s,
            user_id=None,
            item_id=c["item"],
            price_type_id=c["pt"],
            price=D("1.00"),
            valid_from=valid_from,
            valid_to=valid_to,
        )


def test_ending_a_price_lets_the_next_one_follow(core_db):
    c = _catalog(core_db)
    with core_db.transaction() as s:
        first = _set_price(s, c, D("100.00"), date(2026, 1, 1)).id
    with nothing_written(core_db, pricing.OverlappingPrice), core_db.transaction() as s:
        _set_price(s, c, D("120.00"), date(2026, 3, 1))
    with core_db.transaction() as s:
        pricing.end_item_price(s, first, user_id=None, valid_to=date(2026, 2, 28))
        _set_price(s, c, D("120.00"), date(2026, 3, 1))
    with core_db.session() as s:
        assert pricing.get_price(s, c["item"], c["pt"], date(2026, 2, 28)) == D("100.00")
        assert pricing.get_price(s, c["item"], c["pt"], date(2026, 3, 1)) == D("120.00")
    assert audit(core_db, "item_price", first) == [("create", None, None), ("end", None, None)]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"price": D("-1")}, pricing.InvalidPrice),
        ({"price": D("1.005")}, pricing.InvalidPrice),
        ({"valid_to": date(2025, 12, 31)}, pricing.InvalidPrice),
        ({"price_type_id": 999_999}, pricing.PriceTypeNotFound),
        ({"item_id": 999_999}, UnknownItem),
    ],
)
def test_bad_prices_write_nothing(core_db, kwargs, error):
    c = _catalog(core_db)
    args = {
        "item_id": c["item"],
        "price_type_id": c["pt"],
        "price": D("10.00"),
        "valid_from": date(2026, 1, 1),
    } | kwargs
    with nothing_written(core_db, error), core_db.transaction() as s:
        pricing.set_item_price(s, user_id=None, **args)


def _agreement(core_db, c, discounts, **kwargs):
    with core_db.transaction() as s:
        wh1, wh2 = f.warehouse(s), f.warehouse(s, kind="regional")
        ag = pricing.create_agreement(
            s,
            user_id=None,
            partner_id=c["partner"],
            number=kwargs.pop("number", "AG-1"),
            price_type_id=c["pt"],
            valid_from=kwargs.pop("valid_from", date(2026, 1, 1)),
            warehouse_ids=[wh2.id, wh1.id],
            discounts=discounts,
            **kwargs,
        )
        _set_price(s, c, D("200.00"), date(2026, 1, 1))
        return ag.id, (wh2.id, wh1.id)


def test_agreement_with_ordered_warehouses_and_discounts(core_db):
    c = _catalog(core_db)
    discounts = [
        DiscountInput("all", D(3)),
        DiscountInput("brand", D(5), c["brand"]),
        DiscountInput("group", D("7.5"), c["filters"]),
    ]
    ag_id, (first, second) = _agreement(
        core_db, c, discounts, credit_limit=D("500000.00"), reservation_hours=48
    )
    with core_db.session() as s:
        ag = pricing.get_agreement(s, ag_id)
        assert [(w.warehouse_id, w.priority) for w in ag.warehouses] == [(first, 1), (second, 2)]
        assert [(d.scope, d.percent, d.group_id, d.brand_id) for d in ag.discounts] == [
            ("all", D(3), None, None),
            ("brand", D(5), None, c["brand"]),
            ("group", D("7.5"), c["filters"], None),
        ]
        assert (ag.credit_limit, ag.reservation_hours) == (D("500000.00"), 48)
        # "Filters" is an ancestor of the item's group: 7.5 % beats the brand's 5 % and the 3 % on all.
        assert pricing.personal_price(s, ag_id, c["item"], date(2026, 5, 1)) == PersonalPrice(
            D("200.00"), D("185.00"), D("7.5")
        )
        assert pricing.personal_price(s, ag_id, c["other"], date(2026, 5, 1)) is None  # no price: none
    assert audit(core_db, "dealer_agreement", ag_id) == [("create", None, None)]


def test_item_discount_wins_and_update_replaces_discounts(core_db):
    c = _catalog(core_db)
    ag_id, _ = _agreement(core_db, c, [DiscountInput("group", D(10), c["parts"])])
    with core_db.session() as s:
        assert pricing.personal_price(s, ag_id, c["item"], date(2026, 5, 1)).price == D("180.00")
    with core_db.transaction() as s:
        pricing.update_agreement(
            s,
            ag_id,
            user_id=None,
            discounts=[
                DiscountInput("group", D(10), c["parts"]),
                DiscountInput("item", D("12.34"), c["item"]),
            ],
        )
    with core_db.session() as s:
        # 200 less 12.34 % = 175.32
        assert pricing.personal_price(s, ag_id, c["item"], date(2026, 5, 1)) == PersonalPrice(
            D("200.00"), D("175.32"), D("12.34")
        )
    assert [a for a, _, _ in audit(core_db, "dealer_agreement", ag_id)] == ["create", "update"]


def test_get_agreement_for_a_date(core_db):
    c = _catalog(core_db)
    with core_db.transaction() as s:
        old = pricing.create_agreement(
            s,
            user_id=None,
            partner_id=c["partner"],
            number="AG-OLD",
            price_type_id=c["pt"],
            valid_from=date(2025, 1, 1),
            valid_to=date(2025, 12, 31),
        ).id
        new = pricing.create_agreement(
            s,
            user_id=None,
            partner_id=c["partner"],
            number="AG-NEW",
            price_type_id=c["pt"],
            valid_from=date(2026, 1, 1),
        ).id
    with core_db.session() as s:
        assert pricing.get_agreement_for(s, c["partner"], date(2024, 12, 31)) is None
        assert pricing.get_agreement_for(s, c["partner"], date(2025, 12, 31)).id == old
        assert pricing.get_agreement_for(s, c["partner"], date(2026, 1, 1)).id == new
    with core_db.transaction() as s:
        pricing.update_agreement(s, new, user_id=None, is_active=False)
    with core_db.session() as s:
        assert pricing.get_agreement_for(s, c["partner"], date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"discounts": [DiscountInput("group", D(5))]},  # a group discount without its group
        {"discounts": [DiscountInput("all", D(101))]},
        {"discounts": [DiscountInput("all", D(5)), DiscountInput("all", D(6))]},  # twice the same target
        {"discounts": [DiscountInput("item", D(5), 999_999)]},  # unknown item
        {"warehouse_ids": [999_999]},
        {"warehouse_ids": "defect"},
        {"reservation_hours": 0},
        {"credit_limit": D("-1")},
        {"valid_to": date(2025, 1, 1)},
        {"personal_manager_id": 999_999},
    ],
)
def test_bad_agreements_write_nothing(core_db, bad):
    c = _catalog(core_db)
    with core_db.transaction() as s:
        defect = f.warehouse(s, kind="defect").id
    if bad.get("warehouse_ids") == "defect":
        bad = {"warehouse_ids": [defect]}
    args = {
        "partner_id": c["partner"],
        "number": "AG-X",
        "price_type_id": c["pt"],
        "valid_from": date(2026, 1, 1),
    } | bad
    with nothing_written(core_db, pricing.InvalidAgreement), core_db.transaction() as s:
        pricing.create_agreement(s, user_id=None, **args)


def test_agreement_numbers_are_unique_and_only_dealers_get_one(core_db):
    c = _catalog(core_db)
    _agreement(core_db, c, [], number="AG-7")
    with nothing_written(core_db, pricing.AgreementNumberTaken), core_db.transaction() as s:
        pricing.create_agreement(
            s,
            user_id=None,
            partner_id=c["partner"],
            number="AG-7",
            price_type_id=c["pt"],
            valid_from=date(2026, 1, 1),
        )
    with core_db.transaction() as s:
        supplier, _ = f.dealer(s, supplier=True)
        supplier_id = supplier.id
    before = snapshot(core_db)
    with pytest.raises(pricing.InvalidAgreement), core_db.transaction() as s:
        pricing.create_agreement(
            s,
            user_id=None,
            partner_id=supplier_id,
            number="AG-8",
            price_type_id=c["pt"],
            valid_from=date(2026, 1, 1),
        )
    assert snapshot(core_db) == before


def test_prices_sent_ahead_are_used_only_for_the_price_type_they_were_read_under(core_db):
    """An order sends its price reads with its other reads (send_prices) before it knows the terms;
    prices_under() uses them when they were read under the terms' price type, else reads again."""
    c = _catalog(core_db)
    on = date(2026, 5, 1)
    ag_id, _ = _agreement(core_db, c, [DiscountInput("group", D(10), c["parts"])])
    with core_db.transaction() as s:
        retail = pricing.create_price_type(s, user_id=None, code="RRP", name="Retail").id
        pricing.set_item_price(
            s, user_id=None, item_id=c["item"], price_type_id=retail, price=D("300.00"), valid_from=date(2026, 1, 1)
        )
    with core_db.session() as s:
        terms = agreement_terms(s, ag_id)
        with batch(s.connection()) as b:
            by_partner = send_prices(b, [c["item"], c["other"]], agreement_id=None, partner_id=c["partner"], on=on)
            by_id = send_prices(b, [c["item"]], agreement_id=ag_id, partner_id=c["partner"], on=on)
        expected = {c["item"]: PersonalPrice(D("200.00"), D("180.00"), D(10)), c["other"]: None}
        assert prices_under(s, terms, [c["item"], c["other"]], on, sent=by_partner) == expected
        assert prices_under(s, terms, [c["item"]], on, sent=by_id) == {c["item"]: expected[c["item"]]}
        # Terms of another price type (the agreement changed between the reads): read again.
        retail_terms = AgreementTerms(ag_id, retail, terms.rules)
        assert prices_under(s, retail_terms, [c["item"]], on, sent=by_id) == {
            c["item"]: PersonalPrice(D("300.00"), D("270.00"), D(10))
        }
        # Items the reads didn't cover: read again, unknown ones refused as before.
        with pytest.raises(UnknownItem):
            prices_under(s, terms, [c["item"], 999_999], on, sent=by_id)
