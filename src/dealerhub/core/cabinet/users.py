"""The company's users, managed by its owner: invite by e-mail, change a role, block, unblock,
send the invitation again. The rules (a company keeps an active owner ...) are core/accounts'."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core.accounts import (
    DEALER_ROLES,
    block_user,
    change_role,
    company_users,
    get_company_user,
    unblock_user,
)
from dealerhub.core.cabinet.deps import Owner
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.cabinet.roles import ROLE_HINTS, ROLE_LABELS
from dealerhub.core.cabinet.views import user_view
from dealerhub.shared.errors import DomainError
from dealerhub.web import account_mail
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()
LIST_TEMPLATE = "cabinet/users/list.html"
USER_TEMPLATE = "cabinet/users/user.html"


def _roles() -> list[tuple[str, str, str]]:
    return [(role, ROLE_LABELS[role], ROLE_HINTS[role]) for role in DEALER_ROLES]


def _role_options() -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS[role]) for role in DEALER_ROLES]


def _list_context(s: ReadSession | WriteSession, dealer: Owner) -> dict[str, Any]:
    members = [user_view(u) for u in company_users(s, dealer.partner_id)]
    return {"members": members, "roles": _roles(), "role_options": _role_options()}


@router.get("/users")
@scoped()
def users(request: Request, dealer: Owner, s: ReadSession) -> Response:
    context = _list_context(s, dealer)
    context["values"] = {"role": "buyer", "language": dealer.user.language}
    return render(request, LIST_TEMPLATE, context)


@router.post("/users/invite")
@scoped()
def invite(request: Request, dealer: Owner, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    email = reader.text("email", required=True, max_length=100)
    full_name = reader.text("full_name", required=True, max_length=200)
    role = reader.text("role", required=True)
    language = request.app.state.i18n.pick(reader.text("language"))
    context = _list_context(s, dealer)
    if not reader.ok:
        raise reader.rejected(LIST_TEMPLATE, context)
    try:
        user = account_mail.invite_by_mail(
            request, s, inviter_id=dealer.user_id, inviter_name=dealer.user.full_name,
            partner_id=dealer.partner_id, company=dealer.company_name, email=email or "",
            full_name=full_name or "", role=role or "", language=language,
        )
    except DomainError as error:
        raise reader.refused(LIST_TEMPLATE, context, error) from None
    return RedirectResponse(f"/cabinet/users/{user.id}?notice=invited", status_code=303)


def _user_context(s: ReadSession | WriteSession, dealer: Owner, user_id: int) -> dict[str, Any]:
    member = user_view(get_company_user(s, dealer.partner_id, user_id))
    return {"member": member, "role_options": _role_options(), "values": {"role": member.role}}


@router.get("/users/{user_id}")
@scoped(user_id="user")
def user_page(request: Request, user_id: int, dealer: Owner, s: ReadSession) -> Response:
    return render(request, USER_TEMPLATE, _user_context(s, dealer, user_id))


@router.post("/users/{user_id}/role")
@scoped(user_id="user")
def set_role(request: Request, user_id: int, dealer: Owner, form: Form, s: WriteSession) -> Response:
    context = _user_context(s, dealer, user_id)  # 404 first when not this company's user
    reader = FormReader(form)
    role = reader.text("role", required=True)
    if not reader.ok:
        raise reader.rejected(USER_TEMPLATE, context)
    try:
        change_role(s, user_id=dealer.user_id, partner_id=dealer.partner_id, target_id=user_id, role=role or "")
    except DomainError as error:
        raise reader.refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/cabinet/users/{user_id}?notice=saved", status_code=303)


def _action(request: Request, dealer: Owner, user_id: int, form: Form, s: WriteSession, action: Any) -> Response:
    context = _user_context(s, dealer, user_id)
    try:
        action(s, user_id=dealer.user_id, partner_id=dealer.partner_id, target_id=user_id)
    except DomainError as error:
        raise FormReader(form).refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/cabinet/users/{user_id}?notice=saved", status_code=303)


@router.post("/users/{user_id}/block")
@scoped(user_id="user")
def block(request: Request, user_id: int, dealer: Owner, form: Form, s: WriteSession) -> Response:
    return _action(request, dealer, user_id, form, s, block_user)


@router.post("/users/{user_id}/unblock")
@scoped(user_id="user")
def unblock(request: Request, user_id: int, dealer: Owner, form: Form, s: WriteSession) -> Response:
    return _action(request, dealer, user_id, form, s, unblock_user)


@router.post("/users/{user_id}/reinvite")
@scoped(user_id="user")
def reinvite(request: Request, user_id: int, dealer: Owner, form: Form, s: WriteSession) -> Response:
    context = _user_context(s, dealer, user_id)
    try:
        account_mail.reinvite_by_mail(
            request, s, inviter_id=dealer.user_id, inviter_name=dealer.user.full_name,
            partner_id=dealer.partner_id, company=dealer.company_name, target_id=user_id,
        )
    except DomainError as error:
        raise FormReader(form).refused(USER_TEMPLATE, context, error) from None
    return RedirectResponse(f"/cabinet/users/{user_id}?notice=invited", status_code=303)
