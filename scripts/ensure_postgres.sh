#!/usr/bin/env bash
# Make sure the local PostgreSQL (127.0.0.1:5432, trust auth) is up for the tests: start the
# Debian cluster if it is down. Without one, PostgreSQL tests are skipped loudly (or fail when
# DEALERHUB_REQUIRE_POSTGRES=1, as in CI).
set -euo pipefail

HOST=127.0.0.1
PORT=5432

ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT"
    else
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}

if ready; then
    echo "PostgreSQL: up on $HOST:$PORT"
    exit 0
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql)" ]; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "PostgreSQL: down; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        ready && { echo "PostgreSQL: up on $HOST:$PORT"; exit 0; }
        sleep 1
    done
    echo "PostgreSQL: cluster $version/main did not come up on $HOST:$PORT"
else
    echo "PostgreSQL: not running on $HOST:$PORT and no Debian cluster to start (pg_ctlcluster)"
fi
if [ "${DEALERHUB_REQUIRE_POSTGRES:-0}" = "1" ]; then
    exit 1
fi
echo "PostgreSQL: tests that need it will be SKIPPED (set DEALERHUB_REQUIRE_POSTGRES=1 to make that a failure)"
