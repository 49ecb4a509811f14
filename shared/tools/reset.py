"""Start the board afresh while the apps run: `python -m shared.tools.reset` (make reset).

It deletes every key of the board, those under BOARD_KEY_PREFIX, in the Redis the
apps use (REDIS_URL, or this checkout's embedded Valkey if it runs), and no other
key. The apps need no signal: each process's listener notices within about 2 s that
the history it read is gone, and sends every page open on it a fresh, empty board
(docs/reliability.md, "A quiet wipe"). Between two workshop groups, say.
"""

import os
import re
import sys

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.board.settings import Settings
from shared.tools.embedded import EmbeddedValkey

UNREACHABLE_EXIT_CODE = 2
TIMEOUT_SECONDS = 5
SCAN_BATCH = 1000  # keys asked for per SCAN, and unlinked per UNLINK
NOTICED_WITHIN_SECONDS = 2  # the listener's quiet read ends this often (shared/news/listener.py)


def redis_to_reset():
    """The URL of the Redis the apps use, or None when there is none: no REDIS_URL, no embedded server."""
    return os.environ.get("REDIS_URL") or EmbeddedValkey().running_url()


def glob_escaped(prefix):
    """`prefix` as a SCAN pattern that matches itself only: `*`, `?`, `[`, `]` and `\\` taken literally."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", prefix)


def redis_address(client):
    """Host and port (or a unix socket's path), as the apps' banner says it: a URL may hold a password."""
    where = client.connection_pool.connection_kwargs
    return where.get("path") or f"{where.get('host', 'localhost')}:{where.get('port', 6379)}"


def delete_board(client, prefix):
    """Delete every key under `prefix`; return (cities, events, visits, other keys) deleted.

    The board's three keys go first, in one transaction with the reads of their sizes:
    at no moment does a page's fresh read find the cities without the history, or the
    reverse. Presence, rate limits and the like follow, by SCAN.
    """
    board_keys = [f"{prefix}cities", f"{prefix}events", f"{prefix}visits"]
    with client.pipeline(transaction=True) as pipe:
        pipe.llen(board_keys[0])
        pipe.xlen(board_keys[1])
        pipe.get(board_keys[2])
        pipe.unlink(*board_keys)
        cities, events, visits, _ = pipe.execute()
    others = 0
    batch = []
    for key in client.scan_iter(match=f"{glob_escaped(prefix)}*", count=SCAN_BATCH):
        batch.append(key)
        if len(batch) == SCAN_BATCH:
            others += client.unlink(*batch)
            batch = []
    if batch:
        others += client.unlink(*batch)
    return cities, events, int(visits or 0), others


def report(prefix, address, deleted):
    """The one line that says what was deleted and what the open pages do next."""
    cities, events, visits, others = deleted
    where = f"board {prefix!r} in Redis at {address}"
    if not any(deleted):
        return f"the {where} is already empty: nothing to reset"
    return (
        f"reset the {where}: deleted {counted(cities, 'city', 'cities')}, "
        f"{counted(events, 'event', 'events')}, {counted(visits, 'visit', 'visits')} and "
        f"{counted(others, 'other key', 'other keys')} (presence, rate limits); every open page "
        f"shows the empty board within about {NOTICED_WITHIN_SECONDS} s, without a reload"
    )


def counted(number, one, many):
    """`number` followed by the noun it agrees with: 1 city, 2 cities."""
    return f"{number} {one if number == 1 else many}"


def main():
    """Delete the board's keys and say what went; exit 2 if the Redis cannot be reached."""
    prefix = os.environ.get("BOARD_KEY_PREFIX", Settings.key_prefix)
    url = redis_to_reset()
    if url is None:
        print("no REDIS_URL and no embedded Valkey running: no board to reset")
        return
    # No retries: a refusal is the answer, and the one line below says so at once.
    timeouts = {"socket_timeout": TIMEOUT_SECONDS, "socket_connect_timeout": TIMEOUT_SECONDS}
    client = redis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), **timeouts)
    address = redis_address(client)
    try:
        deleted = delete_board(client, prefix)
    except redis.RedisError as error:
        print(f"cannot reach Redis at {address} ({error}): nothing was reset", file=sys.stderr)
        sys.exit(UNREACHABLE_EXIT_CODE)
    finally:
        client.close()
    print(report(prefix, address, deleted))


if __name__ == "__main__":
    main()
