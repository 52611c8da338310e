"""The core's exchange node: relays the outbox to the exchange, takes the messages addressed to the
core (settings.exchange_node) with the exchange's Worker and the inbox's handler, and keeps both
sides' tables small (purge of relayed outbox rows, archive of done messages).

    node = CoreNode(core_db, store, settings)
    node.run(stop)            # until stop is set (`dealerhub exchange run`)
    node.run(stop, once=True) # drain and return (`dealerhub exchange run --once`)

It is the only part of the core that loads both the core's tables and the exchange's store: the
business areas enqueue (core.outbox) and the inbox applies (core.inbox); this package moves.
"""

from dealerhub.core.exchange_link.housekeeping import Housekeeping, housekeep
from dealerhub.core.exchange_link.runner import CoreNode, Round

__all__ = ["CoreNode", "Housekeeping", "Round", "housekeep"]
