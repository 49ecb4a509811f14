"""A Redis of the test's own, for the tests that stop, kill or wipe it: never the suite's shared one."""

import json
import os
import signal

import pytest

from shared.tools.embedded import EmbeddedValkey
from tests.servers import redis_port, wait_until


class OwnRedis:
    """A Valkey server in the test's own folder, which the test may stop, kill and start again."""

    def __init__(self, folder):
        self.server = EmbeddedValkey(folder)
        self.url = self.server.url()  # starts it

    def pid(self):
        """The pid of the server running now (a new one after each start)."""
        return json.loads(self.server.record_path.read_text())["pid"]

    def runs(self):
        """True while the recorded server's process runs."""
        return is_running(self.pid())

    def stop(self):
        """Shut the server down cleanly (SHUTDOWN); its data stays on disk."""
        self.server.stop()

    def kill(self):
        """SIGKILL the server, as a crash or the OOM killer would, and wait until it is gone; its pid."""
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not is_running(pid), message="the killed server to be gone")
        return pid

    def start_again(self):
        """Start the server again on the same port: its data comes back from disk."""
        self.server.start(port=redis_port(self.url))

    def restart(self):
        """Stop the server cleanly and start it again."""
        self.stop()
        self.start_again()


def is_running(pid):
    """True while the process runs; a zombie (dead, not yet reaped by its parent) is not running (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def own_redis(tmp_path):
    """A Valkey server of this test's own (an OwnRedis), shut down after the test."""
    redis = OwnRedis(tmp_path / "valkey")
    yield redis
    redis.stop()
