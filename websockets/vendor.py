"""The socket.io JavaScript client, served by the app itself so the workshop works offline.

npm installs it at set-up (package.json pins socket.io-client, package-lock.json
pins everything it pulls in) and the page loads it from here, never from a CDN.
shared/web/vendor.py does the serving, for Mermaid too.
"""

from flask import Blueprint

from shared.web.vendor import NODE_MODULES, serve_installed

CLIENT_DIR = NODE_MODULES / "socket.io-client" / "dist"
# The minified client, and its source map for the browser's developer tools.
CLIENT_FILES = {"socket.io.min.js", "socket.io.min.js.map"}

blueprint = Blueprint("vendor", __name__)


@blueprint.get("/vendor/<name>")
def socketio_client(name):
    """Serve the pinned socket.io client from node_modules, or say how to install it."""
    return serve_installed(CLIENT_DIR, name, CLIENT_FILES)
