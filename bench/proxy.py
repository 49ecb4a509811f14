"""The bench's slow network: the delaying proxy (shared/tools/delay_proxy.py) as a child process.

`make bench FULL=1` puts it between the pages and each server, 50 ms each way, a
distant but ordinary network; the proxy itself, and why it delays as it does, is
shared/tools/delay_proxy.py, which LATENCY=200 also puts in front of an app.
"""

from bench.servers import cpu_seconds, stop_process
from shared.tools.delay_proxy import DEFAULT_DELAY_SECONDS
from shared.tools.latency import start_proxy
from shared.tools.ports import free_port

STOP_DEADLINE_SECONDS = 5


class DelayProxy:
    """The proxy as a child process, for the bench (a threaded program, not a gevent one)."""

    def __init__(self, delay_seconds=DEFAULT_DELAY_SECONDS):
        self.delay_seconds = delay_seconds
        self.process = None

    def start(self, target_port):
        """Start a proxy to 127.0.0.1:`target_port`; return its URL once it accepts connections."""
        port = free_port()
        self.process = start_proxy("127.0.0.1", port, target_port, self.delay_seconds)
        return f"http://127.0.0.1:{port}"

    def cpu_seconds(self):
        """CPU seconds the proxy has used so far (0 before start and after stop)."""
        running = self.process and self.process.poll() is None
        return cpu_seconds(self.process.pid) if running else 0.0

    def stop(self):
        """SIGTERM, then SIGKILL if it lingers; safe to call twice, or before start."""
        stop_process(self.process, STOP_DEADLINE_SECONDS)
