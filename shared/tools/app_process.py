"""An app in a process of its own: started, waited for until it answers, stopped.

The tests (tests/servers.py), the bench (bench/servers.py) and `make run-all`
(run_all.py) all start apps this way: `python -m shared.serve <technique>` (or another
command), ready once GET /api/state answers 200. A process that ends while starting
fails the start at once, rather than at the deadline.
"""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ASK_EVERY_SECONDS = 0.05


class DidNotStart(Exception):
    """An app that did not come up: `Exited` or `Silent` says how."""


class Exited(DidNotStart):
    """An app's process ended before it answered."""

    def __init__(self, name, code):
        super().__init__(f"the {name} app exited while starting (code {code})")
        self.name, self.code = name, code


class Silent(DidNotStart):
    """Apps still running that had not answered by the deadline."""

    def __init__(self, names, deadline_seconds):
        super().__init__(f"{', '.join(names)} did not answer within {deadline_seconds} s")
        self.names = names


def serve_command(technique):
    """The command that serves one technique's app, as `make run-*` runs it."""
    return [sys.executable, "-m", "shared.serve", technique]


def start(command, env, output):
    """Start `command` from the project's root with `env`, its output and errors both to `output`."""
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
    )


def answers(url):
    """True if an app answers GET /api/state at `url` with 200."""
    try:
        with urllib.request.urlopen(f"{url}/api/state", timeout=1) as response:
            return response.status == 200
    except OSError:  # refused, reset, or an HTTP error status (URLError is an OSError)
        return False


def wait_until_answering(apps, deadline_seconds):
    """Wait until every app answers; `apps` maps a name to (its URL, its process).

    Raises Exited as soon as one process ends, Silent if some have not answered by the deadline.
    """
    deadline = time.monotonic() + deadline_seconds
    waiting = dict(apps)
    while waiting:
        for name, (_url, process) in apps.items():
            if process.poll() is not None:
                raise Exited(name, process.returncode)
        if time.monotonic() > deadline:
            raise Silent(list(waiting), deadline_seconds)
        waiting = {name: app for name, app in waiting.items() if not answers(app[0])}
        if waiting:
            time.sleep(ASK_EVERY_SECONDS)


def stop(processes, deadline_seconds):
    """SIGTERM every process still running, then SIGKILL any that lingers past the deadline."""
    running = [process for process in processes if process and process.poll() is None]
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(deadline_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
