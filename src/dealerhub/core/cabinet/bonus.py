"""The dealer's bonus programs: for each program they take part in, its rules, their status in
the running period (tier reached, "buy X more to reach Y %"), their ledger and balance. Every role
of the company sees it; the figures are core.bonus's, read in the request's transaction."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dealerhub.core import bonus
from dealerhub.core.cabinet.deps import CurrentDealer
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.web.deps import ReadSession, request_language
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()

PROGRAM_KINDS = {"turnover": N_("turnover bonus"), "discount": N_("discount"), "promotion": N_("promotion")}
PERIODS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}
TARGET_SCOPES = {"brand": N_("brand"), "group": N_("item group"), "item": N_("item")}
ENTRY_KINDS = {
    "accrual": N_("accrual"),
    "accrual_correction": N_("accrual correction"),
    "write_off": N_("paid an order"),
    "write_off_return": N_("returned from an order"),
}
LABELS = {"kinds": PROGRAM_KINDS, "periods": PERIODS, "scopes": TARGET_SCOPES, "entry_kinds": ENTRY_KINDS}


@router.get("/bonus")
@scoped()
def bonus_programs(request: Request, dealer: CurrentDealer, s: ReadSession) -> Response:
    views = bonus.dealer_programs(s, dealer.partner_id, request_language(request))
    return render(request, "cabinet/bonus/programs.html", {"views": views, **LABELS})
