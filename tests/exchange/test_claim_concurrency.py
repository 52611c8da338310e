"""Several workers in real threads, each on its own connection, on PostgreSQL and MariaDB: no message
is taken twice, none is lost, and a document's messages are done strictly in their order."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import timedelta

from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.db import Database
from tests.exchange.builders import order

WORKERS = 4
LEASE = timedelta(minutes=5)


def run_workers(store: ExchangeStore, batch: int) -> tuple[list[list[tuple[str, int]]], list[BaseException]]:
    """Each worker claims batches until nothing is left twice in a row, completing what it took."""
    taken: list[list[tuple[str, int]]] = [[] for _ in range(WORKERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(n: int) -> None:
        try:
            start.wait()
            idle = 0
            while idle < 3:
                claimed = store.claim("wms", batch, LEASE, f"test:{n}")
                if not claimed:
                    idle += 1
                    continue
                idle = 0
                taken[n].extend((c.message_id, c.id) for c in claimed)
                assert store.complete([c.id for c in claimed], f"test:{n}") == len(claimed)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return taken, errors


def test_workers_never_take_the_same_message(server_exchange_db: Database) -> None:
    store = ExchangeStore(server_exchange_db)
    published = [order(f"PT-{n}") for n in range(600)]
    for start in range(0, len(published), 200):
        store.publish_many(published[start : start + 200])
    taken, errors = run_workers(store, batch=10)
    assert errors == []
    every = [message_id for worker in taken for message_id, _ in worker]
    assert len(every) == len(set(every)) == 600
    assert set(every) == {m.message_id for m in published}
    assert sum(1 for worker in taken if worker) >= 2  # they really ran side by side
    assert {r.status for r in store.list(per_page=1000)[0]} == {"done"}


def test_documents_stay_in_order_under_concurrent_workers(server_exchange_db: Database) -> None:
    store = ExchangeStore(server_exchange_db)
    # 40 documents of 5 messages each, published interleaved and in reverse sequence order.
    published = [order(f"PT-{d}", seq=seq) for seq in range(5, 0, -1) for d in range(40)]
    store.publish_many(published)
    order_done: dict[str, list[int]] = defaultdict(list)
    lock = threading.Lock()
    real_complete = store.complete

    def complete_and_note(ids, worker_id=None):
        # The order of completion per document, as committed (noted under a lock right after).
        with lock:
            done = real_complete(ids, worker_id)
            for record in (store.get_by_id(i) for i in ids):
                order_done[record.document_number].append(record.document_seq)
            return done

    store.complete = complete_and_note  # type: ignore[method-assign]
    taken, errors = run_workers(store, batch=7)
    assert errors == []
    assert len([m for worker in taken for m in worker]) == 200
    assert order_done == {f"PT-{d}": [1, 2, 3, 4, 5] for d in range(40)}
