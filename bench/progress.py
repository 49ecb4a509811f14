"""A live progress bar on stderr: how far the whole bench is, and what it is doing now."""

import sys
import threading
import time

WIDTH = 24
REDRAW_SECONDS = 0.2


def minutes(seconds):
    """Seconds as m:ss."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class Progress:
    """A bar over the bench's expected seconds; `doing()` names the current step."""

    def __init__(self, expected_seconds, stream=sys.stderr):
        self.expected_seconds = expected_seconds
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.step = "starting"
        self.detail = ""
        self._stopped = threading.Event()
        if self.interactive:
            threading.Thread(target=self._redraw_forever, daemon=True).start()

    def doing(self, step):
        """Say what the bench does now (a new line per step when stderr is not a terminal)."""
        self.step, self.detail = step, ""
        if not self.interactive:
            print(f"[{self._clock()}] {step}", file=self.stream, flush=True)

    def show(self, detail):
        """Add a detail to the current step, on the bar only (a finer grain than a new line)."""
        self.detail = detail

    def _clock(self):
        """Elapsed, against what the bench expects to take, as m:ss."""
        return f"{minutes(time.monotonic() - self.started)} / ~{minutes(self.expected_seconds)}"

    def _redraw_forever(self):
        """Redraw the bar in place until stopped."""
        while not self._stopped.wait(REDRAW_SECONDS):
            elapsed = time.monotonic() - self.started
            filled = min(WIDTH, int(WIDTH * elapsed / self.expected_seconds))
            bar = "#" * filled + "-" * (WIDTH - filled)
            line = f"\r[{bar}] {self._clock()}  {self.step} {self.detail}"
            self.stream.write(line[:120].ljust(120))
            self.stream.flush()

    def done(self):
        """Stop redrawing and end the bar's line."""
        self._stopped.set()
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
