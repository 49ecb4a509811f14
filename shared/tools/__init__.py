"""Tools for the developer, not part of any app: nothing under shared/ but serve.py imports them.

embedded.py (the embedded Valkey server, `make stop`), ports.py (a free loopback
port), app_process.py (an app as a process of its own, started and stopped: for
run-all, the bench and the tests), run_all.py (`make run-all`), reset.py
(`make reset`), delay_proxy.py (a TCP proxy that delays every byte) and latency.py
(LATENCY: an app behind it), terminal.py and follower.py (what the terminal
clients, `python -m <app>.client`, share).
"""
