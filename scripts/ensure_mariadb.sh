#!/usr/bin/env bash
# Make sure the local MariaDB (127.0.0.1:3306, root without a password) is up for the exchange's
# tests: start the Debian server if it is down. Without one, MariaDB tests are skipped loudly (or
# fail when DEALERHUB_REQUIRE_MARIADB=1, as in CI).
set -euo pipefail

HOST=127.0.0.1
PORT=3306

ready() {
    if command -v mariadb-admin >/dev/null 2>&1; then
        mariadb-admin --host="$HOST" --port="$PORT" --user=root --connect-timeout=2 ping >/dev/null 2>&1
    else
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}

if ready; then
    echo "MariaDB: up on $HOST:$PORT"
    exit 0
fi

if [ -x /usr/sbin/mariadbd ] && command -v start-stop-daemon >/dev/null 2>&1; then
    echo "MariaDB: down; starting /usr/sbin/mariadbd"
    mkdir -p /run/mysqld
    chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
    for _ in $(seq 1 30); do
        ready && { echo "MariaDB: up on $HOST:$PORT"; exit 0; }
        sleep 1
    done
    echo "MariaDB: /usr/sbin/mariadbd did not come up on $HOST:$PORT"
else
    echo "MariaDB: not running on $HOST:$PORT and no /usr/sbin/mariadbd to start"
fi
if [ "${DEALERHUB_REQUIRE_MARIADB:-0}" = "1" ]; then
    exit 1
fi
echo "MariaDB: tests that need it will be SKIPPED (set DEALERHUB_REQUIRE_MARIADB=1 to make that a failure)"
