"""Front-end packages from npm, served by the app itself so the workshop works offline.

npm installs them at set-up (package.json pins each one, package-lock.json everything
they pull in), and pages load them from the app, never from a CDN: the socket.io
client (websockets/vendor.py) and Mermaid, which draws the docs' diagrams (shared/reading/docs.py).
"""

import logging
from pathlib import Path

from flask import abort, send_from_directory

log = logging.getLogger(__name__)

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def serve_installed(directory, name, allowed_names):
    """Serve one allowed file of an npm package, or a 404 that says how to install it."""
    if name not in allowed_names:
        abort(404)
    if not (Path(directory) / name).is_file():
        missing = f"{name} is not installed in node_modules/: run make setup"
        log.error(missing)
        return f"{missing}\n", 404, {"Content-Type": "text/plain; charset=utf-8"}
    return send_from_directory(directory, name)
