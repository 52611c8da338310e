"""Creating and editing items and item groups (names in every catalog language)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import catalog
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import queries
from dealerhub.core.backoffice.helpers import (
    catalog_languages,
    flatten_tree,
    lang_of,
    names_from,
    text_values,
)
from dealerhub.core.backoffice.labels import options
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, OptionalInt, ReadSession, WriteSession, require
from dealerhub.web.forms import GENERAL, REQUIRED, FormReader
from dealerhub.web.rendering import render

router = APIRouter()
CatalogEditor = Annotated[SessionUser, Depends(require("catalog.edit"))]
ITEM_FORM = "backoffice/catalog/item_form.html"
GROUP_FORM = "backoffice/catalog/group_form.html"
ITEM_FIELDS = (
    "code",
    "article",
    "kind",
    "group_id",
    "unit_id",
    "brand_id",
    "vat_rate",
    "use_in_wms",
    "is_active",
)
GROUP_FIELDS = ("code", "parent_id", "use_in_wms", "sort_order")


def _item_form_context(request: Request, s: Session, item_id: int | None) -> dict[str, Any]:
    lang = lang_of(request)
    return {
        "item_id": item_id,
        "name_languages": catalog_languages(request),
        "group_options": flatten_tree(catalog.group_tree(s, lang)),
        "unit_options": queries.unit_choices(s, lang),
        "brand_options": queries.brand_choices(s),
        "kind_options": options("item_kind"),
    }


def _item_values(item: Any) -> dict[str, Any]:
    values = text_values(item, ITEM_FIELDS)
    for t in item.translations:
        values[f"name_{t.lang}"] = t.name
        values[f"description_{t.lang}"] = t.description or ""
    return values


def _read_item(reader: FormReader, languages: list[str], *, editing: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": reader.text("code", required=True, max_length=32),
        "article": reader.text("article", required=True, max_length=64),
        "kind": reader.text("kind", required=True),
        "group_id": reader.integer("group_id", required=True),
        "unit_id": reader.integer("unit_id", required=True),
        "brand_id": reader.integer("brand_id"),
        "vat_rate": reader.decimal("vat_rate", required=True),
        "use_in_wms": reader.boolean("use_in_wms"),
        "names": names_from(reader, languages, keep_blank=editing),
        "descriptions": names_from(reader, languages, "description", keep_blank=editing),
    }
    if not fields["names"].get(languages[0]):
        reader.errors[f"name_{languages[0]}"] = REQUIRED
    if editing:
        fields["is_active"] = reader.boolean("is_active")
    return fields


@router.get("/catalog/items/new")
def new_item_form(
    request: Request, _user: CatalogEditor, s: ReadSession, group: OptionalInt = None
) -> Response:
    values = {"kind": "spare_part", "vat_rate": "20", "use_in_wms": "on", "group_id": str(group or "")}
    return render(request, ITEM_FORM, {**_item_form_context(request, s, None), "values": values})


@router.post("/catalog/items/new")
def create_item(request: Request, user: CatalogEditor, form: Form, s: WriteSession) -> Response:
    context = _item_form_context(request, s, None)
    reader = FormReader(form)
    fields = _read_item(reader, context["name_languages"], editing=False)
    if not reader.ok:
        raise reader.rejected(ITEM_FORM, context)
    try:
        item = catalog.create_item(s, user_id=user.user_id, **fields)
    except DomainError as error:
        raise _refused(reader, ITEM_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/catalog/items/{item.id}?notice=created", status_code=303)


@router.get("/catalog/items/{item_id:int}/edit")
def edit_item_form(request: Request, item_id: int, _user: CatalogEditor, s: ReadSession) -> Response:
    item = catalog.get_item(s, item_id)
    return render(
        request, ITEM_FORM, {**_item_form_context(request, s, item_id), "values": _item_values(item)}
    )


@router.post("/catalog/items/{item_id:int}/edit")
def update_item(request: Request, item_id: int, user: CatalogEditor, form: Form, s: WriteSession) -> Response:
    catalog.get_item(s, item_id)
    context = _item_form_context(request, s, item_id)
    reader = FormReader(form)
    fields = _read_item(reader, context["name_languages"], editing=True)
    if not reader.ok:
        raise reader.rejected(ITEM_FORM, context)
    try:
        catalog.update_item(s, item_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise _refused(reader, ITEM_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/catalog/items/{item_id}?notice=saved", status_code=303)


def _refused(reader: FormReader, template: str, context: dict[str, Any], error: DomainError) -> Exception:
    """The names' error goes beside the first language's name; a taken code beside the code."""
    aliases = {"names": "name_" + context["name_languages"][0]}
    default_field = "code" if isinstance(error, catalog.DuplicateCode) else GENERAL
    return reader.refused(template, context, error, aliases=aliases, default_field=default_field)


def _group_form_context(request: Request, s: Session, group_id: int | None) -> dict[str, Any]:
    options_ = [
        (gid, name) for gid, name in flatten_tree(catalog.group_tree(s, lang_of(request))) if gid != group_id
    ]
    return {"group_id": group_id, "name_languages": catalog_languages(request), "parent_options": options_}


def _read_group(reader: FormReader, languages: list[str], *, editing: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": reader.text("code", required=True, max_length=32),
        "parent_id": reader.integer("parent_id"),
        "use_in_wms": reader.boolean("use_in_wms"),
        "names": names_from(reader, languages, keep_blank=editing),
    }
    if not fields["names"].get(languages[0]):
        reader.errors[f"name_{languages[0]}"] = REQUIRED
    if editing:
        fields["sort_order"] = reader.integer("sort_order") or 0
    return fields


@router.get("/catalog/groups/new")
def new_group_form(
    request: Request, _user: CatalogEditor, s: ReadSession, parent: OptionalInt = None
) -> Response:
    values = {"parent_id": str(parent or ""), "use_in_wms": "on"}
    return render(request, GROUP_FORM, {**_group_form_context(request, s, None), "values": values})


@router.post("/catalog/groups/new")
def create_group(request: Request, user: CatalogEditor, form: Form, s: WriteSession) -> Response:
    context = _group_form_context(request, s, None)
    reader = FormReader(form)
    fields = _read_group(reader, context["name_languages"], editing=False)
    if not reader.ok:
        raise reader.rejected(GROUP_FORM, context)
    try:
        group = catalog.create_group(s, user_id=user.user_id, **fields)
    except DomainError as error:
        raise _refused(reader, GROUP_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/catalog?group={group.id}&notice=created", status_code=303)


@router.get("/catalog/groups/{group_id:int}/edit")
def edit_group_form(request: Request, group_id: int, _user: CatalogEditor, s: ReadSession) -> Response:
    group = catalog.get_group(s, group_id)
    values = text_values(group, GROUP_FIELDS)
    values.update({f"name_{t.lang}": t.name for t in group.translations})
    return render(request, GROUP_FORM, {**_group_form_context(request, s, group_id), "values": values})


@router.post("/catalog/groups/{group_id:int}/edit")
def update_group(
    request: Request, group_id: int, user: CatalogEditor, form: Form, s: WriteSession
) -> Response:
    catalog.get_group(s, group_id)
    context = _group_form_context(request, s, group_id)
    reader = FormReader(form)
    fields = _read_group(reader, context["name_languages"], editing=True)
    if not reader.ok:
        raise reader.rejected(GROUP_FORM, context)
    try:
        catalog.update_group(s, group_id, user_id=user.user_id, **fields)
    except DomainError as error:
        raise _refused(reader, GROUP_FORM, context, error) from None
    return RedirectResponse(f"/backoffice/catalog?group={group_id}&notice=saved", status_code=303)
