"""CLASSIFIER v1 (core -> WMS): item groups flagged "use in WMS", the WMS's classifier."""

from __future__ import annotations

from pydantic import Field, model_validator

from dealerhub.exchange.contracts.common import Code, Contract, Language, Name, UpsertOrWithdraw, unique


class ClassifierGroup(Contract):
    code: Code
    parent_code: Code | None = None
    names: dict[Language, Name] = Field(description="The group's name per language")
    action: UpsertOrWithdraw


class ClassifierV1(Contract):
    """Groups to create or update (upsert) or to stop using (withdraw). Parents come before children."""

    groups: list[ClassifierGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> ClassifierV1:
        unique([g.code for g in self.groups], "group code")
        return self
