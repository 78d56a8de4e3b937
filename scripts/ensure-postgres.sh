#!/usr/bin/env bash
# Start the machine's PostgreSQL when it is not running, and wait until it answers.
set -euo pipefail
url="${TIDTAM_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if pg_isready -q -d "$url" 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
fi
for _ in $(seq 1 30); do
  pg_isready -q -d "$url" 2>/dev/null && exit 0
  sleep 1
done
echo "PostgreSQL is not reachable at $url: install and start it, or set TIDTAM_TEST_PG_URL." >&2
exit 1
