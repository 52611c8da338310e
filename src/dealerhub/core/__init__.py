"""The accounting core: the point of truth for catalog, prices, stock, counterparties and documents."""
