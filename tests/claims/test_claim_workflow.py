"""The claim's workflow: submitted -> in review -> approved or rejected -> resolved. Every action
from every status: the legal ones move the claim with an audit row, the rest are refused and
write nothing. The resolutions: credit (a customer return; posting it resolves the claim,
cancelling it sends the claim back to review), replacement (a zero-price order), repair (a note)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from dealerhub.core import claims, sales
from dealerhub.core.claims.rules import STATUSES, TRANSITIONS
from dealerhub.core.documents import DocumentNotInStatus
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.db import Database
from tests.claims.builders import Sold, claim_row, nothing_written, sold, submit, thread
from tests.integration.sales_builders import audit, balance
from tests.outbox.helpers import envelopes

D = Decimal


def _act(db: Database, got: Sold, action: str, claim_id: int) -> None:
    user = got.world.manager_id
    calls: dict[str, Callable] = {
        "take": lambda s: claims.take_claim(s, claim_id, user_id=user),
        "approve": lambda s: claims.approve_claim(s, claim_id, user_id=user, resolution="repair", goods_back=False),
        "reject": lambda s: claims.reject_claim(s, claim_id, user_id=user, reason="not covered"),
        "resolve": lambda s: claims.resolve_claim(s, claim_id, user_id=user, note="the pump was replaced on site"),
    }
    with db.transaction() as s:
        calls[action](s)


# How to bring a new claim to each status through the legal moves.
_PATH = {
    "submitted": (),
    "in_review": ("take",),
    "approved": ("take", "approve"),
    "rejected": ("take", "reject"),
    "resolved": ("take", "approve", "resolve"),
}
_STAFF_ACTIONS = ("take", "approve", "reject", "resolve")
# The note each move of _act leaves in the claim's conversation.
_NOTES = {
    "take": "взята на рассмотрение.",
    "approve": "одобрена, решение: ремонт.",
    "reject": "отклонена.\nПричина: not covered",
    "resolve": "урегулирована: ремонт.\nthe pump was replaced on site",
}


def test_the_path_covers_every_status():
    assert set(_PATH) == set(STATUSES)
    # reopen and unresolve: by cancelling or unposting the claim's customer return
    assert set(_STAFF_ACTIONS) == set(TRANSITIONS) - {"reopen", "unresolve"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", _STAFF_ACTIONS)
def test_every_action_from_every_status(core_db, status, action):
    got = sold(core_db)
    claim_id = submit(core_db, got)
    for step in _PATH[status]:
        _act(core_db, got, step, claim_id)
    assert claim_row(core_db, claim_id).status == status
    allowed, target = TRANSITIONS[action]
    before, said = audit(core_db, "claim", claim_id), thread(core_db, claim_id)
    assert len(said) == 1 + len(_PATH[status])  # the description, then a note per decision
    if status in allowed:
        _act(core_db, got, action, claim_id)
        assert claim_row(core_db, claim_id).status == target
        assert audit(core_db, "claim", claim_id) == [*before, (action, status, target)]
        number = claim_row(core_db, claim_id).number
        assert thread(core_db, claim_id) == [*said, ("staff", f"Рекламация {number}: {_NOTES[action]}")]
    else:
        with nothing_written(core_db, DocumentNotInStatus) as err:
            _act(core_db, got, action, claim_id)
        assert err.value.details["status"] == status


def test_reject_and_repair_need_their_texts(core_db):
    got = sold(core_db)
    claim_id = submit(core_db, got)
    _act(core_db, got, "take", claim_id)
    with nothing_written(core_db, claims.InvalidClaim) as err, core_db.transaction() as s:
        claims.reject_claim(s, claim_id, user_id=got.world.manager_id, reason="  ")
    assert (err.value.message, err.value.details) == ("write the reason", {"field": "reason"})
    _act(core_db, got, "approve", claim_id)
    with nothing_written(core_db, claims.InvalidClaim) as err, core_db.transaction() as s:
        claims.resolve_claim(s, claim_id, user_id=got.world.manager_id, note="")
    assert (err.value.message, err.value.details) == ("write a note", {"field": "note"})
    _act(core_db, got, "resolve", claim_id)
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution, claim.resolution_note) == ("resolved", "repair", "the pump was replaced on site")


@pytest.mark.parametrize(
    ("kind", "resolution", "goods_back", "message"),
    [
        ("damage", "credit", False, "a credit is given for goods that come back: take the goods back"),
        ("shortage", "credit", True, "a shortage is resolved by shipping the missing goods (replacement)"),
        ("shortage", "repair", False, "a shortage is resolved by shipping the missing goods (replacement)"),
        ("shortage", "replacement", True, "a shortage has no goods to take back"),
        ("damage", "gift", False, "'gift' is not a resolution: choose credit, replacement or repair"),
    ],
)
def test_a_resolution_that_does_not_fit_the_kind_is_refused(core_db, kind, resolution, goods_back, message):
    got = sold(core_db)
    claim_id = submit(core_db, got, kind=kind)
    _act(core_db, got, "take", claim_id)
    with nothing_written(core_db, claims.InvalidClaim) as err, core_db.transaction() as s:
        claims.approve_claim(s, claim_id, user_id=got.world.manager_id, resolution=resolution, goods_back=goods_back)
    assert err.value.message == message


def test_credit_makes_a_customer_return_whose_posting_resolves_the_claim(core_db):
    got = sold(core_db)
    w = got.world
    claim_id = submit(core_db, got, quantity="2")
    _act(core_db, got, "take", claim_id)
    with core_db.transaction() as s:
        claims.approve_claim(s, claim_id, user_id=w.manager_id, resolution="credit", goods_back=True, note="ok")
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution) == ("approved", "credit")
    with core_db.session() as s:
        ret = sales.get_customer_return(s, claim.customer_return_id)
        assert (ret.status, ret.sale_id, ret.warehouse_id, ret.reason) == (
            "draft", got.sale_id, w.warehouse_id, f"рекламация {claim.number} (повреждение)"
        )
        assert [(ln.sale_line_id, ln.quantity, ln.price, ln.amount) for ln in ret.lines] == [
            (got.line_ids[0], D(2), D("100.00"), D("200.00"))
        ]
        ret_id, ret_number = ret.id, ret.number
    with nothing_written(core_db, claims.InvalidClaim) as err, core_db.transaction() as s:
        claims.resolve_claim(s, claim_id, user_id=w.manager_id, note="by hand")
    assert "resolved when its customer return is posted" in err.value.message
    with core_db.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=w.manager_id)
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution, claim.resolution_note) == (
        "resolved", "credit", f"возврат {ret_number} проведён: вернулось 2, зачтено 200.00"
    )
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(8), D(0))  # 10 - 4 sold + 2 back
    assert audit(core_db, "claim", claim_id) == [
        ("create", None, "submitted"), ("take", "submitted", "in_review"),
        ("approve", "in_review", "approved"), ("resolve", "approved", "resolved"),
    ]
    # Unposting the return takes the credit back: the claim waits for the return again.
    with core_db.transaction() as s:
        sales.unpost_customer_return(s, ret_id, user_id=w.manager_id)
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution, claim.resolution_note) == ("approved", "credit", None)
    assert audit(core_db, "claim", claim_id)[-1] == ("unresolve", "resolved", "approved")
    assert thread(core_db, claim_id)[-1] == (
        "staff", f"Рекламация {claim.number}: проведение возврата {ret_number} отменено: зачёт снова ждёт его."
    )
    with core_db.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=w.manager_id)
    assert claim_row(core_db, claim_id).status == "resolved"


def test_cancelling_the_return_sends_the_claim_back_to_review(core_db):
    got = sold(core_db)
    w = got.world
    claim_id = submit(core_db, got, kind="wrong_item")
    _act(core_db, got, "take", claim_id)
    with core_db.transaction() as s:
        ret_id = claims.approve_claim(
            s, claim_id, user_id=w.manager_id, resolution="replacement", goods_back=True
        ).customer_return_id
        sales.cancel_customer_return(s, ret_id, user_id=w.manager_id)
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution, claim.customer_return_id) == ("in_review", None, None)
    assert audit(core_db, "claim", claim_id)[-1] == ("reopen", "approved", "in_review")
    with core_db.session() as s:
        ret_number = sales.get_customer_return(s, ret_id).number
    assert thread(core_db, claim_id)[-2:] == [
        ("staff", (f"Рекламация {claim.number}: одобрена, решение: замена. Товар возвращается по возврату "
                  f"{ret_number}.")),
        ("staff", f"Рекламация {claim.number}: возврат {ret_number} отменён: рекламация снова на рассмотрении."),
    ]


def test_replacement_is_a_zero_price_order_submitted_for_moderation(core_db):
    got = sold(core_db)
    w = got.world
    claim_id = submit(core_db, got, line=1, kind="shortage", quantity="2")
    _act(core_db, got, "take", claim_id)
    with core_db.transaction() as s:
        claims.approve_claim(s, claim_id, user_id=w.manager_id, resolution="replacement", goods_back=False)
    assert claim_row(core_db, claim_id).customer_return_id is None
    with core_db.transaction() as s:
        claims.resolve_claim(s, claim_id, user_id=w.manager_id)
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.resolution) == ("resolved", "replacement")
    with core_db.session() as s:
        order = sales.get_customer_order(s, claim.replacement_order_id)
        assert (order.status, order.partner_id, order.contractor_id, order.warehouse_id, order.comment) == (
            "submitted", w.partner_id, w.contractor_id, w.warehouse_id,
            f"замена по рекламации {claim.number}",
        )
        assert [(ln.item_id, ln.quantity, ln.price, ln.amount) for ln in order.lines] == [
            (w.item_ids[1], D(2), D("0.00"), D("0.00"))
        ]
        order_number = order.number
    assert thread(core_db, claim_id)[-1] == (
        "staff", f"Рекламация {claim.number}: урегулирована: замена, заказ {order_number} по нулевой цене."
    )


def test_a_return_onto_a_wms_warehouse_sends_its_asn(core_db):
    got = sold(core_db)
    w = got.world
    claim_id = submit(core_db, got)
    _act(core_db, got, "take", claim_id)
    with core_db.transaction() as s:
        s.get(Warehouse, w.warehouse_id).wms_code = "MSK"
    with core_db.transaction() as s:
        ret_id = claims.approve_claim(
            s, claim_id, user_id=w.manager_id, resolution="credit", goods_back=True
        ).customer_return_id
        number = sales.get_customer_return(s, ret_id).number
    assert [e for e in envelopes(core_db) if e[2] == "customer_return"] == [
        ("ASN", "MSK", "customer_return", number, 1)
    ]
