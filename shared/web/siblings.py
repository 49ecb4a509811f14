"""Where each sibling app listens: one port setting per technique, read by serve, run-all and /compare.

`POLLING_PORT`, `LONG_POLLING_PORT`, `WEBSOCKETS_PORT`, `SSE_PORT` (and one more per
new technique) say where each app serves, so that `make run-all` starts them there
and every app's /compare page knows where to find the others.
"""

from urllib.parse import urlsplit

from shared.board.settings import number_from_env
from shared.board.techniques import TECHNIQUES

DEFAULT_PORTS = {"polling": 5001, "long_polling": 5002, "websockets": 5003, "sse": 5004}


def port_setting(technique):
    """Name the environment variable that holds this technique's port: POLLING_PORT, ..."""
    return f"{technique.upper()}_PORT"


def sibling_ports():
    """Return every technique's port, in TECHNIQUES order, from its setting or the default."""
    return {
        technique: number_from_env(port_setting(technique), DEFAULT_PORTS[technique], int)
        for technique in TECHNIQUES
    }


def sibling_origins(host_url, ports):
    """Return each technique's origin at the host name of `host_url`: the one the browser used.

    A room on a LAN reaches the apps as http://192.168.1.20:5001, a laptop as
    http://127.0.0.1:5001; either way the siblings are the same host on their own ports.
    """
    address = urlsplit(host_url)
    if not address.hostname:
        return {}  # no usable Host header (Werkzeug drops an invalid one): no siblings either
    host_name = f"[{address.hostname}]" if ":" in address.hostname else address.hostname  # IPv6
    return {technique: f"{address.scheme}://{host_name}:{port}" for technique, port in ports.items()}
