"""The back office's start page: the main figures, each linking to its list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dealerhub.core.backoffice import queries
from dealerhub.web.deps import ReadSession, StaffUser
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()

FIGURES = (
    ("items", N_("Active items"), "/backoffice/catalog"),
    ("groups", N_("Item groups"), "/backoffice/catalog"),
    ("dealers", N_("Dealers"), "/backoffice/partners?kind=dealer"),
    ("suppliers", N_("Suppliers"), "/backoffice/partners?kind=supplier"),
    ("warehouses", N_("Warehouses"), "/backoffice/warehouses"),
    ("stock_positions", N_("Stock positions"), "/backoffice/stock"),
    ("agreements", N_("Dealer agreements"), "/backoffice/pricing/agreements"),
)


@router.get("/")
def dashboard(request: Request, _user: StaffUser, s: ReadSession) -> Response:
    counts = queries.dashboard_counts(s)
    figures = [(key, label, counts[key], link) for key, label, link in FIGURES]
    return render(request, "backoffice/dashboard.html", {"figures": figures})
