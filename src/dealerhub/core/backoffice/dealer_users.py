"""Dealer users in the back office: the staff see every dealer's users; an administrator or a
sales manager invites users for a dealer, changes roles, blocks and unblocks, sends an invitation
again. The same use cases as the owner's page in the cabinet (core/accounts/dealers.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.accounts import (
    DEALER_ROLES,
    USER_STATUSES,
    SessionUser,
    block_user,
    can,
    change_role,
    list_dealer_users,
    unblock_user,
)
from dealerhub.core.accounts.models import User
from dealerhub.core.partners.models import Partner
from dealerhub.shared.errors import DomainError, NotFound
from dealerhub.shared.texts import T
from dealerhub.web import account_mail
from dealerhub.web.deps import Form, OptionalInt, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
Manager = Annotated[SessionUser, Depends(require("dealer_users.manage"))]
LIST_TEMPLATE = "backoffice/dealer_users/list.html"
USER_TEMPLATE = "backoffice/dealer_users/user.html"

ROLE_LABELS = {"owner": N_("Owner"), "buyer": N_("Buyer"), "accountant": N_("Accountant")}
STATUS_LABELS = {"active": N_("Active"), "invited": N_("Invited, not yet accepted"), "blocked": N_("Blocked")}


def _dealers(s: Session) -> list[tuple[int, str]]:
    return [tuple(row) for row in s.execute(select(Partner.id, Partner.name).where(Partner.is_dealer).order_by(Partner.name))]


def _common(user: SessionUser) -> dict[str, Any]:
    return {
        "role_options": [(r, ROLE_LABELS[r]) for r in DEALER_ROLES],
        "role_labels": ROLE_LABELS,
        "status_labels": STATUS_LABELS,
        "can_manage": can(user.role, "dealer_users.manage"),
    }


@router.get("/dealer-users")
def dealer_users(
    request: Request,
    user: StaffUser,
    s: ReadSession,
    dealer: OptionalInt = None,
    q: str | None = None,
    status: str | None = None,
    page: OptionalInt = None,
) -> Response:
    status = status if status in USER_STATUSES else None
    paging = Paging.start(page)
    rows, total = list_dealer_users(
        s, partner_id=dealer, text=q, status=status, limit=paging.size, offset=paging.offset
    )
    context = {
        **_common(user),
        "rows": [(_view(u), name) for u, name in rows],
        "paging": paging.with_total(total),
        "dealers": _dealers(s),
        "filters": {"dealer": dealer, "q": q or "", "status": status or ""},
        "statuses": [(code, STATUS_LABELS[code]) for code in USER_STATUSES],
        "values": {"partner_id": str(dealer or ""), "role": "owner", "language": "ru"},
    }
    return render(request, LIST_TEMPLATE, context)


@router.post("/dealer-users/invite")
def invite(request: Request, user: Manager, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    partner_id = reader.integer("partner_id", required=True)
    email = reader.text("email", required=True, max_length=100)
    full_name = reader.text("full_name", required=True, max_length=200)
    role = reader.text("role", required=True)
    language = request.app.state.i18n.pick(reader.text("language"))
    partner = s.get(Partner, partner_id) if partner_id else None
    if partner_id and (partner is None or not partner.is_dealer):
        reader.errors["partner_id"] = N_("Choose a dealer.")
    context = {
        **_common(user),
        "rows": [],
        "paging": Paging.start(1),
        "dealers": _dealers(s),
        "filters": {"dealer": None, "q": "", "status": ""},
        "statuses": [(code, STATUS_LABELS[code]) for code in USER_STATUSES],
    }
    if not reader.ok:
        raise reader.rejected(LIST_TEMPLATE, context)
    try:
        invited = account_mail.invite_by_mail(
            request, s, inviter_id=user.user_id, inviter_name=user.full_name, partner_id=partner.id,
            company=partner.name, email=email or "", full_name=full_name or "", role=role or "",
            language=language,
        )
    except DomainError as error:
        raise reader.refused(LIST_TEMPLATE, context, error) from None
    return RedirectResponse(f"/backoffice/dealer-users/{invited.id}?notice=invited", status_code=303)


def _dealer_user(s: Session, user_id: int) -> tuple[User, Partner]:
    row = s.execute(
        select(User, Partner).join(Partner, Partner.id == User.partner_id).where(User.id == user_id)
    ).first()
    if row is None:
        raise NotFound(T("there is no such user of a dealer"), user_id=user_id)
    return row[0], row[1]


def _view(member: User) -> dict[str, Any]:
    return {
        "id": member.id,
        "login": member.login,
        "full_name": member.full_name,
        "email": member.email,
        "phone": member.phone,
        "role": member.role,
        "status": member.status,
        "totp_enabled": member.totp_enabled,
        "partner_id": member.partner_id,
    }


def _user_context(s: Session, staff: SessionUser, user_id: int) -> dict[str, Any]:
    member, partner = _dealer_user(s, user_id)
    return {
        **_common(staff),
        "member": _view(member),
        "partner": {"id": partner.id, "name": partner.name},
        "values": {"role": member.role},
    }


@router.get("/dealer-users/{user_id:int}")
def dealer_user(request: Request, user_id: int, user: StaffUser, s: ReadSession) -> Response:
    return render(request, USER_TEMPLATE, _user_context(s, user, user_id))


@router.post("/dealer-users/{user_id:int}/role")
def set_role(request: Request, user_id: int, user: Manager, form: Form, s: WriteSession) -> Response:
    context = _user_context(s, user, user_id)
    reader = FormReader(form)
    role = reader.text("role", required=True)
    if not reader.ok:
        raise reader.rejected(USER_TEMPLATE, context)
    try:
        change_role(
            s, user_id=user.user_id, partner_id=context["partner"]["id"], target_id=user_id, role=role or ""
        )
    except DomainError as error:
        raise reader.refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/backoffice/dealer-users/{user_id}?notice=saved", status_code=303)


def _act(request: Request, user_id: int, user: SessionUser, form: Form, s: Session, action: Any) -> Response:
    context = _user_context(s, user, user_id)
    try:
        action(s, user_id=user.user_id, partner_id=context["partner"]["id"], target_id=user_id)
    except DomainError as error:
        raise FormReader(form).refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/backoffice/dealer-users/{user_id}?notice=saved", status_code=303)


@router.post("/dealer-users/{user_id:int}/block")
def block(request: Request, user_id: int, user: Manager, form: Form, s: WriteSession) -> Response:
    return _act(request, user_id, user, form, s, block_user)


@router.post("/dealer-users/{user_id:int}/unblock")
def unblock(request: Request, user_id: int, user: Manager, form: Form, s: WriteSession) -> Response:
    return _act(request, user_id, user, form, s, unblock_user)


@router.post("/dealer-users/{user_id:int}/reinvite")
def reinvite(request: Request, user_id: int, user: Manager, form: Form, s: WriteSession) -> Response:
    context = _user_context(s, user, user_id)
    try:
        account_mail.reinvite_by_mail(
            request, s, inviter_id=user.user_id, inviter_name=user.full_name,
            partner_id=context["partner"]["id"], company=context["partner"]["name"], target_id=user_id,
        )
    except DomainError as error:
        raise FormReader(form).refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/backoffice/dealer-users/{user_id}?notice=invited", status_code=303)
