"""Crowds, on the tuned path: hundreds of pages, held requests or streams, and what they cost Redis.

The long polling room and its held requests, 300 SSE streams, the websockets fan-out,
and the store's tunings counted in Redis commands: batched leases, coalesced totals,
answers from the listener's memory.
"""
