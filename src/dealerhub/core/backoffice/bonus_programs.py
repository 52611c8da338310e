"""Bonus program pages: the list, a program's card, create and edit (tiers, brands/groups/items,
participants, the share of an order payable by bonus), and a dealer's ledger and status. The
ledger is never typed in: it follows posted sales (core.bonus)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import bonus, partners
from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.labels import options
from dealerhub.core.bonus.queries import target_names
from dealerhub.core.catalog.models import Brand, Item, ItemGroup
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, ReadSession, StaffUser, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PricingEditor = Annotated[SessionUser, Depends(require("pricing.edit"))]
FORM = "backoffice/bonus/program_form.html"
TIER_ROWS, TARGET_ROWS = 5, 8
UNKNOWN_TARGET = N_("No such item code, group code or brand name.")
KINDS = {"turnover": N_("turnover bonus"), "discount": N_("discount"), "promotion": N_("promotion")}
PERIODS = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}
ENTRY_KINDS = {
    "accrual": N_("accrual"),
    "accrual_correction": N_("accrual correction"),
    "write_off": N_("paid an order"),
    "write_off_return": N_("returned from an order"),
}


@router.get("/bonus/programs")
def program_list(request: Request, user: StaffUser, s: ReadSession) -> Response:
    context = {"programs": bonus.list_programs(s), "kinds": KINDS, "periods": PERIODS,
               "can_edit": can(user.role, "pricing.edit")}
    return render(request, "backoffice/bonus/programs.html", context)


@router.get("/bonus/programs/{program_id:int}")
def program_card(request: Request, program_id: int, user: StaffUser, s: ReadSession) -> Response:
    program = bonus.get_program(s, program_id)
    dealers = dict(queries.dealer_choices(s))
    context = {
        "program": program, "kinds": KINDS, "periods": PERIODS, "scopes": dict(options("discount_scope")),
        "targets": _target_rows(s, program, lang_of(request)),
        "participants": [(p.partner_id, dealers.get(p.partner_id, str(p.partner_id))) for p in program.participants],
        "can_edit": can(user.role, "pricing.edit"),
    }
    return render(request, "backoffice/bonus/program.html", context)


@router.get("/bonus/dealers/{partner_id:int}")
def dealer_ledger(request: Request, partner_id: int, _user: StaffUser, s: ReadSession) -> Response:
    partner = partners.get_partner(s, partner_id)
    context = {"partner": partner, "views": bonus.dealer_programs(s, partner_id, lang_of(request)), "kinds": KINDS,
               "periods": PERIODS, "entry_kinds": ENTRY_KINDS}
    return render(request, "backoffice/bonus/dealer.html", context)


@router.get("/bonus/programs/new")
def new_program_form(request: Request, _user: PricingEditor, s: ReadSession) -> Response:
    values = {"valid_from": clock.today().isoformat(), "kind": "turnover", "period": "quarter",
              "all_partners": "on", "is_active": "on"}
    return render(request, FORM, {**_context(s, None), "values": values})


@router.post("/bonus/programs/new")
def create_program(request: Request, user: PricingEditor, form: Form, s: WriteSession) -> Response:
    context, reader = _context(s, None), FormReader(form)
    data = _read(s, reader)
    if data is None:
        raise reader.rejected(FORM, context)
    try:
        program = bonus.create_program(s, data, user_id=user.user_id)
    except bonus.ProgramCodeTaken as error:
        raise reader.refused(FORM, context, error, default_field="code") from None
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse(f"/backoffice/bonus/programs/{program.id}?notice=created", status_code=303)


@router.get("/bonus/programs/{program_id:int}/edit")
def edit_program_form(request: Request, program_id: int, _user: PricingEditor, s: ReadSession) -> Response:
    program = bonus.get_program(s, program_id)
    return render(request, FORM, {**_context(s, program_id), "values": _values(s, program)})


@router.post("/bonus/programs/{program_id:int}/edit")
def update_program(request: Request, program_id: int, user: PricingEditor, form: Form, s: WriteSession) -> Response:
    bonus.get_program(s, program_id)
    context, reader = _context(s, program_id), FormReader(form)
    data = _read(s, reader)
    if data is None:
        raise reader.rejected(FORM, context)
    try:
        bonus.update_program(s, program_id, data, user_id=user.user_id)
    except bonus.ProgramCodeTaken as error:
        raise reader.refused(FORM, context, error, default_field="code") from None
    except DomainError as error:
        raise reader.refused(FORM, context, error) from None
    return RedirectResponse(f"/backoffice/bonus/programs/{program_id}?notice=saved", status_code=303)


def _context(s: Session, program_id: int | None) -> dict[str, Any]:
    return {
        "program_id": program_id,
        "kind_options": list(KINDS.items()),
        "period_options": list(PERIODS.items()),
        "scope_options": [(k, v) for k, v in options("discount_scope") if k != "all"],
        "dealer_options": queries.dealer_choices(s),
        "tier_rows": TIER_ROWS,
        "target_rows": TARGET_ROWS,
    }


def _read(s: Session, reader: FormReader) -> bonus.ProgramInput | None:
    """The form as a program, or None (errors in reader) when a field can't be read."""
    kind = reader.text("kind", required=True) or ""
    fields: dict[str, Any] = {
        "code": reader.text("code", required=True, max_length=32) or "",
        "name": reader.text("name", required=True, max_length=200) or "",
        "kind": kind,
        "description": reader.text("description", max_length=2000) or "",
        "period": reader.text("period") if kind == "turnover" else None,
        "valid_from": reader.date("valid_from", required=True),
        "valid_to": reader.date("valid_to"),
        "all_partners": reader.boolean("all_partners"),
        "partner_ids": reader.integers("partner_ids"),
        "usable_in_orders": reader.boolean("usable_in_orders"),
        "order_cap_percent": reader.decimal("order_cap_percent") or Decimal(0),
        "is_active": reader.boolean("is_active"),
        "tiers": [],
        "targets": [],
    }
    reader.values["partner_ids"] = [str(i) for i in fields["partner_ids"]]
    for n in range(1, TIER_ROWS + 1):
        threshold = reader.decimal(f"tier_threshold_{n}")
        percent = reader.decimal(f"tier_percent_{n}", required=threshold is not None)
        if threshold is not None and percent is not None:
            fields["tiers"].append(bonus.Tier(threshold, percent))
    for n in range(1, TARGET_ROWS + 1):
        scope, key = reader.text(f"target_scope_{n}"), reader.text(f"target_key_{n}")
        percent = reader.decimal(f"target_percent_{n}") or Decimal(0)
        if not scope or not key:
            continue
        target_id = queries.discount_target_id(s, scope, key)
        if target_id is None:
            reader.errors[f"target_key_{n}"] = UNKNOWN_TARGET
            continue
        fields["targets"].append(bonus.TargetInput(scope, target_id, percent))
    if not reader.ok:
        return None
    return bonus.ProgramInput(**fields)


def _target_rows(s: Session, program: bonus.BonusProgram, lang: str) -> list[tuple[str, str, Decimal]]:
    names = target_names(s, [program], lang)
    return [(t.scope, names[(t.scope, _target_id(t))], t.percent) for t in program.targets]


def _values(s: Session, program: bonus.BonusProgram) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": program.code, "name": program.name, "kind": program.kind, "description": program.description,
        "period": program.period or "", "valid_from": program.valid_from.isoformat(),
        "valid_to": program.valid_to.isoformat() if program.valid_to else "",
        "order_cap_percent": str(program.order_cap_percent),
        "partner_ids": [str(p.partner_id) for p in program.participants],
    }
    for flag in ("all_partners", "usable_in_orders", "is_active"):
        if getattr(program, flag):
            values[flag] = "on"
    for n, tier in enumerate(program.tiers, start=1):
        values[f"tier_threshold_{n}"], values[f"tier_percent_{n}"] = str(tier.threshold), str(tier.percent)
    for n, target in enumerate(program.targets, start=1):
        values[f"target_scope_{n}"] = target.scope
        values[f"target_key_{n}"] = _target_key(s, target)
        values[f"target_percent_{n}"] = str(target.percent) if target.percent else ""
    return values


def _target_key(s: Session, target: Any) -> str:
    """What the form names a target by: an item's or a group's code, a brand's name."""
    model, attribute = {"item": (Item, "code"), "group": (ItemGroup, "code"), "brand": (Brand, "name")}[target.scope]
    return getattr(s.get(model, _target_id(target)), attribute)


def _target_id(target: Any) -> int:
    return {"brand": target.brand_id, "group": target.group_id, "item": target.item_id}[target.scope]
