"""The dealer cabinet: the dealers' pages, a face of the core like the back office.

Every page but the login forms sits behind two router dependencies: a logged-in dealer's user
(deps.current_dealer) and the CSRF token on every unsafe method. Each page group is its own module
with its own `router`; to add one, write the module and add it to PAGE_MODULES below (one line),
declare each route for the cross-dealer matrix (matrix.scoped), and nav.py shows its entry once the
page is served. How-to: docs/cabinet.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from dealerhub.core.cabinet import (
    auth,
    bonus,
    carts,
    catalog,
    claims,
    conversations,
    documents,
    home,
    orders,
    pricelist,
    profile,
    recovery,
    users,
)
from dealerhub.core.cabinet.deps import current_dealer
from dealerhub.core.cabinet.nav import cabinet_nav, cabinet_user_menu
from dealerhub.core.cabinet.roles import role_label, status_label
from dealerhub.web.csrf import verify_csrf

PREFIX = "/cabinet"
TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_GLOBALS = {
    "cabinet_nav": cabinet_nav,
    "cabinet_user_menu": cabinet_user_menu,
    "dealer_role": role_label,
    "user_status": status_label,
}

# One module a line (keeps parallel additions apart).
PAGE_MODULES = (
    catalog,
    pricelist,
    carts,
    orders,
    auth,
    home,
    profile,
    users,
    documents,
    claims,
    bonus,
    conversations,
)

protected = APIRouter(dependencies=[Depends(current_dealer), Depends(verify_csrf)])
for module in PAGE_MODULES:
    protected.include_router(module.router)

router = APIRouter()
router.include_router(auth.public_router)
router.include_router(recovery.public_router)
router.include_router(protected)


def page_paths() -> frozenset[str]:
    """The GET pages the cabinet serves (what the navigation shows)."""
    return frozenset(
        PREFIX + route.path
        for module in PAGE_MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in (route.methods or ())
    )


__all__ = ["PAGE_MODULES", "PREFIX", "TEMPLATES_DIR", "TEMPLATE_GLOBALS", "page_paths", "router"]
