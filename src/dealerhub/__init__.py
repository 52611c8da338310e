"""dealerhub: a distributor's order-to-warehouse system."""

__version__ = "0.1.0"
