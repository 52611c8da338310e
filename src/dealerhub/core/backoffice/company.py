"""The distributor's own legal entity and bank details: every staff member may look, the
administrator edits them (checked like any contractor's identifiers; an audit row names what
changed). Invoices, sale documents and reconciliation statements print them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core import company
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice.helpers import text_values
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()
FORM = "backoffice/finance/company.html"
FIELDS = tuple(company.CompanyDetails.__dataclass_fields__)
Administrator = Annotated[SessionUser, Depends(require("company.edit"))]


@router.get("/company")
def company_page(request: Request, user: StaffUser, s: ReadSession) -> Response:
    own = company.get_own_company(s)
    values = text_values(own, FIELDS) if own else {}
    return render(request, FORM, {"values": values, "editable": can(user.role, "company.edit"), "is_set": own is not None})


@router.post("/company")
def save_company(request: Request, user: Administrator, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    context = {"editable": True, "is_set": company.get_own_company(s) is not None}
    values = {name: reader.text(name, max_length=500) for name in FIELDS}
    if not reader.ok:
        raise reader.rejected(FORM, context)
    try:
        with s.begin_nested():
            company.save_own_company(s, company.CompanyDetails(**values), user_id=user.user_id)
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse("/backoffice/company?notice=saved", status_code=303)
