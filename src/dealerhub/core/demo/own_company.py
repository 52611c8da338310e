"""The demo distributor's own legal entity and bank details (what its invoices print); checksum-valid
identifiers, saved through the same use case as the back office's form."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.company import CompanyDetails, OwnCompany, save_own_company

DEMO_COMPANY = CompanyDetails(
    name="ООО «Техимпорт Дистрибуция»",
    inn="7704123450",
    kpp="770401001",
    ogrn="1027700123450",
    legal_address="119019, г. Москва, ул. Новый Арбат, д. 21, офис 1204",
    phone="+7 495 120-45-60",
    bank_name="ПАО Сбербанк",
    bik="044525225",
    correspondent_account="30101810400000000225",
    account_number="40702810200000012345",
    director_name="Орлов А. В.",
    accountant_name="Лебедева Н. С.",
)


def seed_own_company(s: Session, user_id: int | None = None) -> OwnCompany:
    return save_own_company(s, DEMO_COMPANY, user_id=user_id)
