#!/usr/bin/env bash
# Run Tidtam locally on SQLite with the chat simulator: migrate, load the demo,
# then start a fake LINE API and the Procfile's processes (web, worker, clock)
# together. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export TIDTAM_ENV="${TIDTAM_ENV:-development}"
export PORT="${PORT:-8000}"
FAKE_LINE_PORT="${FAKE_LINE_PORT:-8081}"
export LINE_API_BASE_URL="http://127.0.0.1:${FAKE_LINE_PORT}"
export LINE_DATA_API_BASE_URL="$LINE_API_BASE_URL"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"

$BIN/flask --app bot init-db
$BIN/flask --app 'devkit.app:create_dev_app()' demo-load

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Tidtam stopped."
}
trap cleanup INT TERM EXIT

# --allow-local-media: the chart and other images are served at http://127.0.0.1 here, not https.
$BIN/python -m devkit.fake_line --port "$FAKE_LINE_PORT" --access-token tidtam-development-token --quiet \
  --allow-local-media &
pids+=($!)
EVENT_HANDLERS=worker $BIN/gunicorn 'devkit.app:create_dev_app()' --config gunicorn.conf.py --workers 1 --threads 8 \
  --bind "127.0.0.1:$PORT" --access-logfile /dev/null &
pids+=($!)
$BIN/python -m bot.worker &
pids+=($!)
$BIN/python -m scheduler &
pids+=($!)

for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
echo
echo "Tidtam is running. Open http://127.0.0.1:$PORT/simulator   (Ctrl-C stops it)"
echo "Admin console: http://127.0.0.1:$PORT/console  (sign in: in the simulator, as นายธนากร ระบบดี, type เว็บ)"
wait -n "${pids[@]}"
