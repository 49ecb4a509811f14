"""The store: the one place the apps talk to Redis about the board. Read it after web/.

store.py (Store: visits, cities, presence, the state, the events after a cursor),
history.py (the event stream read back), totals.py (visits and presence as events),
presence.py (who is here: leases in sorted sets), ratelimit.py (cities per client),
pool.py (a bounded pool of Redis connections that tells busy from down).
"""
