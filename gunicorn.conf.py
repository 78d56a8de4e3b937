"""Gunicorn settings for the web process (the Procfile's ``web``).

Threads let one worker wait on LINE or the database while another request
runs; the clock process is separate and never starts inside a worker.
"""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
# A thread waits on LINE during each reply (tens of ms from production servers): with 4
# threads a worker was capped by waiting, not by CPU (bench/README.md).
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def worker_exit(server, worker):
    """Finish the webhook events this worker has accepted before it goes (bounded).

    What is still unhandled when the time is up stays stored; the clock's
    sweeper answers it by push.
    """
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("tidtam")
    if services is not None and services.chats is not None:
        if not services.chats.shutdown(timeout=graceful_timeout / 2):
            server.log.warning("worker %s stopped with webhook events still queued; the sweeper will finish them",
                               worker.pid)
