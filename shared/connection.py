"""Connections to Redis: which server, and a bounded pool that gives up quickly."""

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from shared.embedded import EmbeddedValkey


def redis_url_for(settings):
    """Return REDIS_URL, or the URL of this checkout's embedded Valkey (started if need be)."""
    return settings.redis_url or EmbeddedValkey().url()


def connect(redis_url, settings, name):
    """Return a Redis client on a bounded pool that retries briefly, then gives up.

    Giving up quickly is deliberate: while Redis is away the apps answer 503 at
    once, and the pages' own backoff does the waiting.
    """
    pool = redis.BlockingConnectionPool.from_url(
        redis_url,
        max_connections=settings.redis_max_connections,
        timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        socket_timeout=settings.redis_timeout_seconds,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=2),
        client_name=name,
        decode_responses=True,
    )
    return redis.Redis(connection_pool=pool)
