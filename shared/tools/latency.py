"""LATENCY: an app reached through the delaying proxy, so one laptop shows what a network does.

With LATENCY=200, `python -m shared.serve polling` (and so `make run-all`, which starts
each app that way) serves the app on a free loopback port, and puts the proxy of
delay_proxy.py where the app would have listened, HOST:PORT, as a child process that
delays every byte 200 ms each way. Pages, the race page and the terminal clients use
the usual ports and meet the network's delay there. The proxy stops with the app.
Every connection then comes from the proxy, 127.0.0.1: MAX_STREAMS_PER_ADDRESS counts
the whole room as one address, so LATENCY is for one laptop's demo, not for a room's
many laptops.
"""

import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from shared.board.settings import number_from_env
from shared.tools import app_process
from shared.tools.ports import free_port

MAX_LATENCY_MS = 5000  # beyond a few seconds each way, every page would only show reconnecting
START_DEADLINE_SECONDS = 10
STOP_DEADLINE_SECONDS = 5
LOOPBACK = "127.0.0.1"


def latency_from_env():
    """LATENCY in milliseconds each way, 0 when unset; anything else stops here with one line."""
    latency_ms = number_from_env("LATENCY", 0.0)
    if not 0 <= latency_ms <= MAX_LATENCY_MS:  # a NaN fails this too
        limits = f"from 0 to {MAX_LATENCY_MS}"
        raise SystemExit(f"LATENCY must be milliseconds each way, {limits}, not {latency_ms:g}")
    return latency_ms


@dataclass
class Front:
    """Where pages reach an app (`host`:`port`), where the app listens, and the proxy between, if any."""

    host: str
    port: int
    app_host: str
    app_port: int
    latency_ms: float = 0.0
    proxy: subprocess.Popen | None = None

    def describe(self):
        """The address pages use, and what stands between them and the app, for the banner."""
        url = f"http://{self.host}:{self.port}/"
        if self.proxy is None:
            return url
        return (
            f"{url} through a proxy that delays every byte {self.latency_ms:g} ms each way "
            f"(the app itself on {self.app_host}:{self.app_port}, the proxy's pid {self.proxy.pid})"
        )

    def close(self):
        """Stop the proxy, if there is one (safe to call twice)."""
        app_process.stop([self.proxy], STOP_DEADLINE_SECONDS)


def open_front(host, port, latency_ms):
    """The app itself on `host`:`port`, or, with a latency, the proxy there and the app on a loopback port.

    Raises OSError, before starting anything, if `host`:`port` is taken.
    """
    if not latency_ms:
        return Front(host, port, host, port)
    socket.create_server((host, port)).close()
    app_port = free_port()
    proxy = start_proxy(host, port, app_port, latency_ms / 1000)
    return Front(host, port, LOOPBACK, app_port, latency_ms, proxy)


def start_proxy(host, port, target_port, delay_seconds):
    """Start the delaying proxy as a child process on `host`:`port`; return it once it accepts connections."""
    command = [sys.executable, "-m", "shared.tools.delay_proxy", str(port), str(target_port)]
    command += ["--delay", str(delay_seconds), "--host", host]
    # Its one line of output is for people running it by hand; its errors still show.
    process = subprocess.Popen(command, cwd=app_process.PROJECT_ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while not accepts_connections(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            app_process.stop([process], STOP_DEADLINE_SECONDS)
            raise SystemExit(f"the delaying proxy did not start on {host}:{port}")
        time.sleep(0.05)
    return process


def accepts_connections(host, port):
    """True once something accepts a TCP connection on `host`:`port`."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
