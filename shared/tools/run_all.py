"""Serve every technique's app at once, on one Redis: `python -m shared.tools.run_all` (make run-all).

Each app is its own `python -m shared.serve <technique>` process, on its
`<TECHNIQUE>_PORT` (shared/web/siblings.py), exactly as `make run-polling` would start
it; this module only starts them, labels their output, and stops them together:
on Ctrl-C or SIGTERM, or as soon as one of them dies.
"""

import os
import queue
import signal
import socket
import subprocess
import threading

from shared.tools import app_process
from shared.tools.embedded import EmbeddedValkey
from shared.tools.latency import latency_from_env
from shared.web.siblings import port_setting, sibling_ports

START_DEADLINE_SECONDS = 20
STOP_DEADLINE_SECONDS = 5
print_lock = threading.Lock()


def say(text):
    """Print one whole line, never interleaved with a line an app is printing."""
    with print_lock:
        print(text, flush=True)


def refuse_taken_ports(host, ports):
    """Stop before starting anything if a port is taken: an app already there would answer for ours."""
    for technique, port in ports.items():
        try:
            socket.create_server((host, port)).close()
        except OSError as error:
            raise SystemExit(
                f"cannot listen on {host}:{port} ({error.strerror}); is another app there? "
                f"Set {port_setting(technique)}."
            ) from None


def start_app(technique, port, env, exits):
    """Start one app, and a thread that labels its output and reports its exit on `exits`."""
    child = app_process.start(
        app_process.serve_command(technique),
        {**env, "PORT": str(port), "PYTHONUNBUFFERED": "1"},
        subprocess.PIPE,
    )

    def relay():
        """Print the app's lines under its name until it ends, then report how it ended."""
        for line in child.stdout:
            say(f"{technique:<12} | {line.rstrip()}")
        exits.put((technique, child.wait()))

    threading.Thread(target=relay, daemon=True).start()
    return child


def wait_until_all_answer(urls, children):
    """Wait until every app answers; stop with a message if one exits first or the deadline passes."""
    apps = {technique: (url, children[technique]) for technique, url in urls.items()}
    try:
        app_process.wait_until_answering(apps, START_DEADLINE_SECONDS)
    except app_process.Exited as exited:
        raise SystemExit(f"{exited}; stopped the others") from None
    except app_process.Silent as silent:
        raise SystemExit(str(silent)) from None


def stop_all(children):
    """SIGTERM every app still running, then SIGKILL any that lingers past the deadline."""
    # A second Ctrl-C must not cut the stopping short and leave apps running.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    app_process.stop(children.values(), STOP_DEADLINE_SECONDS)


def main():
    """Start the apps, say where they are, and stop them all when one dies or we are told to."""
    host = os.environ.get("HOST", "127.0.0.1")
    ports = sibling_ports()
    latency_ms = latency_from_env()  # a wrong LATENCY stops here, not in four apps at once
    refuse_taken_ports(host, ports)
    env = dict(os.environ)
    # Start the embedded server here, once, before any app, and hand its URL to all of
    # them: they then share it for certain, instead of racing to start it.
    env["REDIS_URL"] = env.get("REDIS_URL") or EmbeddedValkey().url()
    # SIGTERM ends this process the way Ctrl-C does: through the `finally` below.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    exits = queue.Queue()
    children = {}
    try:
        for technique, port in ports.items():
            children[technique] = start_app(technique, port, env, exits)
        urls = {technique: f"http://{host}:{port}" for technique, port in ports.items()}
        wait_until_all_answer(urls, children)
        for technique, url in urls.items():
            say(f"{technique:<12}   {url}/  (pid {children[technique].pid})")
        say(f"the race       {next(iter(urls.values()))}/compare  (on any app; Ctrl-C stops all {len(urls)})")
        if latency_ms:
            say(f"the network    every app behind a proxy that delays every byte {latency_ms:g} ms each way")
        technique, code = exits.get()  # blocks until an app ends, or a signal interrupts
        raise SystemExit(f"the {technique} app exited (code {code}); stopped the others")
    except KeyboardInterrupt:
        say(f"stopping all {len(children)} apps")
    finally:
        stop_all(children)


if __name__ == "__main__":
    main()
