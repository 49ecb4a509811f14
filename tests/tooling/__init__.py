"""Everything around the apps: the bench, the docs and their viewer, /compare, run-all, the tools.

The bench and its proxy, the docs against the code, the docs viewer and the race page,
the embedded Valkey, `make run-all`, the terminal clients, the soak, and the
repository's layout (pinned dependencies, imports pointing one way, short modules).
"""
