"""The clock process (``python -m scheduler``) and its jobs.

It runs in its own process, never inside gunicorn workers, and builds its own
application context (settings, engine, LINE client).
"""
