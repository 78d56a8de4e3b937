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
