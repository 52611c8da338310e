"""Reading submitted forms into typed values, with per-field errors shown beside the fields.

A handler reads the form with FormReader, calls the use case, and on a refusal raises
FormRejected: the request's transaction rolls back (nothing of it stays) and the error handler
renders the form again with the values typed and the errors beside their fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData

from dealerhub.shared.errors import DomainError
from dealerhub.web.i18n import N_

GENERAL = "__all__"

REQUIRED = N_("This field is required.")
NOT_A_NUMBER = N_("Enter a number.")
NOT_A_WHOLE_NUMBER = N_("Enter a whole number.")
NOT_A_DATE = N_("Enter a date as YYYY-MM-DD.")
TOO_LONG = N_("The text is too long.")


class FormRejected(Exception):
    """Render `template` again with `context` (which holds the values and errors), status 422."""

    def __init__(
        self,
        template: str,
        context: dict[str, Any],
        status_code: int = 422,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(template)
        self.template = template
        self.context = context
        self.status_code = status_code
        self.headers = headers or {}  # e.g. Retry-After of a throttled login


class FormReader:
    """Typed access to a submitted form; every problem lands in `errors` under the field's name."""

    def __init__(self, form: FormData | Mapping[str, Any]) -> None:
        self.form = form
        self.errors: dict[str, str] = {}
        # What is shown again in a rejected form: never the CSRF token, never a password.
        self.values: dict[str, Any] = {
            k: v for k, v in form.items() if k != "csrf_token" and "password" not in k and isinstance(v, str)
        }

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        raw = self.form.get(name)
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            if required:
                self.errors[name] = REQUIRED
            return None
        if max_length is not None and len(value) > max_length:
            self.errors[name] = TOO_LONG
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            self.errors[name] = NOT_A_WHOLE_NUMBER
            return None

    def decimal(self, name: str, *, required: bool = False) -> Decimal | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            number = Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            self.errors[name] = NOT_A_NUMBER
            return None
        if not number.is_finite():
            self.errors[name] = NOT_A_NUMBER
            return None
        return number

    def date(self, name: str, *, required: bool = False) -> date | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors[name] = NOT_A_DATE
            return None

    def boolean(self, name: str) -> bool:
        return self.form.get(name) in ("on", "true", "1", "yes")

    def integers(self, name: str) -> list[int]:
        getlist = getattr(self.form, "getlist", None)
        raw = getlist(name) if getlist else [self.form.get(name)]
        result = []
        for value in raw:
            if isinstance(value, str) and value.strip():
                try:
                    result.append(int(value))
                except ValueError:
                    self.errors[name] = NOT_A_WHOLE_NUMBER
        return result

    @property
    def ok(self) -> bool:
        return not self.errors

    def rejected(self, template: str, context: dict[str, Any]) -> FormRejected:
        return FormRejected(template, {**context, "values": self.values, "errors": self.errors})

    def refused(
        self,
        template: str,
        context: dict[str, Any],
        error: DomainError,
        aliases: Mapping[str, str] | None = None,
        default_field: str = GENERAL,
    ) -> FormRejected:
        """A use case refused the form: its message goes beside the field it names (renamed by
        `aliases` where the form calls it otherwise), else beside `default_field` or on top;
        the status is the error's."""
        from dealerhub.web.errors import answer_for  # errors.py renders FormRejected: import late

        field = error.details.get("field")
        field = (aliases or {}).get(field, field) if isinstance(field, str) else default_field
        self.errors[field] = error.message
        rejection = self.rejected(template, context)
        rejection.status_code = answer_for(error).status
        return rejection
