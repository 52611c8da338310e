"""Claims in the back office through the web: the queue (what waits first), a claim with its
photos and conversation, every decision from its form (take, approve with the goods back ->
customer return, reject with a reason, resolve a repair), a refused decision shown on the page
with nothing written, and the permission (purchasers are kept out). SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from dealerhub.core import claims, sales
from dealerhub.core.claims.models import Claim
from tests.claims.builders import Sold, claim_row, fingerprint, photo, sold, submit, thread
from tests.web.conftest import add_user, log_in, page_token
from tests.web.pages import table_rows, text_of


def _claims(core_db) -> tuple[Sold, int, int]:
    got = sold(core_db)
    first = submit(core_db, got, kind="warranty", description="pump leaks", photos=[claims.Photo("leak.jpg", photo())])
    second = submit(core_db, got, line=1, kind="wrong_item", description="a filter of another size")
    return got, first, second


def test_the_queue_and_a_claim_through_its_decisions(admin_client, core_db):
    got, first, second = _claims(core_db)
    with core_db.transaction() as s:
        claims.take_claim(s, second, user_id=got.world.manager_id)
    rows = table_rows(admin_client.get("/backoffice/claims").text, "claims-queue")
    numbers = [claim_row(core_db, i).number for i in (first, second)]
    assert [(r[0], r[4], r[6]) for r in rows] == [(numbers[0], "warranty", "Submitted"), (numbers[1], "wrong item", "In review")]
    only = table_rows(admin_client.get("/backoffice/claims?status=in_review").text, "claims-queue")
    assert [r[0] for r in only] == [numbers[1]]

    page = admin_client.get(f"/backoffice/claims/{first}")
    assert text_of(page.text, "claim-description") == "pump leaks"
    photo_id = claim_row(core_db, first).photos[0].attachment_id
    served = admin_client.get(f"/backoffice/claims/{first}/photos/{photo_id}")
    assert (served.status_code, served.headers["content-type"]) == (200, "image/jpeg")
    assert admin_client.get(f"/backoffice/claims/{second}/photos/{photo_id}").status_code == 404
    token = page_token(admin_client, f"/backoffice/claims/{first}")
    assert admin_client.post(f"/backoffice/claims/{first}/take", data={"csrf_token": token}).status_code == 303
    answer = admin_client.post(
        f"/backoffice/claims/{first}/approve",
        data={"csrf_token": token, "resolution": "repair", "goods_back": "on",
              "warehouse_id": str(got.world.warehouse_id), "note": "send it to the service"},
    )
    assert answer.status_code == 303
    claim = claim_row(core_db, first)
    assert (claim.status, claim.resolution) == ("approved", "repair")
    with core_db.session() as s:
        ret = sales.get_customer_return(s, claim.customer_return_id)
        assert (ret.status, [ln.quantity for ln in ret.lines]) == ("draft", [1])
    page = admin_client.get(f"/backoffice/claims/{first}")
    assert text_of(page.text, "claim-return").startswith(ret.number)
    answer = admin_client.post(f"/backoffice/claims/{first}/resolve", data={"csrf_token": token, "note": "seal replaced"})
    assert answer.status_code == 303
    assert claim_row(core_db, first).status == "resolved"
    admin_client.post(f"/backoffice/claims/{first}/message", data={"csrf_token": token, "body": "Done, thanks"})
    assert thread(core_db, first)[-1] == ("staff", "Done, thanks")

    answer = admin_client.post(f"/backoffice/claims/{second}/reject", data={"csrf_token": token, "reason": "right size"})
    assert answer.status_code == 303
    assert (claim_row(core_db, second).status, claim_row(core_db, second).rejection_reason) == ("rejected", "right size")


def test_a_refused_decision_is_shown_and_writes_nothing(admin_client, core_db):
    _got, first, _ = _claims(core_db)
    token = page_token(admin_client, f"/backoffice/claims/{first}")
    before = fingerprint(core_db)
    answer = admin_client.post(f"/backoffice/claims/{first}/reject", data={"csrf_token": token, "reason": "no"})
    assert answer.status_code == 409
    assert text_of(answer.text, "claim-error-message").endswith(
        "is «Submitted»: this can be done only in status «In review»"
    )
    admin_client.post(f"/backoffice/claims/{first}/take", data={"csrf_token": token})
    before = fingerprint(core_db)
    answer = admin_client.post(
        f"/backoffice/claims/{first}/approve", data={"csrf_token": token, "resolution": "credit"}
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "claim-error-message") == "a credit is given for goods that come back: take the goods back"
    assert fingerprint(core_db) == before


def test_purchasers_have_no_claims(client, core_db):
    _claims(core_db)
    add_user(core_db, "keeper", "purchaser")
    log_in(client, "keeper")
    assert client.get("/backoffice/claims").status_code == 403
    with core_db.session() as s:
        assert [c.status for c in s.scalars(select(Claim))] == ["submitted", "submitted"]


def test_refusals_are_in_the_language_of_the_page(client, core_db):
    _got, first, second = _claims(core_db)
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    number = claim_row(core_db, first).number
    token = page_token(client, f"/backoffice/claims/{first}")
    answer = client.post(f"/backoffice/claims/{first}/reject", data={"csrf_token": token, "reason": "no"})
    assert answer.status_code == 409
    assert text_of(answer.text, "claim-error-message") == (
        f"Рекламация {number} в статусе «Отправлен»: это можно сделать только в статусе «На рассмотрении»"
    )
    client.post(f"/backoffice/claims/{first}/take", data={"csrf_token": token})
    answer = client.post(f"/backoffice/claims/{first}/approve", data={"csrf_token": token, "resolution": "credit"})
    assert answer.status_code == 422
    assert text_of(answer.text, "claim-error-message") == "зачёт даётся за возвращённый товар: примите товар обратно"
    photo_id = claim_row(core_db, first).photos[0].attachment_id
    missing = client.get(f"/backoffice/claims/{second}/photos/{photo_id}")
    assert missing.status_code == 404
    assert text_of(missing.text, "error-message") == f"у рекламации {claim_row(core_db, second).number} нет такой фотографии"


def test_a_role_refused_reads_it_in_russian(client, core_db):
    add_user(core_db, "ru_keeper", "purchaser", language="ru")
    log_in(client, "ru_keeper")
    answer = client.get("/backoffice/claims")
    assert answer.status_code == 403
    assert text_of(answer.text, "error-message") == "вашей роли это не разрешено"
