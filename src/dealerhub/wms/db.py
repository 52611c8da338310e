"""The WMS's declarative base (its own database). Tables arrive with the WMS itself."""

from dealerhub.shared.db import declarative_base

WmsBase = declarative_base("WmsBase")


def load_all_models() -> None:
    """Import every WMS table module (none yet)."""
