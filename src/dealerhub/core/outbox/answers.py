"""The other side's answers to our messages (ACK / ERROR, applied by the inbox) and the purge of
relayed rows after the retention period, by sidekit's Outbox:

- record_answer(s, message_id, *, ok, code=None, reason=None) -> bool: the latest answer wins (an
  ERROR, then a retry that was applied, ends as "ack"); False if the outbox has no such row (not
  ours, or purged already).
- record_acks(s, message_ids) -> set[str]: record_answer(ok=True) of many in one UPDATE (a run of
  ACKs); the ids the outbox has.
- purge_relayed(s, older_than, *, limit=10_000) -> int: deletes up to `limit` rows relayed before
  `older_than` (the exchange keeps its own record of them); call again while it returns `limit`.
  Unrelayed rows are never touched.
"""

from __future__ import annotations

from dealerhub.core.outbox.enqueue import CORE_OUTBOX

record_answer = CORE_OUTBOX.record_answer
record_acks = CORE_OUTBOX.record_acks
purge_relayed = CORE_OUTBOX.purge_relayed
