"""A claim's return, the whole path through the real exchange and the real WMS (all SQLite, then
all PostgreSQL): goods shipped through the WMS, the dealer's claim, approved with a credit ->
the customer return -> its ASN relayed to the WMS -> the storekeeper receives it -> RECEIPT back
through the exchange -> the core takes the accepted quantities -> the manager posts the return
-> the claim is resolved (credit) by that posting, in its transaction."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from dealerhub.core import claims, sales
from dealerhub.core.inbox.models import ReceiptAcceptance
from dealerhub.wms.layout.service import warehouse_by_code
from dealerhub.wms.receiving import acceptance as acc
from dealerhub.wms.receiving.models import Asn, AsnLine
from tests.claims.builders import dealer_user, thread
from tests.integration.sales_builders import audit, balance
from tests.wms.helpers import bin_stock
from tests.wms.landscape import Landscape
from tests.wms.test_scenarios import WH, _core_world, _wms_answers, _wms_world
from tests.wms.test_scenarios_more import _ship


def test_an_approved_credit_claim_comes_back_through_the_wms_and_resolves_on_posting(landscape: Landscape):
    land = landscape
    w, (a, b) = _core_world(land)
    user = _wms_world(land, (a, b))
    sale_id = _ship(land, w, (a, b), ("4", "3"), user)
    with land.core.transaction() as s:
        buyer = dealer_user(s, w.partner_id)
        line_b = next(x.id for x in sales.get_sale(s, sale_id).lines if x.item_id == w.item_ids[1])
        claim = claims.submit_claim(
            s, claims.ClaimInput(line_b, "damage", D(3), "three boxes crushed in transit"),
            partner_id=w.partner_id, user_id=buyer,
        )
        claim_id, claim_number = claim.id, claim.number
    with land.core.transaction() as s:
        claims.take_claim(s, claim_id, user_id=w.manager_id)
        ret_id = claims.approve_claim(
            s, claim_id, user_id=w.manager_id, resolution="credit", goods_back=True, note="take them back"
        ).customer_return_id
        ret_number = sales.get_customer_return(s, ret_id).number
    land.sync()  # the return's ASN reaches the WMS
    with land.wms.session() as s:
        asn = s.scalar(select(Asn).where(Asn.asn_number == ret_number))
        lines = s.execute(select(AsnLine.line_no, AsnLine.expected).where(AsnLine.asn_id == asn.id)).all()
        assert (asn.kind, asn.status, [tuple(ln) for ln in lines]) == ("customer_return", "expected", [(1, D(3))])
    with land.wms.transaction() as s:
        receipt = acc.start_receipt(s, warehouse_by_code(s, WH), asn_number=ret_number, user_id=user)
        acc.scan_item(s, receipt.id, b, quantity=D(2))
        acc.scan_item(s, receipt.id, b, quantity=D(1), condition="damaged")
        acc.finish(s, receipt.id)
    land.sync()  # RECEIPT back to the core: the return draft takes what was accepted to stock
    with land.core.session() as s:
        ret = sales.get_customer_return(s, ret_id)
        assert (ret.status, [(x.item_id, x.quantity, x.amount) for x in ret.lines]) == (
            "draft", [(w.item_ids[1], D(2), D("500.00"))]
        )
        acceptance = s.scalar(select(ReceiptAcceptance).where(ReceiptAcceptance.customer_return_id == ret_id))
        assert acceptance.complete
    assert claims_status(land, claim_id) == ("approved", "credit")  # not before the return is posted
    with land.core.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=w.manager_id)
    assert claims_status(land, claim_id) == ("resolved", "credit")
    with land.core.session() as s:
        assert claims.get_claim(s, claim_id).resolution_note == (
            f"возврат {ret_number} проведён: вернулось 2, зачтено 500.00"
        )
    assert audit(land.core, "claim", claim_id) == [
        ("create", None, "submitted"), ("take", "submitted", "in_review"),
        ("approve", "in_review", "approved"), ("resolve", "approved", "resolved"),
    ]
    assert balance(land.core, w.item_ids[1], w.warehouse_id) == (D(9), D(0))  # 10 - 3 shipped + 2 back
    with land.wms.session() as s:
        wh = warehouse_by_code(s, WH)
        assert bin_stock(s, wh, "RCV-01", b) == (D(2), D(0))
        assert bin_stock(s, wh, "RCV-01", b, "defect") == (D(1), D(0))
    assert _wms_answers(land.wms) == [("DESPATCH", "ack"), ("RECEIPT", "ack")]
    assert thread(land.core, claim_id) == [
        ("dealer", "three boxes crushed in transit"),
        ("staff", f"Рекламация {claim_number}: взята на рассмотрение."),
        ("staff", (f"Рекламация {claim_number}: одобрена, решение: зачёт. Товар возвращается по возврату "
                  f"{ret_number}.\ntake them back")),
        ("staff", (f"Рекламация {claim_number}: урегулирована: зачёт; возврат {ret_number} проведён: вернулось 2, "
                  "зачтено 500.00.")),
    ]


def claims_status(land: Landscape, claim_id: int) -> tuple[str, str | None]:
    with land.core.session() as s:
        claim = claims.get_claim(s, claim_id)
        return claim.status, claim.resolution
