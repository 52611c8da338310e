"""The exchange database's declarative base. Message tables arrive with the exchange itself."""

from dealerhub.shared.db import declarative_base

ExchangeBase = declarative_base("ExchangeBase")


def load_all_models() -> None:
    """Import every exchange table module (none yet)."""
