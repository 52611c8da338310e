"""A warehouse starts working with a WMS: master data, the opening stock file, the open documents."""

from dealerhub.core.golive.service import OpeningLine, opening_stock, send_master_data, send_open_documents

__all__ = ["OpeningLine", "opening_stock", "send_master_data", "send_open_documents"]
