"""WebSockets with socket.io on gevent: the third technique, still to be written.

This folder's name is the one the meetup story gives it, and it shadows the PyPI
library called `websockets` for anything run from the project root. Nothing in
requirements.txt may depend on that library; tests/test_layout.py fails if
anything ever does.
"""
