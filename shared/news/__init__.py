"""News for pages that wait: how a change reaches a held request, a stream or a socket. Read after store/.

listener.py (ONE greenlet per process follows the event stream for every waiter),
subscription.py (one waiter's queue of the listener's batches), open_presence.py
(pages holding a connection open count as here until it closes). Polling needs none
of this: its pages ask the store.
"""
