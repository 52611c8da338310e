"""Creating and editing master data through the forms: what is saved, and that a refused form
shows the error beside its field and leaves nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import catalog, partners, pricing, warehouses
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.catalog.models import Item, ItemGroup
from dealerhub.core.partners.models import BankAccount, Contractor, Partner
from dealerhub.core.pricing.models import DealerAgreement, ItemPrice
from tests.web.conftest import add_user, log_in, page_token
from tests.web.pages import text_of
from tests.web.seed import Seeded, seed


@pytest.fixture
def data(core_db, admin) -> Seeded:
    return seed(core_db, admin)


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _post(client, path: str, form: dict[str, str]):
    return client.post(path, data={**form, "csrf_token": page_token(client)})


def test_create_an_item(admin_client, core_db, admin, data):
    with core_db.session() as s:
        unit_id = catalog.get_item(s, data.filter_id).unit_id
    answer = _post(
        admin_client,
        "/backoffice/catalog/items/new",
        {
            "code": "I-0100",
            "article": "BRK 77.1",
            "kind": "spare_part",
            "group_id": str(data.subgroup_id),
            "unit_id": str(unit_id),
            "vat_rate": "20",
            "use_in_wms": "on",
            "name_ru": "Колодка тормозная",
            "name_en": "Brake pad",
            "description_en": "Front axle",
        },
    )
    assert answer.status_code == 303
    with core_db.session() as s:
        item = s.scalars(select(Item).where(Item.code == "I-0100")).one()
        assert (item.article, item.article_key, item.group_id, item.use_in_wms) == (
            "BRK 77.1",
            "BRK771",
            data.subgroup_id,
            True,
        )
        assert {t.lang: (t.name, t.description) for t in item.translations} == {
            "ru": ("Колодка тормозная", None),
            "en": ("Brake pad", "Front axle"),
        }
        audit = s.scalars(
            select(AuditRecord).where(AuditRecord.entity_type == "item", AuditRecord.entity_id == item.id)
        ).one()
        assert (audit.action, audit.user_id) == ("create", admin)
    assert answer.headers["location"] == f"/backoffice/catalog/items/{item.id}?notice=created"
    assert "Created." in admin_client.get(answer.headers["location"]).text


def test_an_item_without_a_russian_name_is_refused_beside_the_field(admin_client, core_db, data):
    before = _count(core_db, Item)
    answer = _post(
        admin_client,
        "/backoffice/catalog/items/new",
        {
            "code": "I-0101",
            "article": "X-1",
            "kind": "spare_part",
            "group_id": str(data.subgroup_id),
            "unit_id": "1",
            "vat_rate": "abc",
            "name_en": "Only English",
        },
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-name_ru") == "This field is required."
    assert text_of(answer.text, "error-vat_rate") == "Enter a number."
    assert 'value="Only English"' in answer.text
    assert _count(core_db, Item) == before


def _item_with_a_taken_code(data) -> dict[str, str]:
    return {
        "code": "I-0001",
        "article": "X-1",
        "kind": "spare_part",
        "group_id": str(data.subgroup_id),
        "unit_id": "1",
        "vat_rate": "20",
        "name_ru": "Дубль",
    }


def test_a_taken_item_code_is_refused_with_the_use_cases_message(admin_client, core_db, data):
    before = _count(core_db, Item)
    answer = _post(admin_client, "/backoffice/catalog/items/new", _item_with_a_taken_code(data))
    assert answer.status_code == 409
    assert text_of(answer.text, "error-code") == "item code «I-0001» is already taken"
    assert _count(core_db, Item) == before


def test_catalog_and_price_refusals_are_in_the_language_of_the_page(client, core_db, data):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    answer = _post(client, "/backoffice/catalog/items/new", _item_with_a_taken_code(data))
    assert answer.status_code == 409
    assert text_of(answer.text, "error-code") == "код номенклатуры «I-0001» уже используется"
    refused = _post(client, f"/backoffice/catalog/items/{data.oil_id}/barcodes", {"barcode": "4006381333931"})
    assert refused.status_code == 409
    assert text_of(refused.text, "error-__all__") == "штрихкод 4006381333931 уже принадлежит номенклатуре I-0001"
    new_price = {"price_type_id": str(data.price_type_id), "price": "1300,00", "valid_from": "2025-01-01"}
    clash = _post(client, f"/backoffice/pricing/items/{data.filter_id}/prices", new_price)
    assert clash.status_code == 409
    assert text_of(clash.text, "error-__all__") == (
        "у номенклатуры I-0001 уже есть цена 1234.50 вида BASE с 2020-01-01 без даты окончания"
    )


def test_edit_an_item(admin_client, core_db, data):
    form = {
        "code": "I-0003",
        "article": "OIL-15W40",
        "kind": "fluid",
        "group_id": str(data.group_id),
        "unit_id": "2",
        "vat_rate": "10",
        "name_ru": "Масло моторное",
        "name_en": "Motor oil 15W-40",
        "is_active": "on",
    }
    assert _post(admin_client, f"/backoffice/catalog/items/{data.oil_id}/edit", form).status_code == 303
    with core_db.session() as s:
        item = catalog.get_item(s, data.oil_id)
        assert (item.vat_rate, item.use_in_wms, catalog.item_name(item, "en")) == (
            Decimal(10),
            False,
            "Motor oil 15W-40",
        )


def test_card_actions_add_oem_numbers_barcodes_and_analogues(admin_client, core_db, data):
    base = f"/backoffice/catalog/items/{data.oil_id}"
    assert (
        _post(admin_client, f"{base}/oem-numbers", {"number": "ABC-1", "maker": "Shell"}).status_code == 303
    )
    assert _post(admin_client, f"{base}/barcodes", {"barcode": "4006381333948"}).status_code == 303
    assert _post(admin_client, f"{base}/analogues", {"analogue_code": "I-0002"}).status_code == 303
    refused = _post(admin_client, f"{base}/barcodes", {"barcode": "4006381333931"})  # the filter's barcode
    assert refused.status_code == 409
    assert "4006381333931" in text_of(refused.text, "error-__all__")
    card = admin_client.get(base).text
    assert text_of(card, "item-oem-numbers") == "ABC-1 (Shell)"
    assert text_of(card, "item-barcodes") == "4006381333948"
    assert text_of(card, "item-analogues") == "FL-100.21 — Heavy-duty oil filter"


def test_create_and_edit_a_group(admin_client, core_db, data):
    answer = _post(
        admin_client,
        "/backoffice/catalog/groups/new",
        {"code": "HYDR", "parent_id": str(data.group_id), "name_ru": "Гидравлика", "name_en": "Hydraulics"},
    )
    assert answer.status_code == 303
    with core_db.session() as s:
        group = s.scalars(select(ItemGroup).where(ItemGroup.code == "HYDR")).one()
        assert (group.parent_id, group.use_in_wms, catalog.group_name(group, "en")) == (
            data.group_id,
            False,
            "Hydraulics",
        )
    moved = _post(
        admin_client,
        f"/backoffice/catalog/groups/{data.group_id}/edit",
        {"code": "PARTS", "parent_id": str(data.subgroup_id), "name_ru": "Запчасти", "sort_order": "0"},
    )
    assert moved.status_code == 422  # a group under its own subgroup
    with core_db.session() as s:
        assert catalog.get_group(s, data.group_id).parent_id is None


def test_create_a_partner_with_a_contractor_and_a_bank_account(admin_client, core_db, data):
    answer = _post(
        admin_client,
        "/backoffice/partners/new",
        {"name": "Uralmash Service", "is_dealer": "on", "region": "Ekaterinburg"},
    )
    assert answer.status_code == 303
    partner_id = int(answer.headers["location"].split("/")[-1].split("?")[0])
    answer = _post(
        admin_client,
        f"/backoffice/partners/{partner_id}/contractors/new",
        {"name": "IE Petrov", "inn": "500100732259", "country": "RU"},
    )
    assert answer.status_code == 303, answer.text
    with core_db.session() as s:
        contractor = s.scalars(select(Contractor).where(Contractor.partner_id == partner_id)).one()
        assert (contractor.inn, contractor.kpp) == ("500100732259", None)
    answer = _post(
        admin_client,
        f"/backoffice/partners/{partner_id}/contractors/{contractor.id}/bank-accounts/new",
        {
            "bank_name": "Sberbank",
            "bik": "044525225",
            "account_number": "40702810938000000001",
            "currency": "RUB",
        },
    )
    assert answer.status_code == 303
    assert _count(core_db, BankAccount) == 2


def test_a_bad_inn_is_shown_beside_its_field_and_nothing_is_written(admin_client, core_db, data):
    before = (_count(core_db, Contractor), _count(core_db, AuditRecord))
    answer = _post(
        admin_client,
        f"/backoffice/partners/{data.dealer_id}/contractors/new",
        {"name": "LLC Wrong", "inn": "7707083894", "kpp": "773601001", "country": "RU"},
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-inn") == "INN 7707083894 fails its checksum"
    assert 'id="f-inn" name="inn" type="text" value="7707083894"' in answer.text
    assert (_count(core_db, Contractor), _count(core_db, AuditRecord)) == before


def test_the_refusal_beside_a_field_is_in_the_language_of_the_page(client, core_db, data):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    answer = _post(
        client,
        f"/backoffice/partners/{data.dealer_id}/contractors/new",
        {"name": "ООО Ошибка", "inn": "7707083894", "kpp": "773601001", "country": "RU"},
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-inn") == "ИНН 7707083894 не проходит проверку контрольного числа"
    answer = _post(
        client,
        f"/backoffice/partners/{data.dealer_id}/contractors/{data.contractor_id}/bank-accounts/new",
        {"bank_name": "Сбербанк", "bik": "044525225", "account_number": "40702810038000017240", "currency": "USD"},
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-currency") == "счёт 40702810038000017240 открыт в валюте RUB, а не USD"


def test_a_contractor_of_another_partner_is_not_found(admin_client, data):
    path = f"/backoffice/partners/{data.supplier_id}/contractors/{data.contractor_id}/edit"
    assert admin_client.get(path).status_code == 404


def test_create_a_warehouse_and_set_its_wms_code_once(admin_client, core_db, data):
    assert (
        _post(
            admin_client, "/backoffice/warehouses/new", {"code": "KZN", "name": "Kazan", "kind": "regional"}
        ).status_code
        == 303
    )
    with core_db.session() as s:
        kazan = next(w for w in warehouses.list_warehouses(s) if w.code == "KZN")
    form = {
        "code": "KZN",
        "name": "Kazan regional",
        "kind": "regional",
        "wms_code": "WMS-KZN",
        "is_active": "on",
    }
    assert _post(admin_client, f"/backoffice/warehouses/{kazan.id}/edit", form).status_code == 303
    with core_db.session() as s:
        assert (
            warehouses.get_warehouse(s, kazan.id).name,
            warehouses.get_warehouse(s, kazan.id).wms_code,
        ) == ("Kazan regional", "WMS-KZN")


def test_a_changed_wms_code_is_refused_and_nothing_of_the_form_is_saved(admin_client, core_db, data):
    form = {"code": "MSK", "name": "Renamed", "kind": "main", "wms_code": "WMS-NEW", "is_active": "on"}
    answer = _post(admin_client, f"/backoffice/warehouses/{data.main_id}/edit", form)
    assert answer.status_code == 409
    assert "WMS-MSK" in text_of(answer.text, "error-wms_code")
    with core_db.session() as s:
        main = warehouses.get_warehouse(s, data.main_id)
        assert (main.name, main.wms_code) == ("Moscow main", "WMS-MSK")


def test_a_changed_wms_code_is_refused_in_russian_on_a_russian_page(client, core_db, data):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    form = {"code": "MSK", "name": "Renamed", "kind": "main", "wms_code": "WMS-NEW", "is_active": "on"}
    answer = _post(client, f"/backoffice/warehouses/{data.main_id}/edit", form)
    assert answer.status_code == 409
    assert text_of(answer.text, "error-wms_code") == "у склада MSK уже есть код в WMS WMS-MSK: изменить его нельзя"


def test_set_an_items_price_after_ending_the_old_one(admin_client, core_db, data):
    prices = f"/backoffice/pricing/items/{data.filter_id}/prices"
    new_price = {"price_type_id": str(data.price_type_id), "price": "1300,00", "valid_from": "2025-01-01"}
    clash = _post(admin_client, prices, new_price)
    assert clash.status_code == 409
    assert "1234.50" in text_of(clash.text, "error-__all__")
    with core_db.session() as s:
        old_id = s.scalars(select(ItemPrice.id)).one()
    assert (
        _post(admin_client, f"/backoffice/pricing/prices/{old_id}/end", {"end_on": "2024-12-31"}).status_code
        == 303
    )
    assert _post(admin_client, prices, new_price).status_code == 303
    with core_db.session() as s:
        assert pricing.get_price(s, data.filter_id, data.price_type_id, date(2024, 12, 31)) == Decimal(
            "1234.50"
        )
        assert pricing.get_price(s, data.filter_id, data.price_type_id, date(2025, 1, 1)) == Decimal(
            "1300.00"
        )


def test_create_an_agreement_with_priority_warehouses_and_discounts(admin_client, core_db, data):
    with core_db.transaction() as s:
        dealer_id = partners.create_partner(s, user_id=None, name="Second Dealer", is_dealer=True).id
    form = {
        "partner_id": str(dealer_id),
        "number": "AG-2025-7",
        "price_type_id": str(data.price_type_id),
        "valid_from": "2025-01-01",
        "credit_limit": "1000000",
        "reservation_hours": "48",
        "warehouse_1": str(data.main_id),
        "discount_scope_1": "group",
        "discount_target_1": "FILTERS",
        "discount_percent_1": "7.5",
        "discount_scope_2": "item",
        "discount_target_2": "I-0003",
        "discount_percent_2": "3",
    }
    answer = _post(admin_client, "/backoffice/pricing/agreements/new", form)
    assert answer.status_code == 303, answer.text
    with core_db.session() as s:
        agreement = s.scalars(select(DealerAgreement).where(DealerAgreement.number == "AG-2025-7")).one()
        assert (agreement.partner_id, agreement.credit_limit, agreement.reservation_hours) == (
            dealer_id,
            Decimal(1000000),
            48,
        )
        assert [w.warehouse_id for w in agreement.warehouses] == [data.main_id]
        assert [(d.scope, d.group_id, d.item_id, d.percent) for d in agreement.discounts] == [
            ("group", data.subgroup_id, None, Decimal("7.5")),
            ("item", None, data.oil_id, Decimal(3)),
        ]


def test_an_agreement_with_an_unknown_discount_target_is_refused(admin_client, core_db, data):
    form = {
        "partner_id": str(data.dealer_id),
        "number": "AG-X",
        "price_type_id": str(data.price_type_id),
        "valid_from": "2025-01-01",
        "reservation_hours": "72",
        "discount_scope_1": "brand",
        "discount_target_1": "No Such Brand",
        "discount_percent_1": "5",
    }
    answer = _post(admin_client, "/backoffice/pricing/agreements/new", form)
    assert answer.status_code == 422
    assert text_of(answer.text, "error-discount_target_1") == "No such item code, group code or brand name."
    assert _count(core_db, DealerAgreement) == 1


def test_a_partner_form_keeps_what_was_typed(admin_client, core_db, data):
    before = _count(core_db, Partner)
    answer = _post(
        admin_client, "/backoffice/partners/new", {"name": "", "email": "not-an-email", "is_supplier": "on"}
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-name") == "This field is required."
    assert 'value="not-an-email"' in answer.text and 'name="is_supplier" checked' in answer.text
    assert _count(core_db, Partner) == before
