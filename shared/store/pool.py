"""Connections to Redis: which server, and a bounded pool that gives up quickly."""

import redis
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.connection import parse_url
from redis.retry import Retry

from shared.board.cost import process_cost

# What redis-py's BlockingConnectionPool says when every connection stayed in use for
# its whole timeout (tests/store/test_store.py fails if a new redis-py says something else).
POOL_EMPTY_MESSAGE = "No connection available."


class PoolBusy(redis.ConnectionError):
    """Every connection of this process's pool was in use for the whole wait: busy, not down."""


class BoundedPool(redis.BlockingConnectionPool):
    """A pool of at most `max_connections` that tells a busy pool from an unreachable server.

    redis-py raises the same ConnectionError for both. A crowd arriving at once can
    hold every connection of the pool for a moment while Redis is perfectly well:
    that must answer "busy, retry", never "unreachable".
    """

    def get_connection(self, *args, **kwargs):
        """A connection from the pool; PoolBusy when none came free in time."""
        try:
            return super().get_connection(*args, **kwargs)
        except redis.ConnectionError as error:
            if str(error) == POOL_EMPTY_MESSAGE:
                raise PoolBusy(f"all {self.max_connections} Redis connections were busy") from error
            raise


class CountsCommands:
    """Counts each command a Redis connection sends (process_cost.redis_commands), mixed into its class.

    redis-py sends a lone command (a script's EVALSHA among them) through send_command,
    and a pipeline's commands packed together through pack_commands: one each.
    """

    def send_command(self, *args, **kwargs):
        """Send one command, counted."""
        process_cost.redis_commands += 1
        return super().send_command(*args, **kwargs)

    def pack_commands(self, commands):
        """Pack a pipeline's commands to be sent at once, each counted."""
        commands = list(commands)
        process_cost.redis_commands += len(commands)
        return super().pack_commands(commands)


def counted_connection_class(redis_url):
    """The connection class the URL asks for (TCP, TLS or a Unix socket), counting its commands."""
    plain = parse_url(redis_url).get("connection_class", redis.Connection)
    return type(f"Counted{plain.__name__}", (CountsCommands, plain), {})


def connect(redis_url, settings, name):
    """Return a Redis client on a bounded pool that retries briefly, then gives up.

    Giving up quickly is deliberate: while Redis is away the apps answer 503 at
    once, and the pages' own backoff does the waiting.
    """
    if not redis_url:
        raise ValueError("no Redis URL: set REDIS_URL (python -m shared.serve starts the embedded server)")
    pool = BoundedPool.from_url(
        redis_url,
        max_connections=settings.redis_max_connections,
        timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        socket_timeout=settings.redis_timeout_seconds,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=2),
        client_name=name,
        decode_responses=True,
        connection_class=counted_connection_class(redis_url),
    )
    return redis.Redis(connection_pool=pool)


def connect_alone(redis_url, name, read_timeout_seconds):
    """Return a Redis client on one connection of its own (the listener's).

    It tries a failed command once more at once, on a new connection. After Redis
    restarts, every connection made before is dead, and only its next command finds
    out: without that one retry, the command fails, and a page is told Redis is
    unreachable although it is back. One retry and no wait: while Redis is still
    away, the listener learns it at once, and its own backoff does the waiting.
    """
    return redis.Redis.from_url(
        redis_url,
        socket_connect_timeout=2,
        socket_timeout=read_timeout_seconds,
        retry=Retry(NoBackoff(), retries=1),
        client_name=name,
        decode_responses=True,
        single_connection_client=True,
        connection_class=counted_connection_class(redis_url),
    )
