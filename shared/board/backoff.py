"""Retry delays with exponential backoff and jitter, for everything that reconnects.

The jitter matters more than the doubling: a room of clients that lost the server
together must not all come back in the same instant, and then stay in step.
"""

import random


def retry_delay(failures, first_seconds, max_seconds):
    """Seconds to wait after `failures` failures in a row: doubling, capped, half of it random."""
    ceiling = min(max_seconds, first_seconds * 2 ** (failures - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)
