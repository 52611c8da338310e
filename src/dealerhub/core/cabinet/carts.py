"""The dealer's carts in the cabinet: list, create, rename, delete, lines edited in place (htmx),
move lines, reserve / prolong / release on a priority warehouse with the expiry shown, quick order
(paste or upload) with the unknown-articles report, and the "add to cart" control of item pages.
Buyers and owners act; an accountant has no cart pages (cabinet.orders). All logic is core.carts."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import carts
from dealerhub.core.cabinet.deps import Buyer, Dealer
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.carts import InvalidCartInput
from dealerhub.core.carts.quick_order import MAX_FILE_BYTES
from dealerhub.core.carts.rules import parse_quantity
from dealerhub.core.pricing.rules import line_amount
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession, request_language
from dealerhub.web.forms import FormReader
from dealerhub.web.rendering import render

router = APIRouter()


def _back(cart_id: int, notice: str = "saved") -> RedirectResponse:
    return RedirectResponse(f"/cabinet/carts/{cart_id}?notice={notice}", status_code=303)


def cart_context(s: Session, dealer: Dealer, cart_id: int, lang: str) -> dict:
    """What the cart page shows: lines with article, name, price, amount and what each holds."""
    cart = carts.get_cart(s, cart_id, dealer.partner_id)
    item_ids = [ln.item_id for ln in cart.lines]
    facts = carts.item_facts(s, item_ids)
    names = carts.item_names(s, item_ids, lang)
    agreement = carts.agreement_or_none(s, dealer.partner_id)
    warehouses = carts.priority_warehouses(s, agreement)
    free = carts.free_stock(s, item_ids, [w.id for w in warehouses])
    holds = carts.line_holds(s, cart)
    lines = [
        {
            "line": ln,
            "fact": facts[ln.item_id],
            "name": names.get(ln.item_id, ""),
            # The order's own rounding (half up to kopecks), so the cart shows what the order will.
            "amount": line_amount(ln.quantity, ln.price) if ln.price is not None else None,
            "hold": holds[ln.id],
            "free": [(w, free.get((ln.item_id, w.id), Decimal(0))) for w in warehouses],
        }
        for ln in cart.lines
    ]
    return {
        "cart": cart,
        "lines": lines,
        "warehouses": warehouses,
        "warehouse_names": {w.id: w.name for w in warehouses},
        "others": [c for c in carts.list_carts(s, dealer.partner_id) if c.id != cart.id],
        "total": sum((row["amount"] or Decimal(0) for row in lines), Decimal(0)),
        "agreement": agreement,
        "now": clock.now(),
    }


@router.get("/carts")
@scoped()
def cart_list(request: Request, dealer: Buyer, s: ReadSession) -> Response:
    return render(request, "cabinet/carts/list.html", {"carts": carts.list_carts(s, dealer.partner_id)})


@router.post("/carts")
@scoped()
def cart_create(request: Request, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    name = FormReader(form).text("name") or ""
    cart = carts.create_cart(s, partner_id=dealer.partner_id, user_id=dealer.user_id, name=name)
    return RedirectResponse(f"/cabinet/carts/{cart.id}?notice=created", status_code=303)


@router.post("/carts/add-item")
@scoped()
def add_item_control(request: Request, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    """The "add to cart" control of item pages: item, quantity, and a cart (or a new cart's name)."""
    reader = FormReader(form)
    item_id = reader.integer("item_id") or 0
    cart_id = reader.integer("cart_id")
    if cart_id is None:
        cart_id = carts.create_cart(
            s, partner_id=dealer.partner_id, user_id=dealer.user_id, name=reader.text("new_cart") or ""
        ).id
    quantity = parse_quantity(reader.text("quantity") or "")
    carts.add_items(
        s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, items=[carts.ItemQuantity(item_id, quantity)]
    )
    return _back(cart_id)


@router.get("/carts/{cart_id}")
@scoped(cart_id="cart")
def cart_page(request: Request, cart_id: int, dealer: Buyer, s: ReadSession) -> Response:
    lang = request_language(request)
    return render(request, "cabinet/carts/cart.html", cart_context(s, dealer, cart_id, lang))


@router.post("/carts/{cart_id}/rename")
@scoped(cart_id="cart")
def cart_rename(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    carts.rename_cart(s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, name=FormReader(form).text("name") or "")
    return _back(cart_id)


@router.post("/carts/{cart_id}/delete")
@scoped(cart_id="cart")
def cart_delete(request: Request, cart_id: int, dealer: Buyer, s: WriteSession) -> Response:
    carts.delete_cart(s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id)
    return RedirectResponse("/cabinet/carts?notice=saved", status_code=303)


@router.post("/carts/{cart_id}/lines/{line_id}/quantity")
@scoped(cart_id="cart", line_id="cart_line")
def line_quantity(request: Request, cart_id: int, line_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    carts.set_quantity(
        s, cart_id, line_id, partner_id=dealer.partner_id, user_id=dealer.user_id,
        quantity=FormReader(form).text("quantity") or "",
    )
    if request.headers.get("HX-Request"):
        lang = request_language(request)
        return render(request, "cabinet/carts/lines.html", cart_context(s, dealer, cart_id, lang))
    return _back(cart_id)


@router.post("/carts/{cart_id}/lines/{line_id}/remove")
@scoped(cart_id="cart", line_id="cart_line")
def line_remove(request: Request, cart_id: int, line_id: int, dealer: Buyer, s: WriteSession) -> Response:
    carts.remove_lines(s, cart_id, [line_id], partner_id=dealer.partner_id, user_id=dealer.user_id)
    return _back(cart_id)


@router.post("/carts/{cart_id}/move")
@scoped(cart_id="cart")
def lines_move(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    reader = FormReader(form)
    to_cart = reader.integer("to_cart_id")
    if to_cart is None:
        raise InvalidCartInput(T("choose the cart to move the lines to"))
    carts.move_lines(
        s, cart_id, reader.integers("line_id"), to_cart_id=to_cart, partner_id=dealer.partner_id, user_id=dealer.user_id
    )
    return _back(to_cart)


def _line_ids(form) -> list[int] | None:
    ids = FormReader(form).integers("line_id")
    return ids or None


@router.post("/carts/{cart_id}/reserve")
@scoped(cart_id="cart")
def cart_reserve(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    warehouse_id = FormReader(form).integer("warehouse_id") or 0
    carts.reserve_lines(
        s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, warehouse_id=warehouse_id,
        line_ids=_line_ids(form),
    )
    return _back(cart_id)


@router.post("/carts/{cart_id}/prolong")
@scoped(cart_id="cart")
def cart_prolong(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    carts.prolong_lines(s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, line_ids=_line_ids(form))
    return _back(cart_id)


@router.post("/carts/{cart_id}/release")
@scoped(cart_id="cart")
def cart_release(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    carts.release_by_dealer(s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, line_ids=_line_ids(form))
    return _back(cart_id)


@router.post("/carts/{cart_id}/quick")
@scoped(cart_id="cart")
def cart_quick(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    cart = carts.get_cart(s, cart_id, dealer.partner_id)
    upload = form.get("file")
    if upload is not None and getattr(upload, "filename", ""):
        result = carts.quick_order_file(
            s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id,
            filename=upload.filename, content=upload.file.read(MAX_FILE_BYTES + 1),
        )
    else:
        result = carts.quick_order_text(
            s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id, text=str(form.get("text") or "")
        )
    return render(request, "cabinet/carts/quick_result.html", {"cart": cart, "result": result})
