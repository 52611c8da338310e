"""Reading and saving the distributor's own details, checked like any contractor's: INN and OGRN
by their check digits, KPP by its shape, the account and correspondent account against the BIK."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.company.models import OwnCompany
from dealerhub.core.partners import validate_bank_account, validate_contractor_ids, validate_ogrn_kind
from dealerhub.shared.errors import Conflict, DomainError

ENTITY = "own_company"


class OwnCompanyNotSet(Conflict):
    """The distributor's details were never entered: documents for payment cannot be printed."""


class InvalidCompanyData(DomainError):
    """A required field of the distributor's details is empty or too long."""


@dataclass(frozen=True)
class CompanyDetails:
    name: str
    inn: str
    kpp: str | None
    ogrn: str | None
    legal_address: str
    phone: str | None
    bank_name: str
    bik: str
    correspondent_account: str
    account_number: str
    director_name: str
    accountant_name: str


REQUIRED = ("name", "inn", "legal_address", "bank_name", "bik", "correspondent_account", "account_number",
            "director_name", "accountant_name")


def get_own_company(s: Session) -> OwnCompany | None:
    return s.get(OwnCompany, 1)


def require_own_company(s: Session) -> OwnCompany:
    company = get_own_company(s)
    if company is None:
        raise OwnCompanyNotSet("the distributor's details are not entered yet: the administrator sets them "
                               "in the back office (Company details)")
    return company


def save_own_company(s: Session, details: CompanyDetails, *, user_id: int | None) -> OwnCompany:
    """Create or replace the details, after checking them; an audit row names the changed fields."""
    values = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in asdict(details).items()}
    for name in REQUIRED:
        if not values[name]:
            raise InvalidCompanyData(f"{name.replace('_', ' ')} is required", field=name)
    for column in OwnCompany.__table__.columns:
        length = getattr(column.type, "length", None)
        if column.name in values and length and values[column.name] and len(values[column.name]) > length:
            raise InvalidCompanyData(f"{column.name.replace('_', ' ')} is longer than {length}", field=column.name)
    validate_contractor_ids(inn=values["inn"], kpp=values["kpp"], ogrn=values["ogrn"], country="RU")
    validate_ogrn_kind(inn=values["inn"], ogrn=values["ogrn"])
    validate_bank_account(
        bik=values["bik"],
        account_number=values["account_number"],
        correspondent_account=values["correspondent_account"],
    )
    company = get_own_company(s)
    action = "update"
    if company is None:
        company, action = OwnCompany(id=1), "create"
        s.add(company)
    changed = sorted(k for k, v in values.items() if getattr(company, k) != v)
    for key, value in values.items():
        setattr(company, key, value)
    s.flush()
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=1, action=action, fields=changed)
    return company
