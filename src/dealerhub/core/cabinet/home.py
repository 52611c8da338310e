"""The cabinet's start page: the company's legal entities and agreements with the personal manager."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import or_, select

from dealerhub.core.accounts.models import User
from dealerhub.core.cabinet.deps import CurrentDealer, own
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.partners.models import Contractor
from dealerhub.core.pricing.models import DealerAgreement
from dealerhub.shared import clock
from dealerhub.web.deps import ReadSession
from dealerhub.web.rendering import render

router = APIRouter()


@router.get("/")
@scoped()
def home(request: Request, dealer: CurrentDealer, s: ReadSession) -> Response:
    today: date = clock.now().date()
    contractors = s.scalars(own(Contractor, dealer).where(Contractor.is_active).order_by(Contractor.name)).all()
    agreements = s.execute(
        select(DealerAgreement.number, DealerAgreement.valid_from, DealerAgreement.valid_to, User)
        .outerjoin(User, User.id == DealerAgreement.personal_manager_id)
        .where(
            DealerAgreement.partner_id == dealer.partner_id,
            DealerAgreement.is_active,
            or_(DealerAgreement.valid_to.is_(None), DealerAgreement.valid_to >= today),
        )
        .order_by(DealerAgreement.valid_from.desc())
    ).all()
    return render(request, "cabinet/home.html", {"contractors": contractors, "agreements": agreements})
