"""What goes wrong, on the tuned path: bad input, Redis away, restarted, killed or wiped, slow clients.

Also a tab handed over between processes, and the safe defaults (headers, origins,
the per-address cap). Tests that stop, kill or wipe Redis do it to a Valkey of their
own (`own_redis`, in this folder's conftest.py).
"""
