"""The demo data seed: a believable distributor of Shanlin machinery and spare parts."""

from dealerhub.core.demo.seed import SeedOptions, SeedSummary, database_is_empty, seed_demo

__all__ = ["SeedOptions", "SeedSummary", "database_is_empty", "seed_demo"]
