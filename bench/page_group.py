"""The simulated pages of one run: a few client processes, driven as one crowd.

HTTP pages run in `python -m bench.page_process` (gevent), socket.io pages in
`node bench/node/pages.mjs` (the official socket.io-client, the lightest load
generator measured here). Both speak one line protocol (see bench/page_process.py),
so the bench asks the whole crowd one question and adds up the answers.
"""

import json
import queue
import subprocess
import sys
import threading
import time
from collections import Counter

from bench.servers import PROJECT_ROOT, cpu_seconds

ANSWER_DEADLINE_SECONDS = 60
STATUS_COUNTS = ("live", "connected", "requests", "received", "have")


def added_up(counts):
    """Several {reason: count} dicts as one."""
    return dict(sum(map(Counter, counts), Counter()))


class PageProcess:
    """One client process and the lines it writes."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            # Its own session: a Ctrl-C in the terminal reaches the orchestrator alone, which
            # then stops the pages (they leave as pages do); closing stdin stops them too.
            start_new_session=True,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read_lines, daemon=True).start()

    def _read_lines(self):
        """Hand every line the process writes to the queue; None when it ends."""
        for line in self.process.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def send(self, command):
        """Write one command."""
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def expect(self, key, deadline):
        """Wait for the next line that carries `key`; return its value."""
        while True:
            try:
                message = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"a page process gave no {key!r} in time") from None
            if message is None:
                raise RuntimeError(f"a page process ended before giving {key!r}")
            if key in message:
                return message[key]


class PageGroup:
    """N pages spread over a few processes, each page with its own client id."""

    def __init__(self, subject, url, pages, ramp_seconds, run_id, page_options=()):
        """`page_options`: more options for bench/page_process.py (`--interval`, `--hold`), not for Node's."""
        processes = subject.processes_for(pages)
        share, extra = divmod(pages, processes)
        self.pages = pages
        self.processes = []
        first = 0
        for number in range(processes):
            count = share + (number < extra)
            where = ["--pages", str(count), "--first-page", str(first), "--ramp", str(ramp_seconds)]
            where += ["--run", run_id]
            if subject.pages == "node":
                command = ["node", "bench/node/pages.mjs", url, *where]
            else:
                command = [sys.executable, "-m", "bench.page_process", subject.technique, url, *where]
                command += page_options
            self.processes.append(PageProcess(command))
            first += count

    def wait_ready(self, timeout):
        """Wait until every process says all its pages are live; False at the deadline."""
        deadline = time.monotonic() + timeout
        try:
            for process in self.processes:
                process.expect("ready", deadline)
        except TimeoutError:
            return False
        return True

    def ask_all(self, command, key):
        """Send one command to every process and return their answers."""
        for process in self.processes:
            process.send(command)
        deadline = time.monotonic() + ANSWER_DEADLINE_SECONDS
        return [process.expect(key, deadline) for process in self.processes]

    def mark(self, name):
        """Snapshot every process's wire counts under `name`."""
        self.ask_all(f"mark {name}", "marked")

    def status(self, city=""):
        """The crowd's status added up: pages live, requests, deliveries, pages that have `city`, errors."""
        answers = self.ask_all(f"status {city}".strip(), "status")
        total = {name: sum(answer[name] for answer in answers) for name in STATUS_COUNTS}
        return {**total, "errors": added_up(answer["errors"] for answer in answers)}

    def cpu_seconds(self):
        """CPU seconds used by each client process so far."""
        return [cpu_seconds(process.process.pid) for process in self.processes]

    def stop(self):
        """Stop every page and return the results joined: marks added up, receipts in page order."""
        answers = self.ask_all("stop", "result")
        for process in self.processes:
            process.process.wait(timeout=30)
        marks = {}
        for answer in answers:
            for name, counts in answer["marks"].items():
                joined = marks.setdefault(name, dict.fromkeys(counts, 0))
                for field, value in counts.items():
                    joined[field] = max(joined[field], value) if field == "at" else joined[field] + value
        received = [page for answer in answers for page in answer["received"]]
        return {
            "marks": marks,
            "received": received,
            "errors": added_up(answer["errors"] for answer in answers),
        }

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        """End every client process still running (after a failure, or once stopped)."""
        for process in self.processes:
            if process.process.poll() is None:
                process.process.kill()
                process.process.wait()
