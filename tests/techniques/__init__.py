"""What only one technique does, a folder per app: its own routes, its client, its presence, its replay.

The promises every app shares are in tests/behaviour/; these tests run on the tuned path.
"""
