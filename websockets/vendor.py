"""The socket.io JavaScript client, served by the app itself so the workshop works offline.

npm installs it at set-up (package.json pins socket.io-client, package-lock.json
pins everything it pulls in) and the page loads it from here, never from a CDN.
"""

import logging
from pathlib import Path

from flask import Blueprint, abort, send_from_directory

log = logging.getLogger(__name__)

CLIENT_DIR = Path(__file__).resolve().parent.parent / "node_modules" / "socket.io-client" / "dist"
# The minified client, and its source map for the browser's developer tools.
CLIENT_FILES = {"socket.io.min.js", "socket.io.min.js.map"}
NOT_INSTALLED = "the socket.io client is not installed in node_modules/: run make setup"

blueprint = Blueprint("vendor", __name__)


@blueprint.get("/vendor/<name>")
def socketio_client(name):
    """Serve the pinned socket.io client from node_modules, or say how to install it."""
    if name not in CLIENT_FILES:
        abort(404)
    if not (CLIENT_DIR / name).is_file():
        log.error(NOT_INSTALLED)
        return f"{NOT_INSTALLED}\n", 404, {"Content-Type": "text/plain; charset=utf-8"}
    return send_from_directory(CLIENT_DIR, name)
