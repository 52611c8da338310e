"""The back office's bonus pages: a program created and edited through the form (audited), a bad
form refused beside its field with nothing written, a dealer's ledger page. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.core import bonus
from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock
from tests import factories as f
from tests.bonus.builders import counts, earn_balance, utc
from tests.carts.builders import make_world
from tests.web.conftest import add_user, log_in, page_token
from tests.web.pages import text_of as element_text

D = Decimal


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _post(client, path: str, form: dict[str, str]):
    return client.post(path, data={**form, "csrf_token": page_token(client)})


def _brand(core_db) -> str:
    with core_db.transaction() as s:
        return f.brand(s, "XCMG").name


FORM = {
    "code": "XCMG-Q", "name": "XCMG quarterly", "kind": "turnover", "period": "quarter", "valid_from": "2026-01-01",
    "all_partners": "on", "is_active": "on", "usable_in_orders": "on", "order_cap_percent": "30",
    "tier_threshold_1": "500000", "tier_percent_1": "3", "tier_threshold_2": "1000000", "tier_percent_2": "5",
    "target_scope_1": "brand", "target_key_1": "XCMG",
}


def test_create_and_edit_a_program(admin_client, core_db, admin):
    _brand(core_db)
    answer = _post(admin_client, "/backoffice/bonus/programs/new", FORM)
    assert answer.status_code == 303, answer.text
    program_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    card = text_of(admin_client.get(f"/backoffice/bonus/programs/{program_id}").text)
    assert "XCMG quarterly" in card and "500,000.00 3" in card and "up to 30 % of an order" in card

    form = admin_client.get(f"/backoffice/bonus/programs/{program_id}/edit").text
    assert 'name="target_key_1" value="XCMG"' in form and 'name="tier_percent_2" value="5.00"' in form
    edited = _post(admin_client, f"/backoffice/bonus/programs/{program_id}/edit", {**FORM, "tier_percent_2": "6"})
    assert edited.status_code == 303
    with core_db.session() as s:
        program = bonus.get_program(s, program_id)
        assert [(t.threshold, t.percent) for t in program.tiers] == [(D("500000.00"), D(3)), (D("1000000.00"), D(6))]
        assert program.targets[0].scope == "brand" and program.order_cap_percent == D(30)
        actions = s.execute(
            select(AuditRecord.action, AuditRecord.user_id).where(AuditRecord.entity_type == "bonus_program")
        ).all()
    assert actions == [("create", admin), ("update", admin)]
    assert "XCMG-Q" in admin_client.get("/backoffice/bonus/programs").text


def test_a_bad_form_is_refused_beside_its_field_and_nothing_is_written(admin_client, core_db, admin):
    _brand(core_db)
    before = counts(core_db)
    unknown = _post(admin_client, "/backoffice/bonus/programs/new", {**FORM, "target_key_1": "Komatsu"})
    assert unknown.status_code == 422
    assert "No such item code, group code or brand name." in unknown.text
    falling = _post(admin_client, "/backoffice/bonus/programs/new", {**FORM, "tier_percent_2": "2"})
    assert falling.status_code == 422 and "a higher threshold must give a higher percent" in falling.text
    assert counts(core_db) == before


def test_a_dealers_ledger_page(admin_client, core_db):
    w = make_world(core_db)
    earn_balance(core_db, w)
    clock.freeze(utc(2026, 4, 3, 9))
    page = text_of(admin_client.get(f"/backoffice/bonus/dealers/{w.partner_id}").text)
    assert "Quarterly bonus · turnover bonus · balance 100.00" in page
    assert "accrual 1/1/26 – 3/31/26 1,000.00 10 100.00 reconciliation" in page


def test_a_refused_program_is_explained_in_the_language_of_the_page(client, core_db):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    _brand(core_db)
    before = counts(core_db)
    falling = _post(client, "/backoffice/bonus/programs/new", {**FORM, "tier_percent_2": "2"})
    assert falling.status_code == 422
    assert element_text(falling.text, "error-__all__") == "чем выше порог, тем выше должен быть процент"
    assert counts(core_db) == before
