"""What every cabinet route depends on: the dealer behind the session, role checks, and reading
the dealer's own rows.

`CurrentDealer` is the logged-in dealer's user with their company (partner) and role. Every query
of a cabinet page is scoped by `dealer.partner_id`; an object of another dealer is "not found"
(404), never "forbidden" (403), so that ids don't tell which objects exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import DEALER_ROLES, SessionUser, can
from dealerhub.core.cabinet.roles import role_label
from dealerhub.core.conversations import ManagerCard, dealer_header_statement, manager_card_of
from dealerhub.shared import clock
from dealerhub.shared.errors import NotFound, PermissionDenied
from dealerhub.shared.texts import T, Text
from dealerhub.web.deps import NotAuthenticated, ReadSession, optional_user, read_session

M = TypeVar("M")


class NotADealer(PermissionDenied):
    """A staff member's session opened a cabinet page: the cabinet is for dealers' users."""


class RoleNotAllowed(PermissionDenied):
    """The user's role in the company does not allow this page or action."""


class ObjectNotFound(NotFound):
    """No such object among the dealer's own (it may not exist, or belong to another dealer)."""


# Said alike of a missing object and of another dealer's: the answer never tells which.
NOT_FOUND = T("not found among your company's data")


def role_refusal(role: str) -> Text:
    return T(
        "your role in the company («%(role)s») does not allow this; ask your company's owner", role=role_label(role)
    )


@dataclass(frozen=True)
class Dealer:
    """The logged-in dealer's user: who they are, which company, which role in it."""

    user: SessionUser
    partner_id: int
    company_name: str
    # The personal manager's card and the user's unread messages, shown on every page (layout.html).
    manager: ManagerCard | None = None
    unread: int = 0

    @property
    def user_id(self) -> int:
        return self.user.user_id

    @property
    def role(self) -> str:
        return self.user.role

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def current_dealer(request: Request, s: ReadSession) -> Dealer:
    """The dealer behind the session (cached on the request); redirects to the cabinet's login when
    there is no live session, 403 for a staff session or a dealer company that was deactivated.

    Read in the request's reading session, which a GET page's handler (ReadSession) then goes on
    with: one connection and one transaction per page instead of one each for the session, the
    company and the page. A handler that doesn't read in it (a POST's WriteSession, a streamed
    download) gets the connection back first, so a request never holds two."""
    cached = getattr(request.state, "dealer", None)
    if cached is not None:
        return cached
    try:
        user = optional_user(request, s)
        if user is None:
            raise NotAuthenticated()
        if user.partner_id is None or user.role not in DEALER_ROLES:
            raise NotADealer(T("the dealer cabinet is for dealers' users: log out of the back office first"))
        # The company, its personal manager's card and the user's unread count: one statement.
        row = s.execute(
            dealer_header_statement(), {"partner_id": user.partner_id, "user_id": user.user_id, "on": clock.today()}
        ).first()
    finally:
        if not _handler_reads_in_request_session(request.scope["route"]):
            s.close()
    if row is None:
        raise NotADealer(T("your company's access to the cabinet is closed: contact your manager"))
    dealer = Dealer(
        user=user,
        partner_id=user.partner_id,
        company_name=row.company_name,
        manager=manager_card_of(row),
        unread=row.unread,
    )
    request.state.dealer = dealer
    return dealer


CurrentDealer = Annotated[Dealer, Depends(current_dealer)]


def _handler_reads_in_request_session(route: APIRoute) -> bool:
    """Whether the route's handler (or a dependency of it other than current_dealer) takes the
    request's ReadSession. Known per route, so worked out once and kept on the route (APIRoute
    isn't hashable)."""
    known = getattr(route, "_reads_in_request_session", None)
    if known is None:

        def reads(dependant: Dependant) -> bool:
            return any(
                d.call is read_session or (d.call is not current_dealer and reads(d)) for d in dependant.dependencies
            )

        known = reads(route.dependant)
        route._reads_in_request_session = known  # type: ignore[attr-defined]
    return known


def require_permission(permission: str) -> Callable[..., Dealer]:
    """A dependency letting through a dealer whose role holds the cabinet permission.

    Refused: 403 with a clear message on a page without object ids; on a URL that names objects
    (path parameters) 404 like a stranger's object, so the answer never depends on whose it is.
    """

    def check(request: Request, dealer: CurrentDealer) -> Dealer:
        if not dealer.can(permission):
            if request.path_params:
                raise ObjectNotFound(NOT_FOUND)
            raise RoleNotAllowed(role_refusal(dealer.role), permission=permission)
        return dealer

    check.__name__ = f"require_{permission.replace('.', '_')}"
    return check


def require_role(*roles: str) -> Callable[..., Dealer]:
    """Like require_permission, for an explicit list of roles: `require_role("owner", "buyer")`."""
    unknown = set(roles) - set(DEALER_ROLES)
    if unknown:
        raise ValueError(f"unknown dealer roles {sorted(unknown)}")

    def check(request: Request, dealer: CurrentDealer) -> Dealer:
        if dealer.role not in roles:
            if request.path_params:
                raise ObjectNotFound(NOT_FOUND)
            raise RoleNotAllowed(role_refusal(dealer.role), roles=list(roles))
        return dealer

    check.__name__ = f"require_role_{'_'.join(roles)}"
    return check


# Ready-made annotations for handlers: `dealer: Buyer` lets owners and buyers in.
Buyer = Annotated[Dealer, Depends(require_permission("cabinet.orders"))]
Accountant = Annotated[Dealer, Depends(require_permission("cabinet.documents"))]
Owner = Annotated[Dealer, Depends(require_permission("cabinet.users"))]


# Reading the dealer's own rows -------------------------------------------------------------------


def own(model: type[M], dealer: Dealer, *, partner_column: str = "partner_id") -> Select[tuple[M]]:
    """select(model) limited to the dealer's rows (a model with a partner_id column)."""
    return select(model).where(getattr(model, partner_column) == dealer.partner_id)


def get_own(
    s: Session, model: type[M], object_id: int, dealer: Dealer, *, partner_column: str = "partner_id"
) -> M:
    """The dealer's row with this id, else ObjectNotFound (404) - also when another dealer has it."""
    row = s.scalar(own(model, dealer, partner_column=partner_column).where(model.id == object_id))  # type: ignore[attr-defined]
    if row is None:
        raise ObjectNotFound(NOT_FOUND, object=model.__name__, object_id=object_id)
    return row


def ensure_own(found: Any, what: str = "object") -> Any:
    """For a hand-written scoped query: None (not the dealer's, or missing) becomes a 404."""
    if found is None:
        raise ObjectNotFound(NOT_FOUND, object=what)
    return found
