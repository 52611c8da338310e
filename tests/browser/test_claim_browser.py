"""A claim in chromium: the dealer's buyer opens the order shipped to them, follows the claim link
of a shipped line, fills the claim and attaches a photo (a real file input), submits it and sees
it submitted with the photo shown; a sales manager finds it in the back office's claims queue,
opens it with the photo and takes it for review, which the dealer then reads in the claim's
conversation."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from dealerhub.core import sales
from dealerhub.core.accounts import create_user
from dealerhub.core.claims.models import Claim

pytestmark = pytest.mark.browser

BUYER, MANAGER, PASSWORD = "claim-buyer", "claim-manager", "a claim-long password"


@pytest.fixture(scope="module")
def shipped(live_server, tmp_path_factory):
    """The seeded dealer's buyer, a sales manager, an order of 3 oil filters shipped to the dealer,
    and a photo on disk; returns (order id, sale line id, photo path)."""
    data = live_server.data
    with live_server.db.transaction() as s:
        create_user(
            s, user_id=None, login=BUYER, password=PASSWORD, full_name="Boris Buyer", role="buyer",
            email="claims@stroytech.example", language="en", partner_id=data.dealer_id,
        )
        create_user(
            s, user_id=None, login=MANAGER, password=PASSWORD, full_name="Maria Manager", role="sales_manager",
            language="en",
        )
        order = sales.create_customer_order(
            s, user_id=None, partner_id=data.dealer_id, contractor_id=data.contractor_id, warehouse_id=data.main_id,
            lines=[sales.OrderLineInput(data.filter_id, Decimal(3), Decimal("450.00"))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=None)
        task = sales.create_picking_task(s, order.id, user_id=None)
        sales.post_picking_task(s, task.id, user_id=None)
        sale = sales.create_sale(s, task.id, user_id=None)
        sales.post_sale(s, sale.id, user_id=None)
        ids = order.id, sale.lines[0].id
    photo = tmp_path_factory.mktemp("photos") / "cracked-housing.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    return (*ids, photo)


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _log_in(page, path: str, login: str) -> None:
    page.goto(path)
    page.fill("#f-login", login)
    page.fill("#f-password", PASSWORD)
    _go(page, "button[type=submit]")


def test_a_dealer_opens_a_claim_with_a_photo_and_the_manager_sees_it(page, browser, live_server, shipped, shoot):
    order_id, line_id, photo = shipped
    _log_in(page, "/cabinet/login", BUYER)
    page.goto(f"/cabinet/orders/{order_id}")
    _go(page, f"#shipments tr[data-sale-line='{line_id}'] a.claim-link")
    assert page.inner_text("#claimable") == "3"
    page.select_option("#f-kind", "damage")
    page.fill("#f-quantity", "1")
    page.fill("#f-description", "The filter housing arrived cracked")
    page.set_input_files("#f-photos", str(photo))
    shoot(page, "claim-01-form")
    _go(page, "#submit-claim")
    assert page.inner_text("#claim-status") == "submitted"
    assert page.inner_text("#claim-description") == "The filter housing arrived cracked"
    image = page.locator("#claim-photos img").first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=image.element_handle())
    shoot(page, "claim-02-submitted")
    with live_server.db.session() as s:
        claim = s.query(Claim).one()
        number, claim_id = claim.number, claim.id
    page.goto("/cabinet/claims")
    assert "submitted" in page.inner_text(f"#claims tr[data-claim='{number}']")

    office = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 1000}, locale="en-US")
    manager = office.new_page()
    manager.set_default_timeout(15_000)
    try:
        _log_in(manager, "/backoffice/login", MANAGER)
        _go(manager, "a.nav-link[href='/backoffice/claims']")
        row = manager.locator(f"#claims-queue tr[data-claim='{number}']")
        assert "Stroytech Dealer" in row.inner_text() and "Submitted" in row.inner_text()
        shoot(manager, "claim-03-queue")
        _go(manager, f"#claims-queue a:text-is('{number}')")
        staff_image = manager.locator("#claim-photos img").first
        manager.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=staff_image.element_handle())
        _go(manager, "#take-claim")
        assert "You have taken the claim for review." in manager.inner_text("main")
        shoot(manager, "claim-04-in-review")
    finally:
        office.close()
    page.goto(f"/cabinet/claims/{claim_id}")
    assert page.inner_text("#claim-status") == "in review"
    assert f"Рекламация {number}: взята на рассмотрение." in page.inner_text("#claim-messages")
