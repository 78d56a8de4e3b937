#!/usr/bin/env bash
# Run Tidtam locally on SQLite: migrate, then the web service and the clock
# process together. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export TIDTAM_ENV="${TIDTAM_ENV:-development}"
export PORT="${PORT:-8000}"
BIN=.venv/bin

$BIN/flask --app bot init-db

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Tidtam stopped."
}
trap cleanup INT TERM EXIT

$BIN/gunicorn 'bot:create_app()' --config gunicorn.conf.py --workers 1 --bind "127.0.0.1:$PORT" --access-logfile - &
pids+=($!)
$BIN/python -m scheduler &
pids+=($!)

echo
echo "Tidtam is running: http://127.0.0.1:$PORT/healthz   (Ctrl-C stops it)"
wait -n "${pids[@]}"
