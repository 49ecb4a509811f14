"""Settings: every knob the store and the apps read, with the defaults a workshop wants."""

import os
from dataclasses import dataclass


def number_from_env(name, default, kind=float):
    """Read a numeric environment variable, saying which one is wrong if it is."""
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None


def textbook_from_env():
    """True when TEXTBOOK asks for the textbook path (1), False for the tuned one (unset, empty or 0)."""
    raw = os.environ.get("TEXTBOOK", "")
    if raw not in ("", "0", "1"):
        raise SystemExit(f"TEXTBOOK must be 1 (the textbook path) or 0 (the tuned one), not {raw!r}")
    return raw == "1"


@dataclass(frozen=True)
class Settings:
    """The store's settings; `from_env()` reads them from the environment."""

    redis_url: str = ""  # shared/serve.py puts the embedded Valkey server's here when REDIS_URL is empty
    key_prefix: str = "board:"  # lets several boards (or test runs) share one Redis
    presence_window_seconds: float = 40.0  # a page that stops asking stops counting
    rate_limit_cities: int = 5  # cities from one client ...
    rate_limit_seconds: float = 10.0  # ... per this many seconds
    coalesce_seconds: float = 0.25  # visits and presence totals: one event per this, at most
    sweep_seconds: float = 1.0  # how often each process looks for lapsed presence
    cities_kept: int = 1000
    events_kept: int = 10_000
    redis_max_connections: int = 20  # per process, plus the listener's one
    redis_timeout_seconds: float = 2.0
    max_streams_per_address: int = 100  # open sockets or event streams, per process; 0: no cap
    max_backlog: int = 1000  # unread events (or packets) after which a stream (or socket) is cut off
    textbook: bool = False  # True: every crowd tuning off, each request does its own Redis work

    def __post_init__(self):
        if self.max_backlog < 1:
            raise SystemExit("MAX_BACKLOG must be at least 1")

    @classmethod
    def from_env(cls):
        """Read the settings a user may change from environment variables."""
        return cls(
            redis_url=os.environ.get("REDIS_URL", ""),
            key_prefix=os.environ.get("BOARD_KEY_PREFIX", "board:"),
            presence_window_seconds=number_from_env("PRESENCE_WINDOW", cls.presence_window_seconds),
            rate_limit_cities=number_from_env("RATE_LIMIT_CITIES", cls.rate_limit_cities, int),
            rate_limit_seconds=number_from_env("RATE_LIMIT_SECONDS", cls.rate_limit_seconds),
            events_kept=number_from_env("EVENTS_KEPT", cls.events_kept, int),
            redis_max_connections=number_from_env("REDIS_MAX_CONNECTIONS", cls.redis_max_connections, int),
            max_streams_per_address=number_from_env(
                "MAX_STREAMS_PER_ADDRESS", cls.max_streams_per_address, int
            ),
            max_backlog=number_from_env("MAX_BACKLOG", cls.max_backlog, int),
            textbook=textbook_from_env(),
        )
