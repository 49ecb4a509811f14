"""A cap on the connections one client address may hold open on this process (sockets, event streams).

A page holds one; a laptop with a few tabs, a handful. A script that opens
thousands from one address would otherwise take a greenlet, a socket and tens of
KiB of this process's memory for each. Counted in memory, per process: no Redis
work, a dict lookup per opening and closing.

Behind a reverse proxy every connection arrives from the proxy's address: set
MAX_STREAMS_PER_ADDRESS=0 (no cap) there, and cap at the proxy instead.
"""

from collections import Counter


class AddressCap:
    """How many connections each address holds open here, refusing one past `limit` (0: no cap)."""

    def __init__(self, limit):
        self.limit = limit
        self.open_per_address = Counter()

    def refusal(self):
        """What a refused connection is told."""
        return (
            f"too many open connections from your address (at most {self.limit} per server process); "
            "close some tabs and try again"
        )

    def try_open(self, address):
        """Count one more connection from `address`: False (nothing counted) when it is at the cap."""
        if self.limit and self.open_per_address[address] >= self.limit:
            return False
        self.open_per_address[address] += 1
        return True

    def close(self, address):
        """One connection from `address` closed (each successful try_open is closed exactly once)."""
        self.open_per_address[address] -= 1
        if not self.open_per_address[address]:
            del self.open_per_address[address]
