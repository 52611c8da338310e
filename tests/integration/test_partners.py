"""Partners, contractors and bank accounts: identifiers checked, pairs unique, nothing written on a refusal.

Real identifiers of Sberbank are used where a valid one is needed (INN 7707083893, KPP 773601001,
OGRN 1027700132195, BIK 044525225, correspondent account 30101810400000000225)."""

from __future__ import annotations

import pytest

from dealerhub.core import partners as p
from dealerhub.core.partners.models import BankAccount, Contractor, Partner
from tests import factories as f
from tests.integration.masterdata_helpers import audit, count, race

SBER = {"inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"}
IP = {"inn": "500100732259", "ogrn": "304500116000157"}  # an individual entrepreneur
BIK, CORR = "044525225", "30101810400000000225"
ACCOUNT, ACCOUNT_2 = "40702810038000017240", "40702810938000000001"


def _partner(db, **fields):
    with db.transaction() as s:
        user = f.staff(s)
        partner = p.create_partner(s, user_id=user.id, **{"name": "Техстрой", "is_dealer": True, **fields})
        return partner.id, user.id


def _contractor(db, partner_id, **fields):
    with db.transaction() as s:
        c = p.add_contractor(s, partner_id, user_id=None, **{"name": "ООО «Техстрой»", **SBER, **fields})
        return c.id


def _counts(db):
    with db.session() as s:
        return count(s, Partner), count(s, Contractor), count(s, BankAccount), len(audit(s, "contractor"))


def test_partner_contractor_and_bank_account(core_db):
    pid, user_id = _partner(core_db, region="Урал", email="sales@techstroy.ru", phone="+7 343 000-00-00")
    with core_db.transaction() as s:
        c = p.add_contractor(
            s,
            pid,
            user_id=user_id,
            name=" ООО «Техстрой» ",
            inn=" 7707 083893 ",
            kpp="773601001",
            ogrn="1027700132195",
            legal_address="Екатеринбург",
        )
        p.add_bank_account(
            s,
            c.id,
            user_id=user_id,
            bank_name="Сбербанк",
            bik=BIK,
            account_number=ACCOUNT,
            correspondent_account=CORR,
        )
        p.add_bank_account(s, c.id, user_id=user_id, bank_name="Сбербанк", bik=BIK, account_number=ACCOUNT_2)
        cid = c.id
    with core_db.session() as s:
        partner = p.get_partner(s, pid)
        assert (partner.name, partner.is_dealer, partner.is_supplier, partner.region) == (
            "Техстрой",
            True,
            False,
            "Урал",
        )
        [c] = partner.contractors
        assert (c.name, c.inn, c.kpp, c.ogrn, c.country) == ("ООО «Техстрой»", *SBER.values(), "RU")
        assert [
            (a.account_number, a.correspondent_account, a.currency, a.is_default) for a in c.bank_accounts
        ] == [
            (ACCOUNT, CORR, "RUB", True),
            (ACCOUNT_2, None, "RUB", False),
        ]
        assert audit(s, "partner", pid) == [
            (
                "create",
                {
                    "name": "Техстрой",
                    "is_dealer": True,
                    "is_supplier": False,
                    "region": "Урал",
                    "email": "sales@techstroy.ru",
                    "phone": "+7 343 000-00-00",
                },
            )
        ]
        assert [a for a, _ in audit(s, "contractor", cid)] == [
            "create",
            "add_bank_account",
            "add_bank_account",
        ]
        assert audit(s, "contractor", cid)[0][1] == {
            "partner_id": pid,
            "name": "ООО «Техстрой»",
            **SBER,
            "country": "RU",
            "legal_address": "Екатеринбург",
            "postal_address": None,
        }


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"inn": "7707083894"}, "inn"),  # checksum
        ({"inn": None}, "inn"),  # a Russian organisation needs one
        ({"kpp": None}, "kpp"),  # an organisation needs a KPP
        ({"kpp": "77360100"}, "kpp"),
        ({"ogrn": "1027700132194"}, "ogrn"),
        ({"ogrn": IP["ogrn"]}, "ogrn"),  # an OGRNIP does not go with an organisation's INN
        ({"inn": IP["inn"], "ogrn": None}, "kpp"),  # an entrepreneur has no KPP
    ],
)
def test_bad_identifiers_write_nothing(core_db, fields, field):
    pid, _ = _partner(core_db)
    before = _counts(core_db)
    with pytest.raises(p.InvalidIdentifier) as err, core_db.transaction() as s:
        p.add_contractor(s, pid, user_id=None, name="ООО Ошибка", **{**SBER, **fields})
    assert (err.value.http_status, err.value.details["field"]) == (422, field)
    assert _counts(core_db) == before


def test_entrepreneur_and_foreign_supplier(core_db):
    pid, _ = _partner(core_db, name="Shandong Heavy", is_dealer=False, is_supplier=True)
    ip_id = _contractor(core_db, pid, name="ИП Иванов И. И.", kpp=None, **IP)
    cn_ids = [
        _contractor(core_db, pid, name=f"Shandong Export {i}", inn=None, kpp=None, ogrn=None, country="cn")
        for i in (1, 2)
    ]
    with core_db.session() as s:
        assert [(c.id, c.inn, c.kpp, c.country) for c in p.get_partner(s, pid).contractors] == [
            (ip_id, IP["inn"], None, "RU"),
            (cn_ids[0], None, None, "CN"),
            (cn_ids[1], None, None, "CN"),
        ]


@pytest.mark.parametrize(
    "fields",
    [
        {},  # the same organisation again
        {
            "name": "ИП Иванов",
            "kpp": None,
            **IP,
        },  # the same entrepreneur again (no KPP: checked by the use case)
    ],
)
def test_a_legal_entity_is_recorded_once(core_db, fields):
    pid, _ = _partner(core_db)
    _contractor(core_db, pid, **fields)
    other_pid, _ = _partner(core_db, name="Другой дилер")
    before = _counts(core_db)
    with (
        pytest.raises(p.DuplicateContractor, match=f"INN {fields.get('inn', SBER['inn'])}") as err,
        core_db.transaction() as s,
    ):
        p.add_contractor(s, other_pid, user_id=None, **{"name": "Дубль", **SBER, **fields})
    assert err.value.http_status == 409
    assert _counts(core_db) == before


def test_a_branch_with_another_kpp_is_another_contractor(core_db):
    pid, _ = _partner(core_db)
    _contractor(core_db, pid)
    _contractor(core_db, pid, name="Филиал", kpp="667101001")
    with core_db.session() as s:
        assert [c.kpp for c in p.get_partner(s, pid).contractors] == ["773601001", "667101001"]


def test_update_contractor_checks_identifiers_as_a_whole(core_db):
    pid, user_id = _partner(core_db)
    cid = _contractor(core_db, pid)
    branch = _contractor(core_db, pid, name="Филиал", kpp="667101001")
    refusals = [
        ({"kpp": "773601001"}, p.DuplicateContractor),  # the head office's pair
        ({"inn": "7707083894"}, p.InvalidIdentifier),
        ({"kpp": None}, p.InvalidIdentifier),
        ({"partner_id": 5}, p.InvalidPartnerData),
    ]
    for fields, error in refusals:
        with pytest.raises(error), core_db.transaction() as s:
            p.update_contractor(s, branch, user_id=user_id, name="Переименован", **fields)
    with core_db.transaction() as s:
        p.update_contractor(s, branch, user_id=user_id, name="Филиал Урал", kpp="667101002")
    with core_db.session() as s:
        c = p.get_contractor(s, branch)
        assert (c.name, c.kpp) == ("Филиал Урал", "667101002")
        assert audit(s, "contractor", branch)[1:] == [
            ("update", {"changes": {"name": ["Филиал", "Филиал Урал"], "kpp": ["667101001", "667101002"]}})
        ]
        assert p.get_contractor(s, cid).kpp == "773601001"


@pytest.mark.parametrize(
    "fields,error,field",
    [
        ({"bik": "04452522"}, p.InvalidIdentifier, "bik"),
        ({"account_number": "40702810138000017240"}, p.InvalidIdentifier, "account_number"),  # key digit
        ({"correspondent_account": "30101810400000000226"}, p.InvalidIdentifier, "correspondent_account"),
        ({"currency": "USD"}, p.InvalidIdentifier, "currency"),  # 810 in the number: a rouble account
        ({"currency": "US"}, p.InvalidPartnerData, "currency"),
        ({"account_number": ACCOUNT}, p.DuplicateBankAccount, None),
    ],
)
def test_bad_bank_accounts_write_nothing(core_db, fields, error, field):
    pid, _ = _partner(core_db)
    cid = _contractor(core_db, pid)
    with core_db.transaction() as s:
        p.add_bank_account(s, cid, user_id=None, bank_name="Сбербанк", bik=BIK, account_number=ACCOUNT)
    before = _counts(core_db)
    with pytest.raises(error) as err, core_db.transaction() as s:
        p.add_bank_account(
            s,
            cid,
            user_id=None,
            **{
                "bank_name": "Сбербанк",
                "bik": BIK,
                "account_number": ACCOUNT_2,
                "correspondent_account": CORR,
                **fields,
            },
        )
    assert err.value.details.get("field") == field
    assert _counts(core_db) == before


def test_update_partner(core_db):
    pid, user_id = _partner(core_db)
    for fields, error in [
        ({"email": "not-an-address"}, p.InvalidPartnerData),
        ({"name": " "}, p.InvalidPartnerData),
        ({"inn": "7707083893"}, p.InvalidPartnerData),
    ]:
        with pytest.raises(error), core_db.transaction() as s:
            p.update_partner(s, pid, user_id=user_id, region="Сибирь", **fields)
    with core_db.transaction() as s:
        p.update_partner(s, pid, user_id=user_id, is_supplier=True, region="Сибирь", name="Техстрой")
    with pytest.raises(p.PartnerNotFound) as err, core_db.session() as s:
        p.get_partner(s, 999)
    assert err.value.http_status == 404
    with core_db.session() as s:
        assert audit(s, "partner", pid)[1:] == [
            ("update", {"changes": {"is_supplier": [False, True], "region": [None, "Сибирь"]}})
        ]


def test_list_partners_searches_names_and_inn(core_db):
    dealer, _ = _partner(core_db, name="Техстрой")
    _contractor(core_db, dealer, name="ООО «Уралтехника»")
    supplier, _ = _partner(core_db, name="Shandong Heavy", is_dealer=False, is_supplier=True)
    _contractor(core_db, supplier, name="ИП Петров", kpp=None, **IP)
    _partner(core_db, name="Алтай-Машины", is_supplier=True)
    with core_db.session() as s:

        def names(**kwargs):
            found, total = p.list_partners(s, **kwargs)
            return [x.name for x in found], total

        assert names() == (["Shandong Heavy", "Алтай-Машины", "Техстрой"], 3)
        assert names(text="ТЕХСТ") == (["Техстрой"], 1)  # partner name, any case
        assert names(text="уралтех") == (["Техстрой"], 1)  # contractor name
        assert names(text="петров") == (["Shandong Heavy"], 1)
        assert names(text="50010073") == (["Shandong Heavy"], 1)  # INN
        assert names(text="%") == ([], 0)
        assert names(kind="supplier") == (["Shandong Heavy", "Алтай-Машины"], 2)
        assert names(kind="dealer", limit=1, offset=1) == (["Техстрой"], 2)
        with pytest.raises(p.InvalidPartnerData):
            p.list_partners(s, kind="carrier")


@pytest.mark.postgresql
def test_two_additions_of_one_legal_entity_at_once_one_wins(pg_core_db):
    first, _ = _partner(pg_core_db, name="Первый")
    second, _ = _partner(pg_core_db, name="Второй")
    error = race(
        pg_core_db,
        lambda s: p.add_contractor(s, first, user_id=None, name="ООО А", **SBER),
        lambda s: p.add_contractor(s, second, user_id=None, name="ООО Б", **SBER),
    )
    assert isinstance(error, p.DuplicateContractor)
    with pg_core_db.session() as s:
        assert [c.name for c in p.get_partner(s, first).contractors] == ["ООО А"]
        assert p.get_partner(s, second).contractors == []
