"""Gunicorn settings for the web process (the Procfile's ``web``).

Threads let one worker wait on LINE or the database while another request
runs; the clock process is separate and never starts inside a worker.
"""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
# The web only stores events and answers LINE (the worker handles them), so its threads
# wait on nothing slow; 4 per worker beat 8 on 2 cores (less GIL contention, docs/performance.md).
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycling a worker every N requests guards against slow memory leaks, but while the
# new worker starts the others carry its load: with 2 workers under a burst that showed
# as 200 to 700 ms stalls (docs/performance.md). Off unless WEB_MAX_REQUESTS is set.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Import the app once in the master and fork workers from it: a worker that is restarted
# (recycled, or after a crash) then starts in milliseconds instead of spending 2 s of CPU importing
# the app while the other workers carry its load (docs/performance.md). Nothing connects
# at import time; post_fork still gives each worker fresh database connections.
preload_app = True
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def _services(app):
    return getattr(app, "extensions", {}).get("tidtam")


def post_fork(server, worker):
    services = _services(server.app.wsgi())
    if services is not None:
        services.engine.dispose(close=False)
        if services.intake is not None:
            services.intake.dispose(close=False)


def worker_exit(server, worker):
    """Finish the webhook events this worker has accepted before it goes (bounded).

    What is still unhandled when the time is up stays stored; the clock's
    sweeper answers it by push.
    """
    services = _services(getattr(worker, "wsgi", None))
    if services is not None and services.chats is not None:
        if not services.chats.shutdown(timeout=graceful_timeout / 2):
            server.log.warning("worker %s stopped with webhook events still queued; the worker (or the clock) will finish them",
                               worker.pid)
