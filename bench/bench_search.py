"""Catalog searches in the dealer cabinet per second and their p95 latency, as a ratio to a trivial
endpoint of the same server in the same run.

    python bench/bench_search.py                      # 100 000 items, 500 dealers, PostgreSQL
    python bench/bench_search.py --seconds 60 --workers 3

The database: `bench_search` on the local PostgreSQL, seeded once with
`dealerhub demo seed --items 100000 --dealers 500` and migrated to head (reused when present;
--url names another). The server: the real application under uvicorn with several worker
processes, as in production. The clients: 16 concurrent dealers (dealer001..dealer016, each
logged in through the cabinet's login form) asking realistic searches, built from the catalog
itself: articles typed every which way, OEM numbers, article prefixes, one or two words of a name
(a third of them with a typo), group browsing with "in stock on my warehouses". Each answer is
the full catalog page (search, prices, stock, group tree). The baseline: GET /api/session, the
same session check and the same stack, no catalog work. The two loads alternate in rounds so a
change of machine load hits both. After the rounds, one client searches alone: a page's own
latency without the queue of the others. Targets: ratio >= 0.3, search p95 < 100 ms. Results:
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, text

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_search"
CLIENTS = 16
TARGET_RATIO, TARGET_P95_MS = 0.3, 100.0
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    args = _arguments()
    _ensure_database(args.url, args.items, args.dealers)
    queries = _queries(args.url, random.Random(7))
    port = _free_port()
    server = _start_server(args.url, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base)
        trivial, search, alone = asyncio.run(_run(base, queries, args))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    _report(args, trivial, search, alone)
    ok = search.rate / trivial.rate >= TARGET_RATIO and search.p95 < TARGET_P95_MS
    return 0 if ok or not args.strict else 1


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds
    seconds: float = 0.0
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


async def _run(base: str, queries: list[dict], args: argparse.Namespace) -> tuple[Tally, Tally, Tally]:
    clients = [httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30) for _ in range(CLIENTS)]
    try:
        for n, client in enumerate(clients, start=1):
            await _log_in(client, f"dealer{n:03d}")
        rng = random.Random(11)
        trivial, search = Tally(), Tally()

        def search_request(client: httpx.AsyncClient) -> Callable:
            params = rng.choice(queries)
            return lambda: client.get("/cabinet/catalog", params=params)

        def trivial_request(client: httpx.AsyncClient) -> Callable:
            return lambda: client.get("/api/session")

        await _phase(clients, search_request, args.warmup, Tally())  # caches, plans, connections
        await _phase(clients, trivial_request, args.warmup, Tally())
        round_seconds = args.seconds / args.rounds
        for _ in range(args.rounds):
            await _phase(clients, trivial_request, round_seconds, trivial)
            await _phase(clients, search_request, round_seconds, search)
        # One client alone: a page's own latency with the server otherwise idle (as far as this
        # bench goes; the machine may be busy with other work).
        alone = Tally()
        await _phase(clients[:1], search_request, args.alone_seconds, alone)
        return trivial, search, alone
    finally:
        for client in clients:
            await client.aclose()


async def _phase(clients: list, make: Callable, seconds: float, tally: Tally) -> None:
    """Every client asks in a loop until the time is up; latencies of answers go to `tally`."""
    started = time.perf_counter()
    deadline = started + seconds

    async def loop(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            request = make(client)
            sent = time.perf_counter()
            answer = await request()
            if answer.status_code != 200:
                tally.errors += 1
                raise RuntimeError(f"{answer.request.url} answered {answer.status_code}: {answer.text[:300]}")
            tally.latencies.append(time.perf_counter() - sent)

    await asyncio.gather(*(loop(c) for c in clients))
    tally.seconds += time.perf_counter() - started


async def _log_in(client: httpx.AsyncClient, login: str) -> None:
    form = await client.get("/cabinet/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)[1]
    answer = await client.post("/cabinet/login", data={"login": login, "password": "dealer", "csrf_token": token})
    if answer.status_code != 303:
        raise RuntimeError(f"login {login} failed: {answer.status_code} {answer.text[:200]}")


def _queries(url: str, rng: random.Random) -> list[dict]:
    """Realistic searches made from the catalog: what dealers type."""
    engine = create_engine(url)
    with engine.connect() as conn:
        articles = conn.execute(text("SELECT article FROM items ORDER BY random() LIMIT 400")).scalars().all()
        oem = conn.execute(text("SELECT number FROM item_oem_numbers ORDER BY random() LIMIT 150")).scalars().all()
        names = conn.execute(
            text("SELECT name FROM item_translations WHERE lang IN ('ru', 'en') ORDER BY random() LIMIT 300")
        ).scalars().all()
        groups = conn.execute(text("SELECT id FROM item_groups ORDER BY random() LIMIT 100")).scalars().all()
    engine.dispose()
    queries: list[dict] = []
    for article in articles:  # 40 %: an article, typed as people type it
        queries.append({"q": rng.choice([article, article.lower(), article.replace("-", " "), article.replace("-", "")])})
    for number in oem:  # 15 %: an OEM number
        queries.append({"q": number.lower().replace("-", "")})
    for article in articles[:100]:  # 10 %: the start of an article
        queries.append({"q": article[: max(4, len(article) - 3)]})
    for name in names[:250]:  # 25 %: one or two words of a name, a third of them with a typo
        words = [w for w in re.findall(r"\w+", name) if len(w) > 2][:2] or [name]
        typed = " ".join(words[: rng.choice([1, 2])])
        if rng.random() < 1 / 3:
            typed = _typo(typed, rng)
        queries.append({"q": typed})
    for i in range(100):  # 10 %: browsing a group, in stock only
        queries.append({"group": groups[i % len(groups)], "in_stock": "true"})
    # Drawn uniformly from these 1 000: the shares above are the mix.
    assert len(queries) == 1000, len(queries)
    return queries


def _typo(text_: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped inside the longest word."""
    word = max(text_.split(), key=len)
    if len(word) < 5:
        return text_
    i = rng.randrange(1, len(word) - 2)
    return text_.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2 :], 1)


def _ensure_database(url: str, items: int, dealers: int) -> None:
    """Seed the bench database once (an empty one is created, migrated and seeded)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM items")).scalar()
    except Exception:  # noqa: BLE001 - missing database or tables: make them
        count = None
    finally:
        engine.dispose()
    env = {**os.environ, "DEALERHUB_CORE_DATABASE_URL": url}
    if count is None:
        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            database = url.rsplit("/", 1)[1]
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}).scalar():
                conn.execute(text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
    from dealerhub import migrations

    migrations.upgrade("core", url)
    if not count:
        print(f"seeding {items} items and {dealers} dealers (once; takes a while)...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "dealerhub", "demo", "seed", "--items", str(items), "--dealers", str(dealers), "--no-wms"],
            env=env, check=True,
        )
        with create_engine(url).begin() as conn:
            conn.execute(text("ANALYZE"))


def _start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEALERHUB_CORE_DATABASE_URL": url,
        "DEALERHUB_SECRET_KEY": "bench-search-secret-key-shared-by-all-workers",
        "DEALERHUB_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "uvicorn", "dealerhub.web.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _wait_until_up(base: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/cabinet/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not come up")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _report(args: argparse.Namespace, trivial: Tally, search: Tally, alone: Tally) -> None:
    ratio = search.rate / trivial.rate
    print(f"catalog search bench: {CLIENTS} clients, {args.workers} uvicorn workers, {args.seconds:.0f} s each")
    for name, tally in (("trivial /api/session", trivial), ("catalog search", search), ("search, 1 client", alone)):
        print(
            f"  {name:<22} {tally.rate:8.1f} req/s  p50 {tally.percentile(0.5):6.1f} ms  "
            f"p95 {tally.p95:6.1f} ms  ({len(tally.latencies)} requests)"
        )
    print(f"  ratio search/trivial: {ratio:.3f} (target >= {TARGET_RATIO}); "
          f"search p95 {search.p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms); "
          f"median search {statistics.median(search.latencies) * 1000:.1f} ms")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="the bench's core database (PostgreSQL)")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--dealers", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3, help="uvicorn worker processes")
    parser.add_argument("--seconds", type=float, default=40, help="measured seconds per load, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--alone-seconds", type=float, default=10, help="one client searching alone, after the rounds")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
