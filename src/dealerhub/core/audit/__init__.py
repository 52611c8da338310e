"""The audit trail: who changed what, when, from which status."""

from dealerhub.core.audit.service import (
    Change,
    audit_params,
    audited_insert,
    list_for,
    record_change,
    record_changes,
)

__all__ = ["Change", "audit_params", "audited_insert", "list_for", "record_change", "record_changes"]
