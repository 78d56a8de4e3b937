"""ITA domain logic: Thai text and dates, periods, statuses, plan and score documents.

Nothing here knows about Flask, LINE or the database; everything is a plain
function over plain values so it can be tested and fuzzed on its own.
"""
