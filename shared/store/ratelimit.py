"""A sliding-window rate limit on cities, kept in Redis so every process shares it."""

import math
import secrets
import time


def seconds_until_allowed(redis, key, limit, period_seconds):
    """Record one attempt under `key`; 0 if within `limit` per period, else seconds to wait.

    A refused attempt is taken back out, so a client that waits as told gets in.
    """
    now = time.time()
    attempt = f"{now}:{secrets.token_hex(4)}"
    with redis.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, "-inf", now - period_seconds)
        pipe.zadd(key, {attempt: now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, math.ceil(period_seconds))
        _, _, attempts, oldest, _ = pipe.execute()
    if attempts <= limit:
        return 0
    redis.zrem(key, attempt)
    return max(1, math.ceil(oldest[0][1] + period_seconds - now))


def refusal(wait_seconds):
    """The message that refuses a city sent too soon, over HTTP or a socket."""
    return f"too many cities at once; try again in {wait_seconds} s"
