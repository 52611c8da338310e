"""The cabinet's navigation as data. An entry is shown when its page is served (a GET route at its
path is registered) and the user's role holds its permission: no placeholder pages, the entries
appear as their routers are included in __init__.py."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from dealerhub.core.accounts import can
from dealerhub.web.i18n import N_


@dataclass(frozen=True)
class NavEntry:
    label: str
    path: str
    permission: str


@dataclass(frozen=True)
class ShownEntry:
    label: str
    path: str
    active: bool


# The main navigation, in this order.
NAV: tuple[NavEntry, ...] = (
    NavEntry(N_("Catalog"), "/cabinet/catalog", "cabinet.catalog"),
    NavEntry(N_("Carts"), "/cabinet/carts", "cabinet.orders"),
    NavEntry(N_("Orders"), "/cabinet/orders", "cabinet.orders"),
    NavEntry(N_("Claims"), "/cabinet/claims", "cabinet.orders"),
    NavEntry(N_("Bonus programs"), "/cabinet/bonus", "cabinet.view"),
    NavEntry(N_("Documents"), "/cabinet/documents", "cabinet.documents"),
    NavEntry(N_("Settlements"), "/cabinet/finance", "cabinet.finance"),
    NavEntry(N_("Messages"), "/cabinet/conversations", "cabinet.view"),
)

# The user menu (under the user's name).
USER_MENU: tuple[NavEntry, ...] = (
    NavEntry(N_("My profile"), "/cabinet/profile", "cabinet.view"),
    NavEntry(N_("Company users"), "/cabinet/users", "cabinet.users"),
)


def _shown(request: Request, entries: tuple[NavEntry, ...]) -> list[ShownEntry]:
    dealer = getattr(request.state, "dealer", None)
    if dealer is None:
        return []
    served = request.app.state.cabinet_pages
    current = request.url.path
    return [
        ShownEntry(e.label, e.path, current == e.path or current.startswith(e.path + "/"))
        for e in entries
        if e.path in served and can(dealer.role, e.permission)
    ]


def cabinet_nav(request: Request) -> list[ShownEntry]:
    return _shown(request, NAV)


def cabinet_user_menu(request: Request) -> list[ShownEntry]:
    return _shown(request, USER_MENU)
