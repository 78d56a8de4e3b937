"""LINE -> us: store each webhook event once, claim a chat's oldest event, dispatch it, recover leftovers.

store     the webhook's one write: new events in, duplicates skipped, the worker woken
claims    the per-chat claim in the database that keeps each chat's events in order
dispatch  handle one claimed event through handlers.router and send its answer
queue     handler threads, one chat at a time within a process
worker    the worker process's loop: listen, scan, recover
sweeper   the clock's second line for anything the handlers left
"""
