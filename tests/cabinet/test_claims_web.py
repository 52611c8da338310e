"""The dealer's claims in the cabinet: the order page's claim link per shipped line, a claim with
photos submitted through the form (multipart), its page with the photos served only to the
dealer, its conversation and a reply; refusals shown beside their fields with nothing written;
the accountant kept out. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.core import claims, sales
from dealerhub.core.sales.models import SaleLine
from tests.cabinet.conftest import cabinet_token, log_in_dealer
from tests.cabinet.matrix_objects import make_sale_line
from tests.cabinet.test_conversations_web import office, staff, staff_login  # noqa: F401
from tests.claims.builders import fingerprint, photo, thread
from tests.web.conftest import csrf_from

D = Decimal


def _order_of(core_db, sale_line_id: int) -> int:
    with core_db.session() as s:
        sale_id = s.get(SaleLine, sale_line_id).sale_id
        return sales.get_sale(s, sale_id).customer_order_id


def test_a_buyer_claims_a_shipped_line_with_photos(client, core_db, dealer_a):
    line = make_sale_line(core_db, dealer_a, {})
    log_in_dealer(client, dealer_a.login("buyer"))
    order_page = client.get(f"/cabinet/orders/{_order_of(core_db, line.id)}")
    assert f'href="/cabinet/claims/new/{line.id}"' in order_page.text
    form = client.get(f"/cabinet/claims/new/{line.id}")
    assert form.status_code == 200
    assert re.search(r'id="claimable">2<', form.text)
    token = cabinet_token(client, f"/cabinet/claims/new/{line.id}")
    first, second = photo(), photo("PNG", (0, 0, 200))
    answer = client.post(
        f"/cabinet/claims/new/{line.id}",
        data={"csrf_token": token, "kind": "damage", "quantity": "2", "description": "Both housings cracked"},
        files=[("photos", ("front.jpg", first, "image/jpeg")), ("photos", ("back.png", second, "image/png"))],
    )
    assert answer.status_code == 303, answer.text
    claim_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    with core_db.session() as s:
        claim = claims.get_claim(s, claim_id, partner_id=dealer_a.partner_id)
        assert (claim.status, claim.kind, claim.quantity, claim.description, claim.author_id) == (
            "submitted", "damage", D(2), "Both housings cracked", dealer_a.users["buyer"]
        )
        photo_ids = [p.attachment_id for p in claim.photos]
    page = client.get(f"/cabinet/claims/{claim_id}")
    assert 'id="claim-status">submitted<' in page.text
    assert [m.group(1) for m in re.finditer(rf"/cabinet/claims/{claim_id}/photos/(\d+)\" target", page.text)] == [
        str(i) for i in photo_ids
    ]
    served = client.get(f"/cabinet/claims/{claim_id}/photos/{photo_ids[1]}")
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/png", second)
    listing = client.get("/cabinet/claims")
    assert re.search(rf'data-claim="{claim.number}".*?class="claim-status">submitted<', listing.text, re.DOTALL)
    assert client.get(f"/cabinet/orders/{_order_of(core_db, line.id)}").text.count(claim.number) == 1
    # Everything of the line is claimed: no claim link any more.
    assert f'href="/cabinet/claims/new/{line.id}"' not in client.get(f"/cabinet/orders/{_order_of(core_db, line.id)}").text
    reply = client.post(f"/cabinet/claims/{claim_id}/message", data={"csrf_token": token, "body": "Any news?"})
    assert reply.status_code == 303
    assert thread(core_db, claim_id) == [("dealer", "Both housings cracked"), ("dealer", "Any news?")]


def test_a_refused_claim_is_shown_beside_its_field_and_writes_nothing(client, core_db, dealer_a):
    line = make_sale_line(core_db, dealer_a, {})
    log_in_dealer(client, dealer_a.login("owner"))
    token = cabinet_token(client, f"/cabinet/claims/new/{line.id}")
    cases = [
        ({"quantity": "3"}, [], "quantity", "only 2 of the 2 shipped"),
        ({"description": ""}, [], "description", "describe what is wrong"),
        ({}, [("photos", ("scan.pdf", b"%PDF-1.4 an invoice", "application/pdf"))], "photos", None),
    ]
    for fields, files, field, text in cases:
        before = fingerprint(core_db)
        data = {"csrf_token": token, "kind": "warranty", "quantity": "1", "description": "broken", **fields}
        answer = client.post(f"/cabinet/claims/new/{line.id}", data=data, files=files or None)
        assert answer.status_code == 422, answer.text
        assert f'id="error-{field}"' in answer.text
        if text:
            assert text in answer.text
        assert fingerprint(core_db) == before


def test_the_accountant_has_no_claims(client, core_db, dealer_a):
    line = make_sale_line(core_db, dealer_a, {})
    log_in_dealer(client, dealer_a.login("accountant"))
    assert client.get("/cabinet/claims").status_code == 403
    assert client.get(f"/cabinet/claims/new/{line.id}").status_code == 404
    with core_db.session() as s:
        assert s.scalars(select(claims.Claim)).all() == []


def test_a_claims_page_still_opens_after_its_sale_was_unposted(client, core_db, dealer_a):
    from tests.cabinet.matrix_objects import make_claim

    claim = make_claim(core_db, dealer_a, {})
    with core_db.transaction() as s:
        sale_id = claims.get_claim(s, claim.id).sale_id
        sales.unpost_sale(s, sale_id, user_id=None)
    log_in_dealer(client, dealer_a.login("owner"))
    page = client.get(f"/cabinet/claims/{claim.id}")
    assert page.status_code == 200 and claim.probe in page.text
    with core_db.session() as s:
        line_id = claims.get_claim(s, claim.id).sale_line_id
    assert client.get(f"/cabinet/claims/new/{line_id}").status_code == 404  # no longer a shipped line


def test_a_machines_claim_asks_for_its_serial_number_and_hours(client, core_db, dealer_a):
    from dealerhub.core.catalog.models import Item

    line = make_sale_line(core_db, dealer_a, {})
    with core_db.transaction() as s:
        s.get(Item, s.get(SaleLine, line.id).item_id).kind = "machine"
    log_in_dealer(client, dealer_a.login("buyer"))
    form = client.get(f"/cabinet/claims/new/{line.id}").text
    assert 'name="serial_number"' in form and 'name="machine_hours"' in form
    token = cabinet_token(client, f"/cabinet/claims/new/{line.id}")
    data = {"csrf_token": token, "kind": "warranty", "quantity": "1", "description": "no hydraulics",
            "serial_number": "X1", "machine_hours": "120"}
    before = fingerprint(core_db)
    answer = client.post(f"/cabinet/claims/new/{line.id}", data=data)
    assert answer.status_code == 422 and 'id="error-serial_number"' in answer.text
    assert fingerprint(core_db) == before
    answer = client.post(f"/cabinet/claims/new/{line.id}", data={**data, "serial_number": "lgk-2026-0042"})
    assert answer.status_code == 303
    claim_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    claim = client.get(f"/cabinet/claims/{claim_id}").text
    assert "LGK-2026-0042" in claim and "Machine hours" in claim


def test_a_claims_story_is_mailed_both_ways(client, office, core_db, dealer_a, staff, mail_server):  # noqa: F811
    """The claim itself and the dealer's replies go to the personal manager; each decision's note
    and the staff's messages on the claim's page go to the dealer; a refused decision mails nothing."""
    line = make_sale_line(core_db, dealer_a, {})
    log_in_dealer(client, dealer_a.login("buyer"))
    token = cabinet_token(client, f"/cabinet/claims/new/{line.id}")
    answer = client.post(
        f"/cabinet/claims/new/{line.id}",
        data={"csrf_token": token, "kind": "damage", "quantity": "1", "description": "The housing is cracked"},
        files=[("photos", ("front.jpg", photo(), "image/jpeg"))],
    )
    assert answer.status_code == 303, answer.text
    claim_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    [claimed] = mail_server.wait_for(1)
    assert claimed.recipients == ["anna@distributor.example"]
    assert "The housing is cracked" in claimed.text and "Alpha Machinery" in claimed.text

    staff_login(office, "anna")
    page = office.get(f"/backoffice/claims/{claim_id}")
    taken = office.post(f"/backoffice/claims/{claim_id}/take", data={"csrf_token": csrf_from(page.text)})
    assert taken.status_code == 303, taken.text
    mails = mail_server.wait_for(2)
    assert len(mails) == 2 and mails[1].recipients == ["buyer@alpha.example"]
    assert "взята на рассмотрение." in mails[1].text  # the note, in the distributor's language
    assert mails[1].link("/cabinet/conversations/") is not None

    again = office.post(f"/backoffice/claims/{claim_id}/take", data={"csrf_token": csrf_from(page.text)})
    assert again.status_code == 409
    said = office.post(f"/backoffice/claims/{claim_id}/message",
                       data={"csrf_token": csrf_from(page.text), "body": "A technician comes on Monday."})
    assert said.status_code == 303
    mails = mail_server.wait_for(3)
    assert len(mails) == 3 and "A technician comes on Monday." in mails[2].text  # not one for the refused take
    assert mails[2].recipients == ["buyer@alpha.example"]

    reply = client.post(f"/cabinet/claims/{claim_id}/message", data={"csrf_token": token, "body": "Thank you"})
    assert reply.status_code == 303
    mails = mail_server.wait_for(4)
    assert len(mails) == 4 and mails[3].recipients == ["anna@distributor.example"] and "Thank you" in mails[3].text
