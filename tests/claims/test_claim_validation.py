"""A dealer's claim against a shipped line: what is kept (the claim, its photos, its audit row) and
every refusal, each leaving the whole database as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import claims, sales
from dealerhub.core.attachments import AttachmentRefused, load_attachment
from dealerhub.core.conversations import Conversation, MessageAttachment
from tests.claims.builders import claim_row, nothing_written, other_dealer, photo, sold, submit, thread
from tests.integration.sales_builders import approved_order, audit, posted_task

D = Decimal
_NOT_SERIAL = (
    "'{}' is not a serial number: 5 to 30 Latin letters and digits (dashes and slashes inside), at least one digit"
)


def test_a_claim_with_photos_is_submitted_against_a_shipped_line(core_db):
    got = sold(core_db)
    first, second = photo(), photo("PNG", (200, 0, 0))
    claim_id = submit(
        core_db, got, kind="warranty", quantity="3", description="  leaks oil after a week  ",
        photos=[claims.Photo("утечка.jpg", first), claims.Photo("seal.png", second)],
    )
    claim = claim_row(core_db, claim_id)
    assert (claim.status, claim.partner_id, claim.sale_id, claim.sale_line_id, claim.item_id) == (
        "submitted", got.world.partner_id, got.sale_id, got.line_ids[0], got.world.item_ids[0]
    )
    assert (claim.kind, claim.quantity, claim.description, claim.serial_number, claim.machine_hours) == (
        "warranty", D(3), "leaks oil after a week", None, None
    )
    assert claim.number.startswith("CL-")
    with core_db.session() as s:
        kept = [load_attachment(s, p.attachment_id, partner_id=got.world.partner_id) for p in claim.photos]
        assert [(a.filename, a.content_type, a.data) for a in kept] == [
            ("утечка.jpg", "image/jpeg", first), ("seal.png", "image/png", second)
        ]
    assert [p.position for p in claim.photos] == [1, 2]
    assert audit(core_db, "claim", claim_id) == [("create", None, "submitted")]
    # Its conversation starts with the description and the photos, about the sale's order.
    with core_db.session() as s:
        conversation = s.get(Conversation, claim.conversation_id)
        assert (conversation.kind, conversation.partner_id, conversation.customer_order_id, conversation.subject) == (
            "claim", got.world.partner_id, sales.get_sale(s, got.sale_id).customer_order_id,
            f"Рекламация по {got.sale_number}, строка 1 (гарантия)",
        )
        attached = s.scalars(select(MessageAttachment.attachment_id).order_by(MessageAttachment.attachment_id)).all()
        assert attached == [p.attachment_id for p in claim.photos]
    assert thread(core_db, claim_id) == [("dealer", "leaks oil after a week")]


def test_a_machine_is_claimed_by_its_serial_number_and_hours(core_db):
    got = sold(core_db, ("1", "2"), kinds=("machine",))
    claim_id = submit(core_db, got, kind="warranty", serial_number=" lgk-2026 00451 ", machine_hours="1250,5")
    claim = claim_row(core_db, claim_id)
    assert (claim.serial_number, claim.machine_hours, claim.quantity) == ("LGK-202600451", D("1250.5"), D(1))


def test_no_more_is_claimed_than_was_shipped_and_a_rejected_claim_gives_it_back(core_db):
    got = sold(core_db)
    first = submit(core_db, got, quantity="3")
    with nothing_written(core_db, claims.ClaimExceedsShipped) as err:
        submit(core_db, got, quantity="2")
    assert err.value.message == (
        f"2 claimed, but only 1 of the 4 shipped on line 1 of {got.sale_number} can be (other claims hold the rest)"
    )
    assert err.value.details == {"field": "quantity"}
    with core_db.transaction() as s:
        claims.take_claim(s, first, user_id=got.world.manager_id)
        claims.reject_claim(s, first, user_id=got.world.manager_id, reason="wear and tear")
    assert claim_row(core_db, submit(core_db, got, quantity="4")).quantity == D(4)
    with core_db.session() as s:
        assert claims.claimed_by_sale_line(s, got.line_ids) == {got.line_ids[0]: D(4)}


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"quantity": "0"}, claims.InvalidClaim, "0 is not a positive quantity of the item's unit"),
        ({"quantity": "0.5"}, claims.InvalidClaim, "0.5 is not a positive quantity of the item's unit"),
        ({"quantity": "-1"}, claims.InvalidClaim, "-1 is not a positive quantity of the item's unit"),
        ({"quantity": "lots"}, claims.InvalidClaim, "quantity 'lots' is not a number"),
        ({"quantity": "5"}, claims.ClaimExceedsShipped, None),
        ({"kind": "regret"}, claims.InvalidClaim, "'regret' is not a kind of claim: choose warranty, damage, shortage or wrong item"),
        ({"description": "   "}, claims.InvalidClaim, "describe what is wrong"),
        ({"serial_number": "ABC12345"}, claims.InvalidClaim, "serial number and machine hours are for machinery only"),
        ({"photos": [claims.Photo("notes.pdf", b"%PDF-1.4 not an image")]}, AttachmentRefused, None),
        ({"photos": [claims.Photo("fake.jpg", b"GIF89a but not a jpeg at all")]}, AttachmentRefused, None),
        ({"photos": [claims.Photo(f"p{n}.jpg", photo()) for n in range(11)]}, claims.InvalidClaim, "at most 10 photos"),
    ],
)
def test_bad_claims_write_nothing(core_db, fields, error, message):
    got = sold(core_db)
    with nothing_written(core_db, error) as err:
        submit(core_db, got, **fields)
    if message:
        assert err.value.message == message


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "serial_number", "a machine's claim needs its serial number"),
        ({"serial_number": "AB1"}, "serial_number", _NOT_SERIAL.format("AB1")),
        ({"serial_number": "ABCDEFG"}, "serial_number", _NOT_SERIAL.format("ABCDEFG")),
        ({"serial_number": "ЭКС-12345"}, "serial_number", _NOT_SERIAL.format("ЭКС-12345")),
        ({"serial_number": "LGK202600451"}, "machine_hours", "a machine's claim needs its machine hours"),
        ({"serial_number": "LGK202600451", "machine_hours": "-3"}, "machine_hours",
         "machine hours -3 must be from 0 to 999999.9, in tenths at most"),
        ({"serial_number": "LGK202600451", "machine_hours": "12.25"}, "machine_hours",
         "machine hours 12.25 must be from 0 to 999999.9, in tenths at most"),
        ({"serial_number": "LGK202600451", "machine_hours": "12", "quantity": "2"}, "quantity",
         "a claim names one machine: its quantity is 1"),
    ],
)
def test_a_machines_claim_needs_a_valid_serial_number_and_hours(core_db, fields, field, message):
    got = sold(core_db, ("2", "1"), kinds=("machine",))
    with nothing_written(core_db, claims.InvalidClaim) as err:
        submit(core_db, got, **fields)
    assert (err.value.message, err.value.details) == (message, {"field": field})


def test_only_lines_of_the_dealers_own_posted_sales_can_be_claimed(core_db):
    got = sold(core_db)
    stranger, stranger_user = other_dealer(core_db)
    with nothing_written(core_db, claims.ShippedLineNotFound), core_db.transaction() as s:
        claims.submit_claim(
            s, claims.ClaimInput(got.line_ids[0], "damage", "1", "not mine"), partner_id=stranger, user_id=stranger_user
        )
    # A sale not posted (unposted again) has no shipped lines.
    w = got.world
    task_id = posted_task(core_db, w, approved_order(core_db, w, ("1",)))
    with core_db.transaction() as s:
        draft = sales.create_sale(s, task_id, user_id=w.manager_id)
        draft_line = draft.lines[0].id
    with nothing_written(core_db, claims.ShippedLineNotFound), core_db.transaction() as s:
        claims.submit_claim(
            s, claims.ClaimInput(draft_line, "damage", "1", "not shipped yet"), partner_id=w.partner_id, user_id=got.buyer_id
        )
    with nothing_written(core_db, claims.ShippedLineNotFound), core_db.transaction() as s:
        claims.submit_claim(
            s, claims.ClaimInput(999_999, "damage", "1", "no such line"), partner_id=w.partner_id, user_id=got.buyer_id
        )
