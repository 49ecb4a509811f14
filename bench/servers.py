"""The servers a bench run measures, each in a process of its own, and what they cost.

A board app runs exactly as `make run-*` runs it (`python -m shared.serve`), on a
fresh Redis of its own, on the tuned path (TEXTBOOK=0) or the textbook one
(TEXTBOOK=1). The two references run without Redis: the minimal
Flask-SocketIO app a tutorial writes (bench/reference_app.py) and Node's own
socket.io server (bench/node/server.mjs). CPU and memory come from /proc (Linux).
"""

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

from shared.tools import app_process
from shared.tools.embedded import EmbeddedValkey
from shared.tools.ports import free_port

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_DEADLINE_SECONDS = 30
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.25


def cpu_seconds(pid):
    """User plus system CPU seconds a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def memory_kib(pid, field="VmRSS"):
    """A memory figure of a process from /proc/<pid>/status, in KiB (VmRSS now, VmHWM its peak)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def stop_process(process, timeout=10):
    """SIGTERM, then SIGKILL if it lingers; nothing to do for a process never started or already gone."""
    app_process.stop([process], timeout)


class FreshRedis:
    """A Valkey server of the run's own, in a temporary folder, gone when the run ends."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="bench-valkey-")
        self.valkey = EmbeddedValkey(self.folder.name)
        self.port = self.valkey.start()["port"]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis(port=self.port, decode_responses=True)

    def counters(self):
        """Commands processed so far, and client connections open now (this one not counted)."""
        stats, clients = self.client.info("stats"), self.client.info("clients")
        return stats["total_commands_processed"], clients["connected_clients"] - 1

    def stop(self):
        """Shut the server down and remove its folder."""
        self.client.close()
        self.valkey.stop()
        self.folder.cleanup()


class Server:
    """A server under test: its command ("{port}" in it is its port), its process, its memory peak."""

    def __init__(self, command, env=None, log_name="server"):
        self.command = command
        self.name = log_name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {}), "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.log_path = Path(tempfile.gettempdir()) / f"bench-{log_name}-{self.port}.log"
        self.process = None
        self.peak_rss_kib = 0
        self._sampling = False

    @property
    def pid(self):
        return self.process.pid

    def start(self):
        """Start the process (again, after a stop, on the same port) and wait until it answers."""
        with open(self.log_path, "ab") as log:
            command = [part.format(port=self.port) for part in self.command]
            self.process = app_process.start(command, self.env, log)
        try:
            app_process.wait_until_answering({self.name: (self.url, self.process)}, START_DEADLINE_SECONDS)
        except app_process.DidNotStart as failure:
            raise RuntimeError(f"{failure}; see {self.log_path}") from None
        self._sampling = True
        threading.Thread(target=self._sample_memory, daemon=True).start()
        return self

    def _sample_memory(self):
        """Keep the peak RSS (VmHWM says it too, but only for the whole life of the process)."""
        process = self.process
        while self._sampling and process.poll() is None:
            self.peak_rss_kib = max(self.peak_rss_kib, memory_kib(process.pid))
            time.sleep(SAMPLE_SECONDS)

    def rss_kib(self):
        """Resident memory now."""
        return memory_kib(self.pid)

    def cpu_seconds(self):
        """CPU seconds used so far."""
        return cpu_seconds(self.pid)

    def stop(self):
        """Stop the process (it may be started again)."""
        self._sampling = False
        stop_process(self.process)


def board_app(technique, redis_url, textbook=False):
    """A board app as `make run-*` serves it, on the path asked for, the rate limit raised for the writer."""
    # Every simulated page comes from 127.0.0.1: no cap on the connections of one address.
    # TEXTBOOK is set either way: a TEXTBOOK=1 in the bench's own environment picks subjects, not paths.
    env = {
        "REDIS_URL": redis_url,
        "TEXTBOOK": "1" if textbook else "0",
        "ACCESS_LOG": "0",
        "RATE_LIMIT_CITIES": "1000000",
        "MAX_STREAMS_PER_ADDRESS": "0",
    }
    log_name = technique + ("-textbook" if textbook else "")
    return Server([sys.executable, "-m", "shared.serve", technique], env, log_name)


def flask_socketio_reference():
    """The minimal Flask-SocketIO broadcast app on gevent, as a tutorial writes it."""
    return Server([sys.executable, "-m", "bench.reference_app"], {}, "flask-socketio")


def node_reference():
    """Node's own socket.io server."""
    return Server(["node", "bench/node/server.mjs", "{port}"], {}, "node-socketio")
