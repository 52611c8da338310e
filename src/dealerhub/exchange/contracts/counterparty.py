"""COUNTERPARTY v1 (core -> WMS): contractors (legal entities of partners), sent all up front or
lazily before the first document that refers to one (setting exchange_counterparties)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from dealerhub.exchange.contracts.common import Code, Contract, Name, Text, UpsertOrWithdraw, unique

Inn = Annotated[str, StringConstraints(pattern=r"^([0-9]{10}|[0-9]{12})$")]
Kpp = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")]


class Counterparty(Contract):
    code: Code
    partner_code: Code
    name: Name
    inn: Inn | None = None
    kpp: Kpp | None = None
    address: Text | None = None
    roles: list[Literal["customer", "supplier"]] = Field(min_length=1)
    action: UpsertOrWithdraw


class CounterpartyV1(Contract):
    counterparties: list[Counterparty] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> CounterpartyV1:
        unique([c.code for c in self.counterparties], "counterparty code")
        for c in self.counterparties:
            unique(c.roles, "role")
        return self
