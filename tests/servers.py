"""Real servers for the tests: an app process on a free loopback port, and waiting helpers."""

import os
import time
from pathlib import Path

import gevent

from shared.tools import app_process
from shared.tools.ports import free_port

PROJECT_ROOT = app_process.PROJECT_ROOT
START_DEADLINE_SECONDS = 20
STOP_DEADLINE_SECONDS = 5


def wait_until(condition, timeout=10.0, interval=0.05, message="condition"):
    """Call `condition` until it returns something truthy; return that, or fail at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def redis_port(redis_url):
    """The port of a redis://host:port/db URL."""
    return int(redis_url.rsplit(":", 1)[1].split("/")[0])


def tcp_table():
    """The rows of the kernel's IPv4 TCP table (Linux): local address, remote address, state, ..."""
    with open("/proc/net/tcp") as table:
        return [line.split()[1:] for line in table.readlines()[1:]]


def established_connections(port):
    """Count the TCP connections a server on 127.0.0.1:`port` has accepted and not closed (Linux)."""
    local_address = f"0100007F:{port:04X}"
    return sum(1 for row in tcp_table() if row[0] == local_address and row[2] == "01")  # 01: ESTABLISHED


def listening_addresses(port):
    """The IPv4 addresses (hex, as the kernel writes them) with a socket listening on `port`."""
    return {row[0].split(":")[0] for row in tcp_table() if row[0].endswith(f":{port:04X}") and row[2] == "0A"}


class AppServer:
    """One app (`python -m shared.serve <technique>`) running as its own gevent process."""

    def __init__(self, technique, redis_url, key_prefix, log_dir, **env):
        self.technique = technique
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"{technique}-{self.port}.log"
        self.env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "BOARD_KEY_PREFIX": key_prefix,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "TEXTBOOK": "0",  # the tuned path unless told, never this test run's own TEXTBOOK
            **{name: str(value) for name, value in env.items()},
        }
        for name in [name for name, value in env.items() if value is None]:
            del self.env[name]  # None: leave the setting unset, to get the app's own default
        self.process = None

    def start(self):
        """Start the process and wait until it answers /api/state (failing at once if it exits)."""
        with open(self.log_path, "ab") as log:
            self.process = app_process.start(app_process.serve_command(self.technique), self.env, log)
        try:
            app_process.wait_until_answering(
                {self.technique: (self.url, self.process)}, START_DEADLINE_SECONDS
            )
        except app_process.DidNotStart as failure:
            raise AssertionError(f"{failure}:\n{self.log_path.read_text()}") from None
        return self

    def stop(self):
        """Stop the process (SIGTERM, then SIGKILL if it lingers)."""
        app_process.stop([self.process], STOP_DEADLINE_SECONDS)


def read_lines_until(process, wanted, timeout=15.0):
    """Read a child's stdout line by line until `wanted(line)`; return the lines read."""
    lines = []
    # The deadline is on the reading itself, not a select() on the pipe: one read can take
    # in several lines at once, and select() would then wait for more while they sit read.
    # (The tests run on gevent, where the pipe's readline yields and the timeout can fire.)
    try:
        with gevent.Timeout(timeout):
            while not lines or not wanted(lines[-1]):
                line = process.stdout.readline()
                if not line:
                    raise AssertionError(f"the process ended; its output:\n{''.join(lines)}")
                lines.append(line)
    except gevent.Timeout:
        raise AssertionError(f"timed out after {timeout} s; output so far:\n{''.join(lines)}") from None
    return lines
